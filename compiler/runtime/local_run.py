"""Run a task from a bundle the way the cluster does: its container args, in a subprocess.

The ``{{.input}}``-style templates of the container args are filled with local paths, the
inputs ``LiteralMap`` is written where ``{{.input}}`` points, the task's container environment is
added to ours, and the args run as a child process. What it leaves under the output prefix
(``outputs.pb``, ``error.pb`` or nothing) is the result.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flyteidl.admin import task_pb2
from flyteidl.core import dynamic_job_pb2, errors_pb2, literals_pb2, types_pb2
from google.protobuf import json_format

from compiler.errors import ExecutionError, RunTargetError
from compiler.idl import ENTRYPOINT, MAP_TASK_RESOLVER
from compiler.runtime.execute import ERROR_FILE, FUTURES_FILE, OUTPUTS_FILE
from compiler.runtime.literal_json import json_to_literal

__all__ = [
    "RunResult",
    "build_inputs",
    "container_args",
    "map_task_bound_inputs",
    "run_map_spec",
    "run_spec",
]

#: How ``compile-tasks-execute`` is started locally: with this interpreter, so a run uses the
#: same environment as the command that started it.
LOCAL_ENTRYPOINT = (sys.executable, "-m", "compiler.runtime.entrypoint")


@dataclass
class RunResult:
    """What a run left behind.

    Attributes:
        status: ``"outputs"``, ``"futures"`` (a dynamic task's job), ``"ignored"`` or
            ``"error"``.
        outputs: The outputs ``LiteralMap`` (when ``status == "outputs"``).
        error: The ``ContainerError`` of ``error.pb`` (when ``status == "error"``).
        returncode: The child's exit status.
        stderr: What the child wrote to stderr.
        workdir: The directory holding inputs, outputs and raw (file) outputs.
        futures: The ``DynamicJobSpec`` of ``futures.pb`` (when ``status == "futures"``).
    """

    status: str
    outputs: literals_pb2.LiteralMap | None
    error: errors_pb2.ContainerError | None
    returncode: int
    stderr: str
    workdir: Path
    futures: dynamic_job_pb2.DynamicJobSpec | None = None


def _primary_container(template: Any) -> tuple[list[str], dict[str, str]]:
    if template.HasField("container"):
        env = {kv.key: kv.value for kv in template.container.env}
        return list(template.container.command) + list(template.container.args), env
    if template.HasField("k8s_pod"):
        spec = json_format.MessageToDict(template.k8s_pod.pod_spec)
        primary = template.config.get("primary_container_name", "primary")
        for container in spec.get("containers", []):
            if container.get("name") == primary:
                env = {e["name"]: e.get("value", "") for e in container.get("env", [])}
                return list(container.get("command", [])) + list(container.get("args", [])), env
    raise RunTargetError(
        f"task {template.id.name!r} has no container to run",
        code="CT723",
        hint="only python tasks (container or pod template) run locally",
    )


def container_args(spec: task_pb2.TaskSpec, workdir: Path) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of the task's container, templates filled in."""
    args, env = _primary_container(spec.template)
    n = len(ENTRYPOINT)
    if tuple(args[:n]) != ENTRYPOINT:
        raise RunTargetError(
            f"task {spec.template.id.name!r} does not run compile-tasks' entrypoint "
            f"(its command starts with {args[:1]})",
            code="CT723",
            hint="only tasks compiled by compile-tasks run locally",
        )
    values = {
        "{{.input}}": str(workdir / "inputs.pb"),
        "{{.inputPrefix}}": str(workdir),
        "{{.outputPrefix}}": str(workdir / "outputs"),
        "{{.rawOutputDataPrefix}}": str(workdir / "raw"),
        "{{.checkpointOutputPrefix}}": str(workdir / "checkpoint"),
        "{{.prevCheckpointPrefix}}": "",
    }
    filled = []
    for arg in args[n:]:
        for template, value in values.items():
            arg = arg.replace(template, value)
        filled.append(arg)
    return [*LOCAL_ENTRYPOINT, *filled], env


def build_inputs(spec: task_pb2.TaskSpec, values: dict[str, Any]) -> literals_pb2.LiteralMap:
    """The inputs ``LiteralMap`` of JSON ``values``, converted by the interface's types.

    Raises:
        ExecutionError: CT724 for an unknown input or a value that does not fit its type.
    """
    variables = spec.template.interface.inputs.variables
    result = literals_pb2.LiteralMap()
    for name, value in values.items():
        if name not in variables:
            raise ExecutionError(
                "unknown input", code="CT724", task=spec.template.id.name, param=name,
                hint=f"the inputs are: {', '.join(sorted(variables)) or '(none)'}",
            )  # fmt: skip
        lt: types_pb2.LiteralType = variables[name].type
        try:
            result.literals[name].CopyFrom(json_to_literal(lt, value))
        except ValueError as exc:
            raise ExecutionError(
                f"{exc}", code="CT724", task=spec.template.id.name, param=name,
                hint="give a JSON value of the input's type (see docs/runtime.md)",
            ) from None  # fmt: skip
    return result


def run_spec(
    spec: task_pb2.TaskSpec,
    inputs: literals_pb2.LiteralMap,
    workdir: Path,
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> RunResult:
    """Run the task's container args in a subprocess and collect its outputs or error.

    ``extra_env`` is added last (a map task element's array index variables).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "inputs.pb").write_bytes(inputs.SerializeToString(deterministic=True))
    args, task_env = container_args(spec, workdir)
    here = str(cwd or Path.cwd())
    python_path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, **task_env, "PYTHONPATH": python_path, **(extra_env or {})}
    proc = subprocess.run(
        args, cwd=here, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    out = workdir / "outputs"
    if (out / ERROR_FILE).exists():
        doc = errors_pb2.ErrorDocument.FromString((out / ERROR_FILE).read_bytes())
        return RunResult("error", None, doc.error, proc.returncode, proc.stderr, workdir)
    if (out / OUTPUTS_FILE).exists():
        outputs = literals_pb2.LiteralMap.FromString((out / OUTPUTS_FILE).read_bytes())
        return RunResult("outputs", outputs, None, proc.returncode, proc.stderr, workdir)
    if (out / FUTURES_FILE).exists():
        job = dynamic_job_pb2.DynamicJobSpec.FromString((out / FUTURES_FILE).read_bytes())
        return RunResult("futures", None, None, proc.returncode, proc.stderr, workdir, job)
    status = "ignored" if proc.returncode == 0 else "error"
    return RunResult(status, None, None, proc.returncode, proc.stderr, workdir)


def map_task_bound_inputs(spec: task_pb2.TaskSpec) -> frozenset[str] | None:
    """The bound input names of a map task (``vars B`` of its loader args), or ``None`` when
    ``spec`` is not a map task."""
    try:
        args, _ = _primary_container(spec.template)
    except RunTargetError:
        return None
    if "--resolver" not in args or "--" not in args:
        return None
    if args[args.index("--resolver") + 1] != MAP_TASK_RESOLVER:
        return None
    loader = args[args.index("--") + 1 :]
    return frozenset(name for name in loader[1].split(",") if name) if len(loader) > 1 else None


def _index_env(index: int) -> dict[str, str]:
    """The variables propeller sets for element ``index`` of an array node."""
    return {
        "BATCH_JOB_ARRAY_INDEX_VAR_NAME": "FLYTE_K8S_ARRAY_INDEX",
        "FLYTE_K8S_ARRAY_INDEX": str(index),
        "BATCH_JOB_ARRAY_INDEX_OFFSET": "0",
    }


def _element_count(spec: task_pb2.TaskSpec, inputs: literals_pb2.LiteralMap) -> int:
    bound = map_task_bound_inputs(spec) or frozenset()
    sizes = {
        name: len(literal.collection.literals)
        for name, literal in inputs.literals.items()
        if name not in bound
    }
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name}: {size}" for name, size in sorted(sizes.items()))
        raise ExecutionError(
            f"the mapped inputs have lists of different lengths ({listed})",
            code="CT724",
            task=spec.template.id.name,
            hint="element i of every mapped list goes to run i: give the lists one length",
        )
    return next(iter(sizes.values()), 0)


def _accepts_none(lt: types_pb2.LiteralType) -> bool:
    variants = lt.collection_type.union_type.variants
    return any(v.WhichOneof("type") == "simple" and v.simple == types_pb2.NONE for v in variants)


def run_map_spec(
    spec: task_pb2.TaskSpec,
    inputs: literals_pb2.LiteralMap,
    workdir: Path,
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> RunResult:
    """Run every element of a map task as propeller does, one container run per element
    (``workdir/element-<i>``, the array index in the environment), and gather the element
    outputs into lists.

    A failed element becomes a ``none`` item when the output list holds ``Optional`` items
    (``min_success_ratio`` below 1); otherwise the first failure is the result.
    """
    results = [
        run_spec(
            spec,
            inputs,
            workdir / f"element-{index}",
            cwd=cwd,
            timeout=timeout,
            extra_env=_index_env(index),
        )
        for index in range(_element_count(spec, inputs))
    ]
    outputs = spec.template.interface.outputs.variables
    gathered = literals_pb2.LiteralMap()
    for name in outputs:
        gathered.literals[name].collection.SetInParent()
    for result in results:
        failed = result.status == "error"
        if failed and not all(_accepts_none(v.type) for v in outputs.values()):
            return result
        for name in outputs:
            item = gathered.literals[name].collection.literals.add()
            if failed or result.outputs is None:
                item.scalar.none_type.SetInParent()
            else:
                item.CopyFrom(result.outputs.literals[name])
    stderr = "".join(result.stderr for result in results)
    return RunResult("outputs", gathered, None, 0, stderr, workdir)
