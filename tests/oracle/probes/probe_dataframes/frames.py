"""Tasks whose inputs and outputs are dataframes, in the shapes data pipelines write."""

import datetime
from typing import Annotated

import pandas as pd
import pyarrow as pa

from compiler import StructuredDataset, kwtypes, task

Orders = kwtypes(order_id=int, sku=str, qty=int, price=float, paid=bool)
OrdersFrame = Annotated[pd.DataFrame, Orders]


@task
def load(day: str) -> OrdersFrame:
    """Reads one day of orders."""
    return pd.DataFrame({"order_id": [1], "sku": [day], "qty": [1], "price": [1.0], "paid": [True]})


@task
def clean(orders: OrdersFrame, limit: int = 10) -> pd.DataFrame:
    """Drops unpaid orders."""
    return orders[orders["paid"]].head(limit)


@task
def to_arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df)


@task
def arrow_columns(table: Annotated[pa.Table, kwtypes(sku=str, qty=int)]) -> list[str]:
    return table.column_names


@task
def as_csv(df: pd.DataFrame) -> Annotated[StructuredDataset, "csv"]:
    return StructuredDataset(dataframe=df)


@task
def as_parquet(df: pd.DataFrame) -> Annotated[StructuredDataset, "parquet", Orders]:
    return StructuredDataset(dataframe=df)


@task
def read_any(sd: StructuredDataset, columns: Annotated[StructuredDataset, kwtypes(a=int)]) -> int:
    return len(sd.open(pd.DataFrame).all()) + len(columns.open(pd.DataFrame).all())


@task
def nested(
    frames: list[pd.DataFrame],
    by_name: dict[str, pa.Table],
    maybe: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, int]:
    return frames[0], len(by_name)


@task
def nested_columns(
    df: Annotated[pd.DataFrame, kwtypes(tags=list[str], when=datetime.datetime)],
) -> Annotated[pd.DataFrame, "csv", kwtypes(x=float)]:
    return df
