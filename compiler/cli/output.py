"""What the CLI prints: errors on stderr, the summary, progress on a terminal only.

Locations are shown relative to the working folder so that editors and CI logs link to them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from typing import TextIO

import click

from compiler.errors import CompileErrors, CompileTasksError, one_line

__all__ = ["ERRORS_FORMAT_VERSION", "Console", "errors_json", "flatten_errors"]

#: ``format_version`` of the ``--format json`` error document (raised on incompatible change).
ERRORS_FORMAT_VERSION = 1


def flatten_errors(error: CompileTasksError) -> list[CompileTasksError]:
    """The individual errors of ``error`` (a ``CompileErrors`` holds several), sorted."""
    items = error.errors if isinstance(error, CompileErrors) else [error]
    return sorted(items, key=CompileTasksError.sort_key)


class Console:
    """Writes messages according to ``--quiet`` / ``--verbose``; progress only on a TTY.

    Args:
        quiet: Only errors.
        verbose: Also per-file details.
        cwd: Folder that error locations are shown relative to.
        err: The error stream (stderr).
    """

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        cwd: str = "",
        err: TextIO | None = None,
    ) -> None:
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.cwd = cwd or os.getcwd()
        self.err = err or sys.stderr
        self._progress_shown = False
        self._last_progress = 0.0
        self.interactive = self.err.isatty() and not quiet
        #: ``"github"``: errors are also printed as GitHub workflow commands (on stdout).
        self.annotations: str | None = None
        #: ``"json"``: errors are printed as one JSON document on stderr (``--format json``).
        self.format = "text"

    def info(self, text: str) -> None:
        """A normal message on stdout (suppressed by ``--quiet``)."""
        if not self.quiet:
            self._clear_progress()
            click.echo(text)

    def warn(self, text: str) -> None:
        """A warning on stderr (shown even with ``--quiet``: it asks for action), one line
        whatever a path or a name in it holds."""
        self._clear_progress()
        click.echo(one_line(text), file=self.err)

    def detail(self, text: str) -> None:
        """A ``--verbose`` message on stdout."""
        if self.verbose:
            self._clear_progress()
            click.echo(text)

    def errors(self, errors: Iterable[CompileTasksError]) -> None:
        """Every error, one per line, located relative to the working folder."""
        self._clear_progress()
        items = sorted(errors, key=CompileTasksError.sort_key)
        for error in items:
            if error.location is not None:
                error.location = error.location.relative_to(self.cwd)
        if self.format == "json":
            import json  # only for --format json

            click.echo(json.dumps(errors_json(items), indent=2, ensure_ascii=False), file=self.err)
        else:
            for error in items:
                click.echo(error.render(), file=self.err)
            if len(items) > 1:
                click.echo(f"{len(items)} problems found", file=self.err)
        if self.annotations == "github":
            for error in items:
                click.echo(_workflow_command(error))

    def warnings(self, warnings: Iterable[CompileTasksError]) -> None:
        """Problems that did not stop the command, as ``file: warning CODE: ...`` on stderr."""
        for warning in sorted(warnings, key=CompileTasksError.sort_key):
            if warning.location is not None:
                warning.location = warning.location.relative_to(self.cwd)
            self.warn(warning.render(severity="warning"))

    def progress(self, stage: str, done: int, total: int) -> None:
        """``importing 37/100`` rewritten in place, at most ten times a second, TTY only."""
        if not self.interactive:
            return
        now = time.monotonic()
        if done < total and now - self._last_progress < 0.1:
            return
        self._last_progress = now
        self.err.write(f"\r\x1b[K{stage} {done}/{total}")
        self.err.flush()
        self._progress_shown = True

    def _clear_progress(self) -> None:
        if self._progress_shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self._progress_shown = False


def errors_json(errors: Iterable[CompileTasksError]) -> dict[str, object]:
    """The ``--format json`` document: ``format_version`` and one object per error."""
    return {
        "format_version": ERRORS_FORMAT_VERSION,
        "errors": [
            {
                "code": error.code,
                "message": error.message,
                "hint": error.hint,
                "file": error.location.file if error.location else None,
                "line": error.location.line if error.location and error.location.line else None,
                "task": error.task,
                "param": error.param,
                "exit_code": int(error.exit_code),
                "text": error.render(),
            }
            for error in errors
        ],
    }


def _workflow_command(error: CompileTasksError) -> str:
    """``::error file=F,line=L,title=CODE::message`` for one error (GitHub annotations)."""
    from compiler.golden import workflow_command

    where = error.location
    return workflow_command(
        "error",
        error.message + (f" (hint: {error.hint})" if error.hint else ""),
        file=where.file if where is not None else None,
        line=where.line if where is not None and where.line else None,
        title=f"{error.code}",
    )
