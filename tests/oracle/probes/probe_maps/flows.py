"""Workflows with array nodes, gates and echo nodes."""

from __future__ import annotations

import functools
from datetime import timedelta

from compiler import Resources, approve, conditional, map_task, sleep, wait_for_input, workflow
from probe_maps.tasks import (
    Item,
    echo_one,
    echo_two,
    in_pod,
    log_line,
    make_items,
    numbers,
    on_gpu,
    scale,
    split,
    weigh,
)

#: Assigned to a module-level name and used by no workflow: compiled all the same.
unused_map = map_task(functools.partial(scale, factor=7), concurrency=2)


@workflow
def plain(xs: list[int], fs: list[int], os: list[int]) -> list[int]:
    return map_task(scale)(x=xs, factor=fs, offset=os)


@workflow
def bound_two(xs: list[int], f: int) -> list[int]:
    return map_task(functools.partial(scale, factor=2, offset=f))(x=xs)


@workflow
def bound_from_promise(n: int) -> list[int]:
    xs = numbers(n=n)
    return map_task(functools.partial(scale, factor=3), concurrency=0)(x=xs, offset=xs)


@workflow
def criteria(xs: list[int]) -> list[int]:
    a = map_task(functools.partial(scale, factor=1, offset=0), min_successes=2)(x=xs)
    b = map_task(
        functools.partial(scale, factor=1, offset=0), min_successes=2, min_success_ratio=None
    )(x=xs)
    map_task(functools.partial(scale, factor=1, offset=0), concurrency=5, min_success_ratio=1)(x=xs)
    map_task(functools.partial(scale, factor=1, offset=0), run_all_sub_nodes=True)(x=a)
    return map_task(functools.partial(scale, factor=1, offset=0), min_success_ratio=None)(x=b)


@workflow
def with_metadata(n: int) -> list[float | None]:
    items = make_items(n=n)
    return map_task(weigh, min_success_ratio=0.5)(item=items)


@workflow
def no_outputs(lines: list[str]) -> None:
    map_task(log_line)(line=lines)


@workflow
def constants() -> list[int]:
    return map_task(functools.partial(scale, factor=4))(x=[1, 2, 3], offset=[0, 0, 1])


@workflow
def gates(n: int) -> str:
    pause = sleep(timedelta(seconds=90))
    parts = split(n=n)
    tail = approve(parts.tail, "check-tail", timeout=timedelta(minutes=30))
    wait_for_input("go", timeout=timedelta(hours=2), expected_type=bool)
    wait_for_input("item", timeout=timedelta(hours=2), expected_type=Item)
    wait_for_input("many", timeout=timedelta(seconds=600), expected_type=list[str])
    pause >> tail
    _, text = echo_two(a=parts.head, b=tail)
    echo_one(values=numbers(n=n))
    return text


@workflow
def echo_only(values: list[int]) -> list[int]:
    return echo_one(values=values)


@workflow
def overridden(xs: list[int]) -> list[int]:
    first = map_task(functools.partial(scale, factor=1, offset=0))(x=xs).with_overrides(
        retries=5,
        timeout=timedelta(minutes=9),
        interruptible=False,
        name="renamed",
        requests=Resources(cpu="3"),
        container_image="registry.example.com/team/x:1",
        cache=True,
        cache_version="v2",
    )
    pause = sleep(timedelta(seconds=5)).with_overrides(name="nap")
    second = map_task(on_gpu)(x=first)
    pause >> second
    return map_task(in_pod, concurrency=3)(x=second)


@workflow
def branched(xs: list[int], go: bool) -> list[int]:
    return (
        conditional("pick")
        .if_(go.is_true())
        .then(map_task(on_gpu)(x=xs))
        .else_()
        .then(map_task(in_pod, concurrency=3)(x=xs))
    )
