"""Golden review of a pull request on ``examples/``: every rule, through the real command.

The examples are copied to a temporary folder, edited (``review_edits.EDITS``: one edit or
more per rule), compiled with the ``compile-tasks`` console script and checked against the
committed ``golden/``. Each expected rule is one test; so are the affected workflows, the
accepted changes, the exit codes and the GitHub annotations.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from review_edits import EXPECTED, IMAGES, edited_examples

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "golden"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    return subprocess.run(
        ["compile-tasks", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env
    )


@pytest.fixture(scope="module")
def pr(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the examples with the pull request's edits (``pr/examples``)."""
    root = tmp_path_factory.mktemp("pr")
    edited_examples(REPO / "examples", root)
    return root


@pytest.fixture(scope="module")
def checked(pr: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    result = cli(
        "examples/",
        *IMAGES,
        "--out",
        "bundle",
        "--golden",
        str(GOLDEN),
        "--fail-on-breaking",
        "--report",
        "review.json",
        "--annotations",
        "github",
        cwd=pr,
    )
    return result, json.loads((pr / "review.json").read_text(encoding="utf-8"))


def _entity(report: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    found = [e for e in report["entities"] if e["kind"] == kind and e["name"] == name]
    assert found, f"{kind} {name} not in the report"
    return found[0]


@pytest.mark.parametrize(
    ("kind", "name", "rule", "breaking"),
    EXPECTED,
    ids=[f"{rule}:{name.rsplit('.', 1)[-1]}:{kind}" for kind, name, rule, _ in EXPECTED],
)
def test_rule(checked: Any, kind: str, name: str, rule: str, breaking: bool) -> None:
    _, report = checked
    entity = _entity(report, kind, name)
    if breaking:
        rules = {c["rule"] for c in entity["changes"] if c["impact"] == "breaking"}
        assert rule in rules, entity["changes"]
        assert entity["breaking"] is True
    else:
        categories = {c["category"]: c for c in entity["changes"]}
        assert categories[rule]["impact"] == "compatible", entity["changes"]


def test_fail_on_breaking_exits_1_and_breaking_comes_first(checked: Any) -> None:
    result, report = checked
    assert result.returncode == 1, result.stderr
    flags = [e["breaking"] for e in report["entities"]]
    assert flags == sorted(flags, reverse=True)  # every breaking entity before the others
    assert report["summary"]["breaking"] == sum(flags)


def test_a_breaking_task_change_names_the_workflows_it_affects(checked: Any) -> None:
    _, report = checked
    task = _entity(report, "task", "examples.orders.ingest.load_orders")
    assert "workflow examples.flows.orders.ingest_orders" in task["affects"]
    assert "workflow examples.flows.orders.full_intake" in task["affects"]  # via a sub-workflow
    assert "launch plan examples.flows.hourly_ingest" in task["affects"]
    result, _ = checked
    assert "    affects: " in result.stdout


def test_behavioural_changes_are_marked(checked: Any) -> None:
    _, report = checked
    plan = _entity(report, "launch plan", "examples.flows.fraud_watch")
    (schedule,) = [c for c in plan["changes"] if c["rule"] == "schedule-removed"]
    assert schedule["behavioural"] is True
    assert schedule["summary"] == "schedule removed (was every 15 minutes)"


def test_workflow_graph_marks_changed_nodes(checked: Any, pr: Path) -> None:
    html = cli("examples/", *IMAGES, "--golden", str(GOLDEN), "--report", "review.html", cwd=pr)
    assert html.returncode == 0, html.stderr
    text = (pr / "review.html").read_text(encoding="utf-8")
    assert '<svg class="dag"' in text
    assert 'data-node="n2" data-status="added"' in text  # month_close's new node
    markdown = cli("examples/", *IMAGES, "--golden", str(GOLDEN), "--report", "r.md", cwd=pr)
    assert markdown.returncode == 0
    assert "```mermaid\nflowchart TD\n" in (pr / "r.md").read_text(encoding="utf-8")


def test_github_annotations_point_at_the_source_line(checked: Any) -> None:
    result, _ = checked
    lines = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert (
        "::error file=examples/orders/ingest.py,line=10,"
        "title=breaking change%3A input-default-removed::task examples.orders.ingest.load_orders:"
        " input 'limit' no longer has a default (affects "
    ) in "\n".join(lines)
    assert all(line.startswith(("::error ", "::notice ", "::warning ")) for line in lines)


def test_accepted_breaking_changes_pass_the_gate(checked: Any, pr: Path, tmp_path: Path) -> None:
    result, _ = checked
    after = result.stdout.split("add to compile-tasks.yaml:\n", 1)[1].splitlines()
    snippet = [line[2:] for line in after[: next(i for i, x in enumerate(after) if x[:2] != "  ")]]
    assert snippet[0] == "accept_breaking:"
    config = tmp_path / "accept.yaml"
    config.write_text("\n".join(snippet) + "\n")
    accepted = cli(
        "examples/", *IMAGES, "--config", str(config), "--golden", str(GOLDEN),
        "--fail-on-breaking", "--report", str(tmp_path / "a.json"), cwd=pr,
    )  # fmt: skip
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    report = json.loads((tmp_path / "a.json").read_text())
    assert report["summary"]["breaking"] == 0
    assert report["summary"]["accepted"] >= 15
    assert "entities have accepted breaking changes" in accepted.stdout
    assert "[accepted]" in accepted.stdout


def test_a_typo_in_accept_breaking_is_refused(pr: Path, tmp_path: Path) -> None:
    config = tmp_path / "typo.yaml"
    config.write_text("accept_breaking:\n  - {entity: a.b, rule: input-remove}\n")
    result = cli("examples/", *IMAGES, "--config", str(config), "--golden", str(GOLDEN), cwd=pr)
    assert result.returncode == 2
    assert "error CT605: accept_breaking entry 1" in result.stderr
    assert "did you mean 'input-removed'?" in result.stderr


def test_check_prints_the_command_that_accepts_the_changes(pr: Path) -> None:
    result = cli("examples/", *IMAGES, "--golden", str(GOLDEN), "--check", cwd=pr)
    assert result.returncode == 1
    assert (
        "goldens: to accept these changes, run: compile-tasks examples/ --image "
        "registry.example.com/team/app:2.0 --image gpu=registry.example.com/team/gpu:1.4 "
        f"--golden {GOLDEN} --update-goldens"
    ) in result.stdout
