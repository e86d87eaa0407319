"""Our WorkflowSpecs and default LaunchPlans equal flytekit 1.16.31's committed fixtures.

``upstream_node_ids`` are compared as sets and ``sub_workflows`` by name (flytekit's orders are
random); regenerate the fixtures with ``python tests/oracle/regenerate.py``.
"""

from __future__ import annotations

import pytest

from tests.oracle.packages import collect_workflows, package_by_name
from tests.oracle.parity import entity_cases, entity_differences

CASES = [pytest.param(p, k, n, id=f"{p.name}:{k}:{n}") for p, k, n in entity_cases()]


#: The probe packages of workflow features (one per feature).
WORKFLOW_PROBES = (
    "probe_workflows",
    "probe_conditionals",
    "probe_failure",
    "probe_imperative",
    "probe_references",
    "probe_overrides",
)


@pytest.mark.parametrize("name", WORKFLOW_PROBES)
def test_probe_workflows_have_fixtures_of_both_kinds(name) -> None:
    kinds = {kind for package, kind, _ in entity_cases() if package.name == name}
    assert kinds == {"workflow", "launch_plan"}


@pytest.mark.parametrize(("package", "kind", "name"), CASES)
def test_entity_equals_flytekit(package, kind, name) -> None:
    differences = entity_differences(package, kind, name)
    assert differences == [], "\n".join(differences)


@pytest.mark.parametrize("name", WORKFLOW_PROBES)
def test_every_workflow_is_in_the_fixtures(name) -> None:
    package = package_by_name(name)
    ours = set(collect_workflows(package))
    for kind in ("workflow", "launch_plan"):
        theirs = {path.stem for path in package.kind_fixtures(kind).glob("*.json")}
        assert ours == theirs, kind
