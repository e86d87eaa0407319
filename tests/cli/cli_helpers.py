"""Paths and helpers shared by the CLI tests (a unique module name: conftest is ambiguous)."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

#: What the ``cli`` fixture returns: ``cli(*args, cwd=..., env=...)``.
Runner = Callable[..., subprocess.CompletedProcess[str]]

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases"
EXAMPLES = REPO / "examples"
IMAGES = [
    "--image",
    "registry.example.com/team/app:2.0",
    "--image",
    "gpu=registry.example.com/team/gpu:1.0",
]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_with_stderr_on_a_terminal(
    args: list[str], cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[bytes], bytes]:
    """Run the console script with stderr on a pseudo-terminal; its result and what stderr got."""
    script = shutil.which("compile-tasks")
    assert script
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [script, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=secondary, timeout=120
        )
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    return done, seen
