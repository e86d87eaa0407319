"""Tasks with dataframe inputs and outputs, run through the real container entrypoint."""

from __future__ import annotations

import os
from typing import Annotated

import pandas as pd
import pyarrow as pa
from pydantic import BaseModel

from compiler import FlyteFile, StructuredDataset, current_context, kwtypes, task
from compiler.models.literals import Literal, Primitive, Scalar
from compiler.models.types import LiteralType, SimpleType
from compiler.types import TypeEngine, TypeTransformer

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


class Kelvin:
    """A temperature that cannot go below absolute zero."""

    def __init__(self, degrees: float) -> None:
        self.degrees = degrees


class KelvinTransformer(TypeTransformer[Kelvin]):
    def __init__(self) -> None:
        super().__init__(name="Kelvin", t=Kelvin)

    def get_literal_type(self, t: type[Kelvin]) -> LiteralType:
        return LiteralType(simple=SimpleType.FLOAT)

    def to_literal(self, ctx, python_val: Kelvin, python_type, expected) -> Literal:
        if python_val.degrees < 0:
            raise ValueError(f"{python_val.degrees} K is below absolute zero")
        return Literal(scalar=Scalar(primitive=Primitive(float_value=python_val.degrees)))

    def to_python_value(self, ctx, lv: Literal, expected_python_type) -> Kelvin:
        return Kelvin(lv.scalar.primitive.float_value)


TypeEngine.register(KelvinTransformer())


@task
def to_kelvin(celsius: float) -> Kelvin:
    """Converts (and fails through the transformer below absolute zero)."""
    return Kelvin(celsius + 273.15)


class Delivery(BaseModel):
    """A model output holding a file and a dataset written by the task."""

    name: str
    receipt: FlyteFile
    rows: StructuredDataset
    extra: list[FlyteFile] = []


@task
def deliver(name: str) -> Delivery:
    """Writes a file and a dataframe; the runtime uploads both under the raw output prefix."""
    path = os.path.join(current_context().working_directory, "receipt.txt")
    with open(path, "w") as out:
        out.write(f"receipt for {name}")
    frame = pd.DataFrame({"sku": ["a", "b"], "qty": [1, 2]})
    return Delivery(name=name, receipt=FlyteFile(path), rows=StructuredDataset(dataframe=frame))


@task
def receipt_text(delivery: Delivery) -> str:
    """Reads the model's file and dataset back (downloaded when used)."""
    with open(delivery.receipt) as src:
        text = src.read()
    qty = int(delivery.rows.open(pd.DataFrame).all()["qty"].sum())
    return f"{text}: {qty}"


try:
    import polars as pl
except ImportError:  # the polars extra is optional
    pl = None

if pl is not None:

    @task
    def polars_double(df: Annotated[pl.DataFrame, kwtypes(qty=int)]) -> pl.DataFrame:
        """Doubles a polars frame's quantities (one parquet file under the raw prefix)."""
        return df.with_columns(pl.col("qty") * 2)
