"""Hand-built bundles of ``rt_pkg`` tasks (TaskSpecs with our container args)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

from flyteidl.admin import task_pb2
from flyteidl.core import identifier_pb2, interface_pb2, tasks_pb2

from compiler.idl import ENTRYPOINT
from compiler.types.engine import default_engine

RESOLVER = "rt_pkg.tasks.resolver"


def _variables(hints: dict[str, Any]) -> interface_pb2.VariableMap:
    engine = default_engine()
    return interface_pb2.VariableMap(
        variables={
            name: interface_pb2.Variable(type=engine.to_literal_type(hint), description=name)
            for name, hint in hints.items()
        }
    )


def task_spec(
    attr: str,
    inputs: dict[str, Any],
    outputs: dict[str, Any],
    env: dict[str, str] | None = None,
) -> task_pb2.TaskSpec:
    """A python-task spec running ``rt_pkg.tasks.<attr>`` through our entrypoint."""
    args = [
        *ENTRYPOINT, "--inputs", "{{.input}}", "--output-prefix", "{{.outputPrefix}}",
        "--raw-output-data-prefix", "{{.rawOutputDataPrefix}}", "--checkpoint-path",
        "{{.checkpointOutputPrefix}}", "--prev-checkpoint", "{{.prevCheckpointPrefix}}",
        "--resolver", RESOLVER, "--", "task-module", "rt_pkg.tasks", "task-name", attr,
    ]  # fmt: skip
    container = tasks_pb2.Container(image="registry.example.com/team/app:2.0", args=args)
    for key, value in (env or {}).items():
        container.env.add(key=key, value=value)
    template = tasks_pb2.TaskTemplate(
        id=identifier_pb2.Identifier(
            resource_type=identifier_pb2.TASK, name=f"rt_pkg.tasks.{attr}"
        ),
        type="python-task",
        interface=interface_pb2.TypedInterface(
            inputs=_variables(inputs), outputs=_variables(outputs)
        ),
        container=container,
    )
    return task_pb2.TaskSpec(template=template)


def write_bundle(folder: Path, specs: list[task_pb2.TaskSpec]) -> Path:
    """Write ``00_<name>_1.pb`` files and ``bundle.tgz`` holding them; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for spec in specs:
            name = f"00_{spec.template.id.name}_1.pb"
            data = spec.SerializeToString(deterministic=True)
            (folder / name).write_bytes(data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (folder / "bundle.tgz").write_bytes(buffer.getvalue())
    return folder
