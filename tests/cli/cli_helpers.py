"""Paths and helpers shared by the CLI tests (a unique module name: conftest is ambiguous)."""

from __future__ import annotations

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
