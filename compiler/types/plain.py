"""The plain form of values: what flytekit 1.16 packs into msgpack (and the JSON ``run`` prints).

Dataclasses become dicts of their fields in declaration order, nested dataclasses maps, enums
their values, datetimes ISO strings, files and datasets their paths. Also the checks and names
shared by :mod:`compiler.types.values`: value/literal errors (CT701/CT702) and type names.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable
from typing import Any

from flyteidl.core import literals_pb2, types_pb2

from compiler.errors import TypeMappingError
from compiler.types.desc import (
    Annotated,
    BlobOf,
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

__all__ = [
    "check_simple",
    "describe_literal",
    "from_plain",
    "literal_error",
    "literal_type_of",
    "located",
    "path_of",
    "primitive_literal",
    "range_note",
    "scalar_literal",
    "to_plain",
    "type_name",
    "untyped_to_plain",
    "value_error",
    "variant_candidates",
]

Literal = literals_pb2.Literal


def value_error(desc: TypeDesc, value: Any, why: str = "") -> TypeMappingError:
    extra = f": {why}" if why else ""
    return TypeMappingError(
        f"expected a value of type {type_name(desc)}, got {type(value).__name__} {value!r:.80}"
        + extra,
        code="CT701",
        hint="pass a value of the declared type",
    )


def literal_error(desc: TypeDesc, literal: Literal, why: str = "") -> TypeMappingError:
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
    return Literal(scalar=literals_pb2.Scalar(**kw))


def primitive_literal(**kw: Any) -> Literal:
    return scalar_literal(primitive=literals_pb2.Primitive(**kw))


# --- names and the plain (msgpack / JSON) form ---------------------------------------------------


def literal_type_of(engine: Any, desc: TypeDesc) -> types_pb2.LiteralType:
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
    return text + (range_note(value) if isinstance(desc, Simple) else "")


def _is_int64(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and _INT64 <= value < -_INT64


def range_note(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and not _is_int64(value):
        return " (outside the 64-bit integer range)"
    return ""


def path_of(value: Any) -> str:
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
        return {"path": path_of(value)}
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
    likely = variant_candidates(desc, value)
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


def variant_candidates(desc: UnionOf, value: Any) -> list[int]:
    """Indexes of the variants whose Python class matches the value, in declared order."""
    return [i for i, variant in enumerate(desc.variants) if _fits_shape(variant, value)]
