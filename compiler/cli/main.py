"""``compile-tasks``: a click group whose default command is ``compile``.

``compile-tasks PATH... --out DIR`` compiles (no subcommand word needed); ``compile-tasks run``,
``list``, ``show-config`` (and ``compile``, spelled out) are subcommands. A first argument that
is not a subcommand name starts the compile command, unless it is no path and misspells a
subcommand ("did you mean"). ``compile-tasks`` alone compiles the configured ``paths`` into the
configured ``out`` (and shows the help when nothing is configured).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

import click

from compiler._version import __version__
from compiler.cli.compile_cmd import compile_command, list_command, show_config_command
from compiler.cli.diff_cmd import diff_command
from compiler.cli.images_cmd import images_command
from compiler.cli.port_cmd import port_command
from compiler.cli.run_cmd import run as run_command
from compiler.cli.usage import BARE, closest
from compiler.errors import INTERRUPTED_NOTE, ExitCode
from compiler.signals import interruption_in

__all__ = ["cli", "main"]

DEFAULT_COMMAND = "compile"
#: The commands whose ``--version TEXT`` is the id version (an alias of ``--id-version``).
ID_VERSION_COMMANDS = (DEFAULT_COMMAND, "list", "show-config")


class DefaultGroup(click.Group):
    """A group that runs ``compile`` when the first argument is not a subcommand.

    A Ctrl-C outside a command's own handling (while click parses the arguments, say) ends as
    every interruption does, with the note and exit code 130, not with click's "Aborted!" and
    1 (:func:`_interrupted`); so does one that Python handed on inside another exception
    (``compiler.signals.interruption_in``).
    """

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except BaseException as exc:
            if interruption_in(exc) is None:
                raise
            raise _interrupted() from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BaseException as exc:
            if interruption_in(exc) is None:
                raise
            raise _interrupted() from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:
            ctx.meta[BARE] = True
            args = [DEFAULT_COMMAND]
        elif args[0] not in self.commands:
            alone = len(args) == 1 and args[0] in ("--version", *ctx.help_option_names)
            if not alone:
                self._refuse_misspelling(ctx, args[0])
                args = [DEFAULT_COMMAND, *args]
        if args[-1] == "--version" and args[0] in ID_VERSION_COMMANDS:
            raise click.UsageError(
                "'--version' after other arguments is the id version and needs a value "
                "(--id-version TEXT); run 'compile-tasks --version' alone for the tool's version",
                ctx,
            )
        return super().parse_args(ctx, args)

    def _refuse_misspelling(self, ctx: click.Context, word: str) -> None:
        """A usage error for a first word that is no path but close to a subcommand."""
        if word.startswith("-") or os.path.lexists(word):
            return
        guess = closest(word, self.commands)
        if guess is not None:
            raise click.UsageError(
                f"no such command or path '{word}'. Did you mean '{guess}'?", ctx
            )

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "PATH... --out DIR [OPTIONS]")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="   or: ")

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        compile_ctx = click.Context(compile_command, info_name=ctx.info_name, parent=ctx)
        compile_command.format_options(compile_ctx, formatter)
        self.format_commands(ctx, formatter)
        self.format_epilog(ctx, formatter)


@click.group(
    cls=DefaultGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: 0 ok, 1 golden drift, 2 usage error, 3 cannot compile. See docs/cli.md.",
)
@click.version_option(__version__, "--version", prog_name="compile-tasks")
def cli() -> None:
    """Compile Flyte tasks into a deterministic bundle that flytectl registers.

    Without arguments, compile the 'paths' of compile-tasks.yaml (or [tool.compile-tasks]) into
    its 'out'. 'compile-tasks --version' prints the tool's version.
    """


cli.add_command(compile_command)
cli.add_command(list_command)
cli.add_command(show_config_command)
cli.add_command(run_command)
cli.add_command(port_command)
cli.add_command(diff_command)
cli.add_command(images_command)


def _interrupted() -> click.exceptions.Exit:
    """The note of an interrupted command, and the exit that ends it with 130."""
    click.echo(INTERRUPTED_NOTE, err=True)
    return click.exceptions.Exit(int(ExitCode.INTERRUPTED))


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point.

    After a compile whose user code ran in forked workers, every object left here is the
    tool's own: they are frozen out of the interpreter's last garbage collection, which would
    only walk them (15 ms of the exit after a 5,000-task compile).
    """
    try:
        return cli.main(args=argv, prog_name="compile-tasks")
    finally:
        pipeline = sys.modules.get("compiler.pipeline")  # not loaded: no compile ran
        if pipeline is not None and pipeline.user_code_forked():
            gc.freeze()
