"""Workflow nodes compared by what they are, not by their positional ids (``n0``, ``n1``...).

flytekit numbers a workflow's nodes in the order its body creates them, so one call added at
the top of a body renumbers every node after it. The review pairs each old node with the node
it became (``compiler.golden.graph.match_nodes``) before comparing, in its changes and in its
drawn graph.
"""

from __future__ import annotations

from typing import Any

from compiler.golden import workflow_dag
from compiler.golden.graph import match_nodes
from compiler.golden.workflow_rules import workflow_changes

Node = tuple[str, str, list[str]]


def flow(*nodes: Node, outputs: list[str] = ()) -> dict[str, Any]:
    """A workflow body of ``(id, task, upstream)`` nodes; each node's input ``x`` is bound to
    the output of its first upstream node (or to the workflow's input)."""

    def binding(ups: list[str]) -> dict[str, Any]:
        source = {"node_id": ups[0], "var": "o0"} if ups else {"var": "x"}
        return {"promise": source}

    return {
        "template": {
            "nodes": [
                {
                    "id": ident,
                    "metadata": {"name": task},
                    "inputs": [{"var": "x", "binding": binding(ups)}],
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


def summaries(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [change.summary for change in workflow_changes(old, new)]


CHAIN = flow(("n0", "load", []), ("n1", "price", ["n0"]), ("n2", "store", ["n1"]), outputs=["n2"])


def test_a_node_added_at_the_top_is_one_node_added_not_every_node_changed() -> None:
    new = flow(
        ("n0", "audit", []),
        ("n1", "load", []),
        ("n2", "price", ["n1"]),
        ("n3", "store", ["n2"]),
        outputs=["n3"],
    )
    assert summaries(CHAIN, new) == [
        "node n0 'audit' added (task shop.audit)",
        "node ids renumbered: n0 -> n1, n1 -> n2, n2 -> n3",
    ]
    status = {node.id: node.status for node in workflow_dag(CHAIN, new).nodes}
    assert status == {
        "start": "start",
        "n0": "added",
        "n1": "same",
        "n2": "same",
        "n3": "same",
        "end": "end",
    }
    edges = {(e.source, e.target): e.status for e in workflow_dag(CHAIN, new).edges}
    assert edges == {
        ("start", "n0"): "added",
        ("start", "n1"): "same",
        ("n1", "n2"): "same",
        ("n2", "n3"): "same",
        ("n3", "end"): "same",
    }


def test_a_node_removed_in_the_middle_rewires_the_next_one_only() -> None:
    new = flow(("n0", "load", []), ("n1", "store", ["n0"]), outputs=["n1"])
    assert summaries(CHAIN, new) == [
        "node n1 'price' removed (task shop.price)",
        "node ids renumbered: n2 -> n1",
        "node n1 'store' rewired: depends on n0 (was n1 (old))",
        "node n1 'store': input bindings changed",
    ]
    status = {node.id: node.status for node in workflow_dag(CHAIN, new).nodes}
    assert status["n1 (old)"] == "removed"
    assert status["n1"] == "changed" and status["n0"] == "same"


def test_calls_of_one_task_pair_in_order() -> None:
    old = flow(("n0", "load", []), ("n1", "load", []), ("n2", "merge", ["n0", "n1"]))
    new = flow(
        ("n0", "load", []), ("n1", "check", []), ("n2", "load", []), ("n3", "merge", ["n0", "n2"])
    )
    match = match_nodes(old, new)
    assert sorted(match.old) == ["n0", "n2", "n3"]
    assert match.renumbered == (("n1", "n2"), ("n2", "n3"))
    assert summaries(old, new) == [
        "node n1 'check' added (task shop.check)",
        "node ids renumbered: n1 -> n2, n2 -> n3",
    ]


def test_of_two_calls_of_one_task_the_one_whose_result_goes_where_it_went_is_the_old_one() -> None:
    old = flow(("n0", "dedupe", []), ("n1", "load", ["n0"]), outputs=["n1"])
    new = flow(("n0", "dedupe", []), ("n1", "dedupe", []), ("n2", "load", ["n1"]), outputs=["n2"])
    assert summaries(old, new) == [
        "node n0 'dedupe' added (task shop.dedupe)",
        "node ids renumbered: n0 -> n1, n1 -> n2",
    ]
    # Results that go to the same kinds of nodes cannot tell the calls apart: in order.
    swapped = flow(("n0", "load", []), ("n1", "load", []), ("n2", "merge", ["n0", "n1"]))
    assert match_nodes(swapped, swapped).renumbered == ()


def test_a_node_running_something_else_in_its_place_is_a_change() -> None:
    new = flow(
        ("n0", "load", []), ("n1", "discount", ["n0"]), ("n2", "store", ["n1"]), outputs=["n2"]
    )
    assert summaries(CHAIN, new) == [
        "node n1 renamed 'price' -> 'discount'",
        "node n1 'discount' runs task shop.discount (was task shop.price)",
    ]


def test_a_real_rewiring_after_a_renumbering_is_still_reported() -> None:
    new = flow(
        ("n0", "audit", []),
        ("n1", "load", []),
        ("n2", "price", ["n1"]),
        ("n3", "store", ["n1"]),  # now reads load's output, not price's
        outputs=["n3"],
    )
    assert summaries(CHAIN, new) == [
        "node n0 'audit' added (task shop.audit)",
        "node ids renumbered: n0 -> n1, n1 -> n2, n2 -> n3",
        "node n3 'store' rewired: depends on n1 (was n2)",
        "node n3 'store': input bindings changed",
    ]


def test_outputs_bound_to_a_renumbered_node_are_not_a_change() -> None:
    new = flow(("n0", "audit", []), ("n1", "load", []), ("n2", "price", ["n1"]), outputs=["n2"])
    old = flow(("n0", "load", []), ("n1", "price", ["n0"]), outputs=["n1"])
    assert "output bindings changed" not in " ".join(summaries(old, new))
    moved = flow(("n0", "audit", []), ("n1", "load", []), ("n2", "price", ["n1"]), outputs=["n1"])
    assert "output bindings changed (from nodes n2 -> n1)" in summaries(old, moved)


def test_calls_reordered_are_renumbered_and_nothing_else() -> None:
    old = flow(("n0", "load", []), ("n1", "fetch", []), ("n2", "merge", ["n0", "n1"]))
    new = flow(("n0", "fetch", []), ("n1", "load", []), ("n2", "merge", ["n1", "n0"]))
    assert summaries(old, new) == ["node ids renumbered: n1 -> n0, n0 -> n1"]
    assert {n.status for n in workflow_dag(old, new).nodes} == {"start", "same", "end"}


def test_unchanged_workflows_have_no_node_changes() -> None:
    assert summaries(CHAIN, CHAIN) == []
    assert match_nodes(CHAIN, CHAIN).renumbered == ()
