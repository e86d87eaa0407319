"""The JSON schema of a dataclass, as flytekit writes it into ``LiteralType.metadata``.

flytekit generates it with mashumaro (``build_json_schema(cls).to_dict()``, draft 2020-12);
importing mashumaro costs ~175 ms, so the same rules (WIRE-FORMAT 12.1) are written here by
hand over type descriptions. ``tests/types/test_schema.py`` checks them against mashumaro.

``json_schema(desc)`` returns ``None`` where mashumaro cannot build a schema (a field of a class
it does not know, e.g. a pickled class): flytekit then writes no ``metadata`` at all.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import typing
from collections.abc import Callable
from typing import Any

from compiler.errors import TypeMappingError
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
from compiler.types.files import FlyteDirectory, FlyteFile
from compiler.types.frames import is_dataframe_type
from compiler.types.tabular import StructuredDataset

__all__ = ["default_to_json", "json_schema"]

Schema = dict[str, Any]


class _NoSchema(Exception):
    """Raised inside the walk when some nested type has no JSON schema."""


_SIMPLE: dict[type, Schema] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    datetime.datetime: {"type": "string", "format": "date-time"},
    datetime.date: {"type": "string", "format": "date"},
    datetime.timedelta: {"type": "number", "format": "time-delta"},
}

_PICKLED: dict[Any, Schema] = {
    bytes: {"type": "string", "format": "base64"},
    bytearray: {"type": "string", "format": "base64"},
    typing.Any: {},
}

_STRING_MAP: Schema = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "propertyNames": {"type": "string"},
}


def json_schema(desc: DataclassOf) -> Schema | None:
    """The JSON schema of a dataclass description, or ``None`` when mashumaro has none."""
    try:
        return _dataclass(desc)
    except _NoSchema:
        return None


def _path_object(title: str, with_metadata: bool) -> Schema:
    properties: Schema = {
        "path": {
            "anyOf": [{"type": "string"}, {"type": "string", "format": "path"}],
            "default": None,
        }
    }
    if with_metadata:
        properties["metadata"] = {"anyOf": [_STRING_MAP, {"type": "null"}], "default": None}
    return {
        "type": "object",
        "title": title,
        "additionalProperties": False,
        "properties": properties,
    }


_NULLABLE_STRING = [{"type": "string"}, {"type": "null"}]


def _dataset_schema(desc: StructuredDatasetOf) -> Schema:
    if desc.py is not None and is_dataframe_type(desc.py):
        raise _NoSchema(desc)  # mashumaro cannot describe a DataFrame: flytekit writes no metadata
    return _dataset_object()


def _dataset_object() -> Schema:
    nullable_string = _NULLABLE_STRING
    return {
        "type": "object",
        "title": "StructuredDataset",
        "additionalProperties": False,
        "properties": {
            "uri": {"anyOf": nullable_string, "default": None},
            "file_format": {"anyOf": nullable_string, "default": ""},
        },
    }


def _flyte_schema_object() -> Schema:
    return {
        "type": "object",
        "title": "FlyteSchema",
        "additionalProperties": False,
        "properties": {
            "remote_path": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
        },
    }


def _schema_of(desc: TypeDesc) -> Schema:
    return _SCHEMAS[type(desc)](desc)


def _list(desc: ListOf) -> Schema:
    if desc.iterator:
        raise _NoSchema(desc)  # mashumaro does not describe iterators
    return {"type": "array", "items": _schema_of(desc.item)}


def _dict(desc: DictOf) -> Schema:
    return {
        "type": "object",
        "additionalProperties": _schema_of(desc.value),
        "propertyNames": {"type": "string"},
    }


def _blob(desc: BlobOf) -> Schema:
    if desc.multipart:
        return _path_object("FlyteDirectory", with_metadata=False)
    return _path_object("FlyteFile", with_metadata=True)


def _pickle(desc: PickleOf) -> Schema:
    if _hashable_in(desc.py, _PICKLED):
        return dict(_PICKLED[desc.py])
    if isinstance(desc.py, typing.NewType):
        # flytekit pickles a NewType, but mashumaro describes its supertype.
        supertype = _SIMPLE.get(desc.py.__supertype__)
        if supertype is not None:
            return dict(supertype)
    raise _NoSchema(desc)  # an unknown pickled class


def _model(desc: ModelOf) -> Schema:
    raise _NoSchema(desc)  # mashumaro cannot describe a model: flytekit writes no metadata


def _custom(desc: Custom) -> Schema:
    schema = desc.transformer.json_schema(desc.py)
    if schema is None:
        raise _NoSchema(desc)  # a transformer without a schema
    return schema


def _hashable_in(key: Any, table: dict[Any, Any]) -> bool:
    try:
        return key in table
    except TypeError:
        return False


def _untyped_dict(hint: Any) -> Schema:
    args = typing.get_args(hint)
    if len(args) != 2:
        return {"type": "object"}
    # An unhashable argument (an ``Annotated`` with unhashable metadata) is no simple type.
    key, value = (_SIMPLE[a] if _hashable_in(a, _SIMPLE) else None for a in args)
    if key is None or value is None:
        raise _NoSchema(hint)  # not modelled: say "no schema" rather than a wrong one
    return {"type": "object", "additionalProperties": dict(value), "propertyNames": dict(key)}


def _dataclass(desc: DataclassOf) -> Schema:
    schema: Schema = {"type": "object", "title": desc.cls.__name__}
    properties = {}
    fields = [f for f in desc.fields if f.init]  # mashumaro leaves out init=False fields
    for field in fields:
        prop = _schema_of(field.desc)
        if field.has_default:
            prop["default"] = _field_default(desc, field.name, field.default)
        properties[field.name] = prop
    if properties:
        schema["properties"] = properties
    schema["additionalProperties"] = False
    required = [f.name for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


_SCHEMAS: DescTable[Callable[[Any], Schema]] = DescTable(
    "json_schema",
    {
        Simple: lambda desc: dict(_SIMPLE[desc.py]),
        ListOf: _list,
        DictOf: _dict,
        UntypedDict: lambda desc: _untyped_dict(desc.py),
        UnionOf: lambda desc: {"anyOf": [_schema_of(v) for v in desc.variants]},
        EnumOf: lambda desc: {"enum": list(desc.values)},
        LiteralOf: lambda desc: {"enum": list(desc.values)},
        DataclassOf: lambda desc: _dataclass(desc),
        ModelOf: _model,
        BlobOf: _blob,
        StructuredDatasetOf: _dataset_schema,
        SchemaOf: lambda desc: _flyte_schema_object(),
        PickleOf: _pickle,
        Custom: _custom,
        Annotated: lambda desc: _schema_of(desc.inner),
    },
)


def _field_default(desc: DataclassOf, name: str, value: Any) -> Any:
    try:
        return default_to_json(value)
    except TypeError as exc:  # flytekit crashes here; we say which field
        raise TypeMappingError(
            f"dataclass '{desc.cls.__qualname__}', field '{name}': the default {value!r} cannot "
            f"be written into the JSON schema ({exc})",
            code="CT213",
            hint="use a default of a JSON-compatible type, or a default_factory",
        ) from None


def default_to_json(value: Any) -> Any:
    """A field default as mashumaro serialises it into the schema's ``default``.

    Raises:
        TypeError: The value has no JSON form.
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: default_to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple | set | frozenset):
        return [default_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): default_to_json(v) for k, v in value.items()}
    if isinstance(value, FlyteFile | FlyteDirectory):
        return {"path": value.path}
    if isinstance(value, StructuredDataset):
        return {"uri": value.uri, "file_format": value.file_format}
    raise TypeError(f"object of type {type(value).__name__} is not JSON serializable")
