"""``@workflow``: compile-time errors of a body, and local execution."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from compiler import task, workflow
from compiler.errors import CompileErrors, WorkflowError
from compiler.workflow import bindings

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


class _Odd:
    """A hint object whose ``==`` fails or answers something that is not a bool."""

    def __init__(self, answer: object) -> None:
        self.answer = answer

    def __eq__(self, other: object) -> bool:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer  # type: ignore[return-value]

    __hash__ = object.__hash__


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (int, int, True),
        (list[str], list[str], True),  # written twice: two objects, one type
        (dict[str, int], dict[str, float], False),
        (_Odd(ValueError("no")), int, False),
        (_Odd([1]), int, False),  # truthy but not True
    ],
)
def test_one_type_binds_to_itself_without_a_lookup(
    first: object, second: object, same: bool
) -> None:
    assert bindings._same_hint(first, second) is same


def test_a_list_output_binds_to_an_equal_list_input_and_a_different_one_is_refused() -> None:
    @task
    def names(n: int) -> list[str]:
        return [str(n)]

    @task
    def count(xs: list[str]) -> int:
        return len(xs)

    @task
    def total(xs: list[int]) -> int:
        return sum(xs)

    @workflow
    def fine(n: int) -> int:
        return count(xs=names(n=n))

    assert fine(n=3) == 1
    with pytest.raises(WorkflowError) as exc:

        @workflow
        def bad(n: int) -> int:
            return total(xs=names(n=n))

    assert exc.value.code == "CT903"


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


class _Split(NamedTuple):
    train: int
    test: int


@task
def split_rows(rows: int) -> _Split:
    return _Split(rows // 2, rows - rows // 2)


def test_a_named_tuple_call_gives_what_a_namedtuple_of_its_promises_would() -> None:
    seen: list[Any] = []

    @workflow
    def reads_the_split(rows: int) -> int:
        parts = split_rows(rows=rows)
        seen.append(parts)
        first, _ = parts
        assert first is parts.train is parts[0] and parts.test is parts[1]
        assert parts._fields == ("train", "test") == parts.__match_args__
        assert parts._asdict() == {"train": parts.train, "test": parts.test}
        assert parts._replace(test=parts.train) == (parts.train, parts.train)
        with pytest.raises(ValueError, match="unexpected field names"):
            parts._replace(nope=1)
        with pytest.raises(TypeError, match="Expected 2 arguments"):
            type(parts)._make([parts.train])
        parts.with_overrides(name="split")  # a call's tuple still changes its node
        return double(a=parts.test)

    (parts,) = seen
    assert type(parts).__name__ == "_Split" and isinstance(parts, tuple) and len(parts) == 2
    assert repr(parts) == f"_Split(train={parts.train!r}, test={parts.test!r})"
    assert split_rows(rows=3) == (1, 2) and split_rows(rows=3).train == 1  # run, not bound
    assert reads_the_split(rows=5) == 6  # run locally: double(test=3)

    @workflow
    def splits_again(rows: int) -> int:
        seen.append(split_rows(rows=rows))
        return double(a=seen[-1].train)

    assert type(seen[-1]) is type(parts)  # one class per tuple name and fields
