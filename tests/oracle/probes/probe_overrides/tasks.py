"""Tasks whose nodes the probe overrides."""

from __future__ import annotations

from compiler import Resources, task
from compiler.accelerators import A100


@task(requests=Resources(cpu="1", mem="1Gi"), accelerator=A100, retries=1)
def train(n: int) -> int:
    return n + 1


@task(cache=True, cache_version="v1")
def cached(n: int) -> int:
    return n * 3
