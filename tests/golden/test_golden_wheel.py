"""The report templates ship inside the wheel, and every format renders from the wheel alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p.name for p in (REPO / "templates").glob("*.j2"))

RENDER_ALL = """
import compiler, sys
from compiler.golden import GoldenReport, ReportFormat, render_report
assert compiler.__file__.startswith(sys.argv[1]), compiler.__file__
for fmt in ReportFormat:
    assert render_report(GoldenReport("golden"), fmt)
print("rendered", len(list(ReportFormat)))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy so that no build/ or *.egg-info appears in the working tree.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("compiler", "templates"):
        shutil.copytree(REPO / name, source / name, symlinks=True, ignore=ignore)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (path,) = out.glob("compile_tasks-*.whl")
    return path


def test_wheel_contains_the_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    shipped = sorted(
        n.rsplit("/", 1)[1] for n in names if n.startswith("compiler/golden/templates/")
    )
    assert TEMPLATES == ["report.html.j2", "report.json.j2", "report.md.j2"]
    assert shipped == TEMPLATES


def test_every_format_renders_from_the_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", RENDER_ALL, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "rendered 3\n"), result.stderr
