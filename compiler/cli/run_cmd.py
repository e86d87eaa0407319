"""``compile-tasks run BUNDLE TASK``: run one task of a bundle locally, as the cluster would.

Only the command's options live here; the work (``compiler.cli.run_task``, which loads the
runtime) is imported when the command runs, so that a compile does not pay for it at start-up.
"""

from __future__ import annotations

import click

__all__ = ["run"]


@click.command("run")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=True, file_okay=True))
@click.argument("task")
@click.option(
    "--input",
    "-i",
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
def run(
    bundle: str,
    task: str,
    pairs: tuple[str, ...],
    inputs_file: str | None,
    workdir: str | None,
    timeout: float | None,
) -> None:  # fmt: skip
    """Run TASK from BUNDLE (a compile output folder or .tgz) and print its outputs as JSON."""
    from compiler.cli.run_task import run_bundle_task

    run_bundle_task(bundle, task, pairs, inputs_file, workdir, timeout)
