"""Reading workflow graphs out of renderings: nodes, what they run, and their edges.

Works on the canonical plain data of a rendering (``Rendering.body``): a workflow's
``template.nodes`` (with nested branch, array and failure nodes), and the references from
workflows and launch plans to other entities, which give the "used by" index that names the
workflows a breaking task change affects.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from compiler.idl import EntityKind
from compiler.records import frozen_record

__all__ = ["GraphNode", "node_edges", "references", "top_nodes", "walk_nodes"]

_KINDS = {kind.name: kind.noun for kind in EntityKind}


@frozen_record
class GraphNode:
    """One top-level node of a workflow.

    Attributes:
        id: The node id (``n0``).
        label: ``metadata.name`` (or the id).
        runs: What it runs, as text (``task a.b``, ``workflow c``, ``branch``, ``gate``).
        upstream: Ids of the nodes it depends on (``upstream_node_ids`` and bindings).
        data: The node's plain data (compared to mark a node changed).
    """

    id: str
    label: str
    runs: str
    upstream: tuple[str, ...]
    data: Any


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def template_of(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The workflow template of a workflow rendering (``template``)."""
    return _mapping(body.get("template"))


def walk_nodes(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """``node`` and every node nested in it (branch cases, array node)."""
    yield node
    branch = _mapping(_mapping(node.get("branch_node")).get("if_else"))
    nested = [_mapping(branch.get("case")).get("then_node"), branch.get("else_node")]
    nested += [_mapping(case).get("then_node") for case in _list(branch.get("other"))]
    nested.append(_mapping(node.get("array_node")).get("node"))
    for child in nested:
        if isinstance(child, Mapping):
            yield from walk_nodes(child)


def _reference(node: Mapping[str, Any]) -> tuple[str, str] | None:
    task = _mapping(_mapping(node.get("task_node")).get("reference_id"))
    if task.get("name"):
        return "task", str(task["name"])
    flow = _mapping(node.get("workflow_node"))
    for key, kind in (
        ("sub_workflow_ref", "workflow"),
        ("launchplan_ref", EntityKind.LAUNCH_PLAN.noun),
    ):
        ref = _mapping(flow.get(key))
        if ref.get("name"):
            return _KINDS.get(str(ref.get("resource_type")), kind), str(ref["name"])
    return None


def _runs(node: Mapping[str, Any]) -> str:
    ref = _reference(node)
    if ref is not None:
        return f"{ref[0]} {ref[1]}"
    for key in ("branch_node", "gate_node", "array_node"):
        if key in node:
            inner = [r for r in map(_reference, walk_nodes(node)) if r is not None]
            text = key.removesuffix("_node")
            return f"{text}: " + ", ".join(sorted({name for _, name in inner})) if inner else text
    return "node"


def node_edges(node: Mapping[str, Any]) -> tuple[str, ...]:
    """The ids of the nodes ``node`` depends on: upstream ids and promise bindings, sorted."""
    found = {str(n) for n in _list(node.get("upstream_node_ids"))}
    found.update(_binding_nodes(node.get("inputs")))
    found.discard("")
    found.discard("start-node")
    return tuple(sorted(found))


def _binding_nodes(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        promise = value.get("promise")
        if isinstance(promise, Mapping) and promise.get("node_id"):
            yield str(promise["node_id"])
        for key, item in value.items():
            if key != "promise":
                yield from _binding_nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _binding_nodes(item)


def output_nodes(body: Mapping[str, Any]) -> tuple[str, ...]:
    """Ids of the nodes whose outputs the workflow returns."""
    return tuple(sorted(set(_binding_nodes(template_of(body).get("outputs")))))


def top_nodes(body: Mapping[str, Any]) -> dict[str, GraphNode]:
    """The top-level nodes of a workflow rendering, by id, in file order."""
    nodes: dict[str, GraphNode] = {}
    for raw in _list(template_of(body).get("nodes")):
        node = _mapping(raw)
        ident = str(node.get("id", ""))
        if not ident:
            continue
        label = str(_mapping(node.get("metadata")).get("name") or ident)
        nodes[ident] = GraphNode(ident, label, _runs(node), node_edges(node), node)
    return nodes


def references(kind: str, body: Mapping[str, Any]) -> set[tuple[str, str]]:
    """The ``(kind, name)`` of every entity a workflow or launch plan uses directly."""
    found: set[tuple[str, str]] = set()
    if kind == EntityKind.LAUNCH_PLAN.noun:
        ref = _mapping(_mapping(body.get("spec")).get("workflow_id"))
        if ref.get("name"):
            found.add(("workflow", str(ref["name"])))
        return found
    if kind != "workflow":
        return found
    templates = [template_of(body), *map(_mapping, _list(body.get("sub_workflows")))]
    for template in templates:
        roots = [*_list(template.get("nodes")), template.get("failure_node")]
        for root in roots:
            if not isinstance(root, Mapping):
                continue
            for node in walk_nodes(root):
                ref = _reference(node)
                if ref is not None:
                    found.add(ref)
    return found
