"""Run a command body with errors turned into messages and exit codes, signals into cleanup."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from compiler.cli.output import Console, flatten_errors
from compiler.errors import INTERRUPTED_NOTE, CompileTasksError, ExitCode, internal_error
from compiler.signals import interruption_in, sigterm_as_interrupt

__all__ = ["BROKEN_PIPE_EXIT", "handled"]

#: The status a shell reports for a command killed by ``SIGPIPE`` (``yes | head``).
BROKEN_PIPE_EXIT = 128 + int(signal.SIGPIPE)


def _reader_went_away() -> int:
    """Our output's reader closed the pipe (``| head``): stop quietly, as other tools do.

    Standard output is pointed at ``/dev/null`` so that the interpreter's final flush of what
    is still buffered cannot fail a second time (and print "Exception ignored").
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return BROKEN_PIPE_EXIT


def _is_broken_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (
        isinstance(exc, OSError) and exc.errno == errno.EPIPE
    )


@contextmanager
def handled(console: Console, debug: bool) -> Iterator[list[int]]:
    """Turn errors into messages and an exit code (``box[0]``)."""
    box = [int(ExitCode.OK)]
    try:
        try:
            with sigterm_as_interrupt():
                yield box
        except BaseException as exc:
            # Ctrl-C or SIGTERM, also one Python handed on inside another exception (or that an
            # error was raised from): what was reported so far, the note, exit code 130.
            if interruption_in(exc) is None:
                raise
            console.errors([])
            click.echo(INTERRUPTED_NOTE, err=True)
            box[0] = int(ExitCode.INTERRUPTED)
    except CompileTasksError as exc:
        errors = flatten_errors(exc)
        if debug:
            import traceback  # only with --debug

            traceback.print_exception(exc)
        console.errors(errors)
        box[0] = int(exc.exit_code)
    except click.exceptions.Exit:
        raise
    except click.ClickException:
        raise
    except Exception as exc:
        if _is_broken_pipe(exc):
            box[0] = _reader_went_away()
            return
        if debug:
            raise
        error = internal_error(exc)
        click.echo(error.render(), err=True)
        box[0] = int(error.exit_code)
