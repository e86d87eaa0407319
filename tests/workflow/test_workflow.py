"""``@workflow``: compile-time errors of a body, and local execution."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from compiler import task, workflow
from compiler.errors import CompileErrors, WorkflowError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_workflows import flows


@task
def double(a: int) -> int:
    return a * 2


@task
def word(a: int) -> str:
    return str(a)


def test_local_runs_match_what_the_tasks_compute() -> None:
    assert flows.pipeline(n=2) == (22, "orders")
    assert flows.access() == 6
    assert flows.constants() == "red:db.example:5432:600.0:1.25:False"
    assert flows.overrides(n=5) == 10
    assert flows.middle() == 8
    assert flows.constant() == 3
    assert flows.empty() is None


def _codes(exc: pytest.ExceptionInfo) -> list[str]:
    err = exc.value
    return [e.code for e in err.errors] if isinstance(err, CompileErrors) else [err.code]


def test_unknown_and_missing_inputs_are_reported_together() -> None:
    with pytest.raises(CompileErrors) as exc:

        @workflow
        def bad(n: int) -> int:
            return double(b=n)

    assert _codes(exc) == ["CT901", "CT902"]
    assert "test_workflow.py:" in str(exc.value)
    assert "node 'n0'" in str(exc.value)


def test_a_str_output_cannot_bind_to_an_int_input() -> None:
    with pytest.raises(WorkflowError) as exc:

        @workflow
        def bad(n: int) -> int:
            return double(a=word(a=n))

    assert exc.value.code == "CT903"
    assert exc.value.param == "a"


def test_a_promise_in_an_if_points_at_conditional() -> None:
    with pytest.raises(WorkflowError) as exc:

        @workflow
        def bad(n: int) -> int:
            if n:
                return double(a=n)
            return 0

    assert exc.value.code == "CT904"
    assert "conditional" in (exc.value.hint or "")


def test_wrong_number_of_outputs() -> None:
    with pytest.raises(WorkflowError) as exc:

        @workflow
        def bad(n: int) -> tuple[int, int]:
            return double(a=n)

    assert exc.value.code == "CT906"


def test_positional_arguments_are_refused() -> None:
    with pytest.raises(CompileErrors) as exc:

        @workflow
        def bad(n: int) -> int:
            return double(n)

    assert _codes(exc) == ["CT901", "CT902"]
