"""Tasks and workflows the probe dynamic tasks and eager workflows call (and ``docs=`` given
without a docstring part: the part stays absent, as flytekit writes it)."""

from __future__ import annotations

from compiler import Description, Documentation, LaunchPlan, Resources, task, workflow


@task
def square(x: int) -> int:
    return x * x


@task(retries=2, requests=Resources(cpu="1"))
def total(xs: list[int]) -> int:
    return sum(xs)


@task
def label(n: int, prefix: str = "item") -> str:
    return f"{prefix}-{n}"


@workflow
def square_twice(a: int) -> int:
    return square(x=square(x=a))


@workflow
def outer(a: int) -> int:
    """A workflow calling a workflow."""
    return square_twice(a=total(xs=[a, a]))


double_plan = LaunchPlan.get_or_create(outer, name="probe_dynamic.tasks.double_plan")


@task(docs=Documentation(short_description="Only a summary, given."))
def summarised(n: int) -> int:
    return n


@task(docs=Documentation(long_description=Description(value="A body, given.")))
def described(n: int) -> int:
    """The docstring's summary."""
    return n


@workflow(docs=Documentation(short_description="A workflow summary, given."))
def summarised_flow(n: int) -> int:
    return summarised(n=described(n=n))
