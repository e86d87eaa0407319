"""Run the real ``compile-tasks`` console script."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases"
EXAMPLES = REPO / "examples"
IMAGES = [
    "--image",
    "registry.example.com/team/app:2.0",
    "--image",
    "gpu=registry.example.com/team/gpu:1.0",
]

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli() -> Runner:
    """``cli(*args, cwd=..., env=...)`` runs the installed console script and captures output."""
    script = shutil.which("compile-tasks")
    assert script, "compile-tasks is not installed (pip install -e .)"

    def run(
        *args: str, cwd: Path = REPO, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        full_env = {k: v for k, v in os.environ.items() if k != "CI"}
        full_env.update(env or {})
        return subprocess.run(
            [script, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120
        )

    return run


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
