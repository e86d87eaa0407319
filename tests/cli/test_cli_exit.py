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


#: Runs the console script's entry and says, on file descriptor 1 (not through ``sys.stdout``,
#: which the interpreter's teardown may have closed), whether the exit handlers ran and
#: whether the interpreter tore down the driver's globals (a ``__del__`` that runs then).
ENTRY_DRIVER = """
import atexit, os, sys
from compiler.cli.entry import main

class TornDown:
    def __del__(self):
        os.write(1, b"torn down\\n")

keep = TornDown()
atexit.register(lambda: os.write(1, b"exit handlers ran\\n"))
print("printed before the end", end="")  # left in sys.stdout's buffer: must be flushed
sys.argv = ["compile-tasks", *sys.argv[1:]]
sys.exit(main())
"""


def _ended(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY_DRIVER, *args], cwd=cwd, capture_output=True, text=True
    )


def test_after_a_compile_in_workers_the_process_ends_once_its_exit_handlers_ran(
    tmp_path: Path,
) -> None:
    out = tmp_path / "b.tgz"
    done = _ended(str(EXAMPLES), *IMAGES, "--out", str(out), "--no-cache", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.is_file()
    assert done.stdout == "printed before the endexit handlers ran\n"  # no teardown


def test_a_failed_compile_in_workers_ends_at_once_with_its_exit_code(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("def broken(:\n")
    done = _ended("pkg", *IMAGES, "--out", "b.tgz", "--no-cache", cwd=tmp_path)
    assert done.returncode == 3
    assert "CT402" in done.stderr
    assert done.stdout.endswith("exit handlers ran\n")
    assert "torn down" not in done.stdout
    assert not (tmp_path / "b.tgz").exists()


def test_a_command_that_forks_no_workers_ends_as_the_interpreter_does(tmp_path: Path) -> None:
    done = _ended("show-config", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.endswith("exit handlers ran\ntorn down\n")


def test_a_thread_the_interpreter_waits_for_keeps_the_usual_end(tmp_path: Path) -> None:
    # A non-daemon thread still running after the command (which takes about 0.5 s): the
    # interpreter joins it.
    driver = ENTRY_DRIVER.replace(
        "keep = TornDown()",
        "keep = TornDown()\nimport threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(2.5), os.write(1, b'joined\\n'))).start()",
    )
    out = tmp_path / "b.tgz"
    done = subprocess.run(
        [sys.executable, "-c", driver, str(EXAMPLES), *IMAGES, "--out", str(out), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # The interpreter joined the thread, then ran the exit handlers (ending at once would
    # have run the handlers and killed the thread, which sleeps past the compile).
    assert "joined\nexit handlers ran\n" in done.stdout
