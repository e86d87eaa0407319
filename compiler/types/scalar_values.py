"""Scalar values <-> literals: simple types, enums and ``typing.Literal`` (WIRE-FORMAT 17).

Scalars are primitives (a ``date`` is written as a midnight ``datetime``, read back as a UTC
one); enums and ``Literal`` values are the primitive of their value. Rows of the value tables
in :mod:`compiler.types.values`, with the same ``(engine, desc, value_or_literal)`` signature.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from flyteidl.core import literals_pb2

from compiler.types.desc import EnumOf, Kind, LiteralOf, Simple
from compiler.types.plain import to_plain
from compiler.types.value_checks import (
    check_simple,
    literal_error,
    primitive_literal,
    range_note,
    scalar_literal,
    value_error,
)

__all__ = [
    "enum_to_literal",
    "enum_to_value",
    "literal_of_to_literal",
    "literal_of_to_value",
    "simple_to_literal",
    "simple_to_value",
]

Literal = literals_pb2.Literal


def _datetime_literal(value: Any) -> Literal:
    if not isinstance(value, datetime.datetime):  # a date: midnight, as flytekit writes it
        value = datetime.datetime.combine(value, datetime.time.min)
    lit = primitive_literal()
    lit.scalar.primitive.datetime.FromDatetime(value)
    return lit


def _duration_literal(value: Any) -> Literal:
    lit = primitive_literal()
    lit.scalar.primitive.duration.FromTimedelta(value)
    return lit


_WRITERS: dict[Kind, Callable[[Any], Literal]] = {
    Kind.NONE: lambda value: scalar_literal(none_type=literals_pb2.Void()),
    Kind.INTEGER: lambda value: primitive_literal(integer=value),
    Kind.FLOAT: lambda value: primitive_literal(float_value=float(value)),
    Kind.STRING: lambda value: primitive_literal(string_value=value),
    Kind.BOOLEAN: lambda value: primitive_literal(boolean=value),
    Kind.DURATION: _duration_literal,
    Kind.DATETIME: _datetime_literal,
}

#: The primitive fields a literal of each kind may hold (the console sends numbers as floats).
_READABLE: dict[Kind, tuple[str, ...]] = {
    Kind.INTEGER: ("integer", "float_value"),
    Kind.FLOAT: ("float_value", "integer"),
    Kind.STRING: ("string_value",),
    Kind.BOOLEAN: ("boolean",),
    Kind.DATETIME: ("datetime",),
    Kind.DURATION: ("duration",),
}


def simple_to_literal(engine: Any, desc: Simple, value: Any) -> Literal:
    """The primitive (or ``none_type``) literal of a simple value."""
    try:
        check_simple(desc, value)
    except TypeError:
        raise value_error(desc, value, range_note(value).strip(" ()")) from None
    return _WRITERS[desc.kind](value)


def simple_to_value(engine: Any, desc: Simple, literal: Literal) -> Any:
    """The simple value a literal holds."""
    if desc.kind is Kind.NONE:
        if literal.scalar.HasField("none_type"):
            return None
        raise literal_error(desc, literal)
    if not literal.scalar.HasField("primitive"):
        raise literal_error(desc, literal)
    prim = literal.scalar.primitive
    which = prim.WhichOneof("value")
    if which not in _READABLE[desc.kind]:
        raise literal_error(desc, literal)
    if desc.kind is Kind.FLOAT:
        return float(getattr(prim, which))
    if which == "float_value":  # Flyte console sends every number as a float, as flytekit knows
        if not prim.float_value.is_integer():
            raise literal_error(desc, literal, f"{prim.float_value} is not a whole number")
        return int(prim.float_value)
    if desc.kind is Kind.DURATION:
        return prim.duration.ToTimedelta()
    if desc.kind is Kind.DATETIME:
        moment = prim.datetime.ToDatetime(tzinfo=datetime.UTC)
        return moment.date() if desc.py is datetime.date else moment
    return getattr(prim, which)


def enum_to_literal(engine: Any, desc: EnumOf, value: Any) -> Literal:
    """The string primitive of an enum member (or of one of its values)."""
    try:
        return primitive_literal(string_value=to_plain(desc, value))
    except (TypeError, ValueError):
        raise value_error(desc, value, f"the values are {list(desc.values)}") from None


def enum_to_value(engine: Any, desc: EnumOf, literal: Literal) -> Any:
    """The enum member a string primitive names."""
    if literal.scalar.primitive.WhichOneof("value") != "string_value":
        raise literal_error(desc, literal)
    try:
        return desc.cls(literal.scalar.primitive.string_value)
    except ValueError:
        raise literal_error(
            desc, literal, f"{literal.scalar.primitive.string_value!r} is not a member"
        ) from None


def literal_of_to_literal(engine: Any, desc: LiteralOf, value: Any) -> Literal:
    """The primitive of one of a ``Literal``'s values."""
    try:
        checked = to_plain(desc, value)
    except (TypeError, ValueError):
        raise value_error(desc, value) from None
    return simple_to_literal(engine, Simple(desc.kind, type(checked)), checked)


def literal_of_to_value(engine: Any, desc: LiteralOf, literal: Literal) -> Any:
    """The ``Literal`` value a primitive holds (refused unless it is one of the values)."""
    value = simple_to_value(engine, Simple(desc.kind, type(desc.values[0])), literal)
    if value not in desc.values:
        raise literal_error(desc, literal, f"{value!r} is not one of the allowed values")
    return value
