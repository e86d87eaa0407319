"""``ShellTask``: a shell script templated with the task's inputs, whose files become outputs.

The script uses Python format fields: ``{inputs.NAME}``, ``{outputs.NAME}`` and ``{ctx...}``
(the running task's context). A ``FlyteFile`` or ``FlyteDirectory`` input is downloaded first
and written as its local path, a ``datetime`` as ISO 8601. Each ``OutputLocation`` names an
output, its file or folder type and where the script writes it (a template over the inputs);
after the script succeeds, those paths become the outputs. A non-zero exit status fails the task
with a retryable user error that carries the script's stdout and stderr.

The compiled task is an ordinary python task (flytekit's wire form): the container runs our
entrypoint, which finds the instance by its module-level name and runs the script.
"""

from __future__ import annotations

import datetime
import os
import string
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from compiler.context import current_context
from compiler.errors import DefinitionError
from compiler.sdk.exceptions import FlyteRecoverableException
from compiler.sdk.image_spec import source_root_of
from compiler.sdk.instance_task import PythonInstanceTask
from compiler.sdk.interface import interface_from_types
from compiler.sdk.location import caller_location, definition_context
from compiler.types import FlyteDirectory, FlyteFile

__all__ = [
    "OutputLocation",
    "ProcessResult",
    "RawShellTask",
    "ShellTask",
    "get_raw_shell_task",
    "subproc_execute",
]

T = TypeVar("T")


@dataclass
class ProcessResult:
    """The exit status, standard output and standard error of a finished script."""

    returncode: int
    output: str
    error: str


@dataclass
class OutputLocation:
    """Where the script writes one output.

    Attributes:
        var: The output's name.
        var_type: ``FlyteFile``, ``FlyteDirectory`` or a subclass (``CSVFile``, ...).
        location: The path, a template over the inputs: ``"{inputs.data}.gz"``.
    """

    var: str
    var_type: type
    location: str | os.PathLike[str]


class _Namespace(dict[str, Any]):
    """``{inputs.x}``: attribute lookup over a mapping."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, FlyteFile | FlyteDirectory):
            return value.download()
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        return super().format_field(value, format_spec)


def interpolate(
    template: str, inputs: Mapping[str, Any], outputs: Mapping[str, Any] | None = None
) -> str:
    """``template`` with ``{inputs.x}``, ``{outputs.y}`` and ``{ctx.z}`` filled in.

    Raises:
        DefinitionError: CT183 when the template names an unknown field.
    """
    fields = {
        "inputs": _Namespace(inputs),
        "outputs": _Namespace(outputs or {}),
        "ctx": current_context(),
    }
    try:
        return _Formatter().format(template, **fields)
    except (KeyError, AttributeError, IndexError) as err:
        raise DefinitionError(
            f"the script uses {{{err.args[0] if err.args else err}}}, which is not an input, "
            "an output or the context",
            code="CT183",
            param=str(err.args[0]) if err.args else None,
            hint="write {inputs.NAME} or {outputs.NAME}; write {{ and }} for literal braces",
        ) from None


def subproc_execute(command: str | list[str], **kwargs: Any) -> ProcessResult:
    """Run ``command``, capture its output, and raise ``RuntimeError`` when it fails."""
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **kwargs}
    try:
        done = subprocess.run(command, check=True, **options)
    except subprocess.CalledProcessError as err:
        raise RuntimeError(
            f"Command: {err.cmd}\nFailed with return code {err.returncode}:\n{err.stderr}"
        ) from None
    except FileNotFoundError as err:
        raise RuntimeError(
            f"the executable was not found ({err}); is it installed in the task's image?"
        ) from None
    return ProcessResult(done.returncode, done.stdout, done.stderr)


def _check_outputs(locations: list[OutputLocation] | None) -> dict[str, type]:
    outputs: dict[str, type] = {}
    for loc in locations or []:
        if not isinstance(loc, OutputLocation) or loc.location is None:
            raise DefinitionError(
                f"output_locs must hold OutputLocation(var=..., var_type=..., location=...), "
                f"got {loc!r}",
                code="CT182",
                param="output_locs",
                param_kind="option",
                hint="write OutputLocation(var='out', var_type=FlyteFile, location='out.txt')",
            )
        var_type = loc.var_type
        if not (isinstance(var_type, type) and issubclass(var_type, FlyteFile | FlyteDirectory)):
            raise DefinitionError(
                f"output {loc.var!r} has type {var_type!r}; a shell task's outputs are files",
                code="CT182",
                param=loc.var,
                param_kind="output",
                hint="use FlyteFile, FlyteDirectory or one of their subclasses",
            )
        outputs[loc.var] = var_type
    return outputs


class ShellTask(PythonInstanceTask[T]):
    """A task that runs a shell script (``script`` or ``script_file``).

    Args:
        name: The entity name, written verbatim.
        debug: Print the generated script before running it.
        script: The script text.
        script_file: A file holding the script (read when the task runs).
        task_config: Plugin configuration (none for a plain container).
        shell: The shell that runs the script.
        inputs: ``kwtypes(...)`` of inputs.
        output_locs: Where each output is written.
        **kwargs: Options of :class:`PythonInstanceTask` (``container_image``, ...).

    Raises:
        DefinitionError: CT181 without a script or with both; CT182 for a bad output.
    """

    def __init__(
        self,
        name: str,
        debug: bool = False,
        script: str | None = None,
        script_file: str | None = None,
        task_config: T | None = None,
        shell: str = "/bin/sh",
        inputs: Mapping[str, Any] | None = None,
        output_locs: list[OutputLocation] | None = None,
        **kwargs: Any,
    ) -> None:
        location, module = caller_location(self)
        with definition_context(name, lambda: location):
            if bool(script) == bool(script_file):
                raise DefinitionError(
                    "give the script as script= or script_file=, exactly one of them",
                    code="CT181",
                    param="script",
                    param_kind="option",
                    hint="write script='echo {inputs.name}' or script_file='scripts/run.sh'",
                )
            if script_file is not None:
                script_file = self._script_path(script_file, location, module)
            outputs = _check_outputs(output_locs)
        self._script = script
        self._script_file = script_file
        self._debug = debug
        self._shell = shell
        self._output_locs = list(output_locs or [])
        self._process_result: ProcessResult | None = None
        super().__init__(
            name=name,
            task_config=task_config,
            interface=interface_from_types(inputs, outputs),
            **kwargs,
        )

    @staticmethod
    def _script_path(script_file: str, location: Any, module: str) -> str:
        path = Path(script_file)
        if not path.is_absolute() and not path.exists():
            # As flytekit, relative to the working directory; else to the source root (where
            # pyflyte runs) or the module's folder, so a compile from anywhere finds it.
            root = source_root_of(location, module)
            folders = [root] if root is not None else []
            if location is not None:
                folders.append(Path(location.file).parent)
            path = next((f / path for f in folders if (f / path).is_file()), path)
        if not path.is_file():
            raise DefinitionError(
                f"script_file {script_file!r} does not exist",
                code="CT181",
                param="script_file",
                param_kind="option",
                hint="give a path relative to the source root (where the top-level package "
                "folder is) or to this module",
            )
        return str(path.resolve())

    @property
    def script(self) -> str | None:
        """The script text (``None`` until a ``script_file`` task ran)."""
        return self._script

    @property
    def script_file(self) -> str | None:
        """The absolute path of the script file, or ``None``."""
        return self._script_file

    @property
    def result(self) -> ProcessResult | None:
        """The last run's exit status and output."""
        return self._process_result

    @property
    def output_locs(self) -> list[OutputLocation]:
        """Where the outputs are written."""
        return list(self._output_locs)

    def execute(self, **kwargs: Any) -> Any:
        """Fill in the script, run it, and return its output files."""
        script = self._script
        if self._script_file:
            script = Path(self._script_file).read_text(encoding="utf-8")
        outputs = {o.var: interpolate(str(o.location), kwargs) for o in self._output_locs}
        generated = interpolate(script or "", kwargs, outputs)
        if self._debug:
            print(f"\n{'=' * 46}\n{generated}\n{'=' * 46}\n")
        self._run(generated)
        values = [o.var_type(outputs[o.var]) for o in self._output_locs]
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)

    def _run(self, script: str) -> None:
        """Run the generated script; a non-zero exit status is a retryable user error."""
        self._process_result = _run_script(script, self._shell)
        if self._process_result.returncode != 0:
            raise FlyteRecoverableException(_failure(self._process_result))


