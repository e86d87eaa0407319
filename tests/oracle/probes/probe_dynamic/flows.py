"""Probe ``@dynamic`` (bare, every option, nested, calling workflows and launch plans, no nodes)
and ``@eager`` (bare, options, no outputs, no inputs, defaults)."""

from __future__ import annotations

from datetime import timedelta

from compiler import (
    Cache,
    Description,
    Documentation,
    EagerException,
    PodTemplate,
    Resources,
    Secret,
    dynamic,
    eager,
    map_task,
    workflow,
)
from compiler.accelerators import T4
from probe_dynamic.tasks import double_plan, label, outer, square, square_twice, total


@dynamic
def fan_out(n: int) -> int:
    """Square 0..n-1 and add the squares up."""
    squares = [square(x=i) for i in range(n)]
    return total(xs=squares)


@dynamic(
    retries=3,
    timeout=timedelta(minutes=10),
    interruptible=True,
    cache=Cache(version="2"),
    requests=Resources(cpu="2", mem="1Gi"),
    limits=Resources(mem="2Gi"),
    environment={"MODE": "fan"},
    container_image="{{.image.default.fqn}}:dyn",
    secret_requests=[Secret(group="db", key="password")],
    accelerator=T4,
    pod_template_name="dynamic-pods",
    labels={"team": "ml"},
    annotations={"owner": "ml"},
)
def fan_options(n: int, word: str = "w") -> list[str]:
    return [label(n=i, prefix=word) for i in range(n)]


@dynamic(
    cache=True,
    cache_version="3",
    cache_serialize=True,
    cache_ignore_input_vars=["word"],
    deprecated="use fan_options",
    enable_deck=True,
    shared_memory="1Gi",
    resources=Resources(cpu=("1", "2"), mem="1Gi"),
    docs=Documentation(short_description="More options."),
)
def more_options(n: int, word: str = "m") -> list[str]:
    """Label 0..n-1.

    A longer body from the docstring.
    """
    return [label(n=i, prefix=word) for i in range(n)]


@dynamic
def calls_workflows(n: int) -> tuple[int, int]:
    first = square_twice(a=n)
    second = outer(a=first)
    third = double_plan(a=n)
    return second, third


@dynamic
def overrides(n: int) -> list[int]:
    out = []
    for i in range(n):
        out.append(square(x=i).with_overrides(retries=i + 1, name=f"sq-{i}"))
    return out


@dynamic
def maps_in_body(n: int) -> int:
    squares = map_task(square, concurrency=2)(x=list(range(n)))
    return total(xs=squares)


@dynamic
def nested(n: int) -> int:
    return fan_out(n=n + 1)


@dynamic
def no_nodes(n: int, word: str) -> tuple[int, list[str]]:
    return n * 2, [word] * n


@dynamic(node_dependency_hints=[square_twice])
def with_hints(n: int) -> int:
    return square_twice(a=n)


POD = PodTemplate(
    primary_container_name="main",
    labels={"pool": "dynamic"},
    pod_spec={"containers": [{"name": "main", "env": [{"name": "CACHE", "value": "/c"}]}]},
)


@dynamic(pod_template=POD, environment={"MODE": "pod"})
def in_a_pod(n: int) -> list[int]:
    return [square(x=i) for i in range(n)]


@eager(
    pod_template=POD,
    docs=Documentation(
        short_description="In a pod.", long_description=Description(value="Squares in a pod.")
    ),
)
async def eager_in_a_pod(x: int) -> int:
    return square(x=x)


@workflow
def runs_dynamic(n: int = 3) -> int:
    return nested(n=fan_out(n=n))


@eager
async def eager_sum(x: int) -> int:
    """Square then add, one call at a time."""
    squared = square(x=x)
    return total(xs=[squared, x])


@eager(
    container_image="{{.image.default.fqn}}:eager",
    environment={"MODE": "eager"},
    requests=Resources(mem="1Gi"),
    secret_requests=[Secret(group="db", key="password")],
    pod_template_name="eager-pods",
    accelerator=T4,
)
async def eager_options(x: int, word: str = "e") -> tuple[int, str]:
    try:
        value = square(x=x)
    except EagerException:
        value = -1
    return value, label(n=value, prefix=word)


@eager
async def eager_nothing(x: int) -> None:
    square(x=x)


@eager
async def eager_no_inputs() -> str:
    return await eager_words(n=2)


@eager
async def eager_words(n: int) -> str:
    return label(n=n)
