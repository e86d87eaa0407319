"""What ``compile-tasks run`` knows about a task's inputs before it starts the task.

A ``TaskSpec`` carries the inputs' types and descriptions but not their Python defaults; the
bundle's rendering of the task (``yaml/<file>.yaml``, section ``compile_tasks.defaults``) does.
From both, :func:`task_help` prints the per-task help and :func:`input_problems` finds every
misnamed or missing input and every input file that does not exist, so that they are reported
together, with "did you mean", before anything runs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from flyteidl.admin import task_pb2
from flyteidl.core import types_pb2

from compiler.cli.usage import closest
from compiler.context import storage
from compiler.errors import CompileTasksError, RunTargetError
from compiler.records import frozen_record

__all__ = ["TaskInputs", "describe_type", "input_problems", "task_help"]

ST = types_pb2.SimpleType
_SIMPLE = {
    ST.NONE: "None",
    ST.INTEGER: "int",
    ST.FLOAT: "float",
    ST.STRING: "str",
    ST.BOOLEAN: "bool",
    ST.DATETIME: "datetime",
    ST.DURATION: "timedelta",
    ST.BINARY: "bytes",
    ST.ERROR: "error",
    ST.STRUCT: "dict",
}
_MULTIPART = types_pb2.BlobType.BlobDimensionality.MULTIPART


def describe_type(lt: types_pb2.LiteralType) -> str:
    """A short, Python-like name of a literal type (``list[str]``, ``file (csv)``, ...)."""
    which = lt.WhichOneof("type")
    if which == "simple":
        title = lt.metadata.fields.get("title") if lt.HasField("metadata") else None
        if lt.simple == ST.STRUCT and title is not None and title.string_value:
            return title.string_value  # a dataclass or a pydantic model, by its name
        return _SIMPLE.get(lt.simple, "value")
    if which == "collection_type":
        return f"list[{describe_type(lt.collection_type)}]"
    if which == "map_value_type":
        return f"dict[str, {describe_type(lt.map_value_type)}]"
    if which == "union_type":
        return " | ".join(describe_type(v) for v in lt.union_type.variants)
    if which == "enum_type":
        return "one of " + ", ".join(lt.enum_type.values)
    if which == "blob":
        kind = "directory" if lt.blob.dimensionality == _MULTIPART else "file"
        return f"{kind} ({lt.blob.format})" if lt.blob.format else kind
    if which == "structured_dataset_type":
        fmt = lt.structured_dataset_type.format
        return f"structured dataset ({fmt})" if fmt else "structured dataset"
    return which or "value"


@frozen_record
class TaskInputs:
    """A task's inputs as ``run`` shows and checks them.

    Attributes:
        spec: The task.
        defaults: Input name to default value, or ``None`` when the bundle has no rendering
            of the task (an archive on its own): then which inputs are optional is unknown.
    """

    spec: task_pb2.TaskSpec
    defaults: Mapping[str, Any] | None

    @property
    def name(self) -> str:
        """The task's name."""
        return str(self.spec.template.id.name)

    @property
    def variables(self) -> Mapping[str, types_pb2.Variable]:
        """The inputs by name."""
        return self.spec.template.interface.inputs.variables

    def required(self) -> list[str]:
        """The inputs without a default (all of them when the defaults are unknown)."""
        defaults = self.defaults or {}
        return [name for name in sorted(self.variables) if name not in defaults]

    @classmethod
    def of(cls, bundle: str, file: str, spec: task_pb2.TaskSpec) -> TaskInputs:
        """The inputs of ``spec``, the ``.pb`` named ``file`` in ``bundle``."""
        return cls(spec, _rendered_defaults(Path(bundle), file))


