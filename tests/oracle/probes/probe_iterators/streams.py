"""Tasks that stream values: typed iterators, JSON Lines iterators, batched directories."""

from typing import Annotated, Iterator  # noqa: UP035  # Iterator[JSON] is typing's

from compiler import BatchSize, FlyteDirectory, task
from compiler.types import JSON


@task
def count_up(n: int) -> Iterator[int]:
    yield from range(n)


@task
def total(xs: Iterator[int]) -> int:
    return sum(xs)


@task
def events(n: int) -> Iterator[JSON]:
    for i in range(n):
        yield {"id": i, "tags": ["a", "b"]}


@task
def count_events(rows: Iterator[JSON], limit: int | None = None) -> int:
    return sum(1 for _ in rows)


@task
def nested(rows: Iterator[list[str]]) -> Iterator[dict[str, int]] | None:
    return iter([{r[0]: len(r)} for r in rows])


@task
def batched(
    d: Annotated[FlyteDirectory, BatchSize(10)],
) -> Annotated[FlyteDirectory, BatchSize(100)]:
    return d
