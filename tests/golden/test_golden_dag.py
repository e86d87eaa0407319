"""Workflow graphs: union of both sides, node and edge marks, layered layout, Mermaid text."""

from __future__ import annotations

from typing import Any

from compiler.golden import workflow_dag
from compiler.golden.dag import NODE_H, NODE_W


def flow(*nodes: tuple[str, str, list[str]], outputs: list[str] = ()) -> dict[str, Any]:
    """A workflow rendering body with ``(id, task, upstream)`` nodes."""
    return {
        "template": {
            "nodes": [
                {
                    "id": ident,
                    "metadata": {"name": task},
                    "upstream_node_ids": ups,
                    "task_node": {"reference_id": {"name": f"shop.{task}"}},
                }
                for ident, task, ups in nodes
            ],
            "outputs": [
                {"var": "o0", "binding": {"promise": {"node_id": n, "var": "o0"}}} for n in outputs
            ],
        }
    }


def test_marks_and_layers() -> None:
    old = flow(("n0", "load", []), ("n1", "price", ["n0"]), ("n2", "purge", ["n1"]), outputs=["n2"])
    new = flow(
        ("n0", "load", []), ("n1", "price2", ["n0"]), ("n3", "count", ["n0"]), outputs=["n1", "n3"]
    )
    dag = workflow_dag(old, new)
    status = {n.id: n.status for n in dag.nodes}
    assert status == {
        "start": "start",
        "n0": "same",
        "n1": "changed",
        "n2": "removed",
        "n3": "added",
        "end": "end",
    }
    edges = {(e.source, e.target): e.status for e in dag.edges}
    assert edges[("n0", "n3")] == "added"
    assert edges[("n1", "n2")] == "removed"
    assert edges[("start", "n0")] == "same"
    y = {n.id: n.y for n in dag.nodes}
    assert y["start"] < y["n0"] < y["n1"] == y["n3"] < y["n2"] < y["end"]
    assert {n.id for n in dag.marked} == {"n1", "n2", "n3"}


def test_boxes_never_overlap_and_long_edges_get_their_own_lane() -> None:
    nodes = [("n0", "a", [])] + [(f"n{i}", "b", [f"n{i - 1}"]) for i in range(1, 5)]
    nodes.append(("n9", "c", ["n0"]))  # n0 -> n9 -> end skips four layers
    dag = workflow_dag(flow(*nodes), flow(*nodes))
    boxes = [(n.x, n.y) for n in dag.nodes]
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1 :]:
            assert abs(x1 - x2) >= NODE_W or abs(y1 - y2) >= NODE_H
    (long,) = [e for e in dag.edges if e.source == "n9"]
    assert " L" in long.path  # routed straight through the placeholder slots
    assert dag.width >= 2 * NODE_W


def test_added_and_removed_workflows() -> None:
    body = flow(("n0", "load", []))
    assert {n.status for n in workflow_dag(None, body).nodes} == {"start", "added", "end"}
    assert {e.status for e in workflow_dag(body, None).edges} == {"removed"}
    empty = workflow_dag(flow(), flow())
    assert [(e.source, e.target) for e in empty.edges] == [("start", "end")]


def test_mermaid_escapes_and_classes() -> None:
    old = flow(("n0", 'say "hi"', []))
    new = flow(("n0", 'say "hi"', []), ("n1", "count", ["n0"]))
    text = workflow_dag(old, new).mermaid
    assert text.startswith("flowchart TD\n")
    assert '["say #quot;hi#quot;<br/><small>task shop.say #quot;hi#quot;</small>"]' in text
    assert '["+ count<br/><small>task shop.count</small>"]:::added' in text
    assert "classDef removed" in text
    assert '"' not in text.replace('["', "").replace('"]', "").replace('(("', "").replace('"))', "")


def test_cycles_do_not_hang() -> None:
    body = flow(("n0", "a", ["n1"]), ("n1", "b", ["n0"]))
    assert len(workflow_dag(body, body).nodes) == 4
