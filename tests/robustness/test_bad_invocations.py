"""Bad invocations: paths, unreadable files, bad ``--out``, broken config files, bad flags.

Each scenario runs the console script in a fresh folder holding the good package ``rb_good/``
and a bundle in ``out/`` compiled from it, breaks one thing, and asserts the exit code (2 for
usage errors, 3 for packages that cannot compile), the exact error lines with a hint, no
traceback, and that ``out/`` (and any other watched path) is byte for byte unchanged, with no
temporary folder left beside it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from robust_helpers import (
    CASES,
    Expected,
    Outcome,
    Scenario,
    Setup,
    assert_errors,
    assert_no_traceback,
    check_bundle,
    compile_args,
    leftovers,
    run_cli,
    run_scenarios,
    snapshot,
    unprivileged_prefix,
)

E = Expected


def _write(name: str, data: str | bytes) -> Setup:
    def setup(work: Path) -> None:
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return setup


def _copy_case(case: str, then: Setup | None = None) -> Setup:
    def setup(work: Path) -> None:
        shutil.copytree(CASES / case, work, dirs_exist_ok=True)
        if then is not None:
            then(work)

    return setup


def _lock_module(work: Path) -> None:
    os.chmod(work / "rb_locked" / "tasks.py", 0)


def _lock_folder(work: Path) -> None:
    os.chmod(work / "rb_locked", 0)


def _ghost(work: Path) -> None:
    os.symlink(work / "no-such-file.py", work / "rb_ghost" / "ghost.py")


def _bad_identifier_package(work: Path) -> None:
    shutil.copytree(work / "rb_good", work / "my-pkg")


def _read_only_parent(work: Path) -> None:
    (work / "ro").mkdir()
    shutil.copytree(work / "out", work / "ro" / "b")
    os.chmod(work / "ro", 0o555)


def _unreadable_config(work: Path) -> None:
    (work / "compile-tasks.yaml").write_text("image: a/b:1\n", encoding="utf-8")
    os.chmod(work / "compile-tasks.yaml", 0)


def _foreign_folder(work: Path) -> None:
    (work / "foreign").mkdir()
    (work / "foreign" / "notes.txt").write_text("keep me\n", encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """A scenario and what it must produce."""

    scenario: Scenario
    exit: int
    errors: list[Expected] = field(default_factory=list)
    stderr_says: str = ""
    bug: str = ""
    needs_unprivileged: bool = False


def _s(
    args: list[str],
    setup: Setup | None = None,
    watch: tuple[str, ...] = ("out",),
    unprivileged: bool = False,
) -> Scenario:
    return Scenario(args=args, setup=setup, watch=watch, unprivileged=unprivileged)


GOOD = ["rb_good"]

CASES_BY_NAME: dict[str, Case] = {
    # --- paths -------------------------------------------------------------------------------
    "path_missing": Case(
        _s(compile_args(["nothere"], "out")),
        2,
        [E("CT401", "nothere", None, says="does not exist")],
    ),
    "path_not_python": Case(
        _s(compile_args(["notes.txt"], "out"), _write("notes.txt", "hello\n")),
        2,
        [E("CT401", "notes.txt", None, says="neither a folder nor a .py file")],
    ),
    "package_name_not_identifier": Case(
        _s(compile_args(["my-pkg"], "out"), _bad_identifier_package),
        2,
        [E("CT409", "my-pkg", None, says="cannot be imported as a package")],
    ),
    "unreadable_module": Case(
        _s(
            compile_args(["rb_locked"], "out"),
            _copy_case("unreadable", _lock_module),
            unprivileged=True,
        ),
        3,
        [E("CT404", "rb_locked/tasks.py", None, says="Permission denied")],
        needs_unprivileged=True,
    ),
    "unreadable_folder": Case(
        _s(
            compile_args(["rb_locked"], "out"),
            _copy_case("unreadable", _lock_folder),
            unprivileged=True,
        ),
        2,
        stderr_says="is not readable",
        needs_unprivileged=True,
    ),
    "dangling_module_symlink": Case(
        _s(compile_args(["rb_ghost"], "out"), _copy_case("dangling_module", _ghost)),
        3,
        [E("CT410", "rb_ghost/ghost.py", None)],
    ),
    # --- --out -------------------------------------------------------------------------------
    "out_is_a_file": Case(
        _s(
            compile_args(GOOD, "bundle.out"),
            _write("bundle.out", "not a folder\n"),
            watch=("out", "bundle.out"),
        ),
        2,
        [E("CT501", "bundle.out", None, says="is a file, not a folder")],
    ),
    "out_parent_is_a_file": Case(
        _s(compile_args(GOOD, "afile/sub"), _write("afile", "x\n"), watch=("out", "afile")),
        3,
        [E("CT507", "afile/sub", None, says="cannot write the bundle")],
    ),
    "out_parent_read_only": Case(
        _s(
            compile_args(GOOD, "ro/b"),
            _read_only_parent,
            watch=("out", "ro"),
            unprivileged=True,
        ),
        3,
        [E("CT507", "ro/b", None, says="cannot write the bundle")],
        needs_unprivileged=True,
    ),
    "out_holds_the_sources": Case(
        _s(compile_args(GOOD, "rb_good"), watch=("out", "rb_good")),
        2,
        [E("CT504", "rb_good", None, says="which replacing it would delete")],
    ),
    "out_foreign_folder": Case(
        _s(compile_args(GOOD, "foreign"), _foreign_folder, watch=("out", "foreign")),
        2,
        [E("CT502", "foreign", None, says="not written by compile-tasks")],
    ),
    # --- config files --------------------------------------------------------------------------
    "yaml_syntax": Case(
        _s(compile_args(GOOD, "out"), _write("compile-tasks.yaml", "image: [unclosed\n")),
        2,
        [E("CT812", "compile-tasks.yaml", 2, says="not valid YAML")],
    ),
    "yaml_unknown_key": Case(
        _s(compile_args(GOOD, "out"), _write("compile-tasks.yaml", "imagez: a/b:1\n")),
        2,
        [E("CT810", "compile-tasks.yaml", 1, says="'imagez'")],
    ),
    "yaml_bad_value": Case(
        _s(compile_args(GOOD, "out"), _write("compile-tasks.yaml", "import_timeout: -5\n")),
        2,
        [E("CT811", "compile-tasks.yaml", 1, says="'import_timeout'")],
    ),
    "yaml_not_a_mapping": Case(
        _s(compile_args(GOOD, "out"), _write("compile-tasks.yaml", "- a\n- b\n")),
        2,
        [E("CT812", "compile-tasks.yaml", 1, says="must hold a mapping")],
    ),
    "yaml_config_flag_missing_file": Case(
        _s(compile_args(GOOD, "out", "--config", "nope.yaml")),
        2,
        [E("CT812", "nope.yaml", None, says="cannot read config file")],
    ),
    "yaml_not_utf8": Case(
        _s(compile_args(GOOD, "out"), _write("compile-tasks.yaml", b"image: \xff\xfe\n")),
        2,
        [E("CT812", "compile-tasks.yaml", None)],
    ),
    "yaml_unreadable": Case(
        _s(compile_args(GOOD, "out"), _unreadable_config, unprivileged=True),
        2,
        [E("CT812", "compile-tasks.yaml", None, says="cannot read config file")],
        needs_unprivileged=True,
    ),
    "pyproject_syntax": Case(
        _s(compile_args(GOOD, "out"), _write("pyproject.toml", "[tool.compile-tasks\n")),
        2,
        [E("CT813", "pyproject.toml", None, says="Expected ']'")],
    ),
    "pyproject_bad_value": Case(
        _s(
            compile_args(GOOD, "out"), _write("pyproject.toml", "[tool.compile-tasks]\nimage = 3\n")
        ),
        2,
        [E("CT811", "pyproject.toml", 2, says="'image'")],
    ),
    "pyproject_not_a_table": Case(
        _s(compile_args(GOOD, "out"), _write("pyproject.toml", "[tool]\ncompile-tasks = 3\n")),
        2,
        [E("CT813", "pyproject.toml", None, says="must be a table")],
    ),
    "pyproject_not_utf8": Case(
        _s(
            compile_args(GOOD, "out"),
            _write("pyproject.toml", b'[tool.compile-tasks]\nimage = "\xff"\n'),
        ),
        2,
        [E("CT813", "pyproject.toml", None)],
    ),
    # --- flags ---------------------------------------------------------------------------------
    "flag_bad_import_timeout": Case(
        _s(compile_args(GOOD, "out", "--import-timeout", "-1")),
        2,
        stderr_says="Invalid value for '--import-timeout'",
    ),
    "flag_unknown_option": Case(
        _s(compile_args(GOOD, "out", "--bogus")), 2, stderr_says="No such option '--bogus'"
    ),
    "flag_env_not_a_pair": Case(
        _s(compile_args(GOOD, "out", "--env", "FOO")), 2, [E("CT814", None, None, says="'FOO'")]
    ),
    "flag_image_without_uri": Case(
        _s(["rb_good", "--out", "out", "--image", "gpu="]),
        2,
        [E("CT801", None, None, says="gives no URI")],
    ),
    "flag_two_default_images": Case(
        _s(["rb_good", "--out", "out", "--image", "a/b:1", "--image", "c/d:2"]),
        2,
        [E("CT802", None, None, says="two default images")],
    ),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, good_bundle: Path) -> dict[str, Outcome]:
    """Every scenario run once, concurrently."""
    runnable = {
        name: case.scenario
        for name, case in CASES_BY_NAME.items()
        if not (case.needs_unprivileged and _cannot_drop_privileges())
    }
    return run_scenarios(runnable, tmp_path_factory.mktemp("invocations"), good_bundle)


def _cannot_drop_privileges() -> bool:
    return os.geteuid() == 0 and not unprivileged_prefix()


def _params() -> list[object]:
    params = []
    for name, case in sorted(CASES_BY_NAME.items()):
        marks = []
        if case.bug:
            marks.append(pytest.mark.xfail(strict=True, reason=case.bug))
        if case.needs_unprivileged and _cannot_drop_privileges():
            marks.append(pytest.mark.skip(reason="root without setpriv: chmod 000 blocks nothing"))
        params.append(pytest.param(name, marks=marks))
    return params


@pytest.mark.parametrize("name", _params())
def test_bad_invocation(name: str, outcomes: dict[str, Outcome]) -> None:
    case, outcome = CASES_BY_NAME[name], outcomes[name]
    stderr = outcome.done.stderr
    assert outcome.done.returncode == case.exit, stderr
    assert_no_traceback(stderr)
    assert "internal error" not in stderr
    if case.errors or not case.stderr_says:
        assert_errors(stderr, case.errors)
    assert case.stderr_says in stderr
    assert outcome.after == outcome.before
    assert outcome.new_entries == []


def test_out_that_is_a_symlink_to_a_bundle(tmp_path: Path, good_bundle: Path) -> None:
    """The bundle is written through the link; the link itself stays."""
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    shutil.copytree(good_bundle, tmp_path / "real")
    (tmp_path / "out").symlink_to("real")
    before = snapshot(tmp_path / "real")
    done = run_cli(
        ["rb_good", "--out", "out", "--image", "registry.example.com/team/app:3.0"], tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stderr)
    assert leftovers(tmp_path, ["out", "real", "rb_good"]) == []
    assert (tmp_path / "out").is_symlink()
    assert os.readlink(tmp_path / "out") == "real"
    manifest = check_bundle(tmp_path / "real")
    assert manifest["settings"]["image"] == "registry.example.com/team/app:3.0"
    assert snapshot(tmp_path / "real") != before
