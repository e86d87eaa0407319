"""Type descriptions -> flyteidl ``LiteralType`` (WIRE-FORMAT sections 11 and 12).

``build_literal_type(desc, sub)`` builds the literal type of one description; ``sub`` gives the
literal types of nested descriptions (the engine passes its memoised lookup, so each type is
built once however often it is used).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flyteidl.core import types_pb2
from google.protobuf import struct_pb2

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
from compiler.types.models import PYDANTIC_TAG, model_schema
from compiler.types.schema import json_schema

__all__ = [
    "CACHE_KEY_METADATA",
    "PICKLE_FORMAT",
    "build_literal_type",
    "to_struct",
    "union_tag",
]

LiteralType = types_pb2.LiteralType
SubType = Callable[[TypeDesc], LiteralType]

#: The annotation flytekit puts on every dataclass and untyped dict literal type.
CACHE_KEY_METADATA = {"cache-key-metadata": {"serialization-format": "msgpack"}}
PICKLE_FORMAT = "PythonPickle"

_SCHEMA_COLUMN_TYPES = {
    Kind.INTEGER: types_pb2.SchemaType.SchemaColumn.INTEGER,
    Kind.FLOAT: types_pb2.SchemaType.SchemaColumn.FLOAT,
    Kind.STRING: types_pb2.SchemaType.SchemaColumn.STRING,
    Kind.BOOLEAN: types_pb2.SchemaType.SchemaColumn.BOOLEAN,
    Kind.DATETIME: types_pb2.SchemaType.SchemaColumn.DATETIME,
    Kind.DURATION: types_pb2.SchemaType.SchemaColumn.DURATION,
}

_SIMPLE_TAGS = {
    int: "int",
    float: "float",
    str: "str",
    bool: "bool",
    type(None): "none",
}


def to_struct(data: dict[str, Any]) -> struct_pb2.Struct:
    """A ``Struct`` from a JSON-compatible dict (every number becomes a double).

    The message ``Struct.update(data)`` builds, filled by :func:`_fill_value` (``update`` is
    pure Python that tests every value against five abstract types; a dataclass's JSON schema
    has dozens of values).
    """
    struct = struct_pb2.Struct()
    fields = struct.fields
    for key, value in data.items():
        _fill_value(fields[key], value)
    return struct


def _fill_value(target: struct_pb2.Value, value: Any) -> None:
    """Set ``target`` as ``Struct.update`` sets a value; values of other types go through it."""
    kind = type(value)
    if kind is str:
        target.string_value = value
    elif kind is dict:
        target.struct_value.Clear()  # as ``update`` does: an empty dict is an empty Struct
        fields = target.struct_value.fields
        for key, item in value.items():
            _fill_value(fields[key], item)
    elif kind is list:
        target.list_value.Clear()
        values = target.list_value.values
        for item in value:
            _fill_value(values.add(), item)
    elif kind is bool:
        target.bool_value = value
    elif kind is int or kind is float:
        target.number_value = value
    elif value is None:
        target.null_value = struct_pb2.NULL_VALUE
    else:
        holder = struct_pb2.Struct()
        holder.update({"v": value})
        target.CopyFrom(holder.fields["v"])


#: ``CACHE_KEY_METADATA`` as a Struct, built once (``Struct.update`` is slow pure Python); only
#: ever copied from, never handed out.
_CACHE_KEY_STRUCT = to_struct(CACHE_KEY_METADATA)


def union_tag(desc: TypeDesc) -> str:
    """The ``structure.tag`` a union variant of this type gets: flytekit's transformer name."""
    return _UNION_TAGS[type(desc)](desc)


def _constant(tag: str) -> Callable[[Any], str]:
    return lambda desc: tag


_UNION_TAGS: DescTable[Callable[[Any], str]] = DescTable(
    "union_tag",
    {
        Simple: lambda desc: _SIMPLE_TAGS.get(desc.py, desc.py.__name__),
        ListOf: lambda desc: "Typed Iterator" if desc.iterator else "Typed List",
        DictOf: _constant("Typed Dict"),
        UntypedDict: _constant("Typed Dict"),
        UnionOf: _constant("Typed Union"),
        EnumOf: _constant("DefaultEnumTransformer"),
        LiteralOf: _constant("LiteralTypeTransformer"),
        DataclassOf: _constant("Object-Dataclass-Transformer"),
        ModelOf: _constant(PYDANTIC_TAG),
        BlobOf: lambda desc: "FlyteDirectory" if desc.multipart else "FlyteFilePath",
        StructuredDatasetOf: _constant("StructuredDataset Transformer"),
        SchemaOf: _constant("FlyteSchema Transformer"),
        PickleOf: _constant("FlytePickle"),
        Custom: lambda desc: desc.transformer.name,
        Annotated: lambda desc: union_tag(desc.inner),
    },
)


def _simple(desc: Simple, sub: SubType) -> LiteralType:
    return LiteralType(simple=types_pb2.SimpleType.Value(desc.kind.value))


def _list(desc: ListOf, sub: SubType) -> LiteralType:
    return LiteralType(collection_type=sub(desc.item))


def _dict(desc: DictOf, sub: SubType) -> LiteralType:
    return LiteralType(map_value_type=sub(desc.value))


