"""Every machine-readable output is valid JSON with a ``format_version``, and is documented:
``list --json``, ``--report x.json``, ``diff --json`` and errors with ``--format json``; and
``--annotations github`` turns compile errors into GitHub workflow commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import CASES, IMAGES, REPO

MINI = CASES / "mini"
BROKEN = CASES / "broken" / "invalid_task"
CLI_DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def test_listing_json(cli) -> None:
    result = cli("list", "minishop", *IMAGES, "--json", cwd=MINI)
    assert json.loads(result.stdout)["format_version"] == 1


def test_report_json_and_diff_json(cli, tmp_path: Path) -> None:
    out = tmp_path / "b"
    report = tmp_path / "r.json"
    compiled = cli("minishop", *IMAGES, "--out", str(out), "-q", cwd=MINI)
    assert compiled.returncode == 0, compiled.stderr
    update = cli(
        "minishop", *IMAGES, "--golden", str(tmp_path / "g"), "--update-goldens",
        "--report", str(report), cwd=MINI,
    )  # fmt: skip
    assert update.returncode == 0, update.stderr
    assert json.loads(report.read_text())["format_version"] == 2
    diff = cli("diff", str(tmp_path / "g"), str(out), "--json")
    assert diff.returncode == 0
    assert json.loads(diff.stdout)["format_version"] == 2


@pytest.mark.parametrize(
    ("args", "cwd", "code"),
    [
        (["badtask", "--out", "o", "--format", "json"], BROKEN, None),  # compile errors
        (["minishop", "--format", "json"], MINI, "CT816"),  # usage
        (
            ["minishop", *IMAGES, "--golden", "nowhere", "--check", "--format", "json"],
            MINI,
            "CT601",
        ),
        (["diff", "nowhere", "nowhere", "--format", "json"], MINI, "CT606"),
    ],
)
def test_errors_as_json(cli, args: list[str], cwd: Path, code: str | None) -> None:
    result = cli(*args, cwd=cwd)
    assert result.returncode != 0
    document = json.loads(result.stderr)
    assert document["format_version"] == 1
    assert document["errors"], document
    first = document["errors"][0]
    assert set(first) == {
        "code",
        "message",
        "hint",
        "file",
        "line",
        "task",
        "param",
        "exit_code",
        "text",
    }
    if code is not None:
        assert first["code"] == code


def test_compile_errors_as_github_annotations(cli) -> None:
    result = cli("badtask", "--out", "o", "--annotations", "github", cwd=BROKEN)
    assert result.returncode == 3
    lines = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert lines, result.stdout + result.stderr
    assert all(",title=CT" in line and "file=" in line for line in lines)


@pytest.mark.parametrize(
    "needle",
    ["`list --json`", "`--report FILE.json`", "`diff --json`", "`--format json`", "format_version"],
)
def test_machine_outputs_are_documented(needle: str) -> None:
    assert needle in CLI_DOC


def test_a_warning_is_one_line_whatever_a_path_in_it_holds() -> None:
    """``file:line: warning: ...`` lines are read line by line, as errors are."""
    import io

    from compiler.cli.output import Console

    err = io.StringIO()
    Console(err=err).warn("odd\nname\u2028.py:3: warning: module 'odd' imports flytekit")
    assert err.getvalue() == "odd\\nname\\u2028.py:3: warning: module 'odd' imports flytekit\n"
