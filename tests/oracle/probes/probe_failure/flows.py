"""Probe failure nodes: a task handler, a workflow handler, a handler without inputs."""

from __future__ import annotations

from compiler import workflow
from probe_failure.tasks import clean_none, clean_up, notify, risky


@workflow
def cleanup_flow(n: int, label: str) -> None:
    clean_up(n=n, label=label)
    clean_none()


@workflow(on_failure=clean_up)
def with_task_handler(n: int, label: str = "job") -> int:
    return risky(n=risky(n=n))


@workflow(on_failure=cleanup_flow)
def with_workflow_handler(n: int, label: str) -> int:
    return risky(n=n)


@workflow(on_failure=clean_none)
def with_bare_handler() -> int:
    return risky(n=1)


@workflow(on_failure=notify)
def optional_inputs(n: int) -> int:
    """A left-out Optional input of a node and of the failure node is bound to None."""
    notify(n=n)
    return risky(n=n)
