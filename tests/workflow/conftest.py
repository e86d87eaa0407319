"""Compile a small package through the real ``compile-tasks`` console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

Compile = Callable[[str], subprocess.CompletedProcess[str]]


@pytest.fixture
def compile_source(tmp_path: Path) -> Compile:
    """``compile_source(code)`` writes ``wfpkg/flows.py`` and runs ``compile-tasks`` on it."""
    script = shutil.which("compile-tasks")
    assert script, "compile-tasks is not installed (pip install -e .)"

    def run(code: str) -> subprocess.CompletedProcess[str]:
        package = tmp_path / "wfpkg"
        package.mkdir(exist_ok=True)
        (package / "__init__.py").write_text("", encoding="utf-8")
        (package / "flows.py").write_text(textwrap.dedent(code), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        command = [script, str(package), "--out", str(tmp_path / "out"), "-i", "img:1"]
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )

    return run
