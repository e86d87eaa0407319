"""What value conversion shares: readable type names, value checks and the CT701/CT702 errors.

Used by the plain form (:mod:`compiler.types.plain`) and by the value converters
(:mod:`compiler.types.values` and the modules it dispatches to). Type names and the union
shape test dispatch on the description's class through a :class:`~compiler.types.dispatch.
DescTable` each.
"""

from __future__ import annotations

import collections.abc
import datetime
import os
from collections.abc import Callable
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import TypeMappingError
from compiler.types.desc import (
    Annotated,
    BlobOf,
    Custom,
    DataclassOf,
    DictOf,
    EnumOf,
    Kind,
    ListOf,
    LiteralOf,
    ModelOf,
    PickleOf,
    SchemaOf,
    Simple,
    StructuredDatasetOf,
    TypeDesc,
    UnionOf,
    UntypedDict,
)
from compiler.types.dispatch import DescTable
from compiler.types.files import FlyteDirectory, FlyteFile
from compiler.types.frames import is_dataframe_type
from compiler.types.tabular import FlyteSchema, StructuredDataset

__all__ = [
    "check_simple",
    "describe_literal",
    "is_iterable_value",
    "literal_error",
    "located",
    "mismatch",
    "path_of",
    "primitive_literal",
    "range_note",
    "scalar_literal",
    "type_name",
    "value_error",
    "variant_candidates",
]

Literal = literals_pb2.Literal


# --- errors --------------------------------------------------------------------------------------


def value_error(desc: TypeDesc, value: Any, why: str = "") -> TypeMappingError:
    """CT701: ``value`` is not a value of type ``desc`` (``why`` says more when given)."""
    extra = f": {why}" if why else ""
    return TypeMappingError(
        f"expected a value of type {type_name(desc)}, got {type(value).__name__} {value!r:.80}"
        + extra,
        code="CT701",
        hint="pass a value of the declared type",
    )


def literal_error(desc: TypeDesc, literal: Literal, why: str = "") -> TypeMappingError:
    """CT702: ``literal`` does not hold a value of type ``desc``."""
    extra = f": {why}" if why else ""
    return TypeMappingError(
        f"expected a literal of type {type_name(desc)}, got {describe_literal(literal)}" + extra,
        code="CT702",
        hint="the literal was written for a different interface; recompile and re-register",
    )


def describe_literal(literal: Literal) -> str:
    """A short name of what a literal holds (``primitive integer``, ``collection``, ...)."""
    kind = literal.WhichOneof("value")
    if kind != "scalar":
        return kind or "an empty literal"
    scalar_kind = literal.scalar.WhichOneof("value")
    if scalar_kind == "primitive":
        return f"primitive {literal.scalar.primitive.WhichOneof('value')}"
    return scalar_kind or "an empty scalar"


def located(where: str, convert: Callable[..., Any], *args: Any) -> Any:
    """``convert(*args)``, naming ``where`` (``item 3``, ``key 'a'``) in a conversion error."""
    try:
        return convert(*args)
    except TypeMappingError as err:
        err.message = f"{where}: {err.message}"
        raise


def scalar_literal(**kw: Any) -> Literal:
    """A literal holding ``Scalar(**kw)``."""
    return Literal(scalar=literals_pb2.Scalar(**kw))


def primitive_literal(**kw: Any) -> Literal:
    """A literal holding ``Primitive(**kw)``."""
    return scalar_literal(primitive=literals_pb2.Primitive(**kw))


# --- names ---------------------------------------------------------------------------------------


def type_name(desc: TypeDesc) -> str:
    """A readable name of a described type: ``List[int]``, ``Optional[Endpoint]``, ..."""
    return _TYPE_NAMES[type(desc)](desc)


def _union_name(desc: UnionOf) -> str:
    names = [type_name(v) for v in desc.variants]
    if len(names) == 2 and "None" in names:
        return f"Optional[{next(n for n in names if n != 'None')}]"
    return f"Union[{', '.join(names)}]"


def _class_name(py: Any) -> str:
    py = py or None  # a falsy hint reads as None
    return getattr(py, "__name__", str(py))


_TYPE_NAMES: DescTable[Callable[[Any], str]] = DescTable(
    "type_name",
    {
        Simple: lambda desc: "None" if desc.kind is Kind.NONE else desc.py.__name__,
        ListOf: lambda desc: f"{'Iterator' if desc.iterator else 'List'}[{type_name(desc.item)}]",
        DictOf: lambda desc: f"Dict[str, {type_name(desc.value)}]",
        UntypedDict: lambda desc: "dict",
        UnionOf: _union_name,
        EnumOf: lambda desc: _class_name(desc.cls),
        LiteralOf: lambda desc: f"Literal[{', '.join(repr(v) for v in desc.values)}]",
        DataclassOf: lambda desc: _class_name(desc.cls),
        ModelOf: lambda desc: _class_name(desc.cls),
        BlobOf: lambda desc: _class_name(desc.py),
        StructuredDatasetOf: lambda desc: getattr(desc.py, "__name__", "StructuredDataset"),
        SchemaOf: lambda desc: "FlyteSchema",
        PickleOf: lambda desc: _class_name(desc.py),
        Custom: lambda desc: _class_name(desc.py),
        Annotated: lambda desc: type_name(desc.inner),
    },
)


