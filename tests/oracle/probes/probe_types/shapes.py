"""Types of WIRE-FORMAT 11 and 12, one or a few per task."""

import enum
import typing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, Literal, NamedTuple, Optional, TypeVar, Union

from compiler import (
    FlyteAnnotation,
    FlyteDirectory,
    FlyteFile,
    FlyteSchema,
    StructuredDataset,
    kwtypes,
    task,
)
from compiler.types import (
    HDF5EncodedFile,
    HTMLPage,
    JoblibSerializedFile,
    ONNXFile,
    PDFFile,
    PythonNotebook,
    PythonPickledFile,
    SVGImageFile,
    TensorboardLogs,
    TFRecordFile,
)


class Tier(enum.Enum):
    GOLD = "gold"
    SILVER = "silver"
    PLATINUM = "gold"  # an alias: not a separate value


@dataclass
class Nothing:
    pass


@dataclass
class Window:
    start: datetime = datetime(2024, 5, 1, 6, 0)
    first_day: date = date(2024, 5, 1)
    length: timedelta = timedelta(hours=2)
    tier: Tier = Tier.SILVER
    note: Optional[str] = None  # noqa: UP045


@dataclass
class Attachment:
    report: FlyteFile
    folder: FlyteDirectory
    table: StructuredDataset
    ends: Optional[datetime] = None  # noqa: UP045
    kind: Literal["a", "b"] = "a"
    extra: dict = field(default_factory=dict)
    counts: dict[str, list[int]] = field(default_factory=dict)
    window: Window = field(default_factory=Window)


@dataclass
class Point:
    x: float
    y: float
    label: str = ""


class Pair(NamedTuple):
    left: int


Totals = NamedTuple("Totals", [("total", float), ("count", int)])  # noqa: UP014

Address = kwtypes(city=str, zip=str)


@task
def nothing_returned(x: int) -> None:
    print(x)


@task
def no_return_annotation(x: int):
    print(x)


@task
def unions_str_first(a: str | int | None) -> int:
    """Declares the union str-first; ``unions`` below declares int-first."""
    return 0


@task
def unions(
    a: Union[int, Union[str, int] | None],  # noqa: UP007
    b: Union[date, timedelta, Tier, Window, None],  # noqa: UP007
    c: FlyteFile | FlyteDirectory | StructuredDataset | list[int] | dict[str, int] | dict,
    d: Optional[list[str]] = None,  # noqa: UP045
) -> Optional[Window]:  # noqa: UP045
    return None


@task
def containers(
    a: dict[int, str], b: list[dict[str, list[int]]], c: dict, d: list[dict[str, float]]
) -> list[dict]:
    return [c]


@task
def literals(a: Literal[1, 2], b: Literal["x"], c: Literal[True, False]) -> Literal["done"]:
    return "done"


@task
def annotated(
    a: Annotated[Optional[int], FlyteAnnotation({"nullable": True, "n": [1, 2.5, "x"]})],  # noqa: UP045
    b: list[Annotated[int, FlyteAnnotation({"each": {"deep": 3}})]],
    c: Optional[Annotated[int, FlyteAnnotation({"inner": None})]],  # noqa: UP045
    d: Annotated[int, "anything"],
) -> Annotated[str, FlyteAnnotation({"out": True})]:
    return ""


@task
def dataclasses_in(a: Nothing, b: Window, c: Attachment) -> list[Attachment]:
    return []


@task
def files(
    a: FlyteFile["avro"],  # noqa: F821
    b: FlyteFile[TypeVar(" .parquet")],
    c: FlyteDirectory[TypeVar("jsonl")],
    d: HDF5EncodedFile,
    e: HTMLPage,
    f: JoblibSerializedFile,
    g: ONNXFile,
    h: PDFFile,
    i: PythonNotebook,
    j: PythonPickledFile,
    k: SVGImageFile,
    m: TFRecordFile,
    n: TensorboardLogs,
) -> FlyteFile:
    return a


@task
def tables(
    a: Annotated[StructuredDataset, "avro"],
    b: Annotated[StructuredDataset, kwtypes(sku=str, address=Address, seen=list[int])],
    c: Annotated[StructuredDataset, Point],
    d: FlyteSchema[kwtypes(sku=str, qty=int, price=float, ok=bool, at=datetime, d=timedelta)],
    e: FlyteSchema,
    f: Annotated[StructuredDataset, kwtypes(qty=int), "csv"],
) -> StructuredDataset:
    return a


@task
def outputs_tuple(x: int) -> typing.Tuple[int, str, float]:  # noqa: UP006
    return x, "", 0.0


@task
def outputs_named_one(x: int) -> Pair:
    return Pair(x)


@task
def outputs_named_functional(x: int) -> Totals:
    return Totals(0.0, x)


@task
def scalars(a: int, b: float, c: str, d: bool, e: datetime, f: date, g: timedelta) -> Tier:
    return Tier.GOLD
