"""Compare our TaskSpec dicts with flytekit's, allowing only the differences of WIRE-FORMAT 1.

Both sides are ``MessageToDict(spec, preserving_proto_field_name=True)``. Normalisation drops
``template.metadata.runtime.version`` and, in python-task args (the container's and every pod
container's), replaces the words before the first ``--`` by the set of templated
``(flag, value)`` pairs: the entrypoint words and the ``--resolver`` value may differ, the
templated flags and the loader arguments after ``--`` may not. A map task's loader arguments
(``vars B resolver R ...``) name the mapped task's resolver as ``R``: that resolver value may
differ too (it is the word after ``--resolver`` of the mapped task itself), so ``R`` is dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

__all__ = [
    "TEMPLATED_FLAGS",
    "apply_expected",
    "diff",
    "normalise",
    "normalise_workflow",
    "spec_dict",
]

#: The templated flags Flyte propeller substitutes; they must be written exactly.
TEMPLATED_FLAGS = (
    "--inputs",
    "--output-prefix",
    "--raw-output-data-prefix",
    "--checkpoint-path",
    "--prev-checkpoint",
)


def spec_dict(spec: Message) -> dict[str, Any]:
    """The JSON form used everywhere in the oracle."""
    return json_format.MessageToDict(spec, preserving_proto_field_name=True)


def _normalise_args(args: list[str]) -> Any:
    if "--" not in args:
        return args
    split = args.index("--")
    head = args[:split]
    if "--inputs" not in head:
        return args  # a raw container's own arguments
    flags = sorted(
        [flag, head[i + 1] if i + 1 < len(head) else None]
        for i, flag in enumerate(head)
        if flag in TEMPLATED_FLAGS
    )
    loader = args[split + 1 :]
    if len(loader) >= 4 and loader[0] == "vars" and loader[2] == "resolver":
        loader = [*loader[:3], "<the mapped task's resolver>", *loader[4:]]
    return {"templated_flags": flags, "loader_args": loader}


def normalise(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` with the allowed differences taken out."""
    out = copy.deepcopy(spec)
    template = out.get("template", {})
    runtime = template.get("metadata", {}).get("runtime")
    if runtime is not None:
        runtime.pop("version", None)
    container = template.get("container")
    if container and "args" in container:
        container["args"] = _normalise_args(container["args"])
    pod_spec = template.get("k8s_pod", {}).get("pod_spec", {})
    for pod_container in pod_spec.get("containers", []):
        if "args" in pod_container:
            pod_container["args"] = _normalise_args(pod_container["args"])
    return out


def _normalise_template(template: dict[str, Any]) -> None:
    for node in template.get("nodes", []):
        if "upstream_node_ids" in node:
            node["upstream_node_ids"] = sorted(node["upstream_node_ids"])


def normalise_workflow(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a ``WorkflowSpec`` dict with flytekit's random orders fixed.

    ``upstream_node_ids`` become sorted lists (flytekit builds them from a set) and
    ``sub_workflows`` are sorted by name; a ``LaunchPlan`` dict passes unchanged.
    """
    out = copy.deepcopy(spec)
    if "template" in out:
        _normalise_template(out["template"])
    subs = out.get("sub_workflows", [])
    for sub in subs:
        _normalise_template(sub)
    subs.sort(key=lambda sub: sub.get("id", {}).get("name", ""))
    return out


def apply_expected(spec: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` with ``{dotted.path: value}`` set (documented, expected changes)."""
    out = copy.deepcopy(spec)
    for path, value in fields.items():
        node = out
        *parents, last = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return out


def diff(ours: Any, theirs: Any, path: str = "") -> Iterator[str]:
    """Human-readable differences, one line per differing leaf (``path: ours != theirs``)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            sub = f"{path}.{key}" if path else key
            if key not in ours:
                yield f"{sub}: missing in ours; flytekit has {theirs[key]!r}"
            elif key not in theirs:
                yield f"{sub}: ours has {ours[key]!r}; absent in flytekit"
            else:
                yield from diff(ours[key], theirs[key], sub)
    elif isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            yield from diff(a, b, f"{path}[{index}]")
    elif ours != theirs:
        yield f"{path}: ours {ours!r} != flytekit {theirs!r}"
