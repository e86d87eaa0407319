"""Every error compile-tasks raises on purpose, in one hierarchy, with its exit code.

::

    class                          exit  raised when
    CompileTasksError                3   base of everything below; carries code, location, hint
    ├── DefinitionError              3   a task declaration is invalid (raised at definition)
    │   ├── WorkflowError            3   a workflow body is invalid (CT900-CT949)
    │   └── LaunchPlanError          3   a launch plan is invalid (CT950-CT989)
    ├── TypeMappingError             3   a type hint has no literal type (or value conversion)
    ├── SerializationError           3   a task cannot become a TaskSpec with these settings
    ├── DiscoveryError               3   a package cannot be imported or walked
    │   └── PackagePathError         2   a PATH is missing, not a folder or .py file, or not
    │                                    importable under its name (CT401, CT409)
    ├── BundleError                  3   the output directory or archive cannot be written/read
    │   └── OutputDirError           2   ``--out`` is refused: a file, a foreign folder, or it
    │                                    holds the sources (CT501, CT502, CT504)
    ├── GoldenError                  3   the golden directory is missing or corrupt
    │   └── GoldenUsageError         2   the golden options cannot be honoured (CT603, CT630)
    ├── ConfigError                  2   a configuration file or flag is invalid
    ├── ExecutionError               3   a task cannot be run (inputs, outputs, conversions)
    │   └── RunTargetError           2   ``compile-tasks run``: the bundle or the task cannot
    │                                    be found, read or run locally (CT720-CT723)
    └── InternalError                3   a bug in compile-tasks (CT890, :func:`internal_error`)

    CompileErrors                   2|3  several errors of one run, sorted by location: 2 when
                                         every one of them is 2, else 3

The exit code is a class attribute (``exit_code``, as click's ``ClickException.exit_code``);
the CLI asks the error for it and decides nothing itself. :class:`ExitCode` names the values,
with the ones that no error carries (golden drift, interrupts).

Each error renders as ``file:line: error CODE: message. hint: ...`` so editors and CI logs can
link to the user's source. The codes are stable and documented in ``docs/errors/``; tests pin
them. ``IgnoreOutputs`` is not an error and lives in the SDK.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable
from typing import Any

from compiler.records import frozen_record

__all__ = [
    "INTERRUPTED_NOTE",
    "BundleError",
    "CompileErrors",
    "CompileTasksError",
    "ConfigError",
    "DefinitionError",
    "DiscoveryError",
    "ExecutionError",
    "ExitCode",
    "GoldenError",
    "GoldenUsageError",
    "InternalError",
    "LaunchPlanError",
    "OutputDirError",
    "PackagePathError",
    "RunTargetError",
    "SerializationError",
    "SourceLocation",
    "TypeMappingError",
    "WorkflowError",
    "internal_error",
    "one_line",
]


class ExitCode(enum.IntEnum):
    """What the process exit status of ``compile-tasks`` means (``docs/cli.md``)."""

    OK = 0
    DRIFT = 1  # the bundle differs from the goldens (--golden --check)
    USAGE = 2  # bad flags, config, paths or output folder
    COMPILE = 3  # the package cannot be compiled (or a task run failed)
    INTERRUPTED = 130  # SIGINT / SIGTERM


#: What an interrupted command says on stderr (with ``ExitCode.INTERRUPTED``).
INTERRUPTED_NOTE = "interrupted; the output folder was left as it was"


@frozen_record(into_dict=True, order=True)
class SourceLocation:
    """Where something was declared: a file path (as given, or relative) and a 1-based line."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def relative_to(self, root: str) -> SourceLocation:
        """The same location with ``file`` relative to ``root`` when it lies below it."""
        key = (self.file, root)
        try:
            rel = _RELATIVE_FILES[key]
        except KeyError:
            rel = _relative_file(self.file, root)
            if _is_absolute(self.file) and _is_absolute(root):  # else it depends on the cwd
                if len(_RELATIVE_FILES) >= _RELATIVE_FILES_MAX:
                    _RELATIVE_FILES.clear()
                _RELATIVE_FILES[key] = rel
        return self if rel is None else SourceLocation(rel, self.line)


#: ``(file, root) -> relative file`` for absolute pairs only. Every task of a module shares its
#: file and each task's location is made relative several times per compile, while
#: ``os.path.relpath`` normalises both paths on every call.
_RELATIVE_FILES: dict[tuple[str, str], str | None] = {}
_RELATIVE_FILES_MAX = 4096


