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

import dataclasses
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
from compiler.types.tabular import FlyteSchema, StructuredDataset

__all__ = ["MSGPACK_TAG", "PICKLE_FORMAT", "literal_to_value", "type_name", "value_to_literal"]

MSGPACK_TAG = "msgpack"
PICKLE_FORMAT = "PythonPickle"

Literal = literals_pb2.Literal
_ToLiteral = Callable[[Any, Any, Any], Literal]
_ToValue = Callable[[Any, Any, Literal], Any]


def _value_error(desc: TypeDesc, value: Any, why: str = "") -> TypeMappingError:
    extra = f": {why}" if why else ""
    return TypeMappingError(
        f"expected a value of type {type_name(desc)}, got {type(value).__name__} {value!r:.80}"
        + extra,
        code="CT701",
        hint="pass a value of the declared type",
    )


def _literal_error(desc: TypeDesc, literal: Literal, why: str = "") -> TypeMappingError:
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


def _at(where: str, convert: Callable[..., Any], *args: Any) -> Any:
    """``convert(*args)``, naming ``where`` (``item 3``, ``key 'a'``) in a conversion error."""
    try:
        return convert(*args)
    except TypeMappingError as err:
        err.message = f"{where}: {err.message}"
        raise


def _scalar(**kw: Any) -> Literal:
    return Literal(scalar=literals_pb2.Scalar(**kw))


def _primitive(**kw: Any) -> Literal:
    return _scalar(primitive=literals_pb2.Primitive(**kw))


# --- names and the plain (msgpack / JSON) form ---------------------------------------------------


def _literal_type(engine: Any, desc: TypeDesc) -> types_pb2.LiteralType:
    """The literal type the engine gives ``desc`` (union variants carry their tags)."""
    return engine.literal_type_of(desc)


def type_name(desc: TypeDesc) -> str:
    """A readable name of a described type: ``List[int]``, ``Optional[Endpoint]``, ..."""
    if isinstance(desc, Annotated):
        return type_name(desc.inner)
    if isinstance(desc, Simple):
        return "None" if desc.kind is Kind.NONE else desc.py.__name__
    if isinstance(desc, ListOf):
        return f"List[{type_name(desc.item)}]"
    if isinstance(desc, DictOf):
        return f"Dict[str, {type_name(desc.value)}]"
    if isinstance(desc, UnionOf):
        names = [type_name(v) for v in desc.variants]
        if len(names) == 2 and "None" in names:
            return f"Optional[{next(n for n in names if n != 'None')}]"
        return f"Union[{', '.join(names)}]"
    if isinstance(desc, LiteralOf):
        return f"Literal[{', '.join(repr(v) for v in desc.values)}]"
    if isinstance(desc, UntypedDict):
        return "dict"
    if isinstance(desc, StructuredDatasetOf):
        return "StructuredDataset"
    if isinstance(desc, SchemaOf):
        return "FlyteSchema"
    py = getattr(desc, "cls", None) or getattr(desc, "py", None)
    return getattr(py, "__name__", str(py))


_INT64 = -(2**63)  # a Flyte integer is a signed 64-bit integer
_MAX_DURATION_S = 315_576_000_000  # google.protobuf.Duration: about +-10,000 years


def check_simple(desc: Simple, value: Any) -> None:
    """Raise ``TypeError`` unless ``value`` is a value of the simple type (bools are not ints)."""
    kind = desc.kind
    ok = {
        Kind.NONE: value is None,
        Kind.INTEGER: isinstance(value, int)
        and not isinstance(value, bool)
        and _INT64 <= value < -_INT64,
        Kind.FLOAT: isinstance(value, int | float) and not isinstance(value, bool),
        Kind.STRING: isinstance(value, str),
        Kind.BOOLEAN: isinstance(value, bool),
        Kind.DURATION: isinstance(value, datetime.timedelta)
        and abs(value.total_seconds()) <= _MAX_DURATION_S,
        Kind.DATETIME: isinstance(value, desc.py),
    }[kind]
    if not ok:
        raise TypeError(_mismatch(desc, value))


