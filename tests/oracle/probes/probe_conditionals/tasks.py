"""Tasks the probe conditionals call."""

from __future__ import annotations

from dataclasses import dataclass

from compiler import task


@task
def square(n: int) -> int:
    return n * n


@task
def halve(n: int) -> int:
    return n // 2


@task
def negate(n: int) -> int:
    return -n


@task
def ratio(a: int, b: int) -> float:
    return a / b


@task
def is_even(n: int) -> bool:
    return n % 2 == 0


@task
def shout(word: str) -> str:
    return word.upper()


@task
def maybe(word: str) -> str | None:
    return word or None


@task
def log(word: str) -> None:
    print(word)


@task
def pair_of(n: int) -> tuple[int, str]:
    return n, str(n)


@dataclass
class Box:
    size: int
    label: str


@task
def boxed(n: int) -> Box:
    return Box(size=n, label=f"box{n}")
