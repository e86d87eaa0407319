"""Property tests of the comparison: ``diff A A`` is empty; ``diff A B`` is ``diff B A`` reversed.

Sets of tasks, workflows and launch plans are generated as protobuf messages, rendered as the
bundle writer renders them, and compared in both directions.
"""

from __future__ import annotations

from typing import Any

from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.golden import EntityFile, EntityStatus, GoldenReport, GoldenSet, compare
from compiler.render import parse_rendering, render_message

TYPES = [{"simple": "INTEGER"}, {"simple": "STRING"}, {"simple": "FLOAT"}]
NAMES = ["shop.a", "shop.b", "shop.c"]
_variables = st.dictionaries(
    st.sampled_from(["x", "y", "z"]), st.sampled_from(range(len(TYPES))), max_size=3
)


def _interface(inputs: dict[str, int], outputs: dict[str, int]) -> dict[str, Any]:
    def side(names: dict[str, int]) -> dict[str, Any]:
        return {"variables": {n: {"type": TYPES[t], "description": n} for n, t in names.items()}}

    return {"inputs": side(inputs), "outputs": side(outputs)}


@st.composite
def tasks(draw: st.DrawFn, name: str) -> tuple[str, Any, dict[str, Any]]:
    inputs, outputs = draw(_variables), draw(_variables)
    spec = json_format.ParseDict(
        {
            "template": {
                "id": {"resource_type": "TASK", "name": name},
                "type": "python-task",
                "interface": _interface(inputs, outputs),
                "container": {"image": draw(st.sampled_from(["app:1", "app:2"])), "args": ["x"]},
            }
        },
        task_pb2.TaskSpec(),
    )
    defaults = {n: 1 for n in inputs if draw(st.booleans())}
    return f"00_{name}_1", spec, {"defaults": defaults}


@st.composite
def workflows(draw: st.DrawFn, name: str) -> tuple[str, Any, dict[str, Any]]:
    count = draw(st.integers(0, 4))
    nodes = []
    for i in range(count):
        ups = sorted({f"n{j}" for j in draw(st.lists(st.integers(0, max(i - 1, 0)), max_size=2))})
        node: dict[str, Any] = {
            "id": f"n{i}",
            "metadata": {"name": draw(st.sampled_from(["t", "u"]))},
            "task_node": {
                "reference_id": {"resource_type": "TASK", "name": draw(st.sampled_from(NAMES))}
            },
        }
        if i and ups:
            node["upstream_node_ids"] = [u for u in ups if u != f"n{i}"]
        nodes.append(node)
    template = {
        "id": {"resource_type": "WORKFLOW", "name": name},
        "interface": _interface(draw(_variables), draw(_variables)),
        "nodes": nodes,
        "metadata": {"on_failure": draw(st.sampled_from([0, 1]))},
    }
    spec = json_format.ParseDict({"template": template}, workflow_pb2.WorkflowSpec())
    return f"01_{name}_2", spec, {"defaults": {}}


@st.composite
def launch_plans(draw: st.DrawFn, name: str) -> tuple[str, Any, dict[str, Any]]:
    spec: dict[str, Any] = {
        "workflow_id": {"resource_type": "WORKFLOW", "name": draw(st.sampled_from(NAMES))}
    }
    if draw(st.booleans()):
        spec["entity_metadata"] = {"schedule": {"rate": {"value": draw(st.integers(1, 3))}}}
    fixed = draw(st.dictionaries(st.sampled_from(["x", "y"]), st.integers(0, 2), max_size=2))
    spec["fixed_inputs"] = {
        "literals": {k: {"scalar": {"primitive": {"integer": str(v)}}} for k, v in fixed.items()}
    }
    if draw(st.booleans()):
        spec["labels"] = {"values": {"team": draw(st.sampled_from(["a", "b"]))}}
    plan = json_format.ParseDict(
        {"id": {"resource_type": "LAUNCH_PLAN", "name": name}, "spec": spec},
        launch_plan_pb2.LaunchPlan(),
    )
    return f"02_{name}_3", plan, {}


@st.composite
def bundles(draw: st.DrawFn) -> GoldenSet:
    entries = []
    for name in draw(st.sets(st.sampled_from(NAMES))):
        entries.append(draw(tasks(name)))
    for name in draw(st.sets(st.sampled_from(NAMES))):
        entries.append(draw(workflows(name)))
    for name in draw(st.sets(st.sampled_from(NAMES))):
        entries.append(draw(launch_plans(name)))
    entities = {}
    for stem, message, facts in entries:
        text = render_message(message, facts)
        entities[stem] = EntityFile(stem, text, parse_rendering(text), "0" * 64)
    return GoldenSet(entities=entities, checksums={})


_MIRROR = {EntityStatus.ADDED: EntityStatus.REMOVED, EntityStatus.REMOVED: EntityStatus.ADDED}


def _view(report: GoldenReport, *, reverse: bool) -> set[tuple[Any, ...]]:
    rows = set()
    for entity in report.entities:
        status = _MIRROR.get(entity.status, entity.status) if reverse else entity.status
        names = (entity.renamed_from, entity.name) if entity.renamed_from else (entity.name,)
        if reverse:
            names = tuple(reversed(names))
        fields = frozenset(
            (f.path, f.new, f.old) if reverse else (f.path, f.old, f.new) for f in entity.fields
        )
        rows.add((entity.kind, names, status, fields))
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles())
def test_diff_of_a_bundle_with_itself_is_empty(bundle: GoldenSet) -> None:
    report = compare(bundle, bundle, "a")
    assert report.entities == ()
    assert len(report.unchanged) == len(bundle.entities)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles(), bundles())
def test_diff_b_a_is_diff_a_b_reversed(a: GoldenSet, b: GoldenSet) -> None:
    forward, backward = compare(a, b, "a"), compare(b, a, "b")
    assert _view(forward, reverse=False) == _view(backward, reverse=True)
    assert set(forward.unchanged) == set(backward.unchanged)
    for entity in forward.entities:  # every difference explains itself with a change
        assert entity.changes
