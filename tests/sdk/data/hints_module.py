"""Tasks whose hints are strings (PEP 563) and NamedTuple outputs, for test_interface.py."""

from __future__ import annotations

import typing
from typing import NamedTuple

from compiler import task


class Totals(NamedTuple):
    count: int
    amount: float


class Functional(NamedTuple):
    label: str


@task
def stringly(xs: list[int], label: str | None = None) -> dict[str, int]:
    return {}


@task
def class_tuple(day: str) -> Totals:
    return Totals(1, 2.0)


@task
def functional_tuple() -> Functional:
    return Functional("x")


@task
def inline_tuple() -> typing.NamedTuple("Inline", [("count", int)]):
    return (1,)


@task
def plain_tuple(a: int) -> typing.Tuple[int, str]:  # noqa: UP006
    return a, ""


@task
def nothing(a: int) -> None:
    pass


@task
def unannotated_return(a: int):
    pass
