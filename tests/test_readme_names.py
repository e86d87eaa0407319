"""The README's list of supported flytekit names is generated from the port map."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from compiler.porting.names import FLYTEKIT_HOME
from compiler.porting.readme import render_block, supported_names_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
COMMAND = "python -m compiler.porting --readme README.md"


def test_readme_list_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert render_block(text) == text, f"the README's flytekit names are stale; run: {COMMAND}"


def test_every_ported_name_is_listed() -> None:
    table = supported_names_markdown()
    for name in ("ImageSpec", "ShellTask", "SQLite3Task", "task_mock", "task", "LaunchPlan"):
        assert name in FLYTEKIT_HOME and f"`{name}`" in table


def test_check_mode_exits_1_when_stale(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(README.read_text(encoding="utf-8").replace("`ShellTask`", "`Gone`"))
    command = [sys.executable, "-m", "compiler.porting", "--readme", str(stale), "--check"]
    assert subprocess.run(command, capture_output=True, text=True).returncode == 1
    assert subprocess.run(command[:-1], capture_output=True, text=True).returncode == 0
    assert subprocess.run(command, capture_output=True, text=True).returncode == 0
