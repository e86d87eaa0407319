"""Models and dataclasses that carry files, datasets, dataframes and numpy arrays."""

from dataclasses import dataclass, field
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BaseModel

from compiler import (
    CSVFile,
    FlyteDirectory,
    FlyteFile,
    StructuredDataset,
    TensorboardLogs,
    kwtypes,
    task,
)


class Report(BaseModel):
    title: str
    body: FlyteFile
    assets: FlyteDirectory
    attachment: FlyteFile | None = None
    pages: list[FlyteFile] = []
    extra: dict[str, FlyteFile] = {}


class Snapshot(BaseModel):
    name: str
    data: StructuredDataset
    previous: StructuredDataset | None = None


class Exports(BaseModel):
    table: CSVFile
    columns: FlyteFile["parquet"]  # noqa: F821  # a format name, as flytekit spells it
    logs: TensorboardLogs | None = None
    plain: FlyteFile | None = None


class Bundle(BaseModel):
    report: Report
    snapshots: list[Snapshot] = []


@dataclass
class Scores:
    run: str
    frame: pd.DataFrame
    weights: np.ndarray


@dataclass
class Batch:
    name: str
    data: StructuredDataset
    orders: Annotated[pd.DataFrame, kwtypes(sku=str, qty=int)]
    parts: list[np.ndarray] = field(default_factory=list)


@task
def publish(report: Report) -> Bundle:
    return Bundle(report=report)


@task
def snapshot(name: str, data: StructuredDataset) -> Snapshot:
    return Snapshot(name=name, data=data)


@task
def score(run: str) -> Scores:
    return Scores(run=run, frame=pd.DataFrame({"x": [1]}), weights=np.zeros(3))


@task
def batch(b: Batch, s: Scores | None = None) -> list[Batch]:
    return [b]


@task
def export(run: str) -> Exports:
    return Exports(table=CSVFile("t.csv"), columns=FlyteFile("c.parquet"))
