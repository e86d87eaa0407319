"""Shared helpers of the robustness suite: run the real console script, snapshot bundles.

Every compile here goes through the installed ``compile-tasks`` script in a subprocess, exactly
as a user or CI runs it, from a scratch copy of the case package (so nothing is written into
the repository, not even ``__pycache__``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CASES = Path(__file__).parent / "cases"
IMAGE = "registry.example.com/team/app:2.0"
BIN = Path(sys.executable).parent

#: One error line as the CLI prints it: ``file[:line]: error CODE: message. hint: ...``.
ERROR_LINE = re.compile(
    r"^(?:(?P<file>[^:\s][^:]*?)(?::(?P<line>\d+))?: )?error (?P<code>CT\d{3}): "
    r"(?P<message>.+?)\. hint: (?P<hint>.+)$"
)

#: Running as root, ``chmod 000`` blocks nothing; dropping these capabilities restores it.
_DROP_DAC = "-dac_override,-dac_read_search"


def script(name: str = "compile-tasks") -> str:
    """The installed console script (beside this interpreter; not a pyenv shim)."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    assert found, f"console script {name} is not installed"
    return found


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a compile: no bytecode files, no CI, no coverage noise."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONPATH")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


def unprivileged_prefix() -> list[str]:
    """A command prefix under which file permissions apply, even as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return []
    return [setpriv, f"--bounding-set={_DROP_DAC}", f"--inh-caps={_DROP_DAC}"]


def run_cli(
    args: Sequence[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    prefix: Sequence[str] = (),
    timeout: float = 60,
    name: str = "compile-tasks",
) -> subprocess.CompletedProcess[str]:
    """Run the console script with ``args`` in ``cwd`` and capture its output."""
    return subprocess.run(
        [*prefix, script(name), *args],
        cwd=cwd,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def compile_args(paths: Sequence[str], out: str, *extra: str) -> list[str]:
    """``PATH... --out DIR --image IMAGE`` plus ``extra``."""
    return [*paths, "--out", out, "--image", IMAGE, *extra]


def snapshot(folder: Path, *, stat: bool = False) -> dict[str, str]:
    """``relative path -> sha256`` of every file (``<dir>`` for folders, ``-> target`` links).

    With ``stat``, each entry (and the folder itself, as ``"."``) also records its inode and
    modification time, so a rewrite with identical bytes or a swapped folder is noticed too.
    """
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    if folder.is_file():
        return {".": hashlib.sha256(folder.read_bytes()).hexdigest() + _stat(folder, stat)}
    if stat:
        out["."] = _stat(folder, stat)
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            out[rel] = "<dir>"
        elif not path.is_file():
            out[rel] = f"<special {path.lstat().st_mode:o}>"  # FIFOs: never read them
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        out[rel] += _stat(path, stat)
    return out


def _stat(path: Path, wanted: bool) -> str:
    if not wanted:
        return ""
    info = path.lstat()
    return f" ino={info.st_ino} mtime={info.st_mtime_ns}"


def leftovers(parent: Path, keep: Sequence[str]) -> list[str]:
    """Entries of ``parent`` other than ``keep`` (temporary folders a compile left behind)."""
    return sorted(p.name for p in parent.iterdir() if p.name not in keep)


def error_lines(stderr: str) -> list[re.Match[str]]:
    """The parsed ``error CTxxx`` lines of ``stderr``."""
    return [m for m in map(ERROR_LINE.match, stderr.splitlines()) if m]


def assert_no_traceback(stderr: str) -> None:
    """Neither a Python traceback nor an internal-error report reached the user."""
    assert "Traceback" not in stderr, stderr
    assert "CT000" not in stderr and "CT399" not in stderr, stderr


@dataclass(frozen=True)
class Expected:
    """One error the CLI must print.

    Attributes:
        code: The error code.
        file: The file, relative to the folder the compile ran in.
        line: The line (``None``: the location carries no line).
        task: The task the message must name, if any.
        param: The parameter (``input 'x'``, ``option 'retries'``...) it must name, if any.
        says: Text the message must contain.
    """

    code: str
    file: str | None
    line: int | None = None
    task: str | None = None
    param: str | None = None
    says: str = ""


def assert_errors(stderr: str, expected: Sequence[Expected]) -> None:
    """``stderr`` holds exactly the ``expected`` errors, in order, each located and hinted."""
    found = error_lines(stderr)
    assert [m["code"] for m in found] == [e.code for e in expected], stderr
    for match, want in zip(found, expected, strict=True):
        assert match["file"] == want.file, stderr
        assert match["line"] == (str(want.line) if want.line is not None else None), stderr
        assert match["hint"].strip(), stderr
        if want.task:
            assert f"task '{want.task}'" in match["message"], stderr
        if want.param:
            assert want.param in match["message"], stderr
        assert want.says in match["message"], stderr
    if len(expected) > 1:
        assert stderr.rstrip().endswith(f"{len(expected)} problems found"), stderr


def check_bundle(out: Path) -> dict[str, Any]:
    """Assert that ``out`` is one complete, self-consistent bundle; return its manifest."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {e["file"] for e in manifest["entities"]}
    assert {p.name for p in out.glob("*.pb")} == files
    for entity in manifest["entities"]:
        data = (out / entity["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entity["sha256"], entity["file"]
        if "yaml" in entity:  # renderings were asked for (--render, golden options)
            rendering = (out / entity["yaml"]).read_bytes()
            assert hashlib.sha256(rendering).hexdigest() == entity["yaml_sha256"], entity["yaml"]
    archive = manifest["archive"]
    tar = gzip.decompress((out / archive["file"]).read_bytes())
    assert hashlib.sha256(tar).hexdigest() == archive["tar_sha256"]
    assert archive["members"] == len(files)
    return manifest


Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Scenario:
    """One command run in a fresh work folder holding ``rb_good/`` and a bundle in ``out/``.

    Attributes:
        args: The command's arguments (run with the work folder as working directory).
        setup: Prepares the work folder further (breaks something) before the run.
        env: Extra environment variables.
        unprivileged: Run with file permissions enforced even as root.
        watch: Paths (relative to the work folder) whose content must not change.
        name: The console script.
    """

    args: Sequence[str]
    setup: Setup | None = None
    env: Mapping[str, str] | None = None
    unprivileged: bool = False
    watch: Sequence[str] = ("out",)
    name: str = "compile-tasks"


@dataclass(frozen=True)
class Outcome:
    """What a scenario did: the process, the watched trees before/after, new work entries."""

    done: subprocess.CompletedProcess[str]
    before: dict[str, dict[str, str]]
    after: dict[str, dict[str, str]]
    new_entries: list[str]
    work: Path


def run_scenario(scenario: Scenario, work: Path, good: Path) -> Outcome:
    """Prepare ``work`` (good package + good bundle), apply the setup, run, compare."""
    work.mkdir(parents=True)
    shutil.copytree(CASES / "good", work, dirs_exist_ok=True)
    shutil.copytree(good, work / "out")
    if scenario.setup is not None:
        scenario.setup(work)
    entries = {p.name for p in work.iterdir()}
    before = {w: snapshot(work / w, stat=True) for w in scenario.watch}
    prefix = unprivileged_prefix() if scenario.unprivileged else []
    done = run_cli(scenario.args, work, env=scenario.env, prefix=prefix, name=scenario.name)
    after = {w: snapshot(work / w, stat=True) for w in scenario.watch}
    new = sorted({p.name for p in work.iterdir()} - entries)
    return Outcome(done, before, after, new, work)


def run_scenarios(
    scenarios: Mapping[str, Scenario], root: Path, good: Path, workers: int = 4
) -> dict[str, Outcome]:
    """Run independent scenarios concurrently (each in ``root/<name>``)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            key: pool.submit(run_scenario, scenario, root / key, good)
            for key, scenario in scenarios.items()
        }
        return {key: future.result() for key, future in futures.items()}


DOCS_ERRORS = Path(__file__).resolve().parents[2] / "docs" / "errors"
_DOC_ROW = re.compile(r"^\|\s*`?(CT\d{3})`?\s*\|", re.MULTILINE)


def documented_codes() -> set[str]:
    """Every code with a row in a ``docs/errors/<area>.md`` table (not the merged index)."""
    codes: set[str] = set()
    for page in sorted(DOCS_ERRORS.glob("*.md")):
        if page.name != "index.md":
            codes.update(_DOC_ROW.findall(page.read_text(encoding="utf-8")))
    return codes


def assert_documented_errors(stderr: str) -> list[str]:
    """Every stderr line is a located error with a documented code (or the final count)."""
    lines = stderr.splitlines()
    codes = []
    for index, line in enumerate(lines):
        if index == len(lines) - 1 and re.fullmatch(r"\d+ problems found", line):
            continue
        match = ERROR_LINE.match(line)
        assert match, f"not an error line: {line!r}\n{stderr}"
        codes.append(match["code"])
    assert codes, stderr
    assert set(codes) <= documented_codes(), stderr
    return codes


def examples(count: int) -> int:
    """``count`` scaled by ``RB_FUZZ_SCALE`` (e.g. ``RB_FUZZ_SCALE=20`` for a deep local run)."""
    return max(1, int(count * float(os.environ.get("RB_FUZZ_SCALE", "1"))))
