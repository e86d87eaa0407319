"""JSON values <-> literals, driven by a ``LiteralType`` alone.

``compile-tasks run`` only has the task's ``TaskSpec``, not its Python hints, so command-line
inputs are converted by literal type: numbers, strings and booleans as such, datetimes as ISO
strings, durations as seconds (or ``"90s"``), lists, objects, ``null`` for a ``None`` variant,
enum values as strings, files, directories and datasets as paths or URIs, and dataclasses as
objects (written as flytekit's msgpack payload). Outputs are decoded back to JSON-friendly values
from the literal itself.
"""

from __future__ import annotations

import base64
import datetime
import os
from typing import Any

import msgpack
from flyteidl.core import literals_pb2, types_pb2
from google.protobuf import duration_pb2, json_format

from compiler.context import storage

__all__ = ["json_to_literal", "literal_to_json"]

Literal = literals_pb2.Literal
LiteralType = types_pb2.LiteralType
ST = types_pb2.SimpleType


_SIMPLE_NAMES = {
    ST.NONE: "null",
    ST.INTEGER: "an integer",
    ST.FLOAT: "a number",
    ST.STRING: "a string",
    ST.BOOLEAN: "true or false",
    ST.DATETIME: "a datetime",
    ST.DURATION: "a duration",
}
_KIND_NAMES = {
    "collection_type": "a list",
    "map_value_type": "an object",
    "enum_type": "one of the enum's values",
    "simple": "an object",
}


class _Mismatch(ValueError):
    """A JSON value does not fit a literal type."""


def _scalar(**kw: Any) -> Literal:
    return Literal(scalar=literals_pb2.Scalar(**kw))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _moment(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time.min)
    if isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _Mismatch(f"{value!r} is not an ISO 8601 datetime")


