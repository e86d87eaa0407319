"""Tasks with dataframe inputs and outputs, run through the real container entrypoint."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import pyarrow as pa

from compiler import StructuredDataset, kwtypes, task

Sales = Annotated[pd.DataFrame, kwtypes(sku=str, qty=int)]


@task
def double(df: Sales) -> pd.DataFrame:
    """Doubles the quantities (reads only the declared columns)."""
    return df.assign(qty=df["qty"] * 2)


@task
def to_csv(df: pd.DataFrame) -> Annotated[StructuredDataset, "csv"]:
    """Writes the frame as CSV through a StructuredDataset."""
    return StructuredDataset(dataframe=df)


@task
def total(sd: StructuredDataset) -> int:
    """Reads a dataset as an arrow table."""
    table = sd.open(pa.Table).all()
    return int(pa.compute.sum(table["qty"]).as_py())


@task
def bad_columns(n: int) -> Sales:
    """Returns a frame without the declared ``qty`` column."""
    return pd.DataFrame({"sku": ["a"] * n})
