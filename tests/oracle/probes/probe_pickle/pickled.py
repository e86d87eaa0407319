"""Pickle-typed inputs and outputs (WIRE-FORMAT 11.7)."""

from typing import Any, Optional

from compiler import task


class Basket:
    def __init__(self, items: list) -> None:
        self.items = items


@task
def raw_bytes(data: bytes) -> bytes:
    return data


@task
def anything(value: Any, values: list[Any]) -> Optional[Basket]:  # noqa: UP045
    return None


@task
def mapping_of_objects(m: dict[str, Basket]) -> Basket:
    return Basket([])
