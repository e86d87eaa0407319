"""Output piped into a reader that stops early (``compile-tasks list ... | head``).

Like other command-line tools, the command then ends quietly: exit status 141 (what a shell
reports for ``SIGPIPE``) or 0 when everything was already written, nothing on stderr, never an
internal error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from robust_helpers import clean_env, script

GENERATE = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
IMAGES = ["--image", "registry.example.com/app:1", "--image", "tools=registry.example.com/t:1"]


@pytest.fixture(scope="module")
def big_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1,000-task package: its listing is larger than a pipe's buffer."""
    work = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(GENERATE), str(work), "--modules", "20", "--tasks", "50"],
        check=True,
        capture_output=True,
    )
    return work


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["text", "json"])
def test_list_into_a_closed_pipe_ends_quietly(big_package: Path, extra: list[str]) -> None:
    proc = subprocess.Popen(
        [script(), "list", "benchpkg", *IMAGES, *extra],
        cwd=big_package,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.read(64)
    proc.stdout.close()  # the reader goes away, as `head` does
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert first
    assert code in (0, 141), err
    assert err == ""