class RawShellTask(ShellTask[T]):
    """A shell task whose environment comes in as an input (``env: dict[str, str]``).

    ``{inputs.export_env}`` in the script becomes one ``export K=V`` line per entry of the
    ``env`` input. The script runs with its output going straight to the task's stdout; a
    non-zero exit status fails the task with ``subprocess.CalledProcessError``.
    """

    def make_export_string_from_env_dict(self, d: Mapping[str, str]) -> str:
        """``export K=V`` lines, one per entry."""
        return "\n".join(f"export {key}={value}" for key, value in d.items())

    def execute(self, **kwargs: Any) -> Any:
        if isinstance(kwargs.get("env"), dict):
            kwargs["export_env"] = self.make_export_string_from_env_dict(kwargs["env"])
        return super().execute(**kwargs)

    def _run(self, script: str) -> None:
        subprocess.run(script, shell=True, check=True)


def get_raw_shell_task(name: str) -> RawShellTask[Any]:
    """A task that runs a script file (an input) with arguments and an environment (inputs);
    its output ``out`` is the working folder."""
    return RawShellTask(
        name=name,
        debug=True,
        inputs={"env": dict[str, str], "script_args": str, "script_file": str},
        output_locs=[
            OutputLocation(var="out", var_type=FlyteDirectory, location="{ctx.working_directory}")
        ],
        script=_RAW_SCRIPT,
    )


_RAW_SCRIPT = """
#!/bin/bash
set -uex
cd {ctx.working_directory}
{inputs.export_env}
bash {inputs.script_file} {inputs.script_args}
"""


def _run_script(script: str, shell: str) -> ProcessResult:
    process = subprocess.Popen(
        script,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        shell=True,
        text=True,
        executable=shell,
    )
    out, err = process.communicate()
    for line in out.splitlines():
        print(line)
    sys.stderr.write(err)
    return ProcessResult(process.returncode, out, err)


def _failure(result: ProcessResult) -> str:
    listing = "\n-".join(sorted(os.listdir(".")))
    return (
        f"the script failed with exit status {result.returncode}\n"
        f"current directory contents: .\n-{listing}\n"
        f"stdout: {result.output}\nstderr: {result.error}\n"
    )
