"""``compile-tasks images PATH...``: list the ImageSpecs of a package.

Every image a task runs in, every base image and every module-level ``ImageSpec`` written in
the package. One line per image (``IMAGE  <- task, task``), base images first; ``--json``
prints a list of objects (image, name, registry, base, builder, the spec's set fields, tasks,
where it is defined) for a CI job that builds them. Nothing is built, pushed or probed.
"""

from __future__ import annotations

import sys

import click

from compiler.cli.guard import handled
from compiler.cli.options import MAX_IMPORT_TIMEOUT, ConsoleFlags, console_options
from compiler.cli.output import Console
from compiler.errors import ExitCode
from compiler.idl import EntityKind

__all__ = ["images_command"]


def _run_images(
    paths: tuple[str, ...],
    source_root: str | None,
    import_timeout: float | None,
    as_json: bool,
    out: Console,
) -> int:
    from compiler.discovery import discover  # loaded by this command only
    from compiler.sdk import collect_images, module_specs

    with discover(paths, source_root=source_root, import_timeout=import_timeout) as found:
        tasks = [e.entity for e in found.entities if e.kind is EntityKind.TASK]
        specs = module_specs(sys.modules[name] for name in found.modules if name in sys.modules)
        entries = collect_images(tasks, specs)
        if as_json:
            # ``builder_options`` may hold any value: one JSON cannot carry is written as text.
            document = [e.to_dict() for e in entries]
            import json  # loaded where used: every command's start stays short

            click.echo(json.dumps(document, indent=2, sort_keys=True, default=repr))
            return ExitCode.OK
        dependents = {e.base: e.image for e in entries if e.base is not None}
        for entry in entries:
            base_of = dependents.get(entry.image)
            users = ", ".join(entry.tasks) or (
                f"base of {base_of}" if base_of else "no task runs in it"
            )
            note = (
                "  (builder noop: used as it is, not built)" if entry.spec.builder == "noop" else ""
            )
            click.echo(f"{entry.image}  <- {users}{note}")
        out.info(f"{len(entries)} image(s) in {len(tasks)} task(s)")
    return ExitCode.OK


@click.command("images")
@console_options
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the images as JSON (for CI).")
@click.option(
    "--source-root", type=click.Path(file_okay=False), help="Folder module names start at."
)
@click.option(
    "--import-timeout",
    type=click.FloatRange(min=0, min_open=True, max=MAX_IMPORT_TIMEOUT),
    metavar="SECONDS",
    help="Fail when one module takes longer than this to import.",
)
@click.pass_context
def images_command(
    ctx: click.Context,
    console: ConsoleFlags,
    paths: tuple[str, ...],
    as_json: bool,
    source_root: str | None,
    import_timeout: float | None,
) -> None:
    """List every ImageSpec the tasks under PATH... use, with the image name a compile writes."""
    out = console.console()
    with handled(out, console.debug) as box:
        box[0] = int(_run_images(paths, source_root, import_timeout, as_json, out))
    ctx.exit(box[0])
