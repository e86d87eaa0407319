"""The built-in dataset handlers: ``pandas.DataFrame`` and ``pyarrow.Table`` as parquet or CSV.

Imported only when a value of one of these types is converted (``StructuredDatasetTransformer
Engine.load_builtins``), never by ``import compiler``; pandas and pyarrow come with the
``dataframe`` extra. A dataset is a directory holding one file per part, laid out as flytekit
writes it (parquet: ``<uri>/00000``; CSV: ``<uri>/.csv``); reading takes every file of the
directory in name order, so datasets flytekit or Spark wrote in several parts read too. Remote
URIs go through fsspec: a dataset is written to a local directory and uploaded, or downloaded
into one and read.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from flyteidl.core import literals_pb2, types_pb2

from compiler.errors import TypeMappingError
from compiler.types.structured import (
    CSV,
    PARQUET,
    DatasetContext,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    protocol_of,
)

__all__ = [
    "ArrowCSVDecoder",
    "ArrowCSVEncoder",
    "ArrowParquetDecoder",
    "ArrowParquetEncoder",
    "PandasCSVDecoder",
    "PandasCSVEncoder",
    "PandasParquetDecoder",
    "PandasParquetEncoder",
    "register_builtin_handlers",
]

_PART = {PARQUET: "00000", CSV: ".csv"}

#: Literal-type simple kinds -> the arrow type predicates a column of that kind satisfies.
_KIND_CHECKS = {
    types_pb2.SimpleType.INTEGER: pa.types.is_integer,
    types_pb2.SimpleType.FLOAT: lambda t: pa.types.is_floating(t) or pa.types.is_integer(t),
    types_pb2.SimpleType.STRING: lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    types_pb2.SimpleType.BOOLEAN: pa.types.is_boolean,
    types_pb2.SimpleType.DATETIME: lambda t: pa.types.is_timestamp(t) or pa.types.is_date(t),
    types_pb2.SimpleType.DURATION: pa.types.is_duration,
}


# --- storage -------------------------------------------------------------------------------------


def _filesystem(uri: str) -> Any:
    import fsspec

    return fsspec.core.url_to_fs(uri)[0]


def _write_dir(ctx: DatasetContext, uri: str | None) -> tuple[str, str]:
    """(where to write locally, the final URI): a remote URI is written locally and uploaded."""
    if not uri:
        local = ctx.file_access.get_random_local_directory()
        return local, local
    if protocol_of(uri) == "file":
        local = uri.removeprefix("file://")
        os.makedirs(local, exist_ok=True)
        return local, uri
    return ctx.file_access.get_random_local_directory(), uri


def _finish(local: str, uri: str) -> None:
    if local != uri and protocol_of(uri) != "file":
        _filesystem(uri).put(local.rstrip("/") + "/", uri.rstrip("/") + "/", recursive=True)


def _parts(ctx: DatasetContext, uri: str) -> list[str]:
    """The local files of the dataset at ``uri`` (downloaded first when remote)."""
    if protocol_of(uri) == "file":
        local = uri.removeprefix("file://")
    else:
        local = ctx.file_access.get_random_local_directory()
        fs = _filesystem(uri)
        if fs.isdir(uri):
            fs.get(uri.rstrip("/") + "/", local + "/", recursive=True)
        else:
            fs.get(uri, os.path.join(local, os.path.basename(uri)))
    if os.path.isfile(local):
        return [local]
    if not os.path.isdir(local):
        raise FileNotFoundError(f"no dataset at {uri!r}")
    found = []
    for root, _dirs, files in os.walk(local):
        # Spark and Hadoop leave _SUCCESS and .crc files next to the parts.
        found += [os.path.join(root, f) for f in files if f == ".csv" or f[0] not in "_."]
    return sorted(found)


# --- columns -------------------------------------------------------------------------------------


def _declared(
    sd_type: types_pb2.StructuredDatasetType,
) -> list[types_pb2.StructuredDatasetType.DatasetColumn]:
    return list(sd_type.columns)


def check_columns(table: pa.Table, sd_type: types_pb2.StructuredDatasetType) -> None:
    """Every declared column is in ``table``, with values of its declared simple kind.

    Raises:
        TypeMappingError: CT221 for a missing column, CT224 for a column of another type.
    """
    names = table.column_names
    for column in _declared(sd_type):
        if column.name not in names:
            raise TypeMappingError(
                f"the dataframe has no column '{column.name}' (it has: {', '.join(names)})",
                code="CT221",
                hint="add the column, or remove it from the kwtypes(...) of the annotation",
            )
        kind = column.literal_type.simple if column.literal_type.HasField("simple") else None
        check = _KIND_CHECKS.get(kind) if kind is not None else None
        actual = table.schema.field(column.name).type
        if check is not None and not pa.types.is_null(actual) and not check(actual):
            expected = types_pb2.SimpleType.Name(kind).lower()
            raise TypeMappingError(
                f"column '{column.name}' holds {actual} values, expected {expected}",
                code="CT224",
                hint="convert the column (e.g. df[col].astype(...)) or fix the declared type",
            )


def _selected(sd_type: types_pb2.StructuredDatasetType) -> list[str] | None:
    names = [c.name for c in _declared(sd_type)]
    return names or None


def _literal(
    uri: str, sd_type: types_pb2.StructuredDatasetType, fmt: str
) -> literals_pb2.StructuredDataset:
    written = types_pb2.StructuredDatasetType()
    written.CopyFrom(sd_type)
    written.format = fmt
    meta = literals_pb2.StructuredDatasetMetadata(structured_dataset_type=written)
    return literals_pb2.StructuredDataset(uri=uri, metadata=meta)


def _read_table(ctx: DatasetContext, flyte_value: Any, meta: Any, fmt: str) -> pa.Table:
    columns = _selected(meta.structured_dataset_type) if meta is not None else None
    tables = []
    for path in _parts(ctx, flyte_value.uri):
        part = pq.read_table(path) if fmt == PARQUET else pa_csv.read_csv(path)
        tables.append(part)
    if not tables:
        raise FileNotFoundError(f"the dataset at {flyte_value.uri!r} has no files")
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    if columns:
        missing = [c for c in columns if c not in table.column_names]
        if missing:
            raise TypeMappingError(
                f"the dataset at {flyte_value.uri!r} has no column '{missing[0]}' "
                f"(it has: {', '.join(table.column_names)})",
                code="CT221",
                hint="read a dataset with the declared columns, or fix the kwtypes(...)",
            )
        table = table.select(columns)
    return table


def _write_table(ctx: DatasetContext, table: pa.Table, sd: Any, sd_type: Any, fmt: str) -> Any:
    check_columns(table, sd_type)
    local, uri = _write_dir(ctx, getattr(sd, "uri", None))
    path = os.path.join(local, _PART[fmt])
    if fmt == PARQUET:
        pq.write_table(table, path)
    else:
        pa_csv.write_csv(table, path)
    _finish(local, uri)
    return _literal(uri, sd_type, fmt)


def _to_arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


# --- handlers ------------------------------------------------------------------------------------


class PandasParquetEncoder(StructuredDatasetEncoder):
    """``pandas.DataFrame`` -> parquet."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = _to_arrow(structured_dataset.dataframe)
        return _write_table(ctx, table, structured_dataset, structured_dataset_type, PARQUET)


