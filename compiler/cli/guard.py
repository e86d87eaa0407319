"""Run a command body with errors turned into messages and exit codes, signals into cleanup."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import click

from compiler.bundle import sigterm_as_interrupt
from compiler.cli.output import Console, flatten_errors
from compiler.errors import CompileTasksError, ExitCode, internal_error

__all__ = ["handled"]


@contextmanager
def handled(console: Console, debug: bool) -> Iterator[list[int]]:
    """Turn errors into messages and an exit code (``box[0]``)."""
    box = [int(ExitCode.OK)]
    try:
        with sigterm_as_interrupt():
            yield box
    except CompileTasksError as exc:
        errors = flatten_errors(exc)
        if debug:
            traceback.print_exception(exc)
        console.errors(errors)
        box[0] = int(exc.exit_code)
    except KeyboardInterrupt:
        console.errors([])
        click.echo("interrupted; the output folder was left as it was", err=True)
        box[0] = int(ExitCode.INTERRUPTED)
    except click.exceptions.Exit:
        raise
    except click.ClickException:
        raise
    except Exception as exc:
        if debug:
            raise
        error = internal_error(exc)
        click.echo(error.render(), err=True)
        box[0] = int(error.exit_code)
