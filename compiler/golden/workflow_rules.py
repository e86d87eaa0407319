"""Semantic rules for workflows: nodes, bindings, failure policy and sub-workflows.

The interface of a workflow follows the same rules as a task's
(:mod:`compiler.golden.interface_rules`: an input removed, renamed or retyped, a new required
input, an output removed or retyped are breaking). The graph changes here are compatible for
callers: a node added, removed, rewired or running something else, a changed binding, a
changed failure policy or sub-workflow. The rules claim the paths they cover
(:data:`WORKFLOW_PATHS`) so that the path rules do not report them a second time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from compiler.golden.fields import diff_fields
from compiler.golden.graph import NodeMatch, match_nodes, output_nodes, template_of
from compiler.golden.model import Category, Change, Impact

__all__ = ["WORKFLOW_PATHS", "workflow_changes"]

#: Paths the workflow rules report (everything else of a workflow goes through the path rules).
WORKFLOW_PATHS = re.compile(
    r"^(template\.(nodes|outputs|failure_node|metadata\.on_failure)|sub_workflows)([.\[]|$)"
)
_NODE = Category.DAG


def workflow_changes(old_body: Mapping[str, Any], new_body: Mapping[str, Any]) -> list[Change]:
    """Node, binding, failure-policy and sub-workflow changes between two workflow renderings."""
    match = match_nodes(old_body, new_body)
    changes = _node_changes(match)
    old_t, new_t = template_of(old_body), template_of(new_body)
    if match.old_outputs != new_t.get("outputs"):
        before, after = ", ".join(match.old_output_nodes), ", ".join(output_nodes(new_body))
        changes.append(
            _change(
                _NODE, f"output bindings changed (from nodes {before or '-'} -> {after or '-'})"
            )
        )
    old_policy = _policy(old_t)
    new_policy = _policy(new_t)
    if old_policy != new_policy:
        changes.append(
            _change(Category.FAILURE_POLICY, f"failure policy: {old_policy} -> {new_policy}")
        )
    if old_t.get("failure_node") != new_t.get("failure_node"):
        verb = _verb(old_t.get("failure_node"), new_t.get("failure_node"))
        changes.append(_change(Category.FAILURE_POLICY, f"failure node {verb}"))
    changes += _sub_workflow_changes(old_body, new_body)
    return changes


def _change(category: Category, summary: str, *paths: str) -> Change:
    return Change(category, Impact.COMPATIBLE, summary, paths)


def _policy(template: Mapping[str, Any]) -> str:
    metadata = template.get("metadata")
    value = metadata.get("on_failure") if isinstance(metadata, Mapping) else None
    return str(value or "FAIL_IMMEDIATELY")


def _verb(old: Any, new: Any) -> str:
    if old is None:
        return "added"
    return "removed" if new is None else "changed"


def _node_changes(match: NodeMatch) -> list[Change]:
    """Nodes added, removed and changed, each old node compared with the node it became
    (:func:`~compiler.golden.graph.match_nodes`), and the ids that moved."""
    old, new = match.old, match.new
    changes: list[Change] = []
    path = "template.nodes"
    for ident in [i for i in new if i not in old]:
        node = new[ident]
        changes.append(_change(_NODE, f"node {ident} '{node.label}' added ({node.runs})", path))
    for key in [k for k in old if k not in new]:
        node = old[key]
        changes.append(_change(_NODE, f"node {node.id} '{node.label}' removed ({node.runs})", path))
    if match.renumbered:
        moves = [f"{before} -> {after}" for before, after in match.renumbered]
        shown = ", ".join(moves[:4]) + (f" and {len(moves) - 4} more" if len(moves) > 4 else "")
        changes.append(_change(_NODE, f"node ids renumbered: {shown}", path))
    for ident in [i for i in new if i in old]:
        before, after = old[ident], new[ident]
        if before.data == after.data:
            continue
        name = f"node {ident} '{after.label}'"
        if before.label != after.label:
            changes.append(
                _change(_NODE, f"node {ident} renamed '{before.label}' -> '{after.label}'", path)
            )
        if before.runs != after.runs:
            changes.append(_change(_NODE, f"{name} runs {after.runs} (was {before.runs})", path))
        if before.upstream != after.upstream:
            was, now = ", ".join(before.upstream) or "-", ", ".join(after.upstream) or "-"
            changes.append(_change(_NODE, f"{name} rewired: depends on {now} (was {was})", path))
        if before.data.get("inputs") != after.data.get("inputs"):
            changes.append(_change(_NODE, f"{name}: input bindings changed", path))
        rest = [
            f.path
            for f in diff_fields(_other(before.data), _other(after.data))
            if not f.path.startswith(("inputs", "upstream_node_ids", "metadata.name"))
        ]
        if rest and before.runs == after.runs:
            shown = ", ".join(rest[:3]) + (f" and {len(rest) - 3} more" if len(rest) > 3 else "")
            changes.append(_change(_NODE, f"{name} changed: {shown}", path))
    return changes


def _other(node: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in ("inputs", "upstream_node_ids", "id")}


def _sub_workflow_changes(old_body: Mapping[str, Any], new_body: Mapping[str, Any]) -> list[Change]:
    old, new = _sub_workflows(old_body), _sub_workflows(new_body)
    changes = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        verb = _verb(old.get(name), new.get(name))
        changes.append(_change(Category.SUB_WORKFLOWS, f"sub-workflow {name} {verb}"))
    return changes


def _sub_workflows(body: Mapping[str, Any]) -> dict[str, Any]:
    found = {}
    subs = body.get("sub_workflows")
    for item in subs if isinstance(subs, list) else []:
        ident = item.get("id") if isinstance(item, Mapping) else None
        if isinstance(ident, Mapping) and ident.get("name"):
            found[str(ident["name"])] = item
    return found
