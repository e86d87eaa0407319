"""Structured dataset values <-> literals: URIs, ``StructuredDataset`` objects and dataframes.

A ``StructuredDataset`` that only names a URI (or a bare path) becomes a literal of that URI
with the declared type. A dataframe (``pd.DataFrame``, ``pa.Table``, a registered class), or a
``StructuredDataset(dataframe=...)``, is written by the encoder of its class and format (the
declared format, else the value's ``file_format``, else the class's default: parquet) into the
value's ``uri`` or a fresh local directory, which the runtime uploads under the raw output
prefix. Reading gives the declared class: a dataframe (decoded, the declared columns only) or a
``StructuredDataset`` that decodes on ``.open(...).all()``. Rows of the value tables in
:mod:`compiler.types.values`.
"""

from __future__ import annotations

import os
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import TypeMappingError
from compiler.types.desc import StructuredDatasetOf
from compiler.types.structured import (
    DatasetContext,
    StructuredDatasetTransformerEngine,
    is_dataframe_type,
    protocol_of,
)
from compiler.types.tabular import StructuredDataset
from compiler.types.value_checks import literal_error, scalar_literal, type_name, value_error

__all__ = ["dataset_to_literal", "dataset_to_value"]

Literal = literals_pb2.Literal
_ENGINE = StructuredDatasetTransformerEngine


def _declared_type(engine: Any, desc: StructuredDatasetOf) -> Any:
    return engine.literal_type_of(desc).structured_dataset_type


def _encode(engine: Any, desc: StructuredDatasetOf, sd: StructuredDataset, fmt: str) -> Literal:
    frame_type = type(sd.dataframe)
    if not is_dataframe_type(frame_type):
        raise value_error(desc, sd.dataframe, "no StructuredDatasetEncoder writes that type")
    fmt = fmt or _ENGINE.default_format(frame_type)
    sd_type = type(_declared_type(engine, desc))()
    sd_type.CopyFrom(_declared_type(engine, desc))
    sd_type.format = fmt
    encoder = _ENGINE.get_encoder(frame_type, protocol_of(sd.uri or ""), fmt)
    try:
        written = encoder.encode(DatasetContext(), sd, sd_type)
    except TypeMappingError as err:
        name = type_name(desc)
        given = name if name == frame_type.__name__ else f"{name} ({frame_type.__name__})"
        err.message = f"{given} value: {err.message}"
        raise
    if not isinstance(written, literals_pb2.StructuredDataset):
        raise TypeMappingError(
            f"{encoder!r} returned {type(written).__name__}, not a StructuredDataset literal",
            code="CT223",
            hint="encode() must return a flyteidl literals_pb2.StructuredDataset",
        )
    if not written.metadata.structured_dataset_type.format:
        written.metadata.structured_dataset_type.format = fmt
    return scalar_literal(structured_dataset=written)


def dataset_to_literal(engine: Any, desc: StructuredDatasetOf, value: Any) -> Literal:
    """The literal of a dataframe, a ``StructuredDataset`` or a path, with the declared type.

    The format written is flytekit 1.16's choice: a bare dataframe is written in its class's
    default format (parquet) whatever the annotation says; ``StructuredDataset(dataframe=...)``
    in the declared format, else the default (its ``file_format`` is not consulted); a
    ``StructuredDataset`` naming a URI keeps the declared format, else its ``file_format``.
    """
    if isinstance(value, StructuredDataset):
        if value.dataframe is not None:
            return _encode(engine, desc, value, desc.format)
        passed = getattr(value, "_literal_sd", None)
        if passed is not None and passed.uri == value.uri:
            # An input handed on unchanged: its literal as read (format included), as flytekit.
            return scalar_literal(structured_dataset=passed)
        uri = value.uri
    elif isinstance(value, str | os.PathLike):
        uri = os.fspath(value)
    elif is_dataframe_type(type(value)):
        return _encode(engine, desc, StructuredDataset(dataframe=value), "")
    else:
        raise value_error(desc, value)
    if not uri:
        raise value_error(desc, value, "it has neither a dataframe nor a uri")
    meta = literals_pb2.StructuredDatasetMetadata(
        structured_dataset_type=_declared_type(engine, desc)
    )
    if not desc.format and isinstance(value, StructuredDataset):
        meta.structured_dataset_type.format = value.file_format
    return scalar_literal(structured_dataset=literals_pb2.StructuredDataset(uri=uri, metadata=meta))


def dataset_to_value(engine: Any, desc: StructuredDatasetOf, literal: Literal) -> Any:
    """The declared class's value: a decoded dataframe, or a ``StructuredDataset``."""
    if not literal.scalar.HasField("structured_dataset"):
        raise literal_error(desc, literal)
    sd = literal.scalar.structured_dataset
    # The consuming task's columns (read only those) with the format the data was written in.
    expected = literals_pb2.StructuredDatasetMetadata(
        structured_dataset_type=_declared_type(engine, desc)
    )
    fmt = sd.metadata.structured_dataset_type.format or desc.format
    expected.structured_dataset_type.format = fmt
    cls = desc.py or StructuredDataset
    if isinstance(cls, type) and issubclass(cls, StructuredDataset):
        value = cls(uri=sd.uri, file_format=fmt, metadata=expected)
        value._literal_sd = literals_pb2.StructuredDataset()
        value._literal_sd.CopyFrom(sd)
        return value
    fmt = fmt or _ENGINE.default_format(cls)
    decoder = _ENGINE.get_decoder(cls, protocol_of(sd.uri), fmt)
    read = literals_pb2.StructuredDataset()
    read.CopyFrom(sd)
    read.metadata.structured_dataset_type.format = fmt
    try:
        return decoder.decode(DatasetContext(), read, expected)
    except TypeMappingError as err:
        err.message = f"{type_name(desc)} from {sd.uri!r}: {err.message}"
        raise
    except (OSError, ValueError) as exc:
        raise literal_error(desc, literal, f"cannot read {sd.uri!r} ({exc})") from None
