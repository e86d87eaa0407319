"""Python values <-> flyteidl ``Literal``, walking a :mod:`compiler.types.desc` description.

The shapes are flytekit 1.16's (WIRE-FORMAT 17): scalars as primitives (see
:mod:`compiler.types.scalar_values`), lists as collections, ``Dict[str, V]`` as maps, unions as
``scalar.union`` with the chosen variant's literal type (carrying its structure tag), and
dataclasses and untyped dicts as a msgpack ``Binary`` (tag ``"msgpack"``) of their plain form
(:mod:`compiler.types.plain`). Reading also accepts the older ``generic`` Struct form. Files,
directories, datasets, schemas and pickles only carry a URI
(:mod:`compiler.types.blob_values`).

Each direction dispatches on the description's class through one table (``to_literal`` and
``to_python``), whose rows are the functions below and those of the two modules above.

Errors are :class:`~compiler.errors.TypeMappingError` with a CT7xx code naming the expected type
and the value's type; callers add the task and the input/output name with ``with_context``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flyteidl.core import literals_pb2
from google.protobuf import json_format

from compiler.errors import TypeMappingError
from compiler.types.blob_values import (
    blob_to_literal,
    blob_to_value,
    pickle_to_literal,
    pickle_to_value,
    schema_to_literal,
    schema_to_value,
)
from compiler.types.desc import (
    Annotated,
    BlobOf,
    Custom,
    DataclassOf,
    DictOf,
    EnumOf,
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
from compiler.types.file_access import TransformerContext
from compiler.types.iterators import FlyteIterator
from compiler.types.models import model_from_plain, model_to_plain
from compiler.types.plain import from_plain, to_plain, untyped_to_plain
from compiler.types.scalar_values import (
    enum_to_literal,
    enum_to_value,
    literal_of_to_literal,
    literal_of_to_value,
    simple_to_literal,
    simple_to_value,
)
from compiler.types.value_checks import (
    is_iterable_value,
    literal_error,
    located,
    scalar_literal,
    type_name,
    value_error,
    variant_candidates,
)

__all__ = ["MSGPACK_TAG", "literal_to_value", "value_to_literal"]

MSGPACK_TAG = "msgpack"

Literal = literals_pb2.Literal
_ToLiteral = Callable[[Any, Any, Any], Literal]
_ToValue = Callable[[Any, Any, Literal], Any]


# --- containers ----------------------------------------------------------------------------------


def _list_to_literal(engine: Any, desc: ListOf, value: Any) -> Literal:
    if desc.iterator and is_iterable_value(value):
        value = list(value)  # any iterable (a generator, say), consumed once, as flytekit
    elif not isinstance(value, list | tuple):
        raise value_error(desc, value)
    items = [
        located(f"item {i}", value_to_literal, engine, desc.item, v) for i, v in enumerate(value)
    ]
    return Literal(collection=literals_pb2.LiteralCollection(literals=items))


def _list_to_value(engine: Any, desc: ListOf, literal: Literal) -> Any:
    if literal.WhichOneof("value") != "collection":
        raise literal_error(desc, literal)
    items = literal.collection.literals
    if desc.iterator:  # items are converted as they are asked for, as flytekit's FlyteIterator
        return FlyteIterator(engine, desc.item, items)
    return [
        located(f"item {i}", literal_to_value, engine, desc.item, v) for i, v in enumerate(items)
    ]


def _dict_to_literal(engine: Any, desc: DictOf, value: Any) -> Literal:
    if not isinstance(value, dict):
        raise value_error(desc, value)
    lit = Literal(map=literals_pb2.LiteralMap())
    for key, item in value.items():
        if not isinstance(key, str):
            raise value_error(desc, value, f"key {key!r} is not a str")
        lit.map.literals[key].CopyFrom(
            located(f"key {key!r}", value_to_literal, engine, desc.value, item)
        )
    return lit


def _dict_to_value(engine: Any, desc: DictOf, literal: Literal) -> Any:
    if literal.WhichOneof("value") != "map":
        raise literal_error(desc, literal)
    items = literal.map.literals
    return {
        k: located(f"key {k!r}", literal_to_value, engine, desc.value, items[k])
        for k in sorted(items)
    }


def _msgpack_literal(data: Any) -> Literal:
    import msgpack  # loaded by the first dataclass or dict value, not by every scalar

    return scalar_literal(binary=literals_pb2.Binary(value=msgpack.packb(data), tag=MSGPACK_TAG))


def _plain_from_literal(desc: TypeDesc, literal: Literal) -> Any:
    """The plain (msgpack / JSON) form held by a binary or generic Struct literal."""
    which = literal.scalar.WhichOneof("value") if literal.HasField("scalar") else None
    if which == "binary":
        if literal.scalar.binary.tag != MSGPACK_TAG:
            raise literal_error(desc, literal, f"binary tag {literal.scalar.binary.tag!r}")
        import msgpack

        try:
            return msgpack.unpackb(literal.scalar.binary.value, strict_map_key=False)
        except (ValueError, msgpack.UnpackException) as exc:
            raise literal_error(desc, literal, f"bad msgpack payload ({exc})") from None
    if which == "generic":
        return json_format.MessageToDict(literal.scalar.generic)
    raise literal_error(desc, literal)


def _untyped_dict_to_literal(engine: Any, desc: UntypedDict, value: Any) -> Literal:
    if not isinstance(value, dict):
        raise value_error(desc, value)
    try:
        return _msgpack_literal(untyped_to_plain(value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise value_error(desc, value, str(exc)) from None


def _untyped_dict_to_value(engine: Any, desc: UntypedDict, literal: Literal) -> Any:
    data = _plain_from_literal(desc, literal)
    if not isinstance(data, dict):
        raise literal_error(desc, literal, f"payload is a {type(data).__name__}")
    return data


def _dataclass_to_literal(engine: Any, desc: DataclassOf, value: Any) -> Literal:
    if not isinstance(value, desc.cls):
        raise value_error(desc, value)
    try:
        return _msgpack_literal(to_plain(desc, value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise TypeMappingError(
            f"{type_name(desc)} value: {exc}",
            code="CT701",
            hint="give every field a value of its type",
        ) from None


def _dataclass_to_value(engine: Any, desc: DataclassOf, literal: Literal) -> Any:
    data = _plain_from_literal(desc, literal)
    try:
        return from_plain(desc, data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise literal_error(desc, literal, f"{type(exc).__name__}: {exc}") from None


def _model_to_literal(engine: Any, desc: ModelOf, value: Any) -> Literal:
    if not isinstance(value, desc.cls):
        raise value_error(desc, value)
    try:
        return _msgpack_literal(model_to_plain(desc, value))
    except (TypeError, ValueError) as exc:  # pydantic's serialisation errors are ValueErrors
        raise value_error(desc, value, str(exc)) from None


def _model_to_value(engine: Any, desc: ModelOf, literal: Literal) -> Any:
    return model_from_plain(desc, _plain_from_literal(desc, literal))


# --- unions --------------------------------------------------------------------------------------


def _union_to_literal(engine: Any, desc: UnionOf, value: Any) -> Literal:
    likely = variant_candidates(desc, value)
    order = likely + [i for i in range(len(desc.variants)) if i not in likely]
    first_error: TypeMappingError | None = None
    for i in order:
        try:
            inner = value_to_literal(engine, desc.variants[i], value)
        except TypeMappingError as exc:
            first_error = first_error or (exc if i in likely else None)
            continue
        variant_type = engine.literal_type_of(desc).union_type.variants[i]
        return scalar_literal(union=literals_pb2.Union(value=inner, type=variant_type))
    if first_error is not None:
        raise first_error
    raise value_error(desc, value, "it fits none of the variants")


def _union_to_value(engine: Any, desc: UnionOf, literal: Literal) -> Any:
    if literal.HasField("scalar") and literal.scalar.HasField("union"):
        inner = literal.scalar.union.value
        tag = literal.scalar.union.type.structure.tag
        variants = engine.literal_type_of(desc).union_type.variants
        candidates = [
            i for i in range(len(desc.variants)) if not tag or variants[i].structure.tag == tag
        ]
    else:  # a plain literal for a union input (flytekit accepts it too)
        inner = literal
        candidates = list(range(len(desc.variants)))
    for i in candidates:
        try:
            return literal_to_value(engine, desc.variants[i], inner)
        except TypeMappingError:
            continue
    raise literal_error(desc, literal, "it fits none of the variants")


# --- transformers ---------------------------------------------------------------------------------


def _custom_to_literal(engine: Any, desc: Custom, value: Any) -> Literal:
    transformer = desc.transformer
    if not transformer.flytekit_shaped:
        return transformer.to_literal(value, desc.py, engine)
    if getattr(transformer, "type_assertions_enabled", True):
        try:
            transformer.assert_type(desc.py, value)
        except TypeError as exc:
            raise value_error(desc, value, str(exc)) from None
    expected = engine.literal_type_of(desc)
    made = _call_user(desc, "to_literal", TransformerContext(), value, desc.py, expected)
    if not isinstance(made, Literal):
        raise _transformer_error(desc, "to_literal", f"returned {type(made).__name__}")
    return made


def _custom_to_value(engine: Any, desc: Custom, literal: Literal) -> Any:
    transformer = desc.transformer
    if not transformer.flytekit_shaped:
        return transformer.to_python(literal, desc.py, engine)
    return _call_user(desc, "to_python_value", TransformerContext(), literal, desc.py)


def _call_user(desc: Custom, method: str, *args: Any) -> Any:
    """A flytekit-shaped transformer's method; its own error is chained (its frame is kept)."""
    try:
        return getattr(desc.transformer, method)(*args)
    except TypeMappingError:
        raise
    except Exception as exc:
        raise _transformer_error(desc, method, f"raised {type(exc).__name__}: {exc}") from exc


