"""A changed workflow's graph, with added, removed and changed nodes marked, laid out in layers.

The graph is the union of both sides: nodes matched by id, an edge for every dependency
(``upstream_node_ids`` and promise bindings), a ``start`` node before the nodes that depend on
nothing and an ``end`` node after the nodes the outputs are bound to. The layout is a small
layered (Sugiyama-style) one: a node's layer is its longest path from ``start``; nodes in a
layer are ordered by the mean position of their upstream nodes, a few sweeps; coordinates are
computed here so that the HTML template only draws (an inline SVG: no script, no CDN), and the
Markdown report gets the same graph as a Mermaid ``flowchart``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from compiler.golden.graph import GraphNode, match_nodes, output_nodes, top_nodes
from compiler.records import frozen_record

__all__ = ["NODE_H", "NODE_W", "Dag", "DagEdge", "DagNode", "workflow_dag"]

NODE_W, NODE_H = 190, 44
GAP_X, GAP_Y, MARGIN = 28, 46, 12
#: Characters of a node's label drawn in its box (the full text is the box's tooltip).
LABEL_CHARS = 26
START, END = "start", "end"
_SWEEPS = 4


@frozen_record
class DagNode:
    """A node as drawn: ``status`` is added, removed, changed, same, or start/end."""

    id: str
    label: str
    runs: str
    status: str
    x: int
    y: int

    @property
    def short_label(self) -> str:
        """The label cut to fit the box."""
        text = self.label
        return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"

    @property
    def short_runs(self) -> str:
        """What it runs, cut to fit the box (the last dotted parts of the name)."""
        text = self.runs
        if len(text) > LABEL_CHARS + 4:
            text = "…" + text[-(LABEL_CHARS + 3) :]
        return text


@frozen_record
class DagEdge:
    """An edge as drawn: ``status`` is added, removed or same; ``path`` an SVG path."""

    source: str
    target: str
    status: str
    path: str


@frozen_record
class Dag:
    """The laid-out graph of one workflow."""

    nodes: tuple[DagNode, ...]
    edges: tuple[DagEdge, ...]
    width: int
    height: int

    @property
    def marked(self) -> tuple[DagNode, ...]:
        """The nodes that were added, removed or changed."""
        return tuple(n for n in self.nodes if n.status in ("added", "removed", "changed"))

    @property
    def mermaid(self) -> str:
        """The graph as a Mermaid ``flowchart TD`` (GitHub draws it in Markdown)."""
        from compiler.golden.mermaid import mermaid_text

        return mermaid_text(self)


def _status(ident: str, old: dict[str, GraphNode], new: dict[str, GraphNode]) -> str:
    if ident not in old:
        return "added"
    if ident not in new:
        return "removed"
    return "same" if old[ident].data == new[ident].data else "changed"


def _changed_sub_workflows(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    """``workflow NAME`` of every sub-workflow whose template differs between the sides."""

    def by_name(body: Mapping[str, Any]) -> dict[str, Any]:
        subs = body.get("sub_workflows")
        found = {}
        for item in subs if isinstance(subs, list) else []:
            ident = item.get("id") if isinstance(item, Mapping) else None
            if isinstance(ident, Mapping) and ident.get("name"):
                found[str(ident["name"])] = item
        return found

    before, after = by_name(old), by_name(new)
    return {f"workflow {n}" for n in set(before) | set(after) if before.get(n) != after.get(n)}


def _edges(
    body: Mapping[str, Any] | None, nodes: dict[str, GraphNode], outputs: Sequence[str]
) -> set[tuple[str, str]]:
    """The drawn edges of one side: ``nodes`` by their key in the union graph, ``outputs`` the
    nodes whose outputs it returns."""
    if body is None:
        return set()
    edges = set()
    for key, node in nodes.items():
        ups = [u for u in node.upstream if u in nodes]
        edges.update((u, key) for u in ups)
        if not ups:
            edges.add((START, key))
    outs = [n for n in outputs if n in nodes]
    if not outs:
        used = {u for u, _ in edges}
        outs = [n for n in nodes if n not in used]
    edges.update((n, END) for n in outs)
    if not nodes:
        edges.add((START, END))
    return edges


def workflow_dag(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> Dag:
    """The union graph of two workflow renderings (either may be ``None``), laid out."""
    old_outputs: Sequence[str]
    if old is not None and new is not None:  # the old nodes under the ids they have now
        match = match_nodes(old, new)
        old_nodes, new_nodes, old_outputs = match.old, match.new, match.old_output_nodes
    else:
        old_nodes = top_nodes(old) if old is not None else {}
        new_nodes = top_nodes(new) if new is not None else {}
        old_outputs = output_nodes(old) if old is not None else ()
    merged = {**old_nodes, **new_nodes}
    if old is None or new is None:  # a whole workflow added or removed: no node "changed"
        status = {i: "added" if old is None else "removed" for i in merged}
    else:
        status = {i: _status(i, old_nodes, new_nodes) for i in merged}
        changed_subs = _changed_sub_workflows(old, new)
        for ident, node in merged.items():
            if status[ident] == "same" and node.runs in changed_subs:
                status[ident] = "changed"  # the sub-workflow it runs changed
    new_outputs = output_nodes(new) if new is not None else ()
    old_edges, new_edges = _edges(old, old_nodes, old_outputs), _edges(new, new_nodes, new_outputs)
    edges = {e: "same" if e in old_edges else "added" for e in new_edges}
    edges.update({e: "removed" for e in old_edges - new_edges})
    if old is None or new is None:
        edges = {e: "added" if old is None else "removed" for e in edges}
    layers, chains = _with_dummies(_layers([START, *merged, END], edges), edges)
    positions = _positions(layers, chains)
    width = max((len(layer) for layer in layers), default=1) * (NODE_W + GAP_X) - GAP_X
    drawn = []
    for ident in [START, *merged, END]:
        x, y = positions[ident]
        node = merged.get(ident)
        drawn.append(
            DagNode(
                id=ident,
                label=node.label if node else ident,
                runs=node.runs if node else "",
                status=status.get(ident, ident),
                x=x,
                y=y,
            )
        )
    lines = tuple(
        DagEdge(a, b, state, _path([positions[n] for n in chains[(a, b)]]))
        for (a, b), state in sorted(edges.items())
    )
    height = len(layers) * (NODE_H + GAP_Y) - GAP_Y + 2 * MARGIN
    return Dag(tuple(drawn), lines, width + 2 * MARGIN, height)


def _layers(order: list[str], edges: Mapping[tuple[str, str], str]) -> list[list[str]]:
    """Longest-path layers (``end`` alone in the last one); cycles are cut, never loop."""
    ups: dict[str, list[str]] = {n: [] for n in order}
    for a, b in edges:
        if a in ups and b in ups:
            ups[b].append(a)
    layer: dict[str, int] = {}

    def depth(node: str, seen: frozenset[str]) -> int:
        if node in layer:
            return layer[node]
        parents = [p for p in ups[node] if p not in seen]
        value = 1 + max((depth(p, seen | {node}) for p in parents), default=-1)
        layer[node] = value if node != START else 0
        return layer[node]

    for node in order:
        if node != END:
            depth(node, frozenset())
    last = max((v for k, v in layer.items()), default=0) + 1
    layer[END] = max(last, 1)
    result: list[list[str]] = [[] for _ in range(layer[END] + 1)]
    for node in order:
        result[layer[node]].append(node)
    return [row for row in result if row]


def _with_dummies(
    layers: list[list[str]], edges: Mapping[tuple[str, str], str]
) -> tuple[list[list[str]], dict[tuple[str, str], list[str]]]:
    """Give an edge that spans several layers a placeholder in each layer it crosses.

    The placeholders take a slot like a node, so that the long edge runs between the boxes of
    the layers it crosses instead of through them. Returns the layers and, per edge, the chain
    of points it passes (its two ends and the placeholders between).
    """
    row = {n: i for i, layer in enumerate(layers) for n in layer}
    chains: dict[tuple[str, str], list[str]] = {}
    for a, b in sorted(edges):
        chain = [a]
        for k in range(row[a] + 1, row[b]):
            dummy = f"\x00{a}\x00{b}\x00{k}"
            layers[k].append(dummy)
            chain.append(dummy)
        chain.append(b)
        chains[(a, b)] = chain
    return layers, chains


def _positions(
    layers: list[list[str]], chains: Mapping[tuple[str, str], list[str]]
) -> dict[str, tuple[int, int]]:
    """Order each layer by the mean slot of the nodes above (a few sweeps), then centre."""
    ups: dict[str, list[str]] = {}
    for chain in chains.values():
        for a, b in itertools.pairwise(chain):
            ups.setdefault(b, []).append(a)
    slot = {n: float(i) for layer in layers for i, n in enumerate(layer)}
    for _ in range(_SWEEPS):
        for layer in layers[1:]:
            for n in layer:
                parents = [slot[p] for p in ups.get(n, ()) if p in slot]
                if parents:
                    slot[n] = sum(parents) / len(parents)
            layer.sort(key=lambda n: slot[n])
            for i, n in enumerate(layer):
                slot[n] = float(i)
    widest = max(len(layer) for layer in layers)
    positions = {}
    for row, layer in enumerate(layers):
        offset = (widest - len(layer)) * (NODE_W + GAP_X) // 2
        for i, n in enumerate(layer):
            x = MARGIN + offset + i * (NODE_W + GAP_X)
            positions[n] = (x, MARGIN + row * (NODE_H + GAP_Y))
    return positions


def _path(points: list[tuple[int, int]]) -> str:
    """Smooth curves from the bottom middle of the first box to the top middle of the last,
    straight down through the slots of the placeholders between."""
    x, y = points[0][0] + NODE_W // 2, points[0][1] + NODE_H
    parts = [f"M{x},{y}"]
    for index, (left, top) in enumerate(points[1:], start=1):
        x2 = left + NODE_W // 2
        last = index == len(points) - 1
        y2 = top - 2 if last else top
        mid = (y + y2) // 2
        parts.append(f"C{x},{mid} {x2},{mid} {x2},{y2}")
        x, y = x2, y2
        if not last:
            y = top + NODE_H
            parts.append(f"L{x},{y}")
    return " ".join(parts)
