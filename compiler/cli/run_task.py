"""The work of ``compile-tasks run BUNDLE TASK``: run one task of a bundle locally.

Every problem of the invocation (misnamed and missing inputs, input files that do not exist,
a task module that cannot be found from here) is reported together before the task starts.
A python task's container args are run in a subprocess with the ``{{.input}}``-style templates
filled with local paths (``compiler.runtime.local_run``); a map task runs once per element, with
the array index variables propeller sets, and its element outputs are gathered into lists; a raw
container task runs in docker or podman (``compiler.cli.run_container``); the outputs are printed
as JSON. Exit codes:
0 ok (also when the task ignored its outputs), 2 usage (bundle or task not found, unsafe
archive, malformed, misnamed or missing ``--input``, an input file that does not exist, a task
that cannot run here), 3 the task failed, timed out, or an input value does not fit its
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
from google.protobuf import json_format

from compiler.cli.run_container import run_raw_container
from compiler.cli.run_inputs import TaskInputs, input_problems, task_help
from compiler.cli.run_source import add_source_roots, module_problems
from compiler.cli.usage import closest
from compiler.errors import CompileErrors, CompileTasksError, ExitCode, RunTargetError
from compiler.idl import TaskType
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

__all__ = ["print_task_help", "run_bundle_task", "task_names_text"]

RAW_CONTAINER = TaskType.RAW_CONTAINER.value

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


def _has_files(outputs: Any) -> bool:
    """Whether an outputs ``LiteralMap`` (or ``None``) refers to files of the work folder."""
    if outputs is None:
        return False
    for literal in outputs.literals.values():
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


def _find(specs: dict[str, task_pb2.TaskSpec], name: str) -> tuple[str, task_pb2.TaskSpec]:
    """The bundle file and spec of task ``name`` (full name or unique suffix).

    Raises:
        RunTargetError: CT722 with "did you mean" when no task, or several, match.
    """
    try:
        spec = find_task(specs, name)
    except RunTargetError as err:
        full = {spec.template.id.name for spec in specs.values()}
        short = {n.rpartition(".")[2]: n for n in sorted(full)}
        guess = closest(name, full) or short.get(closest(name, short) or "")
        if guess is not None:
            err.hint = f"did you mean '{guess}'? " + (
                "'compile-tasks run BUNDLE --help' lists every task"
                if len(full) > 12
                else (err.hint or "")
            )
        elif len(full) > 12:
            err.hint = "'compile-tasks run BUNDLE --help' lists every task"
        raise
    file = next(f for f, s in specs.items() if s is spec)
    return file, spec


def task_names_text(bundle: str) -> str:
    """The tasks of ``bundle``, one per line with its type (for ``run BUNDLE --help``)."""
    try:
        specs = read_task_specs(bundle)
    except CompileTasksError as err:
        return err.render()
    names = sorted((s.template.id.name, s.template.type) for s in specs.values())
    lines = [f"Tasks in {bundle}:"] + [f"  {name}  ({kind})" for name, kind in names]
    return "\n".join(lines)


def print_task_help(bundle: str, task: str) -> None:
    """``compile-tasks run BUNDLE TASK --help``: the task's inputs and outputs."""
    try:
        file, spec = _find(read_task_specs(bundle), task)
    except CompileTasksError as err:
        click.echo(err.render(), err=True)
        sys.exit(err.exit_code)
    click.echo(task_help(TaskInputs.of(bundle, file, spec), bundle))


def _check_runnable(spec: task_pb2.TaskSpec) -> None:
    """CT723 for a task that has no container (a SQL task runs in its engine, not here)."""
    template = spec.template
    if template.type == RAW_CONTAINER or template.HasField("container"):
        return
    if template.HasField("k8s_pod"):
        return
    raise RunTargetError(
        f"a {template.type!r} task has no container: Flyte runs it in its own engine "
        "(a SQL task in its database), not in a container",
        code="CT723",
        task=template.id.name,
        hint="run it on a Flyte cluster; only python and raw container tasks run locally",
    )


def _prepare(
    bundle: str, task: str, pairs: tuple[str, ...], inputs_file: str | None
) -> tuple[task_pb2.TaskSpec, dict[str, Any], Any]:
    """The task, its input values and their literals; every problem raised together."""
    file, spec = _find(read_task_specs(bundle), task)
    _check_runnable(spec)
    values = _collect_inputs(spec, pairs, inputs_file)
    problems = input_problems(TaskInputs.of(bundle, file, spec), values, bundle)
    if spec.template.type != RAW_CONTAINER:
        problems += module_problems(spec)
    if problems:
        raise problems[0] if len(problems) == 1 else CompileErrors(problems)
    return spec, values, build_inputs(spec, values)


def _run_raw(
    spec: task_pb2.TaskSpec,
    values: dict[str, Any],
    inputs: Any,
    workdir: str | None,
    timeout: float | None,
) -> None:
    folder = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="compile-tasks-run-"))
    outputs = None
    try:
        outputs = run_raw_container(spec, values, inputs, folder.resolve(), timeout)
    except CompileTasksError as err:
        click.echo(err.render(), err=True)
        sys.exit(err.exit_code)
    except subprocess.TimeoutExpired:
        click.echo(f"task {spec.template.id.name!r} did not finish within {timeout:g} s", err=True)
        sys.exit(ExitCode.COMPILE)
    finally:
        if workdir is None and not _has_files(outputs):
            shutil.rmtree(folder, ignore_errors=True)
    shown = {k: literal_to_json(outputs.literals[k]) for k in sorted(outputs.literals)}
    click.echo(json.dumps(shown, indent=2, sort_keys=False))
    if workdir is not None or _has_files(outputs):
        click.echo(f"files are kept in {folder}", err=True)


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
        spec, values, inputs = _prepare(bundle, task, pairs, inputs_file)
    except CompileTasksError as err:
        click.echo(err.render(), err=True)
        sys.exit(err.exit_code)
    if spec.template.type == RAW_CONTAINER:
        _run_raw(spec, values, inputs, workdir, timeout)
        return
    add_source_roots()
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
    keep = workdir is not None or _has_files(result.outputs)
    try:
        if result.status == "error":
            _report_error(name, result.error, result)
            sys.exit(ExitCode.COMPILE)
        if result.status == "futures":
            click.echo(
                f"task {name!r} is dynamic: it wrote the workflow Flyte runs next (futures.pb)",
                err=True,
            )
            job = json_format.MessageToDict(result.futures, preserving_proto_field_name=True)
            click.echo(json.dumps(job, indent=2, sort_keys=True))
            return
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
