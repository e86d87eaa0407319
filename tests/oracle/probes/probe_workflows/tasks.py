"""Tasks the probe workflows call (every binding shape and node metadata option)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from compiler import task


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass
class Endpoint:
    host: str
    port: int


@dataclass
class Batch:
    source: str
    size: int
    tags: list[str]


class Stats(NamedTuple):
    total: int
    label: str


@task(retries=2)
def make_batch(n: int, label: str = "orders", limit: int | None = None) -> Batch:
    """Make a batch.

    :param n: how many rows
    :param label: where they come from
    """
    size = n if limit is None else min(n, limit)
    return Batch(source=label, size=size, tags=[label] * 2)


@task(timeout=timedelta(minutes=5), interruptible=True)
def summarise(batch: Batch, weights: list[int], extra: dict[str, int]) -> Stats:
    """Summarise a batch."""
    return Stats(total=batch.size + sum(weights) + sum(extra.values()), label=batch.source)


@task
def split(a: int) -> tuple[int, str]:
    return a * 2, f"a={a}"


@task
def ping() -> None:
    return None


@task
def describe(
    color: Color = Color.BLUE,
    endpoint: Endpoint = Endpoint(host="api.shop.example", port=8443),  # noqa: B008
    pause: timedelta = timedelta(minutes=90),
    ratio: float = 0.5,
    flag: bool = True,
) -> str:
    return f"{color.value}:{endpoint.host}:{endpoint.port}:{pause.total_seconds()}:{ratio}:{flag}"


@task
def pick(word: str, mapping: dict[str, int], items: list[int]) -> int:
    return mapping.get(word, 0) + items[0]
