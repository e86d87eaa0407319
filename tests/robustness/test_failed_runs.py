"""A failed run changes nothing: usage errors found late, swaps that fail half-way, OS errors.

Every scenario compiles ``rb_good`` with another image than the bundle already in ``out/`` (so
a write would show) and breaks one thing: a golden flag that is wrong, an ``--out`` the system
refuses, a path part that is a file. The run must fail with a documented code naming the path
and the cause, the same with ``--jobs 1`` and ``--jobs 2``, and leave ``out/`` exactly as it
was (inodes and times included) with nothing new beside it.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from robust_helpers import (
    CASES,
    Outcome,
    Scenario,
    Setup,
    assert_documented_errors,
    assert_no_traceback,
    check_bundle,
    documented_codes,
    leftovers,
    run_cli,
    run_scenarios,
    unprivileged_prefix,
)

NEW_IMAGE = "registry.example.com/team/app:3.0"


def _args(out: str, *extra: str) -> list[str]:
    return ["rb_good", "--out", out, "--image", NEW_IMAGE, *extra]


def _chmod(path: str, mode: int) -> Setup:
    def setup(work: Path) -> None:
        os.chmod(work / path, mode)

    return setup


def _file(name: str) -> Setup:
    def setup(work: Path) -> None:
        (work / name).write_text("a file\n", encoding="utf-8")

    return setup


def _loop(work: Path) -> None:
    (work / "loop").symlink_to("loop")


@dataclass(frozen=True)
class Case:
    """A broken run: its arguments, setup, exit code, the code and text stderr must hold."""

    args: list[str]
    exit: int
    code: str
    says: str
    setup: Setup | None = None
    watch: tuple[str, ...] = ("out",)
    unprivileged: bool = False


CASES_BY_NAME: dict[str, Case] = {
    "check_without_golden": Case(_args("out", "--check"), 2, "CT631", "--check needs --golden"),
    "report_unknown_suffix": Case(
        _args("out", "--golden", "g", "--report", "r.txt"), 2, "CT630", "'r.txt'"
    ),
    "update_goldens_under_ci": Case(
        _args("out", "--golden", "g", "--update-goldens"), 2, "CT603", "under CI"
    ),
    "out_read_only": Case(
        _args("out"), 3, "CT507", "Permission denied", _chmod("out", 0o555), unprivileged=True
    ),
    "out_yaml_read_only": Case(
        _args("out"),
        3,
        "CT507",
        "/out/yaml'): Permission denied",
        _chmod("out/yaml", 0o555),
        unprivileged=True,
    ),
    "out_below_a_file": Case(
        _args("afile/b/c"),
        3,
        "CT507",
        "afile' is a file, not a folder",
        _file("afile"),
        watch=("out", "afile"),
    ),
    "out_symlink_loop": Case(
        _args("loop"), 2, "CT520", "cannot be followed", _loop, watch=("out", "loop")
    ),
}


def _scenarios() -> dict[str, Scenario]:
    found = {}
    for name, case in CASES_BY_NAME.items():
        if case.unprivileged and os.geteuid() == 0 and not unprivileged_prefix():
            continue
        env = {"CI": "true"} if name == "update_goldens_under_ci" else None
        for jobs in ("1", "2"):
            found[f"{name}-j{jobs}"] = Scenario(
                args=[*case.args, "--jobs", jobs],
                setup=case.setup,
                env=env,
                unprivileged=case.unprivileged,
                watch=case.watch,
            )
    return found


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, good_bundle: Path) -> dict[str, Outcome]:
    """Every scenario run once, concurrently."""
    return run_scenarios(_scenarios(), tmp_path_factory.mktemp("failed"), good_bundle)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", sorted(CASES_BY_NAME))
def test_failed_run_changes_nothing(name: str, jobs: str, outcomes: dict[str, Outcome]) -> None:
    key = f"{name}-j{jobs}"
    if key not in outcomes:
        pytest.skip("root without setpriv: chmod blocks nothing")
    case, outcome = CASES_BY_NAME[name], outcomes[key]
    stderr = outcome.done.stderr
    assert outcome.done.returncode == case.exit, stderr
    assert_no_traceback(stderr)
    assert re.findall(r"error (CT\d{3}):", stderr) == [case.code], stderr
    assert case.code in documented_codes()
    assert case.says in stderr
    assert "no tasks found" not in stderr
    assert outcome.done.stdout == ""  # nothing compiled-and-written was announced
    assert outcome.after == outcome.before
    assert outcome.new_entries == []
    assert leftovers(outcome.work, ["out", "rb_good", *case.watch]) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_dangling_out_symlink_is_followed_not_replaced(
    jobs: str, tmp_path: Path, good_bundle: Path
) -> None:
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    (tmp_path / "out").symlink_to("elsewhere/bundle")
    done = run_cli(_args("out", "--jobs", jobs), tmp_path)
    assert done.returncode == 0, done.stderr
    assert os.readlink(tmp_path / "out") == "elsewhere/bundle"
    manifest = check_bundle(tmp_path / "elsewhere" / "bundle")
    assert manifest["settings"]["image"] == NEW_IMAGE
    assert leftovers(tmp_path, ["elsewhere", "out", "rb_good"]) == []
    assert leftovers(tmp_path / "elsewhere", ["bundle"]) == []


def test_out_symlink_to_a_file_is_refused(tmp_path: Path) -> None:
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    (tmp_path / "target.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "out").symlink_to("target.txt")
    done = run_cli(_args("out"), tmp_path)
    assert done.returncode == 2, done.stderr
    assert assert_documented_errors(done.stderr) == ["CT501"]
    assert os.readlink(tmp_path / "out") == "target.txt"
    assert (tmp_path / "target.txt").read_text(encoding="utf-8") == "mine\n"
    assert leftovers(tmp_path, ["out", "rb_good", "target.txt"]) == []
