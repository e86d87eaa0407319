"""Python values <-> flyteidl ``Literal``, walking a :mod:`compiler.types.desc` description.

The shapes are flytekit 1.16's (WIRE-FORMAT 17): scalars as primitives, ``date`` as a
midnight ``datetime``, lists as collections, ``Dict[str, V]`` as maps, unions as ``scalar.union``
with the chosen variant's literal type (carrying its structure tag), enums as their string
value, and dataclasses and untyped dicts as a msgpack ``Binary`` (tag ``"msgpack"``) of their
plain form (fields in declaration order, nested dataclasses as maps, enums as values, datetimes
as ISO strings). Reading also accepts the older ``generic`` Struct form.

Files, directories, structured datasets and schemas only carry a URI here; downloading and
uploading is the runtime's business (``compiler.runtime.blobs``).

Errors are :class:`~compiler.errors.TypeMappingError` with a CT7xx code naming the expected type
and the value's type; callers add the task and the input/output name with ``with_context``.
"""

from __future__ import annotations

import datetime
import os
import pickle
import tempfile
from collections.abc import Callable
from typing import Any

import msgpack
from flyteidl.core import literals_pb2, types_pb2
from google.protobuf import json_format

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
    PickleOf,
    SchemaOf,
    Simple,
    StructuredDatasetOf,
    TypeDesc,
    UnionOf,
    UntypedDict,
)
from compiler.types.files import FlyteDirectory, FlyteFile
from compiler.types.plain import (
    check_simple,
    from_plain,
    literal_error,
    literal_type_of,
    located,
    path_of,
    primitive_literal,
    range_note,
    scalar_literal,
    to_plain,
    type_name,
    untyped_to_plain,
    value_error,
    variant_candidates,
)
from compiler.types.tabular import FlyteSchema, StructuredDataset

__all__ = ["MSGPACK_TAG", "PICKLE_FORMAT", "literal_to_value", "type_name", "value_to_literal"]

MSGPACK_TAG = "msgpack"
PICKLE_FORMAT = "PythonPickle"

Literal = literals_pb2.Literal
_ToLiteral = Callable[[Any, Any, Any], Literal]
_ToValue = Callable[[Any, Any, Literal], Any]


# --- scalars -------------------------------------------------------------------------------------


def _simple_to_literal(engine: Any, desc: Simple, value: Any) -> Literal:
    try:
        check_simple(desc, value)
    except TypeError:
        raise value_error(desc, value, range_note(value).strip(" ()")) from None
    kind = desc.kind
    if kind is Kind.NONE:
        return scalar_literal(none_type=literals_pb2.Void())
    if kind is Kind.INTEGER:
        return primitive_literal(integer=value)
    if kind is Kind.FLOAT:
        return primitive_literal(float_value=float(value))
    if kind is Kind.STRING:
        return primitive_literal(string_value=value)
    if kind is Kind.BOOLEAN:
        return primitive_literal(boolean=value)
    if kind is Kind.DURATION:
        lit = primitive_literal()
        lit.scalar.primitive.duration.FromTimedelta(value)
        return lit
    if not isinstance(value, datetime.datetime):  # a date: midnight, as flytekit writes it
        value = datetime.datetime.combine(value, datetime.time.min)
    lit = primitive_literal()
    lit.scalar.primitive.datetime.FromDatetime(value)
    return lit


def _simple_to_value(engine: Any, desc: Simple, literal: Literal) -> Any:
    if desc.kind is Kind.NONE:
        if literal.scalar.HasField("none_type"):
            return None
        raise literal_error(desc, literal)
    if not literal.scalar.HasField("primitive"):
        raise literal_error(desc, literal)
    prim = literal.scalar.primitive
    which = prim.WhichOneof("value")
    expected = {
        Kind.INTEGER: ("integer", "float_value"),
        Kind.FLOAT: ("float_value", "integer"),
        Kind.STRING: ("string_value",),
        Kind.BOOLEAN: ("boolean",),
        Kind.DATETIME: ("datetime",),
        Kind.DURATION: ("duration",),
    }[desc.kind]
    if which not in expected:
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


def _enum_to_literal(engine: Any, desc: EnumOf, value: Any) -> Literal:
    try:
        return primitive_literal(string_value=to_plain(desc, value))
    except (TypeError, ValueError):
        raise value_error(desc, value, f"the values are {list(desc.values)}") from None


def _enum_to_value(engine: Any, desc: EnumOf, literal: Literal) -> Any:
    if literal.scalar.primitive.WhichOneof("value") != "string_value":
        raise literal_error(desc, literal)
    try:
        return desc.cls(literal.scalar.primitive.string_value)
    except ValueError:
        raise literal_error(
            desc, literal, f"{literal.scalar.primitive.string_value!r} is not a member"
        ) from None


