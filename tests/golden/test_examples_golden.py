"""The goldens of ``examples/`` (in ``golden/``), checked through the product's own code path.

The examples are compiled by the real command (``compile-tasks examples/ --out ...``) in a
subprocess, then every golden file is checked with :func:`compiler.golden.check_bundle`, one test
per entity. ``pytest --update-goldens`` rewrites ``golden/`` through the command's own
``--update-goldens`` first (refused under CI). A task without a golden fails with the exact
command that creates it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.cli.golden_cmd import ci_is_set
from compiler.golden import GoldenReport, check_bundle, summary_lines

REPO = Path(__file__).resolve().parents[2]
GOLDEN_DIR = REPO / "golden"
#: The images the examples refer to (the default one and the named ``gpu`` image).
COMPILE_ARGS = [
    "examples/",
    "--image",
    "registry.example.com/team/app:2.0",
    "--image",
    "gpu=registry.example.com/team/gpu:1.4",
]
UPDATE_COMMAND = "pytest tests/golden/test_examples_golden.py --update-goldens"
_CLI = [sys.executable, "-c", "from compiler.cli.main import main; main()"]


def _golden_stems() -> list[str]:
    if not GOLDEN_DIR.is_dir():
        return []
    return sorted(p.name.removesuffix(".yaml") for p in GOLDEN_DIR.glob("*.yaml"))


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_CLI, *COMPILE_ARGS, *args], cwd=REPO, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, update_goldens_requested: bool) -> Path:
    """The examples compiled by the real command; goldens rewritten first when asked."""
    out = tmp_path_factory.mktemp("examples") / "bundle"
    if update_goldens_requested:
        if ci_is_set(os.environ):
            pytest.fail("--update-goldens is refused under CI; run it locally and commit golden/")
        result = _run_cli("--out", str(out), "--golden", str(GOLDEN_DIR), "--update-goldens")
    else:
        result = _run_cli("--out", str(out), "--render")
    assert result.returncode == 0, result.stderr + result.stdout
    return out


@pytest.fixture(scope="module")
def report(bundle: Path) -> GoldenReport:
    if not GOLDEN_DIR.is_dir() or not _golden_stems():
        pytest.fail(f"golden/ holds no goldens for examples/. Create them with: {UPDATE_COMMAND}")
    return check_bundle(bundle, GOLDEN_DIR)


def _explain(report: GoldenReport, stem: str) -> str:
    (entity,) = [e for e in report.entities if e.stem == stem]
    one = GoldenReport(report.golden_dir, (entity,))
    lines = summary_lines(one)
    return "\n".join([*lines, entity.unified_diff, f"If this is intended, run: {UPDATE_COMMAND}"])


@pytest.mark.parametrize("stem", _golden_stems() or ["<no goldens>"])
def test_example_matches_golden(report: GoldenReport, stem: str) -> None:
    differing = {e.stem for e in report.entities}
    if stem in differing:
        pytest.fail(_explain(report, stem), pytrace=False)


def test_every_example_task_has_a_golden(report: GoldenReport) -> None:
    missing = [e.name for e in report.added]
    assert not missing, f"no golden for {missing}. Create them with: {UPDATE_COMMAND}"


def test_cli_check_of_examples_passes(tmp_path: Path, report: GoldenReport) -> None:
    """The same check through the command line, as CI runs it (with a report)."""
    target = tmp_path / "report.md"
    result = _run_cli(
        "--out", str(tmp_path / "b"), "--golden", "golden", "--check", "--report", str(target)
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert target.read_text().startswith("## compile-tasks: golden check\n\nNo changes: all ")