def _seconds(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        duration = duration_pb2.Duration()
        try:
            duration.FromJsonString(value.strip())
        except ValueError:
            pass
        else:
            return duration.ToTimedelta().total_seconds()
    raise _Mismatch(f"{value!r} is not a duration (seconds, or a string like '90s')")


def _simple(kind: int, value: Any, strict: bool) -> Literal:
    prim = literals_pb2.Primitive
    if kind == ST.NONE and value is None:
        return _scalar(none_type=literals_pb2.Void())
    if kind == ST.INTEGER and _is_int(value):
        return _scalar(primitive=prim(integer=value))
    if kind == ST.FLOAT and (isinstance(value, float) or (_is_int(value) and not strict)):
        return _scalar(primitive=prim(float_value=float(value)))
    if kind == ST.STRING and isinstance(value, str):
        return _scalar(primitive=prim(string_value=value))
    if kind == ST.BOOLEAN and isinstance(value, bool):
        return _scalar(primitive=prim(boolean=value))
    if kind == ST.DATETIME and (not strict or isinstance(value, str | datetime.date)):
        lit = _scalar(primitive=prim())
        lit.scalar.primitive.datetime.FromDatetime(_moment(value))
        return lit
    if kind == ST.DURATION:
        lit = _scalar(primitive=prim())
        lit.scalar.primitive.duration.FromTimedelta(datetime.timedelta(seconds=_seconds(value)))
        return lit
    raise _Mismatch(f"{value!r} is not {_SIMPLE_NAMES.get(kind, ST.Name(kind))}")


def _plain(lt: LiteralType, value: Any, strict: bool) -> Any:
    """The msgpack form of ``value`` for a field of type ``lt`` inside a dataclass."""
    which = lt.WhichOneof("type")
    if which == "simple" and lt.simple == ST.STRUCT:
        return _struct_plain(lt, value, strict)
    if which == "simple":
        _simple(lt.simple, value, strict)  # validates
        if lt.simple == ST.DURATION:
            return _seconds(value)
        if lt.simple == ST.FLOAT:
            return float(value)
        return value.isoformat() if isinstance(value, datetime.date) else value
    if which == "collection_type" and isinstance(value, list):
        return [_plain(lt.collection_type, item, strict) for item in value]
    if which == "map_value_type" and isinstance(value, dict):
        return {str(k): _plain(lt.map_value_type, v, strict) for k, v in value.items()}
    if which == "union_type":
        for variant_strict in (True, False):
            for variant in lt.union_type.variants:
                try:
                    return _plain(variant, value, variant_strict)
                except _Mismatch:
                    continue
        raise _Mismatch(f"{value!r} fits no variant")
    if which == "enum_type" and value in lt.enum_type.values:
        return value
    if which == "blob" and isinstance(value, str):
        return {"path": value}
    if which == "structured_dataset_type" and isinstance(value, str):
        return {"uri": value, "file_format": lt.structured_dataset_type.format}
    raise _Mismatch(f"{value!r} does not fit {which}")


def _struct_plain(lt: LiteralType, value: Any, strict: bool) -> Any:
    if not isinstance(value, dict):
        raise _Mismatch(f"{value!r} is not an object")
    fields = lt.structure.dataclass_type
    if not fields:
        return value
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise _Mismatch(f"unknown field(s) {', '.join(unknown)}")
    return {name: _plain(fields[name], item, strict) for name, item in value.items()}


def _uri(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _Mismatch(f"{value!r} is not a path or URI")
    return value if storage.is_remote(value) else os.path.abspath(value)


def _convert(lt: LiteralType, value: Any, strict: bool) -> Literal:
    which = lt.WhichOneof("type")
    if which == "simple" and lt.simple == ST.STRUCT:
        packed = msgpack.packb(_struct_plain(lt, value, strict))
        return _scalar(binary=literals_pb2.Binary(value=packed, tag="msgpack"))
    if which == "simple":
        return _simple(lt.simple, value, strict)
    if which == "collection_type" and isinstance(value, list):
        items = [_convert(lt.collection_type, item, strict) for item in value]
        return Literal(collection=literals_pb2.LiteralCollection(literals=items))
    if which == "map_value_type" and isinstance(value, dict):
        lit = Literal(map=literals_pb2.LiteralMap())
        for key, item in value.items():
            lit.map.literals[str(key)].CopyFrom(_convert(lt.map_value_type, item, strict))
        return lit
    if which == "union_type":
        return _union(lt, value)
    if which == "enum_type" and value in lt.enum_type.values:
        return _scalar(primitive=literals_pb2.Primitive(string_value=value))
    if which == "blob":
        meta = literals_pb2.BlobMetadata(type=lt.blob)
        return _scalar(blob=literals_pb2.Blob(metadata=meta, uri=_uri(value)))
    if which == "structured_dataset_type":
        meta = literals_pb2.StructuredDatasetMetadata(
            structured_dataset_type=lt.structured_dataset_type
        )
        sd = literals_pb2.StructuredDataset(uri=_uri(value), metadata=meta)
        return _scalar(structured_dataset=sd)
    if which == "schema":
        return _scalar(schema=literals_pb2.Schema(uri=_uri(value), type=lt.schema))
    if which == "enum_type":
        raise _Mismatch(f"{value!r} is not one of {list(lt.enum_type.values)}")
    raise _Mismatch(f"{value!r} is not {_KIND_NAMES.get(which or '', which or 'typed')}")


def _union(lt: LiteralType, value: Any) -> Literal:
    for strict in (True, False):
        for variant in lt.union_type.variants:
            try:
                inner = _convert(variant, value, strict)
            except (_Mismatch, ValueError, TypeError):
                continue
            return _scalar(union=literals_pb2.Union(value=inner, type=variant))
    raise _Mismatch(f"{value!r} fits no variant of the union")


def json_to_literal(lt: LiteralType, value: Any) -> Literal:
    """The literal of a JSON (or YAML) value for literal type ``lt``.

    Raises:
        ValueError: The value does not fit the type (the message says why).
    """
    try:
        return _convert(lt, value, strict=False)
    except (TypeError, OverflowError) as exc:
        raise ValueError(str(exc)) from None


def _json_safe(data: Any) -> Any:
    if isinstance(data, bytes):
        return base64.b64encode(data).decode()
    if isinstance(data, dict):
        return {str(k): _json_safe(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_json_safe(v) for v in data]
    return data


def _scalar_to_json(scalar: literals_pb2.Scalar) -> Any:
    which = scalar.WhichOneof("value")
    if which == "primitive":
        kind = scalar.primitive.WhichOneof("value")
        if kind in ("datetime", "duration"):
            return getattr(scalar.primitive, kind).ToJsonString()
        return getattr(scalar.primitive, kind) if kind else None
    if which == "union":
        return literal_to_json(scalar.union.value)
    if which == "binary" and scalar.binary.tag == "msgpack":
        return _json_safe(msgpack.unpackb(scalar.binary.value, strict_map_key=False))
    if which == "generic":
        return json_format.MessageToDict(scalar.generic)
    if which in ("blob", "structured_dataset", "schema"):
        return getattr(scalar, which).uri
    if which == "error":
        return {"error": scalar.error.message}
    return None


def literal_to_json(literal: Literal) -> Any:
    """A JSON-friendly value of any literal (no type needed): datetimes as RFC 3339 strings,
    durations as ``"5400s"``, files as their URI, msgpack payloads decoded."""
    which = literal.WhichOneof("value")
    if which == "scalar":
        return _scalar_to_json(literal.scalar)
    if which == "collection":
        return [literal_to_json(item) for item in literal.collection.literals]
    if which == "map":
        return {k: literal_to_json(literal.map.literals[k]) for k in sorted(literal.map.literals)}
    return None