def _transformer_error(desc: Custom, method: str, what: str) -> TypeMappingError:
    transformer = desc.transformer
    label = transformer.name or type(transformer).__name__
    return TypeMappingError(
        f"transformer {label!r}.{method} for {type_name(desc)} {what}",
        code="CT228",
        hint=f"fix {type(transformer).__qualname__}.{method} (the traceback above shows where); "
        "to_literal must return a compiler.models.literals.Literal",
    )


def _dataset_to_literal(engine: Any, desc: StructuredDatasetOf, value: Any) -> Any:
    """``dataset_values.dataset_to_literal``, loaded by the first dataset value: the converters
    of the other types load without the dataframe machinery (``compiler.types.structured``)."""
    from compiler.types.dataset_values import dataset_to_literal

    return dataset_to_literal(engine, desc, value)


def _dataset_to_value(engine: Any, desc: StructuredDatasetOf, literal: Any) -> Any:
    """``dataset_values.dataset_to_value``, loaded by the first dataset literal."""
    from compiler.types.dataset_values import dataset_to_value

    return dataset_to_value(engine, desc, literal)


_TO_LITERAL: DescTable[_ToLiteral] = DescTable(
    "to_literal",
    {
        Simple: simple_to_literal,
        ListOf: _list_to_literal,
        DictOf: _dict_to_literal,
        UntypedDict: _untyped_dict_to_literal,
        UnionOf: _union_to_literal,
        EnumOf: enum_to_literal,
        LiteralOf: literal_of_to_literal,
        DataclassOf: _dataclass_to_literal,
        ModelOf: _model_to_literal,
        BlobOf: blob_to_literal,
        StructuredDatasetOf: _dataset_to_literal,
        SchemaOf: schema_to_literal,
        PickleOf: pickle_to_literal,
        Custom: _custom_to_literal,
        # Values ignore a FlyteAnnotation: the inner type's converter, with its own errors.
        Annotated: lambda engine, desc, value: value_to_literal(engine, desc.inner, value),
    },
)

