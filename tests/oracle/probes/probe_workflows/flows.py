"""Probe workflows: every core feature, and the error-free edge cases."""

from __future__ import annotations

from datetime import timedelta

from compiler import WorkflowFailurePolicy, workflow
from probe_workflows.tasks import (
    Color,
    Endpoint,
    describe,
    make_batch,
    pick,
    ping,
    split,
    summarise,
)


@workflow
def empty() -> None:
    pass


@workflow
def constant() -> int:
    return 3


@workflow
def inner(a: int) -> int:
    """Doubles a number.

    :param a: the number
    :return: twice a
    """
    doubled, _text = split(a=a)
    return doubled


@workflow
def middle(a: int = 4) -> int:
    return inner(a=a)


@workflow(
    failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE,
    interruptible=True,
)
def pipeline(n: int, tag: str = "t", weights: list[int] = [1, 2]) -> tuple[int, str]:  # noqa: B006
    """Run the whole pipeline.

    Loads, summarises and doubles.

    :param n: the row count
    :return: the results
    """
    batch = make_batch(n=n)
    stats = summarise(batch=batch, weights=[n, 3], extra={"a": n, "b": 2})
    deep = middle(a=stats.total)
    first = ping()
    second = ping()
    first >> second
    split(a=batch.size).with_overrides(retries=5, name="renamed")
    return deep, stats.label


@workflow
def constants(word: str = "x") -> str:
    """Constants of every engine type bound at call sites."""
    pick(word=word, mapping={"x": 1, "y": 2}, items=[4, 5])
    return describe(
        color=Color.RED,
        endpoint=Endpoint(host="db.example", port=5432),
        pause=timedelta(seconds=600),
        ratio=1.25,
        flag=False,
    )


@workflow
def defaults_only() -> str:
    return describe()


@workflow
def access(n: int = 3) -> int:
    batch = make_batch(n=n, label="web", limit=10)
    pair = split(a=batch.size)
    return pick(word=pair[1], mapping={"k": batch.size}, items=[pair[0], batch.size])


@workflow
def overrides(n: int) -> int:
    out, _ = split(a=n).with_overrides(
        node_name="Double It", timeout=120, interruptible=False, retries=1
    )
    return out
