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

__all__ = [
    "GraphNode",
    "NodeMatch",
    "match_nodes",
    "node_edges",
    "references",
    "top_nodes",
    "walk_nodes",
]

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


@frozen_record
class NodeMatch:
    """The top-level nodes of two renderings of one workflow, numbered alike.

    Node ids are positions: flytekit numbers a workflow's nodes ``n0``, ``n1``... in the order
    its body creates them, so a node added or removed early renumbers every node after it.
    Compared by id, one new call at the top of a body would read as every node renamed,
    rewired and running something else.

    Attributes:
        new: The new side's nodes, by id (:func:`top_nodes`).
        old: The old side's nodes under the new side's ids: a node that became a new one has
            that node's id, and its edges and the node ids of its input bindings are
            renumbered the same way; a node that was removed keeps its id, or ``ID (old)``
            where a new node has that id.
        renumbered: ``(old id, new id)`` of every node that kept its place in the graph under
            another id, in the new side's order.
        old_outputs: The old side's output bindings (``template.outputs``), renumbered.
    """

    new: dict[str, GraphNode]
    old: dict[str, GraphNode]
    renumbered: tuple[tuple[str, str], ...]
    old_outputs: Any

    @property
    def old_output_nodes(self) -> tuple[str, ...]:
        """The ids of the nodes whose outputs the old side returned, renumbered."""
        return tuple(sorted(set(_binding_nodes(self.old_outputs))))


def match_nodes(old_body: Mapping[str, Any], new_body: Mapping[str, Any]) -> NodeMatch:
    """Pair the nodes of two renderings of one workflow by what they are, not by position.

    A node is paired with a node of the other side that has its label and runs the same
    thing: among several such (calls of one task), first with one whose results go to the
    same kinds of nodes (:func:`_consumers`), then in order (the second call with the second
    one). The nodes left over are paired by id (a node renamed, or running something else, in
    its place); the others were removed or added.
    """
    old, new = top_nodes(old_body), top_nodes(new_body)
    free: dict[tuple[str, str], list[str]] = {}
    for ident, node in new.items():
        free.setdefault((node.label, node.runs), []).append(ident)
    old_uses, new_uses = _consumers(old, old_body), _consumers(new, new_body)
    pairs: dict[str, str] = {}
    for alike in (True, False):
        for ident, node in old.items():
            same = free.get((node.label, node.runs))
            if ident in pairs or not same:
                continue
            if alike:
                found = [n for n in same if new_uses[n] == old_uses[ident]]
                if not found:
                    continue
                pairs[ident] = found[0]
                same.remove(found[0])
            else:
                pairs[ident] = same.pop(0)
    taken = set(pairs.values())
    for ident in old:
        if ident not in pairs and ident in new and ident not in taken:
            pairs[ident] = ident  # the node in its place now runs or is named otherwise
            taken.add(ident)
    keys = {i: pairs.get(i, f"{i} (old)" if i in new else i) for i in old}
    renumbered = {keys[i]: _renumbered(node, keys, i in pairs) for i, node in old.items()}
    became = {n: o for o, n in pairs.items()}
    moved = tuple((became[n], n) for n in new if n in became and became[n] != n)
    outputs = _renumbered_bindings(template_of(old_body).get("outputs"), keys)
    return NodeMatch(new, renumbered, moved, outputs)


def _consumers(nodes: Mapping[str, GraphNode], body: Mapping[str, Any]) -> dict[str, Any]:
    """What each node's results go to: the label and target of every node that depends on it,
    and whether the workflow returns them (ids left out: they are what is being matched)."""
    uses: dict[str, list[tuple[str, str]]] = {ident: [] for ident in nodes}
    for node in nodes.values():
        for upstream in node.upstream:
            if upstream in uses:
                uses[upstream].append((node.label, node.runs))
    for ident in output_nodes(body):
        if ident in uses:
            uses[ident].append(("", "the workflow's outputs"))
    return {ident: sorted(found) for ident, found in uses.items()}


def _renumbered(node: GraphNode, keys: Mapping[str, str], paired: bool) -> GraphNode:
    """``node`` of the old side with every node id it holds as the new side numbers them (its
    own id only when it became a new node)."""
    data = dict(node.data) if isinstance(node.data, Mapping) else {}
    ident = keys[node.id] if paired else node.id
    if paired:
        data["id"] = ident
    upstream = data.get("upstream_node_ids")
    if isinstance(upstream, list):
        data["upstream_node_ids"] = [keys.get(str(u), u) for u in upstream]
    if "inputs" in data:
        data["inputs"] = _renumbered_bindings(data["inputs"], keys)
    return GraphNode(ident, node.label, node.runs, node_edges(data), data)


def _renumbered_bindings(value: Any, keys: Mapping[str, str]) -> Any:
    """Promise bindings' node ids renumbered (``keys``), everything else as it is."""
    if isinstance(value, Mapping):
        out = {k: _renumbered_bindings(v, keys) for k, v in value.items()}
        promise = value.get("promise")
        if isinstance(promise, Mapping) and str(promise.get("node_id")) in keys:
            out["promise"] = {**promise, "node_id": keys[str(promise["node_id"])]}
        return out
    if isinstance(value, list):
        return [_renumbered_bindings(item, keys) for item in value]
    return value


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