def _untyped_dict(desc: UntypedDict, sub: SubType) -> LiteralType:
    result = LiteralType(simple=types_pb2.SimpleType.STRUCT)
    result.annotation.annotations.CopyFrom(_CACHE_KEY_STRUCT)
    return result


def _union(desc: UnionOf, sub: SubType) -> LiteralType:
    result = LiteralType()
    result.union_type.SetInParent()
    for variant in desc.variants:
        tagged = result.union_type.variants.add()
        tagged.CopyFrom(sub(variant))
        tagged.structure.Clear()  # the tag replaces any structure (e.g. dataclass_type)
        tagged.structure.tag = union_tag(variant)
    return result


def _enum(desc: EnumOf, sub: SubType) -> LiteralType:
    return LiteralType(enum_type=types_pb2.EnumType(values=list(desc.values)))


def _literal(desc: LiteralOf, sub: SubType) -> LiteralType:
    result = LiteralType(simple=types_pb2.SimpleType.Value(desc.kind.value))
    result.annotation.annotations.CopyFrom(to_struct({"literal_values": list(desc.values)}))
    return result


def _blob(desc: BlobOf, sub: SubType) -> LiteralType:
    result = LiteralType()
    result.blob.SetInParent()
    result.blob.format = desc.format
    if desc.multipart:
        result.blob.dimensionality = types_pb2.BlobType.MULTIPART
    return result


def _dataset(desc: StructuredDatasetOf, sub: SubType) -> LiteralType:
    result = LiteralType()
    result.structured_dataset_type.SetInParent()
    result.structured_dataset_type.format = desc.format
    for column in desc.columns:
        added = result.structured_dataset_type.columns.add(name=column.name)
        added.literal_type.CopyFrom(sub(column.desc))
    return result


def _schema(desc: SchemaOf, sub: SubType) -> LiteralType:
    result = LiteralType()
    result.schema.SetInParent()
    for column in desc.columns:
        assert isinstance(column.desc, Simple)  # describe() only admits simple columns
        result.schema.columns.add(name=column.name, type=_SCHEMA_COLUMN_TYPES[column.desc.kind])
    return result


def _pickle(desc: PickleOf, sub: SubType) -> LiteralType:
    result = LiteralType(blob=types_pb2.BlobType(format=PICKLE_FORMAT))
    result.metadata.CopyFrom(to_struct({"python_class_name": str(desc.py)}))
    return result


def _dataclass(desc: DataclassOf, sub: SubType) -> LiteralType:
    result = LiteralType(simple=types_pb2.SimpleType.STRUCT)
    schema = json_schema(desc)
    if schema is not None:
        result.metadata.CopyFrom(to_struct(schema))
    result.structure.SetInParent()
    for field in desc.fields:
        result.structure.dataclass_type[field.name].CopyFrom(sub(field.desc))
    result.annotation.annotations.CopyFrom(_CACHE_KEY_STRUCT)
    return result


def _model(desc: ModelOf, sub: SubType) -> LiteralType:
    result = LiteralType(simple=types_pb2.SimpleType.STRUCT)
    result.metadata.CopyFrom(to_struct(model_schema(desc)))
    result.structure.SetInParent()
    for name, field_desc in desc.fields:
        result.structure.dataclass_type[name].CopyFrom(sub(field_desc))
    result.annotation.annotations.CopyFrom(_CACHE_KEY_STRUCT)
    return result


def _annotated(desc: Annotated, sub: SubType) -> LiteralType:
    result = LiteralType()
    result.CopyFrom(sub(desc.inner))
    result.annotation.annotations.CopyFrom(to_struct(desc.annotation))
    return result


def _custom(desc: Custom, sub: SubType) -> LiteralType:
    transformer = desc.transformer
    try:
        built = transformer.get_literal_type(desc.py)
    except TypeMappingError:
        raise
    except Exception as exc:  # a plugin's bug must name the plugin and the type
        raise TypeMappingError(
            f"transformer {transformer.name or type(transformer).__name__!r} failed to give a "
            f"literal type for '{desc.py}' ({type(exc).__name__}: {exc})",
            code="CT211",
            hint="fix the transformer's get_literal_type",
        ) from exc
    if not isinstance(built, LiteralType):
        raise TypeMappingError(
            f"transformer {transformer.name!r} returned {type(built).__name__} for '{desc.py}'",
            code="CT211",
            hint="get_literal_type must return a flyteidl.core.types_pb2.LiteralType",
        )
    return built


_BUILDERS: DescTable[Callable[[Any, SubType], LiteralType]] = DescTable(
    "literal_type",
    {
        Simple: _simple,
        ListOf: _list,
        DictOf: _dict,
        UntypedDict: _untyped_dict,
        UnionOf: _union,
        EnumOf: _enum,
        LiteralOf: _literal,
        BlobOf: _blob,
        StructuredDatasetOf: _dataset,
        SchemaOf: _schema,
        PickleOf: _pickle,
        DataclassOf: _dataclass,
        ModelOf: _model,
        Annotated: _annotated,
        Custom: _custom,
    },
)


def build_literal_type(desc: TypeDesc, sub: SubType) -> LiteralType:
    """The literal type of ``desc``; nested types come from ``sub`` (memoised by the engine).

    Raises:
        TypeMappingError: CT211 when a user transformer fails.
    """
    return _BUILDERS[type(desc)](desc, sub)
