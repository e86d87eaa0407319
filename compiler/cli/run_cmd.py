"""``compile-tasks run BUNDLE TASK``: run one task of a bundle locally, as the cluster would.

Only the command's options live here; the work (``compiler.cli.run_task``, which loads the
runtime) is imported when the command runs, so that a compile does not pay for it at start-up.
"""

from __future__ import annotations

import click

__all__ = ["run"]

_TASK_HELP = "compile_tasks.task_help"


class _RunCommand(click.Command):
    """``--help`` after ``BUNDLE TASK`` shows the task's inputs; after ``BUNDLE``, its tasks."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        words = args[: args.index("--")] if "--" in args else args
        if not any(word in ctx.help_option_names for word in words):
            return super().parse_args(ctx, args)
        rest = [word for word in args if word not in ctx.help_option_names]
        try:
            remaining = super().parse_args(ctx, list(rest))  # the parser consumes its list
        except click.MissingParameter:
            click.echo(ctx.get_help())
            bundle = next((w for w in rest if not w.startswith("-")), None)
            if bundle is not None:
                from compiler.cli.run_task import task_names_text

                click.echo("\n" + task_names_text(bundle))
            ctx.exit(0)
        ctx.meta[_TASK_HELP] = True
        return remaining


@click.command("run", cls=_RunCommand)
@click.argument("bundle", type=click.Path(exists=True, dir_okay=True, file_okay=True))
@click.argument("task")
@click.option(
    "--input",
    "pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="An input value (JSON; plain text for strings and paths). Repeatable.",
)
@click.option(
    "--inputs-file",
    type=click.Path(exists=True, dir_okay=False),
    help="A JSON or YAML mapping of input values (--input wins).",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    help="Keep inputs, outputs and file outputs here (default: a temporary folder).",
)
@click.option("--timeout", type=float, default=None, help="Seconds before the task is stopped.")
@click.pass_context
def run(
    ctx: click.Context,
    bundle: str,
    task: str,
    pairs: tuple[str, ...],
    inputs_file: str | None,
    workdir: str | None,
    timeout: float | None,
) -> None:  # fmt: skip
    """Run TASK from BUNDLE (a compile output folder or .tgz) and print its outputs as JSON.

    'compile-tasks run BUNDLE TASK --help' lists the task's inputs with their types, defaults
    and descriptions; 'compile-tasks run BUNDLE --help' lists the bundle's tasks.
    """
    from compiler.cli.run_task import print_task_help, run_bundle_task

    if ctx.meta.get(_TASK_HELP):
        print_task_help(bundle, task)
        return
    run_bundle_task(bundle, task, pairs, inputs_file, workdir, timeout)
