"""The polars dataset handlers: ``polars.DataFrame`` and ``polars.LazyFrame`` as parquet.

What flytekit's polars plugin (``flytekitplugins-polars`` 1.16.31) registers: parquet only (the
default format of both classes), a dataset written as one parquet file named ``00000`` (the
literal's URI is that file; given a ``uri``, the file is written there), read with the declared
columns only. A ``LazyFrame`` is collected before writing and read back as ``.lazy()``.

Imported only when a polars value is converted (``StructuredDatasetTransformerEngine
.load_builtins``); polars and pyarrow come with the ``polars`` extra. Declared columns are
checked as for pandas (CT221 missing, CT224 another type).
"""

from __future__ import annotations

import os
from typing import Any

import polars as pl

from compiler.types.dataset_files import (
    PART_NAMES,
    check_columns,
    check_declared_present,
    dataset_literal,
    dataset_parts,
    selected_columns,
)
from compiler.types.structured import (
    PARQUET,
    DatasetContext,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    protocol_of,
)

__all__ = [
    "PolarsDataFrameDecoder",
    "PolarsDataFrameEncoder",
    "PolarsLazyFrameDecoder",
    "PolarsLazyFrameEncoder",
    "register_polars_handlers",
]


def _write(ctx: DatasetContext, df: pl.DataFrame, sd: Any, sd_type: Any) -> Any:
    check_columns(df.to_arrow(), sd_type)
    uri = getattr(sd, "uri", None)
    if not uri:
        local_dir = ctx.file_access.get_random_local_directory()
        path = os.path.join(local_dir, PART_NAMES[PARQUET])
        df.write_parquet(path)
        return dataset_literal(path, sd_type, PARQUET)
    if protocol_of(uri) == "file":
        path = uri.removeprefix("file://")
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        df.write_parquet(path)
    else:
        import fsspec

        with fsspec.open(uri, "wb") as out:
            df.write_parquet(out)
    return dataset_literal(uri, sd_type, PARQUET)


def _read(ctx: DatasetContext, flyte_value: Any, meta: Any) -> pl.DataFrame:
    columns = selected_columns(meta.structured_dataset_type) if meta is not None else None
    parts = [pl.read_parquet(path) for path in dataset_parts(ctx, flyte_value.uri)]
    if not parts:
        raise FileNotFoundError(f"the dataset at {flyte_value.uri!r} has no files")
    df = pl.concat(parts) if len(parts) > 1 else parts[0]
    if columns:
        check_declared_present(flyte_value.uri, columns, df.columns)
        df = df.select(columns)
    return df


class PolarsDataFrameEncoder(StructuredDatasetEncoder):
    """``polars.DataFrame`` -> one parquet file."""

    def __init__(self) -> None:
        super().__init__(pl.DataFrame, None, PARQUET)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        return _write(
            ctx, structured_dataset.dataframe, structured_dataset, structured_dataset_type
        )


class PolarsDataFrameDecoder(StructuredDatasetDecoder):
    """parquet -> ``polars.DataFrame`` (the declared columns only, when some are)."""

    def __init__(self) -> None:
        super().__init__(pl.DataFrame, None, PARQUET)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return _read(ctx, flyte_value, current_task_metadata)


class PolarsLazyFrameEncoder(StructuredDatasetEncoder):
    """``polars.LazyFrame`` -> one parquet file (collected first, as flytekit does)."""

    def __init__(self) -> None:
        super().__init__(pl.LazyFrame, None, PARQUET)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        df = structured_dataset.dataframe.collect()
        return _write(ctx, df, structured_dataset, structured_dataset_type)


class PolarsLazyFrameDecoder(StructuredDatasetDecoder):
    """parquet -> ``polars.LazyFrame``."""

    def __init__(self) -> None:
        super().__init__(pl.LazyFrame, None, PARQUET)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return _read(ctx, flyte_value, current_task_metadata).lazy()


def register_polars_handlers(engine: Any) -> None:
    """Register the polars handlers (parquet the default format); a user's handler for the same
    key, registered first, is kept."""
    for handler in (
        PolarsDataFrameEncoder(),
        PolarsDataFrameDecoder(),
        PolarsLazyFrameEncoder(),
        PolarsLazyFrameDecoder(),
    ):
        table = (
            engine.ENCODERS if isinstance(handler, StructuredDatasetEncoder) else engine.DECODERS
        )
        if (handler.python_type, handler.protocol, handler.supported_format) not in table:
            engine.register(handler)
        engine.DEFAULT_FORMATS.setdefault(handler.python_type, PARQUET)
