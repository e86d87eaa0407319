"""Reference tasks and workflows: remote ids in nodes, mocked local runs, and their errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from compiler import TaskReference, WorkflowReference
from compiler.errors import DefinitionError, ExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "oracle" / "probes"))

from probe_references import flows


def test_a_reference_cannot_run_locally_unless_mocked() -> None:
    with pytest.raises(ExecutionError) as exc:
        flows.charge(account="a", cents=1, currency="EUR")
    assert exc.value.code == "CT920"
    assert "shop/production" in str(exc.value) and "mock" in (exc.value.hint or "")


def test_a_mocked_reference_runs_inside_a_local_workflow_run(monkeypatch) -> None:
    monkeypatch.setattr(flows.charge, "mock", lambda account, cents, currency: f"{account}:{cents}")
    monkeypatch.setattr(flows.remote_ping, "mock", lambda: None)
    assert flows.checkout(account="acme") == "acme:100"
    assert flows.mixed(account="x") == "receipt-x:5"


def test_reference_ids() -> None:
    ref = TaskReference("p", "d", "n", "v")
    assert (ref.id.project, ref.id.domain, ref.id.name, ref.id.version) == ("p", "d", "n", "v")
    assert WorkflowReference("p", "d", "n", "v").id.resource_type == 2
    with pytest.raises(DefinitionError) as exc:
        TaskReference("p", "", "n", "v")
    assert exc.value.code == "CT920"


_HEAD = """
from compiler import reference_task, reference_workflow, workflow

@reference_task(project="p", domain="d", name="remote.t", version="1")
def remote(n: int, tag: str = "x") -> int: ...

@reference_workflow(project="p", domain="d", name="remote.wf", version="1")
def remote_wf(n: int) -> int: ...
"""


@pytest.mark.parametrize(
    ("body", "code"),
    [("return remote(n=n)", "CT902"), ("return remote_wf(n=n)", "CT921")],
)
def test_reference_misuse_fails_the_compile(compile_source, body, code) -> None:
    result = compile_source(_HEAD + f"\n@workflow\ndef wf(n: int) -> int:\n    {body}\n")
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"flows.py:12: error {code}:" in result.stderr, result.stderr


def test_references_are_not_compiled(compile_source, tmp_path: Path) -> None:
    body = 'return remote(n=n, tag="y")'
    result = compile_source(_HEAD + f"\n@workflow\ndef wf(n: int) -> int:\n    {body}\n")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").glob("*.pb"))
    assert names == ["01_wfpkg.flows.wf_2.pb", "02_wfpkg.flows.wf_3.pb"]  # and its launch plan


def test_a_bad_reference_id_names_the_decorator_line(compile_source) -> None:
    source = (
        "from compiler import reference_task\n\n"
        '@reference_task(project="p", domain="d", name="", version="1")\n'
        "def remote(n: int) -> int: ...\n"
    )
    result = compile_source(source)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "flows.py:3: error CT920:" in result.stderr, result.stderr
