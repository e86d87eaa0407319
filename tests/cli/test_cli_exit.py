"""Leaving the process: after a compile in workers, the last collection skips our objects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cli_helpers import EXAMPLES, IMAGES

#: Runs ``main()`` as the console script does and reports, from an exit handler (which runs
#: after ``main`` has returned), how many objects were frozen out of the last collection.
DRIVER = """
import atexit, gc, sys
from compiler.cli.main import main
from compiler.pipeline import user_code_forked
atexit.register(lambda: print("frozen", gc.get_freeze_count() > 0, user_code_forked()))
sys.argv = ["compile-tasks", *sys.argv[1:]]
main()
"""


def _exit_state(*args: str, cwd: Path) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, *args], cwd=cwd, capture_output=True, text=True
    )
    return done.returncode, done.stdout.strip().splitlines()[-1]


def test_a_compile_in_workers_freezes_what_is_left_before_the_interpreter_exits(
    tmp_path: Path,
) -> None:
    code, state = _exit_state(
        str(EXAMPLES), *IMAGES, "--out", str(tmp_path / "b.tgz"), "--no-cache", "-q", cwd=tmp_path
    )
    assert code == 0
    assert state == "frozen True True"


def test_a_command_that_forks_no_workers_leaves_the_collector_alone(tmp_path: Path) -> None:
    code, state = _exit_state("show-config", cwd=tmp_path)
    assert code == 0
    assert state == "frozen False False"
