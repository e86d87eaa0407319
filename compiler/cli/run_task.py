"""The work of ``compile-tasks run BUNDLE TASK``: run one task of a bundle locally.

The task's container args are run in a subprocess with the ``{{.input}}``-style templates filled
with local paths (``compiler.runtime.local_run``); the outputs are printed as JSON. A map task
runs once per element, with the array index variables propeller sets, and its element outputs
are gathered into lists. Exit codes:
0 ok (also when the task ignored its outputs), 2 usage (bundle or task not found, unsafe
archive, malformed ``--input``), 3 the task failed, timed out, or an input value does not fit its
type, 130 interrupted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click
import yaml
from flyteidl.admin import task_pb2
from flyteidl.core import errors_pb2, types_pb2

from compiler.errors import CompileTasksError, ExitCode
from compiler.runtime.blobs import iter_literals
from compiler.runtime.bundle_reader import find_task, read_task_specs
from compiler.runtime.literal_json import literal_to_json
from compiler.runtime.local_run import (
    RunResult,
    build_inputs,
    map_task_bound_inputs,
    run_map_spec,
    run_spec,
)

__all__ = ["run_bundle_task"]

#: Types whose command-line value is taken verbatim unless it is a JSON string.
_TEXT_TYPES = ("blob", "structured_dataset_type", "schema", "enum_type")


def _is_text(lt: Any) -> bool:
    which = lt.WhichOneof("type")
    return which in _TEXT_TYPES or (which == "simple" and lt.simple == types_pb2.SimpleType.STRING)


def _parse_value(spec: task_pb2.TaskSpec, name: str, text: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        return text
    variables = spec.template.interface.inputs.variables
    if name in variables and _is_text(variables[name].type) and not isinstance(value, str):
        return text
    return value


def _read_inputs_file(path: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        msg = f"cannot read {path}: {exc}"
        raise click.BadParameter(msg, param_hint="--inputs-file") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise click.BadParameter(f"{path} must hold a mapping", param_hint="--inputs-file")
    return {str(k): v for k, v in data.items()}


def _collect_inputs(
    spec: task_pb2.TaskSpec, pairs: tuple[str, ...], inputs_file: str | None
) -> dict[str, Any]:
    values = _read_inputs_file(inputs_file) if inputs_file else {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=VALUE", param_hint="--input")
        values[name.strip()] = _parse_value(spec, name.strip(), text)
    return values


def _has_files(result: RunResult) -> bool:
    if result.outputs is None:
        return False
    for literal in result.outputs.literals.values():
        for item in iter_literals(literal):
            if item.HasField("scalar") and item.scalar.WhichOneof("value") in (
                "blob",
                "structured_dataset",
                "schema",
            ):
                return True
    return False


def _report_error(task: str, error: errors_pb2.ContainerError | None, result: RunResult) -> None:
    if error is None:
        click.echo(f"task {task!r} exited with status {result.returncode}", err=True)
        click.echo(result.stderr, err=True, nl=False)
        return
    kind = errors_pb2.ContainerError.Kind.Name(error.kind).lower().replace("_", "-")
    click.echo(f"task {task!r} failed ({error.code}, {kind}):", err=True)
    click.echo(error.message.rstrip("\n"), err=True)


def run_bundle_task(
    bundle: str,
    task: str,
    pairs: tuple[str, ...],
    inputs_file: str | None,
    workdir: str | None,
    timeout: float | None,
) -> None:
    """Run ``task`` from ``bundle`` and print its outputs as JSON (see ``compile-tasks run``)."""
    try:
        spec = find_task(read_task_specs(bundle), task)
        inputs = build_inputs(spec, _collect_inputs(spec, pairs, inputs_file))
    except CompileTasksError as err:
        click.echo(err.render(), err=True)
        sys.exit(err.exit_code)
    folder = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="compile-tasks-run-"))
    name = spec.template.id.name
    try:
        run = run_map_spec if map_task_bound_inputs(spec) is not None else run_spec
        result = run(spec, inputs, folder.resolve(), timeout=timeout)
    except CompileTasksError as err:
        click.echo(err.render(), err=True)
        sys.exit(err.exit_code)
    except subprocess.TimeoutExpired:
        click.echo(f"task {name!r} did not finish within {timeout:g} s", err=True)
        sys.exit(ExitCode.COMPILE)
    except KeyboardInterrupt:
        click.echo(f"task {name!r} interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    keep = workdir is not None or _has_files(result)
    try:
        if result.status == "error":
            _report_error(name, result.error, result)
            sys.exit(ExitCode.COMPILE)
        if result.status == "ignored":
            click.echo(f"task {name!r} ignored its outputs", err=True)
            click.echo("{}")
            return
        assert result.outputs is not None
        outputs = {
            k: literal_to_json(result.outputs.literals[k]) for k in sorted(result.outputs.literals)
        }
        click.echo(json.dumps(outputs, indent=2, sort_keys=False))
        if keep:
            click.echo(f"files are kept in {folder}", err=True)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
