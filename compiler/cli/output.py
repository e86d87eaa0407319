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

from compiler.errors import CompileErrors, CompileTasksError

__all__ = ["Console", "flatten_errors"]


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

    def info(self, text: str) -> None:
        """A normal message on stdout (suppressed by ``--quiet``)."""
        if not self.quiet:
            self._clear_progress()
            click.echo(text)

    def warn(self, text: str) -> None:
        """A warning on stderr (shown even with ``--quiet``: it asks for action)."""
        self._clear_progress()
        click.echo(text, file=self.err)

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
            click.echo(error.render(), file=self.err)
        if len(items) > 1:
            click.echo(f"{len(items)} problems found", file=self.err)

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