def _is_absolute(path: str) -> bool:
    """Absolute, and on Windows with a drive (``\\x`` is resolved against the cwd's drive)."""
    return os.path.isabs(path) and (os.sep == "/" or bool(os.path.splitdrive(path)[0]))


def _relative_file(file: str, root: str) -> str | None:
    """``file`` relative to ``root`` with ``/`` separators, or ``None`` when not below it."""
    try:
        rel = os.path.relpath(file, root)
    except ValueError:  # different drive on Windows
        return None
    if rel.startswith(".."):
        return None
    return rel.replace(os.sep, "/")


class CompileTasksError(Exception):
    """Base class. ``code`` is stable (``CT###``); ``hint`` says how to fix the problem.

    Args:
        message: What is wrong, without a trailing period.
        code: The stable error code; subclasses provide a default.
        hint: How to fix it.
        location: Where the offending declaration is.
        task: The task name, when the error concerns one task.
        param: The input/output/option name, when the error concerns one.
    """

    default_code = "CT000"
    #: The process exit status when this error ends a command.
    exit_code: int = ExitCode.COMPILE

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        hint: str | None = None,
        location: SourceLocation | None = None,
        task: str | None = None,
        param: str | None = None,
        param_kind: str = "input",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.hint = hint
        self.location = location
        self.task = task
        self.param = param
        self.param_kind = param_kind

    def with_context(
        self,
        *,
        location: SourceLocation | None = None,
        task: str | None = None,
        param: str | None = None,
        param_kind: str | None = None,
    ) -> CompileTasksError:
        """Fill in context that the raiser did not know; existing values are kept."""
        self.location = self.location or location
        self.task = self.task or task
        if self.param is None and param is not None:
            self.param = param
            if param_kind:
                self.param_kind = param_kind
        return self

    @property
    def subject(self) -> str:
        """``task 'x', input 'y'`` (as much as is known)."""
        parts = []
        if self.task:
            parts.append(f"task '{self.task}'")
        if self.param:
            parts.append(f"{self.param_kind} '{self.param}'")
        return ", ".join(parts)

    def render(self, severity: str = "error") -> str:
        """``file:line: error CODE: task 't', input 'p': message. hint: ...``.

        ``severity`` is ``"warning"`` for a problem that did not stop the command.
        """
        where = f"{self.location}: " if self.location else ""
        subject = f"{self.subject}: " if self.subject else ""
        text = f"{where}{severity} {self.code}: {subject}{self.message.rstrip('.')}"
        if self.hint:
            text += f". hint: {self.hint}"
        return one_line(text)

    def __str__(self) -> str:
        return self.render()

    def sort_key(self) -> tuple[str, int, str, str]:
        loc = self.location or SourceLocation("")
        return (loc.file, loc.line, self.code, self.message)