def _rendered_defaults(bundle: Path, file: str) -> Mapping[str, Any] | None:
    """``compile_tasks.defaults`` of the task's rendering, found beside a folder or archive."""
    folder = bundle if bundle.is_dir() else bundle.parent
    rendering = folder / "yaml" / (Path(file).name.removesuffix(".pb") + ".yaml")
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(rendering.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    facts = data.get("compile_tasks") if isinstance(data, dict) else None
    defaults = facts.get("defaults") if isinstance(facts, dict) else None
    return defaults if isinstance(defaults, dict) else None


def task_help(inputs: TaskInputs, bundle: str) -> str:
    """The text of ``compile-tasks run BUNDLE TASK --help``."""
    spec = inputs.spec
    lines = [f"Usage: compile-tasks run {bundle} {inputs.name} [--input NAME=VALUE]...", ""]
    if spec.HasField("description") and spec.description.short_description:
        lines += [f"  {spec.description.short_description}", ""]
    lines.append(f"  Task type: {spec.template.type}")
    lines += ["", "Inputs (--input NAME=VALUE: JSON, or plain text for strings and paths):"]
    if not inputs.variables:
        lines.append("  (none)")
    for name in sorted(inputs.variables):
        lines += _input_lines(inputs, name)
    outputs = spec.template.interface.outputs.variables
    lines += ["", "Outputs:"]
    lines += [f"  {n}: {describe_type(outputs[n].type)}" for n in sorted(outputs)] or ["  (none)"]
    if inputs.defaults is None:
        lines += [
            "",
            "Defaults are unknown: the bundle has no yaml/ rendering of this task "
            "(compile it with --render to have them).",
        ]
    return "\n".join(lines)


def _input_lines(inputs: TaskInputs, name: str) -> list[str]:
    variable = inputs.variables[name]
    if inputs.defaults is None:
        state = "default unknown"
    elif name in inputs.defaults:
        state = "default: " + yaml.safe_dump(inputs.defaults[name], default_flow_style=True)
        state = state.strip().removesuffix("...").strip()
    else:
        state = "required"
    lines = [f"  {name}: {describe_type(variable.type)}  ({state})"]
    if variable.description:
        lines += [f"      {line}" for line in variable.description.splitlines()]
    return lines


def input_problems(
    inputs: TaskInputs, values: Mapping[str, Any], bundle: str
) -> list[CompileTasksError]:
    """Every misnamed input, missing input and input file that does not exist."""
    problems: list[CompileTasksError] = []
    helped = f"'compile-tasks run {bundle} {inputs.name} --help' lists the inputs"
    for name in sorted(set(values) - set(inputs.variables)):
        guess = closest(name, inputs.variables)
        known = ", ".join(sorted(inputs.variables)) or "(none)"
        hint = (f"did you mean '{guess}'? " if guess else "") + f"the inputs are: {known}"
        problems.append(_error("unknown input", "CT724", inputs.name, name, hint))
    known_defaults = inputs.defaults is not None
    missing = [n for n in inputs.required() if n not in values] if known_defaults else []
    for name in missing:
        kind = describe_type(inputs.variables[name].type)
        hint = f"add --input {name}=VALUE ({kind}); {helped}"
        problems.append(_error(f"missing input ({kind})", "CT725", inputs.name, name, hint))
    for name in sorted(set(values) & set(inputs.variables)):
        for path in _local_paths(inputs.variables[name].type, values[name]):
            if not os.path.exists(path):
                problems.append(
                    _error(
                        f"input file '{path}' does not exist",
                        "CT726",
                        inputs.name,
                        name,
                        "give the path of an existing file or folder, or a URI (s3://...)",
                    )
                )
    return problems


def _error(message: str, code: str, task: str, param: str, hint: str) -> RunTargetError:
    return RunTargetError(message, code=code, hint=hint, task=task, param=param)


def _local_paths(lt: types_pb2.LiteralType, value: Any) -> list[str]:
    """The local paths a value gives for file, directory and dataset inputs."""
    which = lt.WhichOneof("type")
    if which in ("blob", "structured_dataset_type", "schema"):
        if isinstance(value, str) and value and not storage.is_remote(value):
            return [value.removeprefix("file://")]
        return []
    if which == "collection_type" and isinstance(value, list):
        return [p for item in value for p in _local_paths(lt.collection_type, item)]
    if which == "map_value_type" and isinstance(value, dict):
        return [p for item in value.values() for p in _local_paths(lt.map_value_type, item)]
    if which == "union_type" and value is not None:
        paths = [_local_paths(v, value) for v in lt.union_type.variants]
        return next((p for p in paths if p), [])
    return []
