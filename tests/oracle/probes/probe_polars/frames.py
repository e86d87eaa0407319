"""polars frames in and out of tasks, with and without declared columns."""

from typing import Annotated

import polars as pl

from compiler import StructuredDataset, kwtypes, task

Orders = Annotated[pl.DataFrame, kwtypes(sku=str, qty=int)]


@task
def load(n: int) -> pl.DataFrame:
    return pl.DataFrame({"sku": [f"s{i}" for i in range(n)], "qty": list(range(n))})


@task
def total(orders: Orders) -> int:
    return int(orders["qty"].sum())


@task
def lazy_filter(frame: pl.LazyFrame, min_qty: int = 1) -> pl.LazyFrame:
    return frame.filter(pl.col("qty") >= min_qty)


@task
def as_dataset(frame: Orders) -> Annotated[StructuredDataset, kwtypes(sku=str)]:
    return StructuredDataset(dataframe=frame.select("sku"))


@task
def many(frames: list[pl.DataFrame]) -> dict[str, pl.DataFrame]:
    return {str(i): f for i, f in enumerate(frames)}