_TO_VALUE: DescTable[_ToValue] = DescTable(
    "to_python",
    {
        Simple: simple_to_value,
        ListOf: _list_to_value,
        DictOf: _dict_to_value,
        UntypedDict: _untyped_dict_to_value,
        UnionOf: _union_to_value,
        EnumOf: enum_to_value,
        LiteralOf: literal_of_to_value,
        DataclassOf: _dataclass_to_value,
        ModelOf: _model_to_value,
        BlobOf: blob_to_value,
        StructuredDatasetOf: _dataset_to_value,
        SchemaOf: schema_to_value,
        PickleOf: pickle_to_value,
        Custom: _custom_to_value,
        Annotated: lambda engine, desc, literal: literal_to_value(engine, desc.inner, literal),
    },
)


def value_to_literal(engine: Any, desc: TypeDesc, value: Any) -> Literal:
    """Convert a Python value to the literal flytekit 1.16 writes for ``desc``.

    Args:
        engine: The type engine (gives union variant types and literal types).
        desc: The normalised type of the value.
        value: The Python value.

    Raises:
        TypeMappingError: CT701 when the value does not fit the type.
    """
    try:
        return _TO_LITERAL[type(desc)](engine, desc, value)
    except (ValueError, OverflowError) as exc:  # protobuf's own checks (UTF-8, ranges)
        raise value_error(desc, value, str(exc)) from None


def literal_to_value(engine: Any, desc: TypeDesc, literal: Literal) -> Any:
    """Convert a literal back to a Python value of type ``desc``.

    Raises:
        TypeMappingError: CT702 when the literal does not hold a value of that type.
    """
    try:
        return _TO_VALUE[type(desc)](engine, desc, literal)
    except (ValueError, OverflowError, KeyError) as exc:  # out-of-range times, bad payloads
        raise literal_error(desc, literal, str(exc)) from None
