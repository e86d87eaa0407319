"""Fuzzing the compiler with generated task modules (random hints, options and defaults).

Each example is a package ``fzN/tasks.py`` written from :mod:`fuzz_sources`, compiled through
the CLI's own code path (the click command, in-process for speed) into an ``--out`` that
already holds the good bundle. The compile either succeeds with one complete bundle, or exits 3
with only located ``error CTxxx`` lines whose codes are documented; never an internal error,
never a traceback, never a changed or half-written ``--out``, never a temporary folder left.
A few examples also go through the console script, which must behave identically.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from fuzz_sources import container_modules, mutated_modules, task_modules
from hypothesis import HealthCheck, given, settings
from robust_helpers import (
    CASES,
    assert_documented_errors,
    check_bundle,
    compile_args,
    examples,
    leftovers,
    run_cli,
    snapshot,
)

from compiler.cli.main import cli

_COUNTER = itertools.count()


@dataclass(frozen=True)
class Result:
    """The outcome of one compile: exit code and the two streams."""

    code: int
    stdout: str
    stderr: str


@contextmanager
def _cwd(folder: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def _prepare(base: Path, good: Path, source: str) -> tuple[Path, str]:
    number = next(_COUNTER)
    work, package = base / f"ex{number}", f"fz{number}"
    (work / package).mkdir(parents=True)
    (work / package / "__init__.py").write_text("", encoding="utf-8")
    (work / package / "tasks.py").write_text(source, encoding="utf-8")
    shutil.copytree(good, work / "out")
    return work, package


def _in_process(work: Path, package: str) -> Result:
    runner = CliRunner()
    with _cwd(work):
        result = runner.invoke(cli, compile_args([package], "out"), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def _check(result: Result, work: Path, package: str, good_files: dict[str, str]) -> None:
    assert result.code in (0, 3), (result.code, result.stderr)
    assert leftovers(work, [package, "out"]) == []
    if result.code == 0:
        assert result.stderr == ""
        manifest = check_bundle(work / "out")
        names = [e["name"] for e in manifest["entities"]]
        assert names == [f"{package}.tasks.fuzzed"]
        return
    assert "Traceback" not in result.stderr
    codes = assert_documented_errors(result.stderr)
    assert "CT890" not in codes
    assert result.stdout == ""
    assert snapshot(work / "out") == good_files


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def good_files(good_bundle: Path) -> dict[str, str]:
    return snapshot(good_bundle)


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=task_modules())
def test_generated_task_compiles_or_fails_cleanly(
    source: str, fuzz_base: Path, good_bundle: Path, good_files: dict[str, str]
) -> None:
    work, package = _prepare(fuzz_base, good_bundle, source)
    try:
        _check(_in_process(work, package), work, package, good_files)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=container_modules())
def test_generated_container_task_compiles_or_fails_cleanly(
    source: str, fuzz_base: Path, good_bundle: Path, good_files: dict[str, str]
) -> None:
    """Class-instantiated tasks: the same promise as for ``@task`` functions."""
    work, package = _prepare(fuzz_base, good_bundle, source)
    try:
        result = _in_process(work, package)
        assert result.code in (0, 3), (result.code, result.stderr)
        assert leftovers(work, [package, "out"]) == []
        if result.code == 0:
            assert result.stderr == ""
            check_bundle(work / "out")
        else:
            assert "Traceback" not in result.stderr
            assert "CT890" not in assert_documented_errors(result.stderr)
            assert snapshot(work / "out") == good_files
    finally:
        shutil.rmtree(work, ignore_errors=True)


GOOD_SOURCE = (CASES / "good" / "rb_good" / "orders.py").read_text(encoding="utf-8")


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=mutated_modules(GOOD_SOURCE))
def test_mutated_module_compiles_or_fails_cleanly(
    source: str, fuzz_base: Path, good_bundle: Path, good_files: dict[str, str]
) -> None:
    """The good module with random deletions, insertions and swapped lines."""
    work, package = _prepare(fuzz_base, good_bundle, source)
    try:
        result = _in_process(work, package)
        assert result.code in (0, 3), (result.code, result.stderr)
        assert leftovers(work, [package, "out"]) == []
        if result.code == 0:
            check_bundle(work / "out")
        else:
            assert "Traceback" not in result.stderr
            assert "CT890" not in assert_documented_errors(result.stderr)
            assert snapshot(work / "out") == good_files
    finally:
        shutil.rmtree(work, ignore_errors=True)


@settings(
    max_examples=examples(6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(source=task_modules())
def test_console_script_agrees_with_in_process_compile(
    source: str, fuzz_base: Path, good_bundle: Path, good_files: dict[str, str]
) -> None:
    work, package = _prepare(fuzz_base, good_bundle, source)
    try:
        inside = _in_process(work, package)
        shutil.rmtree(work / "out")
        shutil.copytree(good_bundle, work / "out")
        done = run_cli(compile_args([package], "out"), work)
        outside = Result(done.returncode, done.stdout, done.stderr)
        _check(outside, work, package, good_files)
        assert outside.code == inside.code
        assert outside.stderr == inside.stderr
    finally:
        shutil.rmtree(work, ignore_errors=True)


#: Option values the fuzzer found crashing serialization (CT890), fixed since: each is now a
#: definition error at the declaration. option text -> (line, code, subject).
FORMER_CRASHES: dict[str, tuple[int, str, str]] = {
    "deprecated=3": (5, "CT119", "task '{task}', option 'deprecated'"),
    "pod_template_name=3": (5, "CT119", "task '{task}', option 'pod_template_name'"),
    "cache=True, cache_version=3": (5, "CT119", "task '{task}', option 'cache_version'"),
    "interruptible='no'": (5, "CT119", "task '{task}', option 'interruptible'"),
    # Raised by the Cache constructor on the decorator line, before the task exists.
    "cache=Cache(version=3)": (4, "CT119", "option 'version'"),
}


@pytest.mark.parametrize("option", sorted(FORMER_CRASHES))
def test_formerly_crashing_options_are_definition_errors(
    option: str, fuzz_base: Path, good_bundle: Path, good_files: dict[str, str]
) -> None:
    source = (
        "from compiler import Cache, task\n\n\n"
        f"@task({option})\n"
        "def fuzzed(x: int) -> int:\n"
        "    return x\n"
    )
    work, package = _prepare(fuzz_base, good_bundle, source)
    result = _in_process(work, package)
    _check(result, work, package, good_files)
    line, code, subject = FORMER_CRASHES[option]
    subject = subject.format(task=f"{package}.tasks.fuzzed")
    [error] = result.stderr.splitlines()
    assert error.startswith(f"{package}/tasks.py:{line}: error {code}: {subject}: "), error


#: Pod specs whose fields have the wrong JSON type: Kubernetes refuses them when the task runs.
WRONG_POD_SPECS = {
    "{'containers': [{'name': 'primary'}], 'volumes': 'x'}": "pod_spec.volumes",
    "{'containers': [{'name': 'primary', 'resources': 'lots'}]}": (
        "pod_spec.containers[0].resources"
    ),
    "{'containers': [{'name': 'primary', 'env': [{'name': 'A', 'value': 3}]}]}": (
        "pod_spec.containers[0].env[0].value"
    ),
}


@pytest.mark.parametrize("pod_spec", sorted(WRONG_POD_SPECS))
def test_pod_spec_with_wrong_field_types_is_refused(
    pod_spec: str, fuzz_base: Path, good_bundle: Path, good_files: dict[str, str]
) -> None:
    source = (
        "from compiler import PodTemplate, task\n\n\n"
        f"@task(pod_template=PodTemplate(pod_spec={pod_spec}))\n"
        "def fuzzed(x: int) -> int:\n"
        "    return x\n"
    )
    work, package = _prepare(fuzz_base, good_bundle, source)
    result = _in_process(work, package)
    _check(result, work, package, good_files)
    assert result.code == 3
    [error] = result.stderr.splitlines()
    field = WRONG_POD_SPECS[pod_spec]
    assert error.startswith(f"{package}/tasks.py:4: error CT140: option 'pod_spec': {field} ")


#: ContainerTask arguments the fuzzer found crashing serialization (CT890), fixed since:
#: argument text -> the option the CT164 error names.
FORMER_CONTAINER_CRASHES: dict[str, str] = {
    "name=3": "name",
    "command=['run', 3]": "command",
    "arguments=[3]": "arguments",
    "input_data_dir=3": "input_data_dir",
}


@pytest.mark.parametrize("change", sorted(FORMER_CONTAINER_CRASHES))
def test_formerly_crashing_container_arguments_are_definition_errors(
    change: str, fuzz_base: Path, good_bundle: Path, good_files: dict[str, str]
) -> None:
    arguments = {"name": "'fuzzed'", "image": "'r/x:1'", "command": "['run']"}
    key, _, value = change.partition("=")
    arguments[key] = value
    call = ", ".join(f"{k}={v}" for k, v in arguments.items())
    source = f"from compiler import ContainerTask\n\nfuzzed = ContainerTask({call})\n"
    work, package = _prepare(fuzz_base, good_bundle, source)
    result = _in_process(work, package)
    _check(result, work, package, good_files)
    [error] = result.stderr.splitlines()
    task = "3" if key == "name" else "fuzzed"
    option = FORMER_CONTAINER_CRASHES[change]
    assert error.startswith(
        f"{package}/tasks.py:3: error CT164: task '{task}', option '{option}': "
    ), error
