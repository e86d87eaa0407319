"""More corners of types, docstrings and options."""

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Optional, Union

from compiler import FlyteAnnotation, FlyteFile, Secret, StructuredDataset, task
from compiler.accelerators import A100, V5E, V6E
from compiler.types import CSVFile


class Size(str, enum.Enum):  # noqa: UP042
    SMALL = "s"
    LARGE = "l"


@dataclass
class Shipment:
    manifest: CSVFile
    table: Annotated[StructuredDataset, "parquet"]
    rows: list[dict] = field(default_factory=list)
    size: Size = Size.SMALL
    eta: Optional[datetime] = None  # noqa: UP045
    pallets: Optional[Optional[int]] = None  # noqa: UP045


@task
def odd_unions(
    a: Union[int, None, str],  # noqa: UP007, RUF036
    b: dict[str, Optional[list[int]]],  # noqa: UP045
    c: list[Optional[FlyteFile]],  # noqa: UP045
    d: Annotated[list[int], FlyteAnnotation({"max_len": 10})],
    e: dict[str, Annotated[int, FlyteAnnotation({"unit": "ms"})]],
    f: Size,
) -> Shipment:
    """Odd unions and annotations.

    Args:
        a: Int, nothing or text.
        b: Optional lists by key.

    Raises:
        ValueError: Never.

    Returns:
        A shipment
        spanning lines.
    """
    if f is Size.LARGE:
        raise ValueError("not called")
    return Shipment(manifest=CSVFile("m.csv"), table=StructuredDataset(uri="t"))


@task
def blank_first_line(x: int) -> int:
    """

    Starts after an empty line.

    :param x: X.
    """
    return x


@task(
    timeout=timedelta(days=1, microseconds=5),
    secret_requests=[Secret(group="g", key="k", mount_requirement=Secret.MountType.ANY)],
    environment={"EMPTY": "", "SPACE": " "},
    accelerator=A100.partition_1g_5gb,
)
def odd_options(x: int) -> int:
    return x


@task(accelerator=V5E.slice_1x1)
def tpu_small(x: int) -> int:
    return x


@task(accelerator=V6E)
def tpu_v6e(x: int) -> int:
    return x
