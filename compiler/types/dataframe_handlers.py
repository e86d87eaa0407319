"""The built-in dataset handlers: ``pandas.DataFrame`` and ``pyarrow.Table`` as parquet or CSV.

Imported only when a value of one of these types is converted (``StructuredDatasetTransformer
Engine.load_builtins``), never by ``import compiler``; pandas and pyarrow come with the
``dataframe`` extra. Files are laid out and read by :mod:`compiler.types.dataset_files`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from compiler.types.dataset_files import read_table, write_table
from compiler.types.structured import (
    CSV,
    PARQUET,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
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


def _to_arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


# --- handlers ------------------------------------------------------------------------------------


class PandasParquetEncoder(StructuredDatasetEncoder):
    """``pandas.DataFrame`` -> parquet."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = _to_arrow(structured_dataset.dataframe)
        return write_table(ctx, table, structured_dataset, structured_dataset_type, PARQUET)


class PandasCSVEncoder(StructuredDatasetEncoder):
    """``pandas.DataFrame`` -> CSV."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = _to_arrow(structured_dataset.dataframe)
        return write_table(ctx, table, structured_dataset, structured_dataset_type, CSV)


class PandasParquetDecoder(StructuredDatasetDecoder):
    """parquet -> ``pandas.DataFrame`` (the declared columns only, when some are)."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return read_table(ctx, flyte_value, current_task_metadata, PARQUET).to_pandas()


class PandasCSVDecoder(StructuredDatasetDecoder):
    """CSV -> ``pandas.DataFrame``."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return read_table(ctx, flyte_value, current_task_metadata, CSV).to_pandas()


class ArrowParquetEncoder(StructuredDatasetEncoder):
    """``pyarrow.Table`` -> parquet."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = structured_dataset.dataframe
        return write_table(ctx, table, structured_dataset, structured_dataset_type, PARQUET)


class ArrowCSVEncoder(StructuredDatasetEncoder):
    """``pyarrow.Table`` -> CSV."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, CSV)

    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        table = structured_dataset.dataframe
        return write_table(ctx, table, structured_dataset, structured_dataset_type, CSV)


class ArrowParquetDecoder(StructuredDatasetDecoder):
    """parquet -> ``pyarrow.Table``."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return read_table(ctx, flyte_value, current_task_metadata, PARQUET)


class ArrowCSVDecoder(StructuredDatasetDecoder):
    """CSV -> ``pyarrow.Table``."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, CSV)

    def decode(self, ctx: Any, flyte_value: Any, current_task_metadata: Any) -> Any:
        return read_table(ctx, flyte_value, current_task_metadata, CSV)


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
