"""Start-up stays cheap: a compile does not import what only other commands need."""

from __future__ import annotations

import subprocess
import sys

LAZY = (
    "jinja2",
    "yaml",
    "compiler.golden",
    "compiler.runtime",
    "compiler.cli.run_task",
    "compiler.cli.git_ref",
)


def test_the_cli_imports_golden_and_runtime_only_when_used() -> None:
    code = (
        f"import sys, compiler.cli.main\nprint(','.join(m for m in {LAZY!r} if m in sys.modules))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""
