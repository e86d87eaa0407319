"""Every shell command of the README and the docs runs as written, on a copy of the repository.

The commands are the lines of the fenced ``bash``/``sh``/``shell``/``console`` blocks (other
blocks are output, synopses or file contents). Each document's commands run in order, in a
fresh copy of ``examples/``, ``golden/``, ``tests/`` and ``pyproject.toml`` (a later command may
use what an earlier one wrote, as a reader would), with the installed ``compile-tasks`` and
without ``CI`` set. A command must exit 0. What is run is whatever the files hold: a section
added later is tested as it is.

Only commands that need what a test machine has not are skipped, each matched by
:data:`SKIPPED` with its reason: a package index (network), a container engine, a cluster.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_files import DOCUMENTS, REPO, SHELL_LANGUAGES, blocks, commands

#: Commands that cannot run on a test machine: a pattern and the reason.
SKIPPED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bpip install\b"), "installs from a package index (network)"),
    (re.compile(r"^python tests/oracle/regenerate\.py$"), "needs flytekit in an oracle venv"),
    (re.compile(r"^(docker|podman) "), "needs a container engine"),
    (re.compile(r"^(flytectl|pyflyte) "), "needs a Flyte cluster"),
    (re.compile(r"^python -m pytest( -n auto)?$"), "the test suite itself (this test is in it)"),
]

#: What each document's commands run in (copied, so that commands may write freely).
_COPIED = ("examples", "golden", "tests", "pyproject.toml")


#: Steps of an ``&&`` chain that set up an environment the test already has (this venv, with
#: compile-tasks installed): dropped, and the rest of the chain runs.
_SETUP_STEP = re.compile(r"^(python3? -m venv \S+|\. \S+/bin/activate|pip install .*)$")


def _skip_reason(command: str) -> str | None:
    return next((why for pattern, why in SKIPPED if pattern.search(command)), None)


def _runnable(command: str) -> str:
    """``command`` without its set-up steps (``python3 -m venv .venv && ... && pip install .``).

    The installing steps need a package index; what follows them must still run as written.
    """
    steps = [step.strip() for step in command.split(" && ")]
    kept = [step for step in steps if not _SETUP_STEP.match(step)]
    return " && ".join(kept) if kept and len(kept) < len(steps) else command


def _documents_with_commands() -> list[Path]:
    return [
        document
        for document in DOCUMENTS
        if any(block.language in SHELL_LANGUAGES for block in blocks(document))
    ]


def _sandbox(folder: Path) -> Path:
    for name in _COPIED:
        source = REPO / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
            shutil.copytree(source, folder / name, ignore=ignore)
        else:
            shutil.copy2(source, folder / name)
    _commit(folder)
    return folder


def _commit(folder: Path) -> None:
    """Make the copy a git repository with one commit, as a reader's checkout is.

    Commands such as ``--against HEAD`` compare with a committed revision.
    """
    identity = ["-c", "user.name=docs", "-c", "user.email=docs@example.invalid"]
    for args in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "docs"]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONPATH")}
    bin_dir = str(Path(sys.executable).parent)  # python, pytest and compile-tasks of this venv
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    return env


DOCUMENTS_WITH_COMMANDS = _documents_with_commands()


def test_the_readme_and_docs_have_commands() -> None:
    assert REPO / "README.md" in DOCUMENTS_WITH_COMMANDS
    assert len(DOCUMENTS_WITH_COMMANDS) >= 4


@pytest.mark.parametrize(
    "document",
    DOCUMENTS_WITH_COMMANDS,
    ids=[d.relative_to(REPO).as_posix() for d in DOCUMENTS_WITH_COMMANDS],
)
def test_every_command_runs_as_written(document: Path, tmp_path: Path) -> None:
    sandbox = _sandbox(tmp_path)
    env = _environment()
    ran = 0
    for block in blocks(document):
        if block.language not in SHELL_LANGUAGES:
            continue
        for line, written in commands(block):
            command = _runnable(written)
            if _skip_reason(command) is not None:
                continue
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=sandbox,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                stdin=subprocess.DEVNULL,
            )
            where = f"{document.relative_to(REPO)}:{line}"
            assert done.returncode == 0, f"{where}: {command}\n{done.stderr}{done.stdout}"
            ran += 1
    assert ran or all(_skip_reason(c) for b in blocks(document) for _, c in commands(b)), (
        f"{document}: no command ran"
    )


def test_skipped_commands_are_only_those_of_the_skip_list() -> None:
    skipped = {
        command: _skip_reason(command)
        for document in DOCUMENTS_WITH_COMMANDS
        for block in blocks(document)
        if block.language in SHELL_LANGUAGES
        for _, command in commands(block)
        if _skip_reason(command)
    }
    # each skipped command needs a network, a container engine, a cluster or flytekit
    assert all(reason for reason in skipped.values())
    assert not any(c.startswith("compile-tasks") for c in skipped)


def test_the_summary_line_promised_by_the_docs_is_the_one_printed(tmp_path: Path) -> None:
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    promised = re.search(r"`(compiled \d+ tasks.*?yaml/\))`", text)
    assert promised is not None
    shape = re.sub(r"\d+(\.\d+)?", "N", promised.group(1))
    done = subprocess.run(
        [
            "compile-tasks", "examples/", "--out", str(tmp_path / "bundle"), "--render",
            "--image", "registry.example.com/team/app:2.0",
            "--image", "gpu=registry.example.com/team/gpu:1.4",
        ],
        cwd=REPO, env=_environment(), capture_output=True, text=True, check=True,
    )  # fmt: skip
    printed = re.sub(r"\d+(\.\d+)?", "N", done.stdout.strip().replace(str(tmp_path) + "/", ""))
    assert printed == shape


def test_the_rendering_facts_promised_by_the_docs_are_the_ones_written() -> None:
    text = (REPO / "docs" / "golden.md").read_text(encoding="utf-8")
    promised = re.search(r"compile_tasks:\n  source: (\S+)\n  module: (\S+)\n", text)
    assert promised is not None
    golden = (REPO / "golden" / "00_examples.orders.ingest.load_orders_1.yaml").read_text()
    written = re.search(r"compile_tasks:\n  source: (\S+)\n  module: (\S+)\n", golden)
    assert written is not None
    # the same shape: a .py path without a line number, then the dotted module
    for value in (promised.group(1), written.group(1)):
        assert re.fullmatch(r"[\w/]+\.py", value), value