class PandasCSVEncoder(StructuredDatasetEncoder):
    """``pandas.DataFrame`` -> CSV."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = _to_arrow(structured_dataset.dataframe)
        return _write_table(ctx, table, structured_dataset, structured_dataset_type, CSV)


class PandasParquetDecoder(StructuredDatasetDecoder):
    """parquet -> ``pandas.DataFrame`` (the declared columns only, when some are)."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return _read_table(ctx, flyte_value, current_task_metadata, PARQUET).to_pandas()


class PandasCSVDecoder(StructuredDatasetDecoder):
    """CSV -> ``pandas.DataFrame``."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return _read_table(ctx, flyte_value, current_task_metadata, CSV).to_pandas()


class ArrowParquetEncoder(StructuredDatasetEncoder):
    """``pyarrow.Table`` -> parquet."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = structured_dataset.dataframe
        return _write_table(ctx, table, structured_dataset, structured_dataset_type, PARQUET)


class ArrowCSVEncoder(StructuredDatasetEncoder):
    """``pyarrow.Table`` -> CSV."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, CSV)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = structured_dataset.dataframe
        return _write_table(ctx, table, structured_dataset, structured_dataset_type, CSV)


class ArrowParquetDecoder(StructuredDatasetDecoder):
    """parquet -> ``pyarrow.Table``."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return _read_table(ctx, flyte_value, current_task_metadata, PARQUET)


class ArrowCSVDecoder(StructuredDatasetDecoder):
    """CSV -> ``pyarrow.Table``."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, CSV)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return _read_table(ctx, flyte_value, current_task_metadata, CSV)


def register_builtin_handlers(engine: Any) -> None:
    """Register the pandas and pyarrow handlers (parquet the default format of both).

    A handler a user registered first for the same key is kept.
    """
    handlers = (
        (PandasParquetEncoder(), True), (PandasParquetDecoder(), True),
        (PandasCSVEncoder(), False), (PandasCSVDecoder(), False),
        (ArrowParquetEncoder(), True), (ArrowParquetDecoder(), True),
        (ArrowCSVEncoder(), False), (ArrowCSVDecoder(), False),
    )  # fmt: skip
    for handler, default in handlers:
        table = (
            engine.ENCODERS if isinstance(handler, StructuredDatasetEncoder) else engine.DECODERS
        )
        key = (handler.python_type, handler.protocol, handler.supported_format)
        if key not in table:
            engine.register(handler)
        if default:
            engine.DEFAULT_FORMATS.setdefault(handler.python_type, handler.supported_format)