# --- value checks --------------------------------------------------------------------------------

_INT64 = -(2**63)  # a Flyte integer is a signed 64-bit integer
_MAX_DURATION_S = 315_576_000_000  # google.protobuf.Duration: about +-10,000 years


def _is_int64(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and _INT64 <= value < -_INT64


_SIMPLE_CHECKS: dict[Kind, Callable[[Simple, Any], bool]] = {
    Kind.NONE: lambda desc, value: value is None,
    Kind.INTEGER: lambda desc, value: _is_int64(value),
    Kind.FLOAT: lambda desc, value: isinstance(value, int | float) and not isinstance(value, bool),
    Kind.STRING: lambda desc, value: isinstance(value, str),
    Kind.BOOLEAN: lambda desc, value: isinstance(value, bool),
    Kind.DURATION: lambda desc, value: (
        isinstance(value, datetime.timedelta) and abs(value.total_seconds()) <= _MAX_DURATION_S
    ),
    Kind.DATETIME: lambda desc, value: isinstance(value, desc.py),
}


def check_simple(desc: Simple, value: Any) -> None:
    """Raise ``TypeError`` unless ``value`` is a value of the simple type (bools are not ints)."""
    if not _SIMPLE_CHECKS[desc.kind](desc, value):
        raise TypeError(mismatch(desc, value))


def mismatch(desc: TypeDesc, value: Any) -> str:
    """The text of a ``TypeError`` saying ``value`` is not of type ``desc``."""
    text = f"expected {type_name(desc)}, got {type(value).__name__} {value!r:.60}"
    return text + (range_note(value) if isinstance(desc, Simple) else "")


def range_note(value: Any) -> str:
    """`` (outside the 64-bit integer range)`` for such an int, else ``""``."""
    if isinstance(value, int) and not isinstance(value, bool) and not _is_int64(value):
        return " (outside the 64-bit integer range)"
    return ""


def path_of(value: Any) -> str:
    """The path a file or directory value is written with.

    Raises:
        TypeError: The value is not a path.
    """
    if isinstance(value, FlyteFile | FlyteDirectory):
        return value.path  # a local path is uploaded by the runtime (remote_path is not used)
    if isinstance(value, str | os.PathLike):
        return os.fspath(value)
    raise TypeError("not a path")


# --- union variants ------------------------------------------------------------------------------


def variant_candidates(desc: UnionOf, value: Any) -> list[int]:
    """Indexes of the variants whose Python class matches the value, in declared order."""
    return [i for i, variant in enumerate(desc.variants) if _fits_shape(variant, value)]


def is_iterable_value(value: Any) -> bool:
    """A value an ``Iterator[T]`` accepts: an iterator, generator, list or tuple (not a str,
    bytes or mapping, which iterate over characters or keys)."""
    return isinstance(value, collections.abc.Iterable) and not isinstance(
        value, str | bytes | collections.abc.Mapping
    )


def _fits_shape(desc: TypeDesc, value: Any) -> bool:
    """Whether ``value`` has the Python class a variant is written from (no conversion)."""
    return _SHAPES[type(desc)](desc, value)


def _never(desc: Any, value: Any) -> bool:
    return False


_SHAPES: DescTable[Callable[[Any, Any], bool]] = DescTable(
    "union_shape",
    {
        Simple: lambda d, v: v is None if d.kind is Kind.NONE else type(v) is d.py,
        ListOf: lambda d, v: isinstance(v, list | tuple) or (d.iterator and is_iterable_value(v)),
        DictOf: lambda d, v: isinstance(v, dict),
        UntypedDict: lambda d, v: isinstance(v, dict),
        UnionOf: _never,  # tried in declared order after the variants that fit
        EnumOf: lambda d, v: isinstance(v, d.cls),
        LiteralOf: lambda d, v: v in d.values and type(v) is type(d.values[0]),
        DataclassOf: lambda d, v: isinstance(v, d.cls),
        ModelOf: lambda d, v: isinstance(v, d.cls),
        BlobOf: lambda d, v: isinstance(v, FlyteDirectory if d.multipart else FlyteFile),
        StructuredDatasetOf: lambda d, v: (
            isinstance(v, StructuredDataset) or is_dataframe_type(type(v))
        ),
        SchemaOf: lambda d, v: isinstance(v, FlyteSchema),
        PickleOf: lambda d, v: isinstance(d.py, type) and isinstance(v, d.py),
        Custom: _never,  # tried in declared order after the variants that fit
        Annotated: lambda d, v: _fits_shape(d.inner, v),
    },
)
