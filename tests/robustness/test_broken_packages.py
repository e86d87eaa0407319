"""The catalogue of broken packages (``cases/<case>/``), each compiled by the console script.

For every case: the exit code is 3, stderr holds exactly the expected
``file:line: error CTxxx: task 't', input 'p': .... hint: ...`` lines (the user's file and line,
the task and parameter where there is one), no traceback reaches the user, and the bundle that
was already in ``--out`` is left byte for byte as it was, with nothing left beside it.

The compiles run concurrently (they are independent subprocesses) to keep the suite fast.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from robust_helpers import (
    CASES,
    IMAGE,
    Expected,
    assert_errors,
    assert_no_traceback,
    check_bundle,
    compile_args,
    leftovers,
    run_cli,
    snapshot,
)

E = Expected

#: case folder -> (package to compile, the errors it must produce, in order).
CATALOGUE: dict[str, tuple[str, list[Expected]]] = {
    "syntax_error": (
        "rb_syntax",
        [E("CT402", "rb_syntax/tasks.py", 6, says="'(' was never closed")],
    ),
    "bad_encoding": (
        "rb_encoding",
        [E("CT402", "rb_encoding/tasks.py", 3, says="can't decode byte 0xff")],
    ),
    "import_error": (
        "rb_import",
        [E("CT403", "rb_import/tasks.py", 3, says="No module named 'rb_no_such_dependency_xyz'")],
    ),
    "exception_at_import": (
        # The last frame in the user's files: the helper that raised, not our importer.
        "rb_raise",
        [E("CT404", "rb_raise/settings.py", 5, says="KeyError: 'RB_BUCKET_THAT_IS_NOT_SET'")],
    ),
    "system_exit_at_import": (
        "rb_exit",
        [E("CT404", "rb_exit/tasks.py", 6, says="SystemExit: run me as a script")],
    ),
    "missing_annotation": (
        "rb_noann",
        [E("CT101", "rb_noann/tasks.py", 5, "rb_noann.tasks.total", "input 'prices'")],
    ),
    "unresolvable_annotation": (
        "rb_fwdref",
        [
            E(
                "CT103",
                "rb_fwdref/tasks.py",
                5,
                "rb_fwdref.tasks.load",
                "input 'cfg'",
                "OrderConfigThatDoesNotExist",
            )
        ],
    ),
    "unknown_type": (
        "rb_unknown",
        [
            E(
                "CT201",
                "rb_unknown/tasks.py",
                9,
                "rb_unknown.tasks.load",
                "input 'cfg'",
                "no type transformer for 'OrderConfig'",
            )
        ],
    ),
    "unknown_return_type": (
        "rb_unknownret",
        [E("CT201", "rb_unknownret/tasks.py", 9, "rb_unknownret.tasks.build", "output 'o0'")],
    ),
    "star_args": (
        "rb_args",
        [E("CT102", "rb_args/tasks.py", 5, "rb_args.tasks.add", "input 'numbers'", "*numbers")],
    ),
    "star_kwargs": (
        "rb_kwargs",
        [E("CT102", "rb_kwargs/tasks.py", 5, "rb_kwargs.tasks.merge", "input 'extra'", "**extra")],
    ),
    "cache_without_version": (
        "rb_cachever",
        [
            E(
                "CT110",
                "rb_cachever/tasks.py",
                5,
                "rb_cachever.tasks.cached",
                "option 'cache_version'",
            )
        ],
    ),
    "serialize_without_cache": (
        "rb_serial",
        [E("CT111", "rb_serial/tasks.py", 5, "rb_serial.tasks.serial", "option 'cache_serialize'")],
    ),
    "ignore_vars_without_cache": (
        "rb_ignore",
        [
            E(
                "CT112",
                "rb_ignore/tasks.py",
                5,
                "rb_ignore.tasks.ignoring",
                "option 'cache_ignore_input_vars'",
            )
        ],
    ),
    "bad_timeout": (
        "rb_timeout",
        [E("CT113", "rb_timeout/tasks.py", 5, "rb_timeout.tasks.slow", "option 'timeout'")],
    ),
    "negative_retries": (
        "rb_retries",
        [E("CT114", "rb_retries/tasks.py", 5, "rb_retries.tasks.flaky", "option 'retries'", "-1")],
    ),
    "resources_and_requests": (
        "rb_resreq",
        [E("CT122", "rb_resreq/tasks.py", 5, "rb_resreq.tasks.both", "option 'resources'")],
    ),
    "invalid_quantity": (
        # Raised where the Resources object is built (line 3), before any task exists.
        "rb_quantity",
        [E("CT120", "rb_quantity/tasks.py", 3, None, "resource 'mem'", "'lots of memory'")],
    ),
    "bad_accelerator": (
        "rb_accel",
        [E("CT150", "rb_accel/tasks.py", 5, "rb_accel.tasks.train", "option 'accelerator'")],
    ),
    "bad_pod_template": (
        # Raised by the PodTemplate constructor (line 3), before the task is declared.
        "rb_pod",
        [E("CT140", "rb_pod/tasks.py", 3, None, "option 'pod_spec'", "no 'containers' list")],
    ),
    "bad_secret": (
        "rb_secret",
        [E("CT132", "rb_secret/tasks.py", 4, None, "secret 'mount_requirement'", "'floppy'")],
    ),
    "bad_environment": (
        "rb_env",
        [E("CT117", "rb_env/tasks.py", 5, "rb_env.tasks.work", "option 'environment'")],
    ),
    "bad_container_task": (
        # A class-instantiated task: located at the constructor call, named by name=.
        "rb_container",
        [E("CT201", "rb_container/tasks.py", 3, "resize", "input 'path'", "'object'")],
    ),
    "cache_object_and_keywords": (
        "rb_cachekw",
        [E("CT115", "rb_cachekw/tasks.py", 5, "rb_cachekw.tasks.cached", "option 'cache'")],
    ),
    "bad_sql_task": (
        "rb_sql",
        [E("CT170", "rb_sql/tasks.py", 3, "daily_report", "option 'query_template'", "None")],
    ),
    "nested_task": (
        # Raised when make_task() runs at import: located at the nested def.
        "rb_nested",
        [E("CT106", "rb_nested/tasks.py", 6, "rb_nested.tasks.inner", says="inside another")],
    ),
    "not_a_function": (
        "rb_notfn",
        [E("CT107", "rb_notfn/tasks.py", 3, says="@task needs a function, got 42")],
    ),
    "duplicate_function_tasks": (
        "rb_dupfn",
        [
            E(
                "CT405",
                "rb_dupfn/tasks.py",
                13,
                "rb_dupfn.tasks.score",
                says="rb_dupfn/tasks.py:5 and rb_dupfn/tasks.py:13",
            )
        ],
    ),
    "duplicate_class_tasks": (
        "rb_dupcls",
        [E("CT405", "rb_dupcls/b.py", 4, "resize", says="rb_dupcls/a.py:3 and rb_dupcls/b.py:4")],
    ),
    "empty_package": (
        "rb_empty",
        [E("CT406", "rb_empty", None, says="no tasks found in rb_empty (2 module(s) imported)")],
    ),
    "no_modules": (
        "rb_nomodules",
        [E("CT406", "rb_nomodules", None, says="holds no Python modules")],
    ),
    "module_name_clash": (
        "json",
        [E("CT408", "json/__init__.py", None, says="module name 'json' is already taken")],
    ),
    "null_bytes": (
        "rb_nullbytes",
        [E("CT402", "rb_nullbytes/tasks.py", 3, says="null bytes")],
    ),
    "several_type_errors": (
        # Every serialization problem of the run, sorted by location.
        "rb_types",
        [
            E("CT201", "rb_types/a.py", 9, "rb_types.a.first", "input 'x'", "'Opaque'"),
            E("CT201", "rb_types/a.py", 19, "rb_types.a.second", "output 'o0'", "'Opaque'"),
            E("CT201", "rb_types/b.py", 7, "rb_types.b.third", "input 'when'", "'tzinfo'"),
        ],
    ),
    "several_problems": (
        # Every discovery problem of the run, sorted by location, then a count.
        "rb_several",
        [
            E("CT114", "rb_several/a.py", 5, "rb_several.a.first", "option 'retries'"),
            E("CT404", "rb_several/c.py", 1, says="RuntimeError: boom"),
        ],
    ),
}


#: Cases that expose a bug in another area: case -> (expected errors, the bug).
@dataclass(frozen=True)
class Outcome:
    """What one broken compile did."""

    done: subprocess.CompletedProcess[str]
    before: dict[str, str]
    after: dict[str, str]
    beside: list[str]


def _compile_case(case: str, package: str, root: Path, good: Path) -> Outcome:
    return _compile_case_with(case, root / case, good)


def _compile_case_with(case: str, work: Path, good: Path, *extra: str) -> Outcome:
    src, out = work / "src", work / "out"
    shutil.copytree(CASES / case, src)
    shutil.copytree(good, out)
    before = snapshot(out, stat=True)
    done = run_cli(compile_args([CATALOGUE[case][0]], "../out", *extra), src)
    return Outcome(done, before, snapshot(out, stat=True), leftovers(work, ["src", "out"]))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, good_bundle: Path) -> dict[str, Outcome]:
    """Every case of the catalogue compiled once, four at a time."""
    root = tmp_path_factory.mktemp("catalogue")
    todo = {case: pkg for case, (pkg, _) in CATALOGUE.items()}
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            case: pool.submit(_compile_case, case, pkg, root, good_bundle)
            for case, pkg in todo.items()
        }
        return {case: future.result() for case, future in futures.items()}


def _assert_outcome(outcome: Outcome, expected: list[Expected]) -> None:
    stderr = outcome.done.stderr
    assert outcome.done.returncode == 3, stderr
    assert_no_traceback(stderr)
    assert_errors(stderr, expected)
    assert outcome.done.stdout == ""
    assert outcome.after == outcome.before
    assert outcome.beside == []


@pytest.mark.parametrize("case", sorted(CATALOGUE))
def test_broken_package_is_reported_and_out_untouched(
    case: str, outcomes: dict[str, Outcome]
) -> None:
    _assert_outcome(outcomes[case], CATALOGUE[case][1])


def test_every_case_folder_is_in_the_catalogue() -> None:
    """A case added under cases/ without an expectation would silently test nothing."""
    used = {*CATALOGUE, "good", "slow_import"}
    folders = {p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert folders <= used | _OTHER_CASES


#: Case folders used by other test modules of this suite.
_OTHER_CASES = frozenset({"unreadable", "dangling_module", "chdir_at_import", "interrupt_in_class"})


def test_debug_adds_the_traceback_and_keeps_the_error_line(
    case_copy: Callable[[str], Path], existing_out: Path
) -> None:
    src = case_copy("unknown_type")
    before = snapshot(existing_out)
    done = run_cli(compile_args(["rb_unknown"], "../out", "--debug"), src)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert done.stderr.splitlines()[-1] == (
        "rb_unknown/tasks.py:9: error CT201: task 'rb_unknown.tasks.load', input 'cfg': no type "
        "transformer for 'OrderConfig'. hint: make it a dataclass, register a transformer, or "
        "allow pickling"
    )
    assert snapshot(existing_out) == before
    assert leftovers(existing_out.parent, ["src", "out"]) == []


def test_import_timeout_is_located_at_the_blocking_line(
    case_copy: Callable[[str], Path], existing_out: Path
) -> None:
    src = case_copy("slow_import")
    before = snapshot(existing_out)
    done = run_cli(
        compile_args(["rb_slow"], "../out", "--import-timeout", "0.5"),
        src,
        env={"RB_SLOW_SECONDS": "30"},
    )
    assert done.returncode == 3, done.stderr
    assert_no_traceback(done.stderr)
    assert_errors(done.stderr, [E("CT407", "rb_slow/tasks.py", 9, says="took longer than 0.5 s")])
    assert snapshot(existing_out) == before
    assert leftovers(existing_out.parent, ["src", "out"]) == []


def test_unknown_type_compiles_with_allow_pickle(
    case_copy: Callable[[str], Path], existing_out: Path
) -> None:
    """The control for ``unknown_type``: the documented way out works."""
    src = case_copy("unknown_type")
    done = run_cli(compile_args(["rb_unknown"], "../out", "--allow-pickle"), src)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    manifest = check_bundle(existing_out)
    assert [e["name"] for e in manifest["entities"]] == ["rb_unknown.tasks.load"]
    assert manifest["settings"]["allow_pickle"] is True


@pytest.mark.parametrize("case", ["syntax_error", "duplicate_class_tasks", "unknown_type"])
def test_list_reports_the_same_errors_and_writes_nothing(
    case: str, outcomes: dict[str, Outcome], tmp_path: Path
) -> None:
    """``compile-tasks list`` (the dry run) fails exactly like the compile, writing nothing."""
    shutil.copytree(CASES / case, tmp_path, dirs_exist_ok=True)
    before = snapshot(tmp_path)
    done = run_cli(["list", CATALOGUE[case][0], "--image", IMAGE], tmp_path)
    assert done.returncode == 3
    assert done.stderr == outcomes[case].done.stderr
    assert snapshot(tmp_path) == before


def test_not_a_function_message_names_no_bogus_task(outcomes: dict[str, Outcome]) -> None:
    """``task()(42)`` has no task name to show (it once printed task '?.?')."""
    assert "'?.?'" not in outcomes["not_a_function"].done.stderr


def test_chdir_at_import_does_not_move_the_bundle(
    case_copy: Callable[[str], Path], existing_out: Path
) -> None:
    """A module that changes the working folder at import does not move the bundle."""
    src = case_copy("chdir_at_import")
    done = run_cli(compile_args(["rb_chdir"], "../out"), src)
    assert done.returncode == 0, done.stderr
    assert not (src / "out").exists()
    assert not (src / "elsewhere" / "out").exists()
    manifest = check_bundle(existing_out)
    assert [e["name"] for e in manifest["entities"]] == ["rb_chdir.tasks.moved"]


@pytest.mark.parametrize("case", ["several_type_errors", "unknown_type", "duplicate_class_tasks"])
def test_parallel_workers_report_the_same_errors(
    case: str, outcomes: dict[str, Outcome], tmp_path: Path, good_bundle: Path
) -> None:
    """``--jobs 2`` forks workers after discovery: same errors, same untouched ``--out``."""
    outcome = _compile_case_with(case, tmp_path, good_bundle, "--jobs", "2")
    assert outcome.done.returncode == 3
    assert outcome.done.stderr == outcomes[case].done.stderr
    assert outcome.after == outcome.before
    assert outcome.beside == []
