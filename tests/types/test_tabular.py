"""StructuredDataset, FlyteSchema, kwtypes and FlyteAnnotation values."""

from __future__ import annotations

from collections import OrderedDict

import pytest

from compiler.types import FlyteAnnotation, FlyteSchema, StructuredDataset, kwtypes


def test_kwtypes_is_ordered() -> None:
    cols = kwtypes(b=int, a=str)
    assert cols == OrderedDict([("b", int), ("a", str)])
    assert list(cols) == ["b", "a"]


def test_structured_dataset_value() -> None:
    frame = object()
    sd = StructuredDataset(dataframe=frame, uri="s3://b/d", file_format="parquet")
    assert (sd.dataframe, sd.uri, sd.file_format, sd.metadata) == (
        frame,
        "s3://b/d",
        "parquet",
        None,
    )
    assert StructuredDataset().file_format == ""
    assert StructuredDataset.columns() == {}
    assert sd == StructuredDataset(dataframe=frame, uri="s3://b/d", file_format="parquet")
    assert sd != StructuredDataset(uri="s3://b/d", file_format="parquet")
    assert repr(sd) == "StructuredDataset(uri='s3://b/d', file_format='parquet')"


def test_flyte_schema_columns() -> None:
    schema = FlyteSchema[kwtypes(sku=str, qty=int)]
    assert schema is FlyteSchema[kwtypes(sku=str, qty=int)]
    assert schema is not FlyteSchema[kwtypes(qty=int, sku=str)]
    assert issubclass(schema, FlyteSchema)
    assert schema.columns() == {"sku": str, "qty": int}
    assert FlyteSchema[kwtypes(sku=str), "parquet"] is FlyteSchema[kwtypes(sku=str)]
    assert FlyteSchema[kwtypes()] is FlyteSchema
    assert FlyteSchema.columns() == {}
    value = schema(local_path="/tmp/s")
    assert (value.local_path, value.remote_path) == ("/tmp/s", None)
    assert repr(value) == "FlyteSchema(local_path='/tmp/s', remote_path=None)"
    with pytest.raises(TypeError, match="takes kwtypes"):
        FlyteSchema[int]


def test_flyte_annotation_is_hashable_by_content() -> None:
    first = FlyteAnnotation({"a": [1, {"b": 2}]})
    assert first == FlyteAnnotation({"a": [1, {"b": 2}]})
    assert hash(first) == hash(FlyteAnnotation({"a": [1, {"b": 2}]}))
    assert first != FlyteAnnotation({"a": 2})
