"""Every definition-time launch plan error, through the real console script.

Each case is a one-module package whose launch plan is wrong in one way; the compile must exit 3
with the documented code, the file and line of the ``get_or_create`` / ``create`` call (or of the
schedule or notification), the launch plan's name where it has one, a hint, and write nothing.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

HEADER = """\
    from datetime import datetime, timedelta

    from compiler import (
        AuthRole, CronSchedule, Email, FixedRate, Identity, LaunchPlan, SecurityContext,
        WorkflowExecutionPhase, task, workflow,
    )


    @task
    def t(region: str, limit: int, at: datetime) -> str:
        return region


    @workflow
    def wf(region: str, limit: int = 3, at: datetime = datetime(2024, 1, 1)) -> str:
        return t(region=region, limit=limit, at=at)


    @workflow
    def other(region: str) -> str:
        return t(region=region, limit=1, at=datetime(2024, 1, 1))


"""

#: case -> (the offending lines, expected code, a phrase of the message or hint).
CASES: dict[str, tuple[str, str, str]] = {
    "unknown_fixed_input": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", fixed_inputs={"regoin": "eu"})',
        "CT950",
        "the workflow's inputs are: region, limit, at",
    ),
    "unknown_default_input": (
        'lp = LaunchPlan.create("lp", wf, default_inputs={"size": 1})',
        "CT950",
        "'size', which is not an input",
    ),
    "wrong_type": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", default_inputs={"limit": "ten"})',
        "CT951",
        "default_inputs['limit']",
    ),
    "cron_fields": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", schedule=CronSchedule(schedule="0 4 * *"))',
        "CT952",
        "has 4 field(s), not 5",
    ),
    "cron_range": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", '
        'schedule=CronSchedule(schedule="61 * * * *"))',
        "CT952",
        "the minute field '61' is invalid",
    ),
    "cron_alias": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", '
        'schedule=CronSchedule(schedule="@fortnightly"))',
        "CT952",
        "has 1 field(s)",
    ),
    "kickoff_not_datetime": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", schedule=CronSchedule('
        'schedule="@daily", kickoff_time_input_arg="region"))',
        "CT953",
        "name a datetime input: at",
    ),
    "kickoff_unknown": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", schedule=FixedRate('
        'duration=timedelta(hours=1), kickoff_time_input_arg="when"))',
        "CT953",
        "'when' is not an input of the workflow",
    ),
    "rate_seconds": (
        "rate = FixedRate(duration=timedelta(seconds=90))",
        "CT954",
        "not a whole number of minutes",
    ),
    "rate_zero": (
        "rate = FixedRate(duration=timedelta(0))",
        "CT954",
        "at least one",
    ),
    "phase_not_terminal": (
        'mail = Email(phases=[WorkflowExecutionPhase.RUNNING], recipients_email=["a@b.c"])',
        "CT955",
        "only terminal phases notify",
    ),
    "no_recipients": (
        "mail = Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email=[])",
        "CT955",
        "recipients_email",
    ),
    "same_name_twice": (
        'a = LaunchPlan.create("lp", wf)\nb = LaunchPlan.create("lp", other)',
        "CT956",
        "another launch plan is already named 'lp'",
    ),
    "same_name_other_options": (
        'a = LaunchPlan.get_or_create(wf, name="lp", default_inputs={"limit": 1})\n'
        'b = LaunchPlan.get_or_create(wf, name="lp", default_inputs={"limit": 2})',
        "CT957",
        "other default_inputs",
    ),
    "same_name_other_workflow": (
        'a = LaunchPlan.get_or_create(wf, name="lp")\n'
        'b = LaunchPlan.get_or_create(other, name="lp")',
        "CT957",
        "for workflow",
    ),
    "options_without_name": (
        'lp = LaunchPlan.get_or_create(wf, schedule=CronSchedule(schedule="@daily"))',
        "CT958",
        "give the launch plan a name",
    ),
    "bad_parallelism": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", max_parallelism=0)',
        "CT959",
        "max_parallelism must be a positive int",
    ),
    "not_a_workflow": (
        'lp = LaunchPlan.get_or_create(t, name="lp")',
        "CT959",
        "a launch plan needs a workflow",
    ),
    "auth_and_security": (
        'lp = LaunchPlan.get_or_create(wf, name="lp", auth_role=AuthRole("arn:role"), '
        'security_context=SecurityContext(run_as=Identity(k8s_service_account="sa")))',
        "CT960",
        "auth_role is deprecated",
    ),
}


def _package(root: Path, body: str) -> tuple[Path, int]:
    """A package ``plans`` whose module ``main.py`` ends with ``body``; the body's first line."""
    package = root / "plans"
    package.mkdir()
    (package / "__init__.py").write_text("")
    header = textwrap.dedent(HEADER)
    (package / "main.py").write_text(header + body + "\n")
    return package, header.count("\n") + 1


