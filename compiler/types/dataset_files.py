"""Dataset files: where a dataset's parts are written and read, and its declared columns.

Shared by the built-in handlers (:mod:`compiler.types.dataframe_handlers` for pandas and
pyarrow, :mod:`compiler.types.polars_handlers` for polars); needs pyarrow only. A dataset is a
directory holding one file per part, laid out as flytekit writes it (parquet: ``<uri>/00000``;
CSV: ``<uri>/.csv``), or one parquet file (what flytekit's polars handlers write); reading takes
every file of the directory in name order, so datasets flytekit or Spark wrote in several parts
read too. Remote URIs go through fsspec: a dataset is written to a local directory and uploaded,
or downloaded into one and read.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from flyteidl.core import literals_pb2, types_pb2

from compiler.errors import TypeMappingError
from compiler.types.structured import CSV, PARQUET, DatasetContext, protocol_of

__all__ = [
    "PART_NAMES",
    "check_columns",
    "check_declared_present",
    "dataset_literal",
    "dataset_parts",
    "finish_upload",
    "read_table",
    "selected_columns",
    "write_dir",
    "write_table",
]

PART_NAMES = {PARQUET: "00000", CSV: ".csv"}

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


def write_dir(ctx: DatasetContext, uri: str | None) -> tuple[str, str]:
    """(where to write locally, the final URI): a remote URI is written locally and uploaded."""
    if not uri:
        local = ctx.file_access.get_random_local_directory()
        return local, local
    if protocol_of(uri) == "file":
        local = uri.removeprefix("file://")
        os.makedirs(local, exist_ok=True)
        return local, uri
    return ctx.file_access.get_random_local_directory(), uri


def finish_upload(local: str, uri: str) -> None:
    if local != uri and protocol_of(uri) != "file":
        _filesystem(uri).put(local.rstrip("/") + "/", uri.rstrip("/") + "/", recursive=True)


def dataset_parts(ctx: DatasetContext, uri: str) -> list[str]:
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
    declared = _declared(sd_type)
    for column in declared:
        if column.name not in names:
            raise TypeMappingError(
                f"the dataframe has no column '{column.name}' (declared: "
                f"{', '.join(c.name for c in declared)}; it has: {', '.join(names) or 'none'})",
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


def selected_columns(sd_type: types_pb2.StructuredDatasetType) -> list[str] | None:
    names = [c.name for c in _declared(sd_type)]
    return names or None


def dataset_literal(
    uri: str, sd_type: types_pb2.StructuredDatasetType, fmt: str
) -> literals_pb2.StructuredDataset:
    written = types_pb2.StructuredDatasetType()
    written.CopyFrom(sd_type)
    written.format = fmt
    meta = literals_pb2.StructuredDatasetMetadata(structured_dataset_type=written)
    return literals_pb2.StructuredDataset(uri=uri, metadata=meta)


def read_table(ctx: DatasetContext, flyte_value: Any, meta: Any, fmt: str) -> pa.Table:
    columns = selected_columns(meta.structured_dataset_type) if meta is not None else None
    tables = []
    for path in dataset_parts(ctx, flyte_value.uri):
        part = pq.read_table(path) if fmt == PARQUET else pa_csv.read_csv(path)
        tables.append(part)
    if not tables:
        raise FileNotFoundError(f"the dataset at {flyte_value.uri!r} has no files")
    table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    if columns:
        check_declared_present(flyte_value.uri, columns, table.column_names)
        table = table.select(columns)
    return table


def check_declared_present(uri: str, columns: list[str], present: list[str]) -> None:
    """Refuse a dataset read that lacks a declared column (CT221, naming what it has)."""
    missing = [c for c in columns if c not in present]
    if missing:
        raise TypeMappingError(
            f"the dataset at {uri!r} has no column '{missing[0]}' (it has: {', '.join(present)})",
            code="CT221",
            hint="read a dataset with the declared columns, or fix the kwtypes(...)",
        )


def write_table(ctx: DatasetContext, table: pa.Table, sd: Any, sd_type: Any, fmt: str) -> Any:
    check_columns(table, sd_type)
    local, uri = write_dir(ctx, getattr(sd, "uri", None))
    path = os.path.join(local, PART_NAMES[fmt])
    if fmt == PARQUET:
        pq.write_table(table, path)
    else:
        pa_csv.write_csv(table, path)
    finish_upload(local, uri)
    return dataset_literal(uri, sd_type, fmt)
