"""The plain form of values: what flytekit 1.16 packs into msgpack (and the JSON ``run`` prints).

Dataclasses become dicts of their fields in declaration order, nested dataclasses maps, enums
their values, datetimes ISO strings, files and datasets their paths (a dataframe field is
written by its encoder first; the field of a transformer's type is its blob's path or its
primitive value, written by the transformer). Both directions dispatch
on the description's class, each through one table (``to_plain`` and ``from_plain``).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from flyteidl.core import literals_pb2, types_pb2

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
from compiler.types.frames import is_dataframe_type
from compiler.types.models import model_from_plain, model_to_plain
from compiler.types.tabular import StructuredDataset
from compiler.types.value_checks import (
    check_simple,
    mismatch,
    path_of,
    type_name,
    variant_candidates,
)

__all__ = ["dataset_plain", "from_plain", "to_plain", "untyped_to_plain"]


# --- Python value -> plain -----------------------------------------------------------------------


def to_plain(desc: TypeDesc, value: Any) -> Any:
    """The msgpack-ready form of ``value`` as mashumaro writes it inside a dataclass.

    Raises:
        TypeError: The value does not fit the type.
    """
    return _TO_PLAIN[type(desc)](desc, value)


def _part_to_plain(where: str, desc: TypeDesc, value: Any) -> Any:
    try:
        return to_plain(desc, value)
    except TypeError as exc:
        raise TypeError(f"{where}: {exc}") from None


def _simple_to_plain(desc: Simple, value: Any) -> Any:
    check_simple(desc, value)
    if desc.kind is Kind.DATETIME:
        return value.isoformat()
    return value.total_seconds() if desc.kind is Kind.DURATION else value


def _enum_to_plain(desc: EnumOf, value: Any) -> Any:
    if isinstance(value, desc.cls):
        return value.value
    if isinstance(value, str) and value in desc.values:
        return value
    raise TypeError(mismatch(desc, value))


def _literal_to_plain(desc: LiteralOf, value: Any) -> Any:
    if value in desc.values and type(value) is type(desc.values[0]):
        return value
    raise TypeError(mismatch(desc, value))


def _list_to_plain(desc: ListOf, value: Any) -> Any:
    if not isinstance(value, list | tuple):
        raise TypeError(mismatch(desc, value))
    return [_part_to_plain(f"item {i}", desc.item, v) for i, v in enumerate(value)]


def _dict_to_plain(desc: DictOf, value: Any) -> Any:
    if not isinstance(value, dict):
        raise TypeError(mismatch(desc, value))
    if not all(isinstance(key, str) for key in value):
        raise TypeError("dict keys must be str")
    return {k: _part_to_plain(f"key {k!r}", desc.value, v) for k, v in value.items()}


def _untyped_dict_to_plain(desc: UntypedDict, value: Any) -> Any:
    if not isinstance(value, dict):
        raise TypeError(mismatch(desc, value))
    return untyped_to_plain(value)


def _dataclass_to_plain(desc: DataclassOf, value: Any) -> Any:
    if not isinstance(value, desc.cls):
        raise TypeError(mismatch(desc, value))
    return {
        f.name: _part_to_plain(f"field {f.name!r}", f.desc, getattr(value, f.name))
        for f in desc.fields
    }


def _union_to_plain(desc: UnionOf, value: Any) -> Any:
    likely = variant_candidates(desc, value)
    for i in likely + [i for i in range(len(desc.variants)) if i not in likely]:
        try:
            return to_plain(desc.variants[i], value)
        except TypeError:
            continue
    raise TypeError(mismatch(desc, value))


def _dataset_to_plain(desc: StructuredDatasetOf, value: Any) -> Any:
    if is_dataframe_type(type(value)) or (
        isinstance(value, StructuredDataset) and value.dataframe is not None
    ):
        return dataset_plain(desc, value)
    if not isinstance(value, StructuredDataset):
        raise TypeError(mismatch(desc, value))
    return {"uri": value.uri, "file_format": value.file_format or desc.format}


def _engine() -> Any:
    from compiler.types.engine import default_engine

    return default_engine()


def dataset_plain(desc: StructuredDatasetOf, value: Any) -> dict[str, Any]:
    """A dataframe (or ``StructuredDataset(dataframe=...)``) written by its encoder, as the
    plain ``{"uri", "file_format"}`` of a dataset field (the runtime uploads a local uri)."""
    from compiler.types.dataset_values import dataset_to_literal

    try:
        sd = dataset_to_literal(_engine(), desc, value).scalar.structured_dataset
    except TypeMappingError as exc:
        raise TypeError(exc.message) from None
    return {"uri": sd.uri, "file_format": sd.metadata.structured_dataset_type.format}


def _custom_to_plain(desc: Custom, value: Any) -> Any:
    """A transformer's value inside a dataclass: its blob as ``{"path": uri}`` (numpy arrays,
    say) or its primitive's value (a string, number or boolean); flytekit cannot write these
    fields at all. Other literals have no plain form."""
    from compiler.types.values import value_to_literal

    try:
        literal = value_to_literal(_engine(), desc, value)
    except TypeMappingError as exc:
        raise TypeError(exc.message) from None
    if literal.scalar.HasField("blob"):
        return {"path": literal.scalar.blob.uri}
    primitive = literal.scalar.primitive
    kind = primitive.WhichOneof("value") if literal.scalar.HasField("primitive") else None
    if kind in _PRIMITIVE_FIELDS.values():
        return getattr(primitive, kind)
    raise TypeError(
        f"a {type_name(desc)} field has no plain form (its literal is neither a blob nor a "
        "string, integer, float or boolean)"
    )


#: SimpleType name -> the Primitive field a plain value of a transformer's field is kept in.
_PRIMITIVE_FIELDS = {
    "STRING": "string_value",
    "INTEGER": "integer",
    "FLOAT": "float_value",
    "BOOLEAN": "boolean",
}


def _pickle_to_plain(desc: PickleOf, value: Any) -> Any:
    if not isinstance(value, bytes):
        raise TypeError(mismatch(desc, value))
    return value


def _no_plain_form(desc: TypeDesc, value: Any) -> Any:
    raise TypeError(mismatch(desc, value))


_TO_PLAIN: DescTable[Callable[[Any, Any], Any]] = DescTable(
    "to_plain",
    {
        Simple: _simple_to_plain,
        ListOf: _list_to_plain,
        DictOf: _dict_to_plain,
        UntypedDict: _untyped_dict_to_plain,
        UnionOf: _union_to_plain,
        EnumOf: _enum_to_plain,
        LiteralOf: _literal_to_plain,
        DataclassOf: _dataclass_to_plain,
        ModelOf: model_to_plain,
        BlobOf: lambda desc, value: {"path": path_of(value)},
        StructuredDatasetOf: _dataset_to_plain,
        SchemaOf: _no_plain_form,
        PickleOf: _pickle_to_plain,
        Custom: _custom_to_plain,
        Annotated: lambda desc, value: to_plain(desc.inner, value),
    },
)


def untyped_to_plain(value: Any) -> Any:
    """Check that ``value`` is msgpack data (dicts, lists, str, numbers, bool, None, bytes)."""
    if isinstance(value, dict):
        return {untyped_to_plain(k): untyped_to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [untyped_to_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool | bytes):
        return value
    raise TypeError(f"{type(value).__name__} cannot go into an untyped dict")


# --- plain -> Python value -----------------------------------------------------------------------


def from_plain(desc: TypeDesc, data: Any, strict: bool = False) -> Any:
    """The Python value of plain (msgpack or JSON) ``data`` for type ``desc``.

    ``strict`` refuses the loose readings (an integral float as an int, a number as a float),
    so a union picks the variant the data was written with.

    Raises:
        TypeError, ValueError: The data does not fit the type.
    """
    return _FROM_PLAIN[type(desc)](desc, data, strict)


def _not_this(desc: TypeDesc, data: Any) -> TypeError:
    return TypeError(f"{type(data).__name__} data is not a {type_name(desc)}")


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
            raise _not_this(desc, data)
        return float(data)
    if kind in (Kind.DATETIME, Kind.DURATION):
        raise _not_this(desc, data)
    check_simple(desc, data)
    return data


def _literal_from_plain(desc: LiteralOf, data: Any, strict: bool) -> Any:
    if data in desc.values:
        return desc.values[desc.values.index(data)]
    raise ValueError(f"{data!r} is not one of {list(desc.values)}")


def _list_from_plain(desc: ListOf, data: Any, strict: bool) -> Any:
    if not isinstance(data, list):
        raise _not_this(desc, data)
    return [from_plain(desc.item, item, strict) for item in data]


def _dict_from_plain(desc: DictOf, data: Any, strict: bool) -> Any:
    if not isinstance(data, dict):
        raise _not_this(desc, data)
    return {key: from_plain(desc.value, item, strict) for key, item in data.items()}


def _untyped_dict_from_plain(desc: UntypedDict, data: Any, strict: bool) -> Any:
    if not isinstance(data, dict):
        raise _not_this(desc, data)
    return data


def _dataclass_from_plain(desc: DataclassOf, data: Any, strict: bool) -> Any:
    if not isinstance(data, dict):
        raise _not_this(desc, data)
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


def _union_from_plain(desc: UnionOf, data: Any, strict: bool) -> Any:
    # Whatever ``strict`` asked for: first the strict reading of every variant, then the loose.
    for strict_reading in (True, False):
        for variant in desc.variants:
            try:
                return from_plain(variant, data, strict_reading)
            except (TypeError, ValueError, KeyError):
                continue
    raise TypeError(f"{type(data).__name__} data fits no variant of {type_name(desc)}")


def _dataset_from_plain(desc: StructuredDatasetOf, data: Any, strict: bool) -> Any:
    if not isinstance(data, dict):
        raise _not_this(desc, data)
    cls = desc.py or StructuredDataset
    if isinstance(cls, type) and issubclass(cls, StructuredDataset):
        return cls(uri=data.get("uri"), file_format=data.get("file_format") or "")
    from compiler.types.dataset_values import dataset_to_value

    meta = literals_pb2.StructuredDatasetMetadata()
    meta.structured_dataset_type.format = data.get("file_format") or ""
    sd = literals_pb2.StructuredDataset(uri=data.get("uri") or "", metadata=meta)
    literal = literals_pb2.Literal(scalar=literals_pb2.Scalar(structured_dataset=sd))
    try:
        return dataset_to_value(_engine(), desc, literal)  # a dataframe field: decoded
    except TypeMappingError as exc:
        raise ValueError(exc.message) from None


def _custom_from_plain(desc: Custom, data: Any, strict: bool) -> Any:
    from compiler.types.values import literal_to_value

    engine = _engine()
    literal_type = engine.literal_type_of(desc)
    simple = literal_type.WhichOneof("type") == "simple"
    name = types_pb2.SimpleType.Name(literal_type.simple) if simple else ""
    if name in _PRIMITIVE_FIELDS and isinstance(data, str | int | float | bool):
        primitive = literals_pb2.Primitive(**{_PRIMITIVE_FIELDS[name]: data})
        literal = literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=primitive))
    elif isinstance(data, dict) and isinstance(data.get("path"), str):
        meta = literals_pb2.BlobMetadata(type=literal_type.blob)
        blob = literals_pb2.Blob(metadata=meta, uri=data["path"])
        literal = literals_pb2.Literal(scalar=literals_pb2.Scalar(blob=blob))
    else:
        raise _not_this(desc, data)
    try:
        return literal_to_value(engine, desc, literal)
    except TypeMappingError as exc:
        raise ValueError(exc.message) from None


def _pickle_from_plain(desc: PickleOf, data: Any, strict: bool) -> Any:
    if not isinstance(data, bytes):
        raise _not_this(desc, data)
    return data


def _no_value_form(desc: TypeDesc, data: Any, strict: bool) -> Any:
    raise _not_this(desc, data)


_FROM_PLAIN: DescTable[Callable[[Any, Any, bool], Any]] = DescTable(
    "from_plain",
    {
        Simple: _simple_from_plain,
        ListOf: _list_from_plain,
        DictOf: _dict_from_plain,
        UntypedDict: _untyped_dict_from_plain,
        UnionOf: _union_from_plain,
        EnumOf: lambda desc, data, strict: desc.cls(data),
        LiteralOf: _literal_from_plain,
        DataclassOf: _dataclass_from_plain,
        ModelOf: lambda desc, data, strict: model_from_plain(desc, data),
        BlobOf: lambda desc, data, strict: desc.py(
            data["path"] if isinstance(data, dict) else data
        ),
        StructuredDatasetOf: _dataset_from_plain,
        SchemaOf: _no_value_form,
        PickleOf: _pickle_from_plain,
        Custom: _custom_from_plain,
        Annotated: lambda desc, data, strict: from_plain(desc.inner, data, strict),
    },
)
