"""``compile-tasks run`` for a raw container task (``ContainerTask``): in a container runtime.

A raw container task runs its own image, not ``compile-tasks-execute``; on a cluster, Flyte's
data sidecar puts the inputs into the task's input folder and collects the outputs from its
output folder. Locally the same happens around ``docker run`` (or ``podman run``):

* each input is written into ``<workdir>/inputs`` under its own name (a file or directory
  input is copied there, any other value written as text: plain for strings and numbers,
  JSON otherwise), with the whole input map beside it as ``inputs.pb`` / ``inputs.json`` /
  ``inputs.yaml`` (the task's metadata format); that folder is mounted read-only at the task's
  ``input_path``, and ``<workdir>/outputs`` at its ``output_path``;
* ``{{.inputs.NAME}}`` in the command and args becomes the value (a file or directory input:
  its path inside the container);
* after the container exits, each output is read from ``<output_path>/<name>``.

The runtime is ``$COMPILE_TASKS_CONTAINER_RUNTIME`` if set, else ``docker`` or ``podman``,
whichever answers ``info``. Without one the task is refused (CT723) with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from flyteidl.admin import task_pb2
from flyteidl.core import literals_pb2, tasks_pb2, types_pb2
from google.protobuf import json_format

from compiler.context import storage
from compiler.errors import ExecutionError, RunTargetError
from compiler.runtime.literal_json import json_to_literal

__all__ = ["RUNTIME_VARIABLE", "find_runtime", "run_raw_container"]

RUNTIME_VARIABLE = "COMPILE_TASKS_CONTAINER_RUNTIME"
_CANDIDATES = ("docker", "podman")
_FORMATS = {0: "json", 1: "yaml", 2: "pb"}
ST = types_pb2.SimpleType


def _refused(task: str, why: str) -> RunTargetError:
    return RunTargetError(
        f"this raw container task {why}",
        code="CT723",
        hint=f"install and start docker or podman (or set {RUNTIME_VARIABLE} to one), "
        "or run the task on a Flyte cluster",
        task=task,
    )


def find_runtime(task: str, environ: Mapping[str, str] | None = None) -> str:
    """The container runtime to use, checked with ``RUNTIME info``.

    Raises:
        RunTargetError: CT723 when none is installed, or none has a running engine.
    """
    env = os.environ if environ is None else environ
    chosen = env.get(RUNTIME_VARIABLE)
    names = [chosen] if chosen else list(_CANDIDATES)
    reasons = []
    for name in names:
        path = shutil.which(name)
        if path is None:
            reasons.append(f"{name} is not installed")
            continue
        try:
            probe = subprocess.run(
                [path, "info"], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(f"'{name} info' failed ({type(exc).__name__})")
            continue
        if probe.returncode == 0:
            return path
        detail = (probe.stderr or probe.stdout).strip().splitlines()
        reasons.append(
            f"{name} is installed but its engine does not answer"
            + (f" ({detail[-1].strip()})" if detail else "")
        )
    raise _refused(task, "needs a container runtime: " + "; ".join(reasons))


def _container(
    template: tasks_pb2.TaskTemplate,
) -> tuple[dict[str, Any], tasks_pb2.DataLoadingConfig]:
    """The container (as plain data) and its data config, from ``container`` or ``k8s_pod``."""
    if template.HasField("container"):
        plain = json_format.MessageToDict(template.container, preserving_proto_field_name=True)
        plain["env"] = {e["key"]: e.get("value", "") for e in plain.get("env", [])}
        return plain, template.container.data_config
    pod = json_format.MessageToDict(template.k8s_pod.pod_spec)
    primary = template.config.get("primary_container_name", "primary")
    for container in pod.get("containers", []):
        if container.get("name") == primary:
            container["env"] = {e["name"]: e.get("value", "") for e in container.get("env", [])}
            return container, template.k8s_pod.data_config
    raise _refused(template.id.name, "has no primary container to run")


def _text(lt: types_pb2.LiteralType, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and lt.WhichOneof("type") == "simple":
        return str(value)
    return json.dumps(value)


def _is_blob(lt: types_pb2.LiteralType) -> bool:
    return lt.WhichOneof("type") == "blob"


def _stage_inputs(
    variables: Mapping[str, types_pb2.Variable],
    values: Mapping[str, Any],
    inputs: literals_pb2.LiteralMap,
    folder: Path,
    fmt: str,
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in values.items():
        lt = variables[name].type
        if _is_blob(lt):
            if storage.is_remote(str(value)):
                raise RunTargetError(
                    f"input '{name}' is the remote URI {value!r}; a raw container task run "
                    "locally takes local files and folders",
                    code="CT723",
                    hint="download it first and pass the local path",
                )
            source = Path(storage.local_path(str(value)))
            if source.is_dir():
                shutil.copytree(source, folder / name)
            else:
                shutil.copyfile(source, folder / name)
        else:
            (folder / name).write_text(_text(lt, value), encoding="utf-8")
    if fmt == "pb":
        (folder / "inputs.pb").write_bytes(inputs.SerializeToString(deterministic=True))
    else:
        plain = json_format.MessageToDict(inputs)
        text = json.dumps(plain, indent=2) if fmt == "json" else yaml.safe_dump(plain)
        (folder / f"inputs.{fmt}").write_text(text, encoding="utf-8")


_INPUT_TEMPLATE = re.compile(r"\{\{\s*\.inputs\.(\w+)\s*\}\}")


def _filled(
    words: list[str], values: Mapping[str, Any], variables: Any, input_path: str
) -> list[str]:
    """``{{.inputs.NAME}}`` replaced by the value (a file input: its path in the container)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        lt = variables[name].type
        return f"{input_path}/{name}" if _is_blob(lt) else _text(lt, values[name])

    return [_INPUT_TEMPLATE.sub(value, word) for word in words]