def _mismatch(desc: TypeDesc, value: Any) -> str:
    text = f"expected {type_name(desc)}, got {type(value).__name__} {value!r:.60}"
    return text + (_range_note(value) if isinstance(desc, Simple) else "")


def _is_int64(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and _INT64 <= value < -_INT64


def _range_note(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and not _is_int64(value):
        return " (outside the 64-bit integer range)"
    return ""


def _path_of(value: Any) -> str:
    if isinstance(value, FlyteFile | FlyteDirectory):
        return value.path  # a local path is uploaded by the runtime (remote_path is not used)
    if isinstance(value, str | os.PathLike):
        return os.fspath(value)
    raise TypeError("not a path")


def to_plain(desc: TypeDesc, value: Any) -> Any:
    """The msgpack-ready form of ``value`` as mashumaro writes it inside a dataclass.

    Raises:
        TypeError: The value does not fit the type.
    """
    if isinstance(desc, Annotated):
        desc = desc.inner
    if isinstance(desc, Simple):
        check_simple(desc, value)
        if desc.kind is Kind.DATETIME:
            return value.isoformat()
        return value.total_seconds() if desc.kind is Kind.DURATION else value
    if isinstance(desc, EnumOf):
        if isinstance(value, desc.cls):
            return value.value
        if isinstance(value, str) and value in desc.values:
            return value
        raise TypeError(_mismatch(desc, value))
    if isinstance(desc, LiteralOf):
        if value in desc.values and type(value) is type(desc.values[0]):
            return value
        raise TypeError(_mismatch(desc, value))
    if isinstance(desc, ListOf) and isinstance(value, list | tuple):
        return [_part_to_plain(f"item {i}", desc.item, v) for i, v in enumerate(value)]
    if isinstance(desc, DictOf) and isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("dict keys must be str")
        return {k: _part_to_plain(f"key {k!r}", desc.value, v) for k, v in value.items()}
    if isinstance(desc, UntypedDict) and isinstance(value, dict):
        return untyped_to_plain(value)
    if isinstance(desc, DataclassOf) and isinstance(value, desc.cls):
        return {
            f.name: _part_to_plain(f"field {f.name!r}", f.desc, getattr(value, f.name))
            for f in desc.fields
        }
    if isinstance(desc, UnionOf):
        return _union_to_plain(desc, value)
    if isinstance(desc, BlobOf):
        return {"path": _path_of(value)}
    if isinstance(desc, StructuredDatasetOf) and isinstance(value, StructuredDataset):
        return {"uri": value.uri, "file_format": value.file_format or desc.format}
    if isinstance(desc, PickleOf) and isinstance(value, bytes):
        return value
    raise TypeError(_mismatch(desc, value))


def _part_to_plain(where: str, desc: TypeDesc, value: Any) -> Any:
    try:
        return to_plain(desc, value)
    except TypeError as exc:
        raise TypeError(f"{where}: {exc}") from None


def _union_to_plain(desc: UnionOf, value: Any) -> Any:
    likely = _variant_candidates(desc, value)
    for i in likely + [i for i in range(len(desc.variants)) if i not in likely]:
        try:
            return to_plain(desc.variants[i], value)
        except TypeError:
            continue
    raise TypeError(_mismatch(desc, value))


def untyped_to_plain(value: Any) -> Any:
    """Check that ``value`` is msgpack data (dicts, lists, str, numbers, bool, None, bytes)."""
    if isinstance(value, dict):
        return {untyped_to_plain(k): untyped_to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [untyped_to_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    raise TypeError(f"{type(value).__name__} cannot go into an untyped dict")


def from_plain(desc: TypeDesc, data: Any, strict: bool = False) -> Any:
    """The Python value of plain (msgpack or JSON) ``data`` for type ``desc``.

    ``strict`` refuses the loose readings (an integral float as an int, a number as a float),
    so a union picks the variant the data was written with.

    Raises:
        TypeError, ValueError: The data does not fit the type.
    """
    if isinstance(desc, Annotated):
        desc = desc.inner
    if isinstance(desc, Simple):
        return _simple_from_plain(desc, data, strict)
    if isinstance(desc, EnumOf):
        return desc.cls(data)
    if isinstance(desc, LiteralOf):
        if data in desc.values:
            return desc.values[desc.values.index(data)]
        raise ValueError(f"{data!r} is not one of {list(desc.values)}")
    if isinstance(desc, ListOf) and isinstance(data, list):
        return [from_plain(desc.item, item, strict) for item in data]
    if isinstance(desc, DictOf | UntypedDict) and isinstance(data, dict):
        if isinstance(desc, UntypedDict):
            return data
        return {key: from_plain(desc.value, item, strict) for key, item in data.items()}
    if isinstance(desc, DataclassOf) and isinstance(data, dict):
        return _dataclass_from_plain(desc, data, strict)
    if isinstance(desc, UnionOf):
        return _union_from_plain(desc, data)
    if isinstance(desc, BlobOf):
        return desc.py(data["path"] if isinstance(data, dict) else data)
    if isinstance(desc, StructuredDatasetOf) and isinstance(data, dict):
        cls = desc.py or StructuredDataset
        return cls(uri=data.get("uri"), file_format=data.get("file_format") or "")
    if isinstance(desc, PickleOf) and isinstance(data, bytes):
        return data
    raise TypeError(f"{type(data).__name__} data is not a {type_name(desc)}")


def _simple_from_plain(desc: Simple, data: Any, strict: bool) -> Any:
    kind = desc.kind
    if kind is Kind.DATETIME and isinstance(data, str):
        moment = datetime.datetime.fromisoformat(data)
        return moment.date() if desc.py is datetime.date else moment
    if kind is Kind.DURATION and isinstance(data, int | float) and not isinstance(data, bool):
        return datetime.timedelta(seconds=data)
    if not strict and isinstance(data, float) and kind is Kind.INTEGER and data.is_integer():
        return int(data)  # the old Struct form stores every number as a double
    if kind is Kind.FLOAT and type(data) is int:
        if strict:  # in a union, an int belongs to an int variant
            raise TypeError(f"int data is not a {type_name(desc)}")
        return float(data)
    if kind in (Kind.DATETIME, Kind.DURATION):
        raise TypeError(f"{type(data).__name__} data is not a {type_name(desc)}")
    check_simple(desc, data)
    return data


def _dataclass_from_plain(desc: DataclassOf, data: dict[str, Any], strict: bool) -> Any:
    init_names = {f.name for f in dataclasses.fields(desc.cls) if f.init}
    kwargs, later = {}, {}
    for field_desc in desc.fields:
        if field_desc.name not in data:
            continue
        value = from_plain(field_desc.desc, data[field_desc.name], strict)
        (kwargs if field_desc.name in init_names else later)[field_desc.name] = value
    missing = [f.name for f in desc.fields if f.required and f.name not in data]
    if missing:
        raise TypeError(f"{desc.cls.__name__} data lacks field(s) {', '.join(missing)}")
    instance = desc.cls(**kwargs)
    for name, value in later.items():
        object.__setattr__(instance, name, value)
    return instance


def _union_from_plain(desc: UnionOf, data: Any) -> Any:
    for strict in (True, False):
        for variant in desc.variants:
            try:
                return from_plain(variant, data, strict)
            except (TypeError, ValueError, KeyError):
                continue
    raise TypeError(f"{type(data).__name__} data fits no variant of {type_name(desc)}")


def _fits_shape(desc: TypeDesc, value: Any) -> bool:
    """Whether ``value`` has the Python class a variant is written from (no conversion)."""
    if isinstance(desc, Annotated):
        desc = desc.inner
    if isinstance(desc, Simple):
        return value is None if desc.kind is Kind.NONE else type(value) is desc.py
    shapes: dict[type, Any] = {
        EnumOf: lambda d: isinstance(value, d.cls),
        LiteralOf: lambda d: value in d.values and type(value) is type(d.values[0]),
        ListOf: lambda d: isinstance(value, list | tuple),
        DictOf: lambda d: isinstance(value, dict),
        UntypedDict: lambda d: isinstance(value, dict),
        DataclassOf: lambda d: isinstance(value, d.cls),
        BlobOf: lambda d: isinstance(value, FlyteDirectory if d.multipart else FlyteFile),
        StructuredDatasetOf: lambda d: isinstance(value, StructuredDataset),
        SchemaOf: lambda d: isinstance(value, FlyteSchema),
        PickleOf: lambda d: isinstance(d.py, type) and isinstance(value, d.py),
    }
    test = shapes.get(type(desc))
    return bool(test and test(desc))


def _variant_candidates(desc: UnionOf, value: Any) -> list[int]:
    """Indexes of the variants whose Python class matches the value, in declared order."""
    return [i for i, variant in enumerate(desc.variants) if _fits_shape(variant, value)]


# --- scalars -------------------------------------------------------------------------------------


def _simple_to_literal(engine: Any, desc: Simple, value: Any) -> Literal:
    try:
        check_simple(desc, value)
    except TypeError:
        raise _value_error(desc, value, _range_note(value).strip(" ()")) from None
    kind = desc.kind
    if kind is Kind.NONE:
        return _scalar(none_type=literals_pb2.Void())
    if kind is Kind.INTEGER:
        return _primitive(integer=value)
    if kind is Kind.FLOAT:
        return _primitive(float_value=float(value))
    if kind is Kind.STRING:
        return _primitive(string_value=value)
    if kind is Kind.BOOLEAN:
        return _primitive(boolean=value)
    if kind is Kind.DURATION:
        lit = _primitive()
        lit.scalar.primitive.duration.FromTimedelta(value)
        return lit
    if not isinstance(value, datetime.datetime):  # a date: midnight, as flytekit writes it
        value = datetime.datetime.combine(value, datetime.time.min)
    lit = _primitive()
    lit.scalar.primitive.datetime.FromDatetime(value)
    return lit


def _simple_to_value(engine: Any, desc: Simple, literal: Literal) -> Any:
    if desc.kind is Kind.NONE:
        if literal.scalar.HasField("none_type"):
            return None
        raise _literal_error(desc, literal)
    if not literal.scalar.HasField("primitive"):
        raise _literal_error(desc, literal)
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
        raise _literal_error(desc, literal)
    if desc.kind is Kind.FLOAT:
        return float(getattr(prim, which))
    if which == "float_value":  # Flyte console sends every number as a float, as flytekit knows
        if not prim.float_value.is_integer():
            raise _literal_error(desc, literal, f"{prim.float_value} is not a whole number")
        return int(prim.float_value)
    if desc.kind is Kind.DURATION:
        return prim.duration.ToTimedelta()
    if desc.kind is Kind.DATETIME:
        moment = prim.datetime.ToDatetime(tzinfo=datetime.UTC)
        return moment.date() if desc.py is datetime.date else moment
    return getattr(prim, which)


def _enum_to_literal(engine: Any, desc: EnumOf, value: Any) -> Literal:
    try:
        return _primitive(string_value=to_plain(desc, value))
    except (TypeError, ValueError):
        raise _value_error(desc, value, f"the values are {list(desc.values)}") from None


def _enum_to_value(engine: Any, desc: EnumOf, literal: Literal) -> Any:
    if literal.scalar.primitive.WhichOneof("value") != "string_value":
        raise _literal_error(desc, literal)
    try:
        return desc.cls(literal.scalar.primitive.string_value)
    except ValueError:
        raise _literal_error(
            desc, literal, f"{literal.scalar.primitive.string_value!r} is not a member"
        ) from None


def _literal_of_to_literal(engine: Any, desc: LiteralOf, value: Any) -> Literal:
    try:
        checked = to_plain(desc, value)
    except (TypeError, ValueError):
        raise _value_error(desc, value) from None
    return _simple_to_literal(engine, Simple(desc.kind, type(checked)), checked)


def _literal_of_to_value(engine: Any, desc: LiteralOf, literal: Literal) -> Any:
    value = _simple_to_value(engine, Simple(desc.kind, type(desc.values[0])), literal)
    if value not in desc.values:
        raise _literal_error(desc, literal, f"{value!r} is not one of the allowed values")
    return value


# --- containers ----------------------------------------------------------------------------------


def _list_to_literal(engine: Any, desc: ListOf, value: Any) -> Literal:
    if not isinstance(value, list | tuple):
        raise _value_error(desc, value)
    items = [_at(f"item {i}", value_to_literal, engine, desc.item, v) for i, v in enumerate(value)]
    return Literal(collection=literals_pb2.LiteralCollection(literals=items))


def _list_to_value(engine: Any, desc: ListOf, literal: Literal) -> Any:
    if literal.WhichOneof("value") != "collection":
        raise _literal_error(desc, literal)
    items = literal.collection.literals
    return [_at(f"item {i}", literal_to_value, engine, desc.item, v) for i, v in enumerate(items)]


def _dict_to_literal(engine: Any, desc: DictOf, value: Any) -> Literal:
    if not isinstance(value, dict):
        raise _value_error(desc, value)
    lit = Literal(map=literals_pb2.LiteralMap())
    for key, item in value.items():
        if not isinstance(key, str):
            raise _value_error(desc, value, f"key {key!r} is not a str")
        lit.map.literals[key].CopyFrom(
            _at(f"key {key!r}", value_to_literal, engine, desc.value, item)
        )
    return lit


def _dict_to_value(engine: Any, desc: DictOf, literal: Literal) -> Any:
    if literal.WhichOneof("value") != "map":
        raise _literal_error(desc, literal)
    items = literal.map.literals
    return {
        k: _at(f"key {k!r}", literal_to_value, engine, desc.value, items[k]) for k in sorted(items)
    }


def _msgpack_literal(data: Any) -> Literal:
    return _scalar(binary=literals_pb2.Binary(value=msgpack.packb(data), tag=MSGPACK_TAG))


def _plain_from_literal(desc: TypeDesc, literal: Literal) -> Any:
    """The plain (msgpack / JSON) form held by a binary or generic Struct literal."""
    which = literal.scalar.WhichOneof("value") if literal.HasField("scalar") else None
    if which == "binary":
        if literal.scalar.binary.tag != MSGPACK_TAG:
            raise _literal_error(desc, literal, f"binary tag {literal.scalar.binary.tag!r}")
        try:
            return msgpack.unpackb(literal.scalar.binary.value, strict_map_key=False)
        except (ValueError, msgpack.UnpackException) as exc:
            raise _literal_error(desc, literal, f"bad msgpack payload ({exc})") from None
    if which == "generic":
        return json_format.MessageToDict(literal.scalar.generic)
    raise _literal_error(desc, literal)


def _untyped_dict_to_literal(engine: Any, desc: UntypedDict, value: Any) -> Literal:
    if not isinstance(value, dict):
        raise _value_error(desc, value)
    try:
        return _msgpack_literal(untyped_to_plain(value))
    except (TypeError, ValueError, OverflowError) as exc:
        raise _value_error(desc, value, str(exc)) from None


def _untyped_dict_to_value(engine: Any, desc: UntypedDict, literal: Literal) -> Any:
    data = _plain_from_literal(desc, literal)
    if not isinstance(data, dict):
        raise _literal_error(desc, literal, f"payload is a {type(data).__name__}")
    return data


def _dataclass_to_literal(engine: Any, desc: DataclassOf, value: Any) -> Literal:
    if not isinstance(value, desc.cls):
        raise _value_error(desc, value)
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
        raise _literal_error(desc, literal, f"{type(exc).__name__}: {exc}") from None


# --- unions --------------------------------------------------------------------------------------


def _union_to_literal(engine: Any, desc: UnionOf, value: Any) -> Literal:
    likely = _variant_candidates(desc, value)
    order = likely + [i for i in range(len(desc.variants)) if i not in likely]
    first_error: TypeMappingError | None = None
    for i in order:
        try:
            inner = value_to_literal(engine, desc.variants[i], value)
        except TypeMappingError as exc:
            first_error = first_error or (exc if i in likely else None)
            continue
        variant_type = _literal_type(engine, desc).union_type.variants[i]
        return _scalar(union=literals_pb2.Union(value=inner, type=variant_type))
    if first_error is not None:
        raise first_error
    raise _value_error(desc, value, "it fits none of the variants")


def _union_to_value(engine: Any, desc: UnionOf, literal: Literal) -> Any:
    if literal.HasField("scalar") and literal.scalar.HasField("union"):
        inner = literal.scalar.union.value
        tag = literal.scalar.union.type.structure.tag
        variants = _literal_type(engine, desc).union_type.variants
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
    raise _literal_error(desc, literal, "it fits none of the variants")


# --- files, datasets, pickles, custom ------------------------------------------------------------


def _blob_to_literal(engine: Any, desc: BlobOf, value: Any) -> Literal:
    wrong_kind = isinstance(value, FlyteFile if desc.multipart else FlyteDirectory)
    if wrong_kind or not isinstance(value, str | os.PathLike):
        raise _value_error(desc, value)
    uri = _path_of(value)
    dim = types_pb2.BlobType.MULTIPART if desc.multipart else types_pb2.BlobType.SINGLE
    blob_type = types_pb2.BlobType(format=desc.format, dimensionality=dim)
    meta = literals_pb2.BlobMetadata(type=blob_type)
    return _scalar(blob=literals_pb2.Blob(metadata=meta, uri=str(uri)))


def _blob_to_value(engine: Any, desc: BlobOf, literal: Literal) -> Any:
    if not literal.scalar.HasField("blob"):
        raise _literal_error(desc, literal)
    return desc.py(literal.scalar.blob.uri)


def _dataset_to_literal(engine: Any, desc: StructuredDatasetOf, value: Any) -> Literal:
    if isinstance(value, StructuredDataset):
        uri = value.uri
    elif isinstance(value, str | os.PathLike):
        uri = os.fspath(value)
    else:
        raise _value_error(desc, value)
    if not uri:
        raise _value_error(desc, value, "it has no uri (in-memory dataframes need a plugin)")
    # flytekit writes the declared type (columns and format), not the value's file_format.
    sd_type = _literal_type(engine, desc).structured_dataset_type
    meta = literals_pb2.StructuredDatasetMetadata(structured_dataset_type=sd_type)
    return _scalar(structured_dataset=literals_pb2.StructuredDataset(uri=uri, metadata=meta))


def _dataset_to_value(engine: Any, desc: StructuredDatasetOf, literal: Literal) -> Any:
    if not literal.scalar.HasField("structured_dataset"):
        raise _literal_error(desc, literal)
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
        raise _value_error(desc, value)
    schema_type = _literal_type(engine, desc).schema
    return _scalar(schema=literals_pb2.Schema(uri=uri or "", type=schema_type))


def _schema_to_value(engine: Any, desc: SchemaOf, literal: Literal) -> Any:
    if not literal.scalar.HasField("schema"):
        raise _literal_error(desc, literal)
    cls = desc.py or FlyteSchema
    return cls(remote_path=literal.scalar.schema.uri)


def _pickle_to_literal(engine: Any, desc: PickleOf, value: Any) -> Literal:
    # A PickleOf description only exists when pickling was allowed (TypeEngine.describe).
    fd, path = tempfile.mkstemp(prefix="compile-tasks-", suffix=".pickle")
    with os.fdopen(fd, "wb") as out:
        pickle.dump(value, out)
    meta = literals_pb2.BlobMetadata(type=types_pb2.BlobType(format=PICKLE_FORMAT))
    return _scalar(blob=literals_pb2.Blob(metadata=meta, uri=path))


def _pickle_to_value(engine: Any, desc: PickleOf, literal: Literal) -> Any:
    blob = literal.scalar.blob
    if not literal.scalar.HasField("blob") or blob.metadata.type.format != PICKLE_FORMAT:
        raise _literal_error(desc, literal)
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
        raise _value_error(desc, value, str(exc)) from None


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
        raise _literal_error(desc, literal, str(exc)) from None
