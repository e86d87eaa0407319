"""Tasks the probe maps over, with the options a mapped task carries into its template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from compiler import Echo, PodTemplate, Resources, Secret, kwtypes, task
from compiler.accelerators import T4


@dataclass
class Item:
    sku: str
    qty: int


class Split(NamedTuple):
    head: int
    tail: str


@task
def scale(x: int, factor: int, offset: int = 0) -> int:
    """Scale a number.

    Args:
        x: The number.
        factor: The factor.
        offset: Added at the end.

    Returns:
        The result.
    """
    return x * factor + offset


@task(
    retries=3,
    timeout=timedelta(minutes=10),
    interruptible=True,
    cache=True,
    cache_version="1.0",
    requests=Resources(cpu="1", mem="1Gi"),
    limits=Resources(mem="2Gi"),
    environment={"MODE": "map"},
    secret_requests=[Secret(group="db", key="password")],
)
def weigh(item: Item) -> float:
    return item.qty * 1.5


@task
def log_line(line: str) -> None:
    print(line)


@task
def split(n: int) -> Split:
    return Split(head=n, tail=str(n))


@task
def make_items(n: int) -> list[Item]:
    return [Item(sku=f"s{i}", qty=i) for i in range(n)]


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


echo_one = Echo(name="echo_one", inputs=kwtypes(values=list[int]))
echo_two = Echo(name="echo_two", inputs=kwtypes(a=int, b=str))


@task(
    container_image="registry.example.com/team/other:1.0",
    accelerator=T4,
    requests=Resources(cpu="2"),
)
def on_gpu(x: int) -> int:
    return x


@task(
    pod_template=PodTemplate(
        primary_container_name="main",
        labels={"team": "maps"},
        pod_spec={
            "containers": [{"name": "main", "env": [{"name": "A", "value": "1"}]}],
            "nodeSelector": {"pool": "batch"},
        },
    )
)
def in_pod(x: int) -> int:
    return x
