"""A dynamic task run through its container args writes the ``futures.pb`` flytekit writes.

The fixtures are what flytekit 1.16.31's own entrypoint (``pyflyte-execute``) wrote for the
same task and inputs (``tests/oracle/futures.py``; regenerate with
``python tests/oracle/regenerate.py probe_dynamic``). Our side compiles the task, runs its
container args in a subprocess with the same execution ids, and reads ``futures.pb`` (or
``outputs.pb``) with flyteidl.
"""

from __future__ import annotations

import json

import pytest

from compiler.serialize import serialize_task
from tests.oracle.compare import diff
from tests.oracle.futures import CASES, normalise_result, our_result
from tests.oracle.packages import collect_tasks, package_by_name

PARAMS = [
    pytest.param(package, name, values, id=name)
    for package, cases in CASES.items()
    for name, values in cases
]


@pytest.mark.parametrize(("package_name", "name", "values"), PARAMS)
def test_futures_equal_flytekit(package_name, name, values, tmp_path) -> None:
    package = package_by_name(package_name)
    fixture = package.kind_fixtures("futures") / f"{name}.json"
    expected = json.loads(fixture.read_text(encoding="utf-8"))
    spec = serialize_task(collect_tasks(package)[name], package.settings())
    ours = our_result(spec, values, tmp_path / "run", package.parent)
    differences = list(diff(normalise_result(ours), normalise_result(expected)))
    assert differences == [], "\n".join(differences)


def test_every_case_has_a_fixture() -> None:
    for package_name, cases in CASES.items():
        folder = package_by_name(package_name).kind_fixtures("futures")
        assert {path.stem for path in folder.glob("*.json")} == {name for name, _ in cases}
