"""Run the real ``compile-tasks`` console script."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from cli_helpers import REPO, Runner


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
