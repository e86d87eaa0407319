"""Stable exit codes of ``compile-tasks`` (documented in ``docs/cli.md``)."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from compiler.errors import CompileTasksError, ConfigError

__all__ = ["USAGE_CODES", "ExitCode", "exit_code_for"]


class ExitCode(enum.IntEnum):
    """What the process exit status means."""

    OK = 0
    DRIFT = 1  # the bundle differs from the goldens (--golden --check)
    USAGE = 2  # bad flags, config, paths or output folder
    COMPILE = 3  # the package cannot be compiled
    INTERRUPTED = 130  # SIGINT / SIGTERM


#: Error codes caused by how the command was called, not by the user's package.
USAGE_CODES = frozenset({"CT401", "CT409", "CT501", "CT502", "CT504"})


def exit_code_for(errors: Iterable[CompileTasksError]) -> ExitCode:
    """``USAGE`` when every error is about the invocation, else ``COMPILE``."""
    items = list(errors)
    if items and all(isinstance(e, ConfigError) or e.code in USAGE_CODES for e in items):
        return ExitCode.USAGE
    return ExitCode.COMPILE
