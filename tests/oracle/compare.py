"""Compare our TaskSpec dicts with flytekit's, allowing only the differences of WIRE-FORMAT 1.

Both sides are ``MessageToDict(spec, preserving_proto_field_name=True)``. Normalisation drops
``template.metadata.runtime.version`` and, in python-task args (the container's and every pod
container's), replaces the words before the first ``--`` by the set of templated
``(flag, value)`` pairs: the entrypoint words and the ``--resolver`` value may differ, the
templated flags and the loader arguments after ``--`` may not. A map task's loader arguments
(``vars B resolver R ...``) name the mapped task's resolver as ``R``: that resolver value may
differ too (it is the word after ``--resolver`` of the mapped task itself), so ``R`` is dropped.

A further difference is documented in ``docs/oracle.md``: the compile settings a dynamic task or
an eager workflow carries in its environment (``_F_SS_C``) are compared decoded, without
``source_root`` (flytekit writes the compiling machine's absolute source folder there; we write
``null``, see ``compiler/workflow/transport.py``).
"""

from __future__ import annotations

import base64
import copy
import gzip
import io
import json
from collections.abc import Iterator
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

__all__ = [
    "SETTINGS_ENV",
    "TEMPLATED_FLAGS",
    "apply_expected",
    "decode_settings",
    "diff",
    "normalise",
    "normalise_template",
    "normalise_workflow",
    "spec_dict",
    "without_source_root",
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


#: The first word of flytekit's fast-registration prefix (``--copy all`` packages): its words up
#: to the first ``--`` download the code tarball; our bundles never carry one.
FAST_EXECUTE = "pyflyte-fast-execute"


#: Executors of task-template tasks: flytekit's class -> ours. Like the resolver, the executor
#: named after ``--`` is the runtime's own code (``{{.taskTemplatePath}} module.Executor``).
EXECUTORS = {
    "flytekit.extras.sqlite3.task.SQLite3TaskExecutor": "compiler.sdk.sqlite.SQLite3TaskExecutor",
}


def _normalise_args(args: list[str]) -> Any:
    if args and args[0] == FAST_EXECUTE and "--" in args:
        args = args[args.index("--") + 1 :]
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
    loader = [EXECUTORS.get(arg, arg) for arg in args[split + 1 :]]
    if len(loader) >= 4 and loader[0] == "vars" and loader[2] == "resolver":
        loader = [*loader[:3], "<the mapped task's resolver>", *loader[4:]]
    return {"templated_flags": flags, "loader_args": loader}


#: The environment variable holding a task's transported compile settings.
SETTINGS_ENV = "_F_SS_C"


def decode_settings(value: str) -> dict[str, Any]:
    """The transported settings of ``value``, without what may differ (docs/oracle.md)."""
    document = json.loads(gzip.decompress(base64.b64decode(value)))
    document.pop("source_root", None)
    # Packages with ImageSpecs are packaged with ``--copy all`` (see docs/oracle.md): flytekit
    # then records fast registration here, which our compile never does.
    document.pop("fast_serialization_settings", None)
    # flytekit adds the ImageSpec images of every entity its process loaded (their names are
    # spec ids, never lower case like the --image names): see docs/oracle.md.
    config = document.get("image_config") or {}
    if config.get("images"):
        config["images"] = [i for i in config["images"] if i["name"] == i["name"].lower()]
    return dict(document)


def without_source_root(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with ``source_root`` of its transported settings set to ``null``, in place.

    The regeneration keeps flytekit's output so: ``source_root`` is the temporary folder the
    oracle ran in, which would change the fixtures at every regeneration.
    """
    template = spec.get("template", {})
    containers = [template.get("container") or {}]
    containers += template.get("k8s_pod", {}).get("pod_spec", {}).get("containers", [])
    for container in containers:
        for item in container.get("env", []):
            key = item.get("key", item.get("name"))
            if key == SETTINGS_ENV and "value" in item:
                document = json.loads(gzip.decompress(base64.b64decode(item["value"])))
                document["source_root"] = None
                buffer = io.BytesIO()
                with gzip.GzipFile(mode="wb", fileobj=buffer, mtime=0) as stream:
                    stream.write(json.dumps(document).encode("utf-8"))
                item["value"] = base64.b64encode(buffer.getvalue()).decode("ascii")
    return spec


def _normalise_env(env: list[dict[str, Any]], key: str, value: str) -> None:
    for item in env:
        if item.get(key) == SETTINGS_ENV and value in item:
            item[value] = decode_settings(item[value])


def normalise_template(template: dict[str, Any]) -> None:
    """Take the allowed differences out of a task template dict, in place."""
    runtime = template.get("metadata", {}).get("runtime")
    if runtime is not None:
        runtime.pop("version", None)
    container = template.get("container")
    if container and "args" in container:
        container["args"] = _normalise_args(container["args"])
    if container:
        _normalise_env(container.get("env", []), "key", "value")
    pod_spec = template.get("k8s_pod", {}).get("pod_spec", {})
    for pod_container in pod_spec.get("containers", []):
        if "args" in pod_container:
            pod_container["args"] = _normalise_args(pod_container["args"])
        _normalise_env(pod_container.get("env", []), "name", "value")


def normalise(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` with the allowed differences taken out."""
    out = copy.deepcopy(spec)
    normalise_template(out.get("template", {}))
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
