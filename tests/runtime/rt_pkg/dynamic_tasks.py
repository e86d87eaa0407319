"""Dynamic tasks for the runtime tests: bodies that fail, that miswire a call, that fan out."""

from __future__ import annotations

from compiler import dynamic, task


@task
def square(x: int) -> int:
    return x * x


@dynamic
def fan(n: int) -> list[int]:
    return [square(x=i) for i in range(n)]


@dynamic
def broken(n: int) -> int:
    if n > 0:
        raise ValueError(f"no fan-out for {n}")
    return n


@dynamic
def miswired(n: int) -> int:
    return square(x=str(n))
