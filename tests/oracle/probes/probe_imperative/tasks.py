"""Tasks the imperative workflows add."""

from __future__ import annotations

from typing import NamedTuple

from compiler import task


class Parts(NamedTuple):
    head: str
    size: int


@task
def load(path: str, limit: int = 10) -> list[int]:
    return list(range(min(len(path), limit)))


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def split_word(word: str) -> Parts:
    return Parts(head=word[:1], size=len(word))


@task
def announce() -> None:
    print("announce")