@pytest.mark.parametrize("case", sorted(CASES))
def test_launch_plan_error(cli, tmp_path: Path, case: str) -> None:
    body, code, phrase = CASES[case]
    package, first_line = _package(tmp_path, body)
    out = tmp_path / "bundle"
    result = cli(str(package), "--out", str(out), "--image", "r/app:1", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert f"error {code}:" in result.stderr, result.stderr
    assert phrase in result.stderr, result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr
    lines = range(first_line, first_line + body.count("\n") + 1)
    where = re.search(r"plans/main\.py:(\d+): error", result.stderr)
    assert where and int(where.group(1)) in lines, result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans"]


def test_a_launch_plan_named_like_another_is_reported_with_both_sites(cli, tmp_path: Path) -> None:
    package, first_line = _package(
        tmp_path, 'a = LaunchPlan.create("lp", wf)\nb = LaunchPlan.create("lp", other)'
    )
    result = cli(str(package), "--out", str(tmp_path / "o"), "--image", "r/app:1", cwd=tmp_path)
    assert result.returncode == 3
    assert f"main.py:{first_line + 1}: error CT956" in result.stderr
    assert f"(created at {package / 'main.py'}:{first_line})" in result.stderr


def test_a_good_launch_plan_package_compiles_with_its_plans(cli, tmp_path: Path) -> None:
    package, _ = _package(
        tmp_path,
        'nightly = LaunchPlan.get_or_create(wf, name="plans.nightly", '
        'fixed_inputs={"region": "eu"}, schedule=CronSchedule(schedule="0 3 * * *", '
        'kickoff_time_input_arg="at"))\n'
        'LaunchPlan.get_or_create(other, name="plans.unassigned")',
    )
    out = tmp_path / "bundle"
    result = cli(str(package), "--out", str(out), "--image", "r/app:1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("compiled 1 task, 2 workflows, 4 launch plans from 2 modules")
    names = sorted(p.name for p in out.glob("*.pb"))
    assert names == [
        "00_plans.main.t_1.pb",
        "01_plans.main.other_2.pb",
        "01_plans.main.wf_2.pb",
        "02_plans.main.other_3.pb",
        "02_plans.main.wf_3.pb",
        "02_plans.nightly_3.pb",
        "02_plans.unassigned_3.pb",
    ]


def test_list_dry_run_and_manifest_show_workflows_and_launch_plans(cli, tmp_path: Path) -> None:
    package, first_line = _package(
        tmp_path, 'nightly = LaunchPlan.get_or_create(wf, name="plans.nightly")'
    )
    listing = cli("list", str(package), "--json", "--image", "r/app:1", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    rows = {(row["name"], row["kind"]): row for row in json.loads(listing.stdout)["entities"]}
    assert sorted(rows) == [
        ("plans.main.other", "launch_plan"),
        ("plans.main.other", "workflow"),
        ("plans.main.t", "task"),
        ("plans.main.wf", "launch_plan"),
        ("plans.main.wf", "workflow"),
        ("plans.nightly", "launch_plan"),
    ]
    nightly = rows["plans.nightly", "launch_plan"]
    assert nightly["source"] == f"plans/main.py:{first_line}"
    assert nightly["file"] == "02_plans.nightly_3.pb"
    assert (
        rows["plans.main.wf", "launch_plan"]["source"]
        == rows["plans.main.wf", "workflow"]["source"]
    )
    dry = cli(str(package), "--dry-run", "--image", "r/app:1", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "would compile 1 task, 2 workflows, 3 launch plans from 2 modules" in dry.stdout
    out = tmp_path / "bundle"
    assert cli(str(package), "--out", str(out), "--image", "r/app:1", cwd=tmp_path).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    kinds = {entry["file"]: entry["kind"] for entry in manifest["entities"]}
    assert kinds["02_plans.nightly_3.pb"] == "launch_plan"
    assert kinds["01_plans.main.wf_2.pb"] == "workflow"
    sources = {entry["file"]: entry["source"] for entry in manifest["entities"]}
    assert sources["02_plans.main.wf_3.pb"] == sources["01_plans.main.wf_2.pb"]