def _literal_of_to_literal(engine: Any, desc: LiteralOf, value: Any) -> Literal:
    try:
        checked = to_plain(desc, value)
    except (TypeError, ValueError):
        raise value_error(desc, value) from None
    return _simple_to_literal(engine, Simple(desc.kind, type(checked)), checked)


def _literal_of_to_value(engine: Any, desc: LiteralOf, literal: Literal) -> Any:
    value = _simple_to_value(engine, Simple(desc.kind, type(desc.values[0])), literal)
    if value not in desc.values:
        raise literal_error(desc, literal, f"{value!r} is not one of the allowed values")
    return value


# --- containers ----------------------------------------------------------------------------------


def _list_to_literal(engine: Any, desc: ListOf, value: Any) -> Literal:
    if not isinstance(value, list | tuple):
        raise value_error(desc, value)
    items = [
        located(f"item {i}", value_to_literal, engine, desc.item, v) for i, v in enumerate(value)
    ]
    return Literal(collection=literals_pb2.LiteralCollection(literals=items))


def _list_to_value(engine: Any, desc: ListOf, literal: Literal) -> Any:
    if literal.WhichOneof("value") != "collection":
        raise literal_error(desc, literal)
    items = literal.collection.literals
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
    return scalar_literal(binary=literals_pb2.Binary(value=msgpack.packb(data), tag=MSGPACK_TAG))


def _plain_from_literal(desc: TypeDesc, literal: Literal) -> Any:
    """The plain (msgpack / JSON) form held by a binary or generic Struct literal."""
    which = literal.scalar.WhichOneof("value") if literal.HasField("scalar") else None
    if which == "binary":
        if literal.scalar.binary.tag != MSGPACK_TAG:
            raise literal_error(desc, literal, f"binary tag {literal.scalar.binary.tag!r}")
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
        variant_type = literal_type_of(engine, desc).union_type.variants[i]
        return scalar_literal(union=literals_pb2.Union(value=inner, type=variant_type))
    if first_error is not None:
        raise first_error
    raise value_error(desc, value, "it fits none of the variants")


def _union_to_value(engine: Any, desc: UnionOf, literal: Literal) -> Any:
    if literal.HasField("scalar") and literal.scalar.HasField("union"):
        inner = literal.scalar.union.value
        tag = literal.scalar.union.type.structure.tag
        variants = literal_type_of(engine, desc).union_type.variants
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


# --- files, datasets, pickles, custom ------------------------------------------------------------


def _blob_to_literal(engine: Any, desc: BlobOf, value: Any) -> Literal:
    wrong_kind = isinstance(value, FlyteFile if desc.multipart else FlyteDirectory)
    if wrong_kind or not isinstance(value, str | os.PathLike):
        raise value_error(desc, value)
    uri = path_of(value)
    dim = types_pb2.BlobType.MULTIPART if desc.multipart else types_pb2.BlobType.SINGLE
    blob_type = types_pb2.BlobType(format=desc.format, dimensionality=dim)
    meta = literals_pb2.BlobMetadata(type=blob_type)
    return scalar_literal(blob=literals_pb2.Blob(metadata=meta, uri=str(uri)))


def _blob_to_value(engine: Any, desc: BlobOf, literal: Literal) -> Any:
    if not literal.scalar.HasField("blob"):
        raise literal_error(desc, literal)
    return desc.py(literal.scalar.blob.uri)


def _dataset_to_literal(engine: Any, desc: StructuredDatasetOf, value: Any) -> Literal:
    if isinstance(value, StructuredDataset):
        uri = value.uri
    elif isinstance(value, str | os.PathLike):
        uri = os.fspath(value)
    else:
        raise value_error(desc, value)
    if not uri:
        raise value_error(desc, value, "it has no uri (in-memory dataframes need a plugin)")
    # flytekit writes the declared type (columns and format), not the value's file_format.
    sd_type = literal_type_of(engine, desc).structured_dataset_type
    meta = literals_pb2.StructuredDatasetMetadata(structured_dataset_type=sd_type)
    return scalar_literal(structured_dataset=literals_pb2.StructuredDataset(uri=uri, metadata=meta))


def _dataset_to_value(engine: Any, desc: StructuredDatasetOf, literal: Literal) -> Any:
    if not literal.scalar.HasField("structured_dataset"):
        raise literal_error(desc, literal)
    sd = literal.scalar.structured_dataset
    cls = desc.py or StructuredDataset
    return cls(
        uri=sd.uri, file_format=sd.metadata.structured_dataset_type.format, metadata=sd.metadata
    )


