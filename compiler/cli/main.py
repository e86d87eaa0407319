"""``compile-tasks``: a click group whose default command is ``compile``.

``compile-tasks PATH... --out DIR`` compiles (no subcommand word needed); ``compile-tasks run``,
``list``, ``show-config`` (and ``compile``, spelled out) are subcommands. A first argument that
is not a subcommand name starts the compile command.
"""

from __future__ import annotations

from typing import Any

import click

from compiler._version import __version__
from compiler.cli.compile_cmd import compile_command, list_command, show_config_command
from compiler.cli.images_cmd import images_command
from compiler.cli.port_cmd import port_command
from compiler.cli.run_cmd import run as run_command

__all__ = ["cli", "main"]

DEFAULT_COMMAND = "compile"


class DefaultGroup(click.Group):
    """A group that runs ``compile`` when the first argument is not a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands:
            alone = len(args) == 1 and args[0] in ("--version", *ctx.help_option_names)
            if not alone:
                args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "PATH... --out DIR [OPTIONS]")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="   or: ")
        self.format_help_text(ctx, formatter)
        compile_ctx = click.Context(compile_command, info_name=ctx.info_name, parent=ctx)
        compile_command.format_options(compile_ctx, formatter)
        self.format_commands(ctx, formatter)
        self.format_epilog(ctx, formatter)


@click.group(
    cls=DefaultGroup,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit codes: 0 ok, 1 golden drift, 2 usage error, 3 cannot compile. See docs/cli.md.",
)
@click.version_option(__version__, "--version", prog_name="compile-tasks")
def cli() -> None:
    """Compile Flyte tasks into a deterministic bundle that flytectl registers."""


cli.add_command(compile_command)
cli.add_command(list_command)
cli.add_command(show_config_command)
cli.add_command(run_command)
cli.add_command(port_command)
cli.add_command(images_command)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="compile-tasks")
