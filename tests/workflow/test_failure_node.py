"""``@workflow(on_failure=...)``: the failure node runs in local runs when a node fails."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_failure import flows, tasks


@pytest.fixture(autouse=True)
def _clean() -> None:
    tasks.CLEANED.clear()


def test_a_successful_run_skips_the_failure_node() -> None:
    assert flows.with_task_handler(n=1) == 3
    assert tasks.CLEANED == []


def test_a_failing_task_runs_the_task_handler_with_the_workflow_inputs() -> None:
    with pytest.raises(ValueError, match="negative"):
        flows.with_task_handler(n=-1)
    assert tasks.CLEANED == ["job:-1"]


def test_a_workflow_handler_runs_all_its_nodes() -> None:
    with pytest.raises(ValueError):
        flows.with_workflow_handler(n=-5, label="L")
    assert tasks.CLEANED == ["L:-5", "none"]


def test_the_failure_node_is_fn0_bound_to_the_inputs() -> None:
    node = flows.with_task_handler.failure_node
    assert node.id == "fn0"
    assert sorted(node.bindings) == ["label", "n"]
    assert flows.with_workflow_handler.sub_workflows() == [flows.cleanup_flow]


_HEAD = """
from compiler import task, workflow

@task
def sq(n: int) -> int:
    return n * n

@task
def handler(n: int, reason: str) -> None:
    pass
"""


@pytest.mark.parametrize(
    ("option", "code"),
    [("on_failure=print", "CT918"), ("on_failure=handler", "CT918")],  # extra input: not Optional
)
def test_bad_failure_handlers_fail_the_compile(compile_source, option, code) -> None:
    source = _HEAD + f"\n@workflow({option})\ndef wf(n: int) -> int:\n    return sq(n=n)\n"
    result = compile_source(source)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"flows.py:13: error {code}:" in result.stderr  # the @workflow(...) line
    assert "workflow 'wfpkg.flows.wf'" in result.stderr


def test_left_out_optional_inputs_get_none() -> None:
    with pytest.raises(ValueError):
        flows.optional_inputs(n=-2)
    assert tasks.CLEANED == ["notify:-2:None", "notify:-2:None"]
