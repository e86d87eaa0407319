"""Differential tests: our TaskSpecs equal flytekit 1.16.31's, up to WIRE-FORMAT 1.

The fixture test runs everywhere from the committed fixtures (no flytekit needed). The live test
(marker ``oracle``) ports the packages again, runs ``pyflyte package`` and checks that the
committed fixtures are still what flytekit writes; it is skipped without a flytekit venv.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from compiler.serialize import parse_task_spec, serialize_task, spec_bytes
from tests.oracle.compare import normalise
from tests.oracle.packages import PACKAGES, collect_tasks
from tests.oracle.parity import (
    KNOWN_MISMATCHES,
    fixture_cases,
    load_fixture,
    our_spec,
    task_differences,
)
from tests.oracle.regenerate import find_pyflyte, flytekit_specs, venv_problem


def _params(with_known_mismatches: bool) -> list:
    params = []
    for package, name in fixture_cases():
        reason = KNOWN_MISMATCHES.get((package.name, name)) if with_known_mismatches else None
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(package, name, id=f"{package.name}:{name}", marks=marks))
    return params


CASES = _params(with_known_mismatches=True)
ALL_TASKS = _params(with_known_mismatches=False)


def test_every_package_has_fixtures() -> None:
    missing = [p.name for p in PACKAGES if not any(p.fixtures.glob("*.json"))]
    assert missing == [], (
        f"no fixtures for {missing}; create them with: python tests/oracle/regenerate.py"
    )


@pytest.mark.parametrize(("package", "name"), CASES)
def test_task_spec_equals_flytekit(package, name) -> None:
    differences = task_differences(package, name)
    assert differences == [], "\n".join(differences)


@pytest.mark.parametrize(("package", "name"), ALL_TASKS)
def test_task_spec_bytes_round_trip(package, name) -> None:
    task = collect_tasks(package)[name]
    data = spec_bytes(serialize_task(task, package.settings()))
    assert spec_bytes(parse_task_spec(data)) == data


def test_every_oracle_task_is_in_the_fixtures() -> None:
    """A task we compile but flytekit did not write means a stale fixture directory."""
    for package in PACKAGES:
        ours = set(collect_tasks(package))
        theirs = {path.stem for path in package.fixtures.glob("*.json")}
        assert ours == theirs, f"{package.name}: regenerate with python tests/oracle/regenerate.py"


@pytest.mark.oracle
def test_fixtures_match_live_flytekit() -> None:
    pyflyte = find_pyflyte()
    if pyflyte is None:
        pytest.skip("no flytekit venv (set CT_ORACLE_PYFLYTE or create /work/.venv-oracle)")
    problem = venv_problem(pyflyte)
    if problem:
        pytest.skip(f"the flytekit venv is incomplete: {problem} (see docs/oracle.md)")
    stale = []
    for package in PACKAGES:
        with tempfile.TemporaryDirectory(prefix="ct-oracle-live-") as tmp:
            live = flytekit_specs(package, pyflyte, Path(tmp))
        committed = {name: load_fixture(package, name) for p, name in fixture_cases([package.name])}
        if {k: normalise(v) for k, v in live.items()} != {
            k: normalise(v) for k, v in committed.items()
        }:
            stale.append(package.name)
        for name in live:
            assert our_spec(package, name) is not None
    assert stale == [], f"fixtures of {stale} are stale: run python tests/oracle/regenerate.py"