#: Every character ``str.splitlines`` breaks a line at, as its escape: an error is one line,
#: whatever a path, a name or a value it quotes holds.
_ONE_LINE = str.maketrans({c: repr(c)[1:-1] for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def one_line(text: str) -> str:
    """``text`` with every character ``str.splitlines`` breaks at written as its escape."""
    return text.translate(_ONE_LINE)


class DefinitionError(CompileTasksError, ValueError):
    """A task declaration (decorator options, metadata, resources, ...) is invalid."""

    default_code = "CT100"


class TypeMappingError(CompileTasksError, TypeError):
    """A Python type has no Flyte literal type, or a value does not fit its type."""

    default_code = "CT200"


class SerializationError(CompileTasksError):
    """A task cannot be serialized with the given settings (image, names, ...)."""

    default_code = "CT300"


class DiscoveryError(CompileTasksError):
    """A path cannot be imported or walked, or two tasks share a name."""

    default_code = "CT400"


class PackagePathError(DiscoveryError):
    """A PATH is missing, neither a folder nor a ``.py`` file, or cannot be imported as named.

    About how the command was called, not about the package: a usage error.
    """

    default_code = "CT401"
    exit_code = ExitCode.USAGE


class BundleError(CompileTasksError):
    """The output directory or an archive cannot be written or safely read."""

    default_code = "CT500"


class OutputDirError(BundleError):
    """The output folder is refused: a file, a foreign non-empty folder, or above the sources."""

    default_code = "CT501"
    exit_code = ExitCode.USAGE


class GoldenError(CompileTasksError):
    """The golden directory is missing, corrupt, or may not be written."""

    default_code = "CT600"


class GoldenUsageError(GoldenError):
    """The golden options cannot be honoured as given (update under CI, unknown report type)."""

    default_code = "CT603"
    exit_code = ExitCode.USAGE


class ExecutionError(CompileTasksError):
    """A task cannot run: inputs or outputs do not convert, or the task cannot be loaded."""

    default_code = "CT700"


class RunTargetError(ExecutionError):
    """``compile-tasks run``: the bundle or the task is missing, unreadable or cannot run here."""

    default_code = "CT720"
    exit_code = ExitCode.USAGE


class ConfigError(CompileTasksError):
    """A configuration file or command-line setting is invalid."""

    default_code = "CT800"
    exit_code = ExitCode.USAGE


class InternalError(CompileTasksError):
    """A bug in compile-tasks, reported instead of a traceback (see :func:`internal_error`)."""

    default_code = "CT890"


#: What every internal error tells the user to do.
BUG_HINT = "this is a bug in compile-tasks; rerun with --debug and report the traceback"


def internal_error(
    cause: str | BaseException,
    *,
    during: str = "",
    hint: str = BUG_HINT,
    location: SourceLocation | None = None,
    task: str | None = None,
) -> InternalError:
    """The ``CT890`` error for an unexpected exception (or a described failure).

    Args:
        cause: The exception that escaped (rendered ``internal error[ during]: Type: text``), or
            a message used as it is.
        during: What was being done, e.g. ``"while serializing"``.
        hint: How to report it.
        location: The user's declaration being processed, if any.
        task: The entity being processed, if any.
    """
    if isinstance(cause, BaseException):
        what = f"internal error {during}".rstrip()
        message = f"{what}: {type(cause).__name__}: {cause}"
    else:
        message = cause
    return InternalError(message, hint=hint, location=location, task=task)


class WorkflowError(DefinitionError):
    """A workflow body is invalid: a call site, a binding, an output (raised at definition).

    Args:
        message: What is wrong.
        workflow: The workflow name.
        node: The node id the problem concerns, when there is one.
        **kwargs: As for :class:`CompileTasksError`.
    """

    default_code = "CT900"

    def __init__(
        self, message: str, *, workflow: str | None = None, node: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.workflow = workflow
        self.node = node

    @property
    def subject(self) -> str:
        """``workflow 'w', node 'n0', input 'y'`` (as much as is known)."""
        parts = [f"workflow '{self.workflow}'"] if self.workflow else []
        if self.node:
            parts.append(f"node '{self.node}'")
        if self.task:
            parts.append(f"task '{self.task}'")
        if self.param:
            parts.append(f"{self.param_kind} '{self.param}'")
        return ", ".join(parts)


class LaunchPlanError(DefinitionError):
    """A launch plan is invalid: an input, a schedule, a notification, an option (at definition).

    Args:
        message: What is wrong.
        launch_plan: The launch plan name.
        **kwargs: As for :class:`CompileTasksError`.
    """

    default_code = "CT950"

    def __init__(self, message: str, *, launch_plan: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.launch_plan = launch_plan

    @property
    def subject(self) -> str:
        """``launch plan 'lp', input 'y'`` (as much as is known)."""
        parts = [f"launch plan '{self.launch_plan}'"] if self.launch_plan else []
        if self.task and self.task != self.launch_plan:
            parts.append(f"workflow '{self.task}'")
        if self.param:
            parts.append(f"{self.param_kind} '{self.param}'")
        return ", ".join(parts)


class CompileErrors(CompileTasksError):
    """Several problems found in one run, kept sorted by location."""

    default_code = "CT001"

    def __init__(self, errors: Iterable[CompileTasksError]) -> None:
        self.errors = sorted(errors, key=CompileTasksError.sort_key)
        super().__init__(f"{len(self.errors)} problem(s) found")

    @property  # type: ignore[override]
    def exit_code(self) -> int:
        """``USAGE`` when every error is about the invocation, else ``COMPILE``."""
        usage = bool(self.errors) and all(e.exit_code == ExitCode.USAGE for e in self.errors)
        return ExitCode.USAGE if usage else ExitCode.COMPILE

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)
