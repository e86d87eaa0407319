"""Our TaskSpecs against flytekit's committed fixtures: per-task differences and the figure.

``python tests/oracle/regenerate.py --check`` prints ``parity: EQUAL/TOTAL tasks equal`` and the
differing fields of every other task; ``tests/oracle/test_parity.py`` asserts the same per task.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

# Run as a script too: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from compiler.serialize import serialize_task
from compiler.serialize.launch_plan import serialize_launch_plan
from compiler.serialize.workflow import serialize_workflow
from compiler.types.engine import TypeEngine
from tests.oracle.compare import apply_expected, diff, normalise, normalise_workflow, spec_dict
from tests.oracle.packages import (
    PACKAGES,
    OraclePackage,
    collect_launch_plans,
    collect_tasks,
    collect_workflows,
)
from tests.oracle.porting import EXPECTED_DIFFERENCES

__all__ = [
    "ENTITY_KINDS",
    "KNOWN_MISMATCHES",
    "entity_cases",
    "entity_differences",
    "fixture_cases",
    "load_fixture",
    "our_spec",
    "print_parity",
    "task_differences",
]

#: ``(package, task name)`` -> why our output still differs, and whose area the fix is in.
#: The parity test marks these ``xfail(strict=True)``: fixing the cause makes it fail loudly
#: until the entry is removed.
KNOWN_MISMATCHES: dict[tuple[str, str], str] = {}


def fixture_cases(names: list[str] | None = None) -> list[tuple[OraclePackage, str]]:
    """Every ``(package, task name)`` that has a committed fixture."""
    cases = []
    for package in PACKAGES:
        if names and package.name not in names:
            continue
        if package.fixtures.is_dir():
            cases += [(package, path.stem) for path in sorted(package.fixtures.glob("*.json"))]
    return cases


def load_fixture(package: OraclePackage, name: str) -> dict[str, Any]:
    """flytekit's TaskSpec dict of one task."""
    return json.loads((package.fixtures / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def _package_specs(package: OraclePackage) -> dict[str, dict[str, Any] | Exception]:
    """Every task of the package serialized in declaration order with one fresh type engine.

    That is what one compile of the package does, and it keeps the outcome independent of
    which tests ran before (the engine memoises type descriptions).
    """
    settings = package.settings(TypeEngine())
    specs: dict[str, dict[str, Any] | Exception] = {}
    for name, task in collect_tasks(package).items():
        try:
            specs[name] = spec_dict(serialize_task(task, settings))
        except Exception as exc:  # reported per task
            specs[name] = exc
    return specs


def our_spec(package: OraclePackage, name: str) -> dict[str, Any]:
    """Our TaskSpec dict of one task (``KeyError`` when the task is not found)."""
    spec = _package_specs(package)[name]
    if isinstance(spec, Exception):
        raise spec
    return spec


def task_differences(package: OraclePackage, name: str) -> list[str]:
    """The differing fields after the allowed normalisation (empty: equal)."""
    theirs = apply_expected(load_fixture(package, name), EXPECTED_DIFFERENCES.get(name, {}))
    try:
        ours = our_spec(package, name)
    except KeyError:
        return [f"task {name!r} not found in our port of {package.name}"]
    except Exception as exc:  # report and keep counting
        return [f"serialization failed: {type(exc).__name__}: {exc}"]
    return list(diff(normalise(ours), normalise(theirs)))


#: Fixture folder of a workflow-level kind -> our serializer.
ENTITY_KINDS = {
    "workflow": serialize_workflow,
    "launch_plan": serialize_launch_plan,
}

#: Fixture folder of a workflow-level kind -> how to find our entities of that kind.
_COLLECTORS = {"workflow": collect_workflows, "launch_plan": collect_launch_plans}


def entity_cases(names: list[str] | None = None) -> list[tuple[OraclePackage, str, str]]:
    """Every ``(package, kind, name)`` with a committed workflow or launch plan fixture."""
    cases = []
    for package in PACKAGES:
        if names and package.name not in names:
            continue
        for kind in ENTITY_KINDS:
            folder = package.kind_fixtures(kind)
            if folder.is_dir():
                cases += [(package, kind, path.stem) for path in sorted(folder.glob("*.json"))]
    return cases


@functools.cache
def _package_entities(package: OraclePackage, kind: str) -> dict[str, dict[str, Any] | Exception]:
    """Our dicts of one kind for every entity of the package (one fresh type engine)."""
    settings = package.settings(TypeEngine())
    serializer = ENTITY_KINDS[kind]
    specs: dict[str, dict[str, Any] | Exception] = {}
    for name, entity in _COLLECTORS[kind](package).items():
        try:
            specs[name] = spec_dict(serializer(entity, settings))
        except Exception as exc:  # reported per entity
            specs[name] = exc
    return specs


def entity_differences(package: OraclePackage, kind: str, name: str) -> list[str]:
    """The differing fields of one WorkflowSpec or LaunchPlan (``upstream_node_ids`` as sets)."""
    path = package.kind_fixtures(kind) / f"{name}.json"
    theirs = json.loads(path.read_text(encoding="utf-8"))
    ours = _package_entities(package, kind).get(name)
    if ours is None:
        return [f"{kind} {name!r} not found in our port of {package.name}"]
    if isinstance(ours, Exception):
        return [f"serialization failed: {type(ours).__name__}: {ours}"]
    return list(diff(normalise_workflow(ours), normalise_workflow(theirs)))


def _print_figure(label: str, results: list[tuple[str, list[str]]]) -> bool:
    equal = 0
    for case, differences in results:
        if not differences:
            equal += 1
            continue
        print(f"DIFF {case}")
        for line in differences:
            print(f"    {line}")
    print(f"parity: {equal}/{len(results)} {label} equal")
    return equal == len(results)


def print_parity(names: list[str] | None = None) -> int:
    """Print the parity figures and the differences; exit status 0 when everything is equal."""
    tasks = [(f"{p.name}:{n}", task_differences(p, n)) for p, n in fixture_cases(names)]
    entities = [
        (f"{p.name}:{k}:{n}", entity_differences(p, k, n)) for p, k, n in entity_cases(names)
    ]
    ok = _print_figure("tasks", tasks)
    ok = _print_figure("workflows and launch plans", entities) and ok
    return 0 if ok else 1
