"""Dynamic tasks for the runtime tests: bodies that fail, that miswire a call, that fan out."""

from __future__ import annotations

import os

from compiler import FlyteFile, current_context, dynamic, task


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


@task
def read_text(doc: FlyteFile) -> str:
    with open(doc) as handle:
        return handle.read()


@dynamic
def writes_a_file(text: str) -> str:
    path = os.path.join(current_context().working_directory, "note.txt")
    with open(path, "w") as handle:
        handle.write(text)
    return read_text(doc=FlyteFile(path))