def _schema_to_literal(engine: Any, desc: SchemaOf, value: Any) -> Literal:
    if isinstance(value, FlyteSchema):
        uri = value.remote_path or value.local_path
    elif isinstance(value, str | os.PathLike):
        uri = os.fspath(value)
    else:
        raise value_error(desc, value)
    schema_type = literal_type_of(engine, desc).schema
    return scalar_literal(schema=literals_pb2.Schema(uri=uri or "", type=schema_type))


def _schema_to_value(engine: Any, desc: SchemaOf, literal: Literal) -> Any:
    if not literal.scalar.HasField("schema"):
        raise literal_error(desc, literal)
    cls = desc.py or FlyteSchema
    return cls(remote_path=literal.scalar.schema.uri)


def _pickle_to_literal(engine: Any, desc: PickleOf, value: Any) -> Literal:
    # A PickleOf description only exists when pickling was allowed (TypeEngine.describe).
    fd, path = tempfile.mkstemp(prefix="compile-tasks-", suffix=".pickle")
    with os.fdopen(fd, "wb") as out:
        pickle.dump(value, out)
    meta = literals_pb2.BlobMetadata(type=types_pb2.BlobType(format=PICKLE_FORMAT))
    return scalar_literal(blob=literals_pb2.Blob(metadata=meta, uri=path))


def _pickle_to_value(engine: Any, desc: PickleOf, literal: Literal) -> Any:
    blob = literal.scalar.blob
    if not literal.scalar.HasField("blob") or blob.metadata.type.format != PICKLE_FORMAT:
        raise literal_error(desc, literal)
    with open(blob.uri, "rb") as src:  # the runtime downloads remote blobs first
        return pickle.load(src)  # the user explicitly allowed pickles


def _custom_to_literal(engine: Any, desc: Custom, value: Any) -> Literal:
    return desc.transformer.to_literal(value, desc.py, engine)


def _custom_to_value(engine: Any, desc: Custom, literal: Literal) -> Any:
    return desc.transformer.to_python(literal, desc.py, engine)


_TO_LITERAL: dict[type, _ToLiteral] = {
    Simple: _simple_to_literal,
    EnumOf: _enum_to_literal,
    LiteralOf: _literal_of_to_literal,
    ListOf: _list_to_literal,
    DictOf: _dict_to_literal,
    UntypedDict: _untyped_dict_to_literal,
    DataclassOf: _dataclass_to_literal,
    UnionOf: _union_to_literal,
    BlobOf: _blob_to_literal,
    StructuredDatasetOf: _dataset_to_literal,
    SchemaOf: _schema_to_literal,
    PickleOf: _pickle_to_literal,
    Custom: _custom_to_literal,
}

_TO_VALUE: dict[type, _ToValue] = {
    Simple: _simple_to_value,
    EnumOf: _enum_to_value,
    LiteralOf: _literal_of_to_value,
    ListOf: _list_to_value,
    DictOf: _dict_to_value,
    UntypedDict: _untyped_dict_to_value,
    DataclassOf: _dataclass_to_value,
    UnionOf: _union_to_value,
    BlobOf: _blob_to_value,
    StructuredDatasetOf: _dataset_to_value,
    SchemaOf: _schema_to_value,
    PickleOf: _pickle_to_value,
    Custom: _custom_to_value,
}


def value_to_literal(engine: Any, desc: TypeDesc, value: Any) -> Literal:
    """Convert a Python value to the literal flytekit 1.16 writes for ``desc``.

    Args:
        engine: The type engine (gives union variant types and literal types).
        desc: The normalised type of the value.
        value: The Python value.

    Raises:
        TypeMappingError: CT701 when the value does not fit the type.
    """
    if isinstance(desc, Annotated):
        desc = desc.inner
    try:
        return _TO_LITERAL[type(desc)](engine, desc, value)
    except (ValueError, OverflowError) as exc:  # protobuf's own checks (UTF-8, ranges)
        raise value_error(desc, value, str(exc)) from None


def literal_to_value(engine: Any, desc: TypeDesc, literal: Literal) -> Any:
    """Convert a literal back to a Python value of type ``desc``.

    Raises:
        TypeMappingError: CT702 when the literal does not hold a value of that type.
    """
    if isinstance(desc, Annotated):
        desc = desc.inner
    try:
        return _TO_VALUE[type(desc)](engine, desc, literal)
    except (ValueError, OverflowError, KeyError) as exc:  # out-of-range times, bad payloads
        raise literal_error(desc, literal, str(exc)) from None