def _read_output(lt: types_pb2.LiteralType, path: Path) -> Any:
    if _is_blob(lt):
        return str(path)
    text = path.read_text(encoding="utf-8").strip()
    which = lt.WhichOneof("type")
    if which == "simple" and lt.simple == ST.STRING:
        return text
    if which == "enum_type":
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def run_raw_container(
    spec: task_pb2.TaskSpec,
    values: Mapping[str, Any],
    inputs: literals_pb2.LiteralMap,
    workdir: Path,
    timeout: float | None = None,
) -> literals_pb2.LiteralMap:
    """Run the raw container task ``spec`` with ``values`` and return its outputs.

    Raises:
        RunTargetError: CT723 when no container runtime can run it.
        ExecutionError: CT727 when the container fails or leaves an output missing.
    """
    template = spec.template
    runtime = find_runtime(template.id.name)
    container, data = _container(template)
    input_path = data.input_path or "/var/inputs"
    output_path = data.output_path or "/var/outputs"
    variables = template.interface.inputs.variables
    fmt = _FORMATS.get(int(data.format), "json")
    _stage_inputs(variables, values, inputs, workdir / "inputs", fmt)
    (workdir / "outputs").mkdir(parents=True, exist_ok=True)
    command = [
        runtime, "run", "--rm",
        "-v", f"{workdir / 'inputs'}:{input_path}:ro",
        "-v", f"{workdir / 'outputs'}:{output_path}",
        *(f"--env={k}={v}" for k, v in sorted(container.get("env", {}).items())),
        str(container.get("image", "")),
        *_filled(list(container.get("command", [])), values, variables, input_path),
        *_filled(list(container.get("args", [])), values, variables, input_path),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise ExecutionError(
            f"the container exited with status {done.returncode}: "
            + (done.stderr.strip().splitlines() or [""])[-1],
            code="CT727",
            task=template.id.name,
            hint="see the container's output above; run it by hand with: " + " ".join(command),
        )
    outputs = literals_pb2.LiteralMap()
    for name, variable in template.interface.outputs.variables.items():
        path = workdir / "outputs" / name
        if not path.exists():
            raise ExecutionError(
                f"the container wrote no output '{name}' ({output_path}/{name})",
                code="CT727",
                task=template.id.name,
                param=name,
                hint=f"the task must write each output into {output_path}/<output name>",
            )
        literal = json_to_literal(variable.type, _read_output(variable.type, path))
        outputs.literals[name].CopyFrom(literal)
    return outputs
