"""``compile-tasks diff OLD NEW``: compare two bundles (or golden folders) without compiling.

Each side is a bundle folder (``compile-tasks --out``), a ``.tgz`` archive of ``.pb`` files
(ours or ``pyflyte package``'s), a folder of ``.pb`` files, or a golden directory. The summary,
``--report`` formats, ``--diff``, ``--annotations`` and exit codes are those of
``--golden --check``: 0 when the sides are equal, 1 when they differ (with
``--fail-on-breaking``: only when a change is breaking and not accepted), 2 for usage errors,
3 when a side cannot be read. ``--json`` prints the JSON report on stdout instead of the
summary (and ``--annotations`` then go to stderr). Acknowledged breaking changes come from the
configuration (``accept_breaking``).
"""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli.config import load_config
from compiler.cli.golden_cmd import GoldenOptions, finish_report, report_option
from compiler.cli.guard import handled
from compiler.cli.options import error_format_option
from compiler.cli.output import Console
from compiler.errors import ExitCode, GoldenError

__all__ = ["diff_command"]


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@report_option
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print a unified diff of changed renderings."
)
@click.option(
    "--fail-on-breaking",
    is_flag=True,
    help="Exit 1 only when a change is breaking (and not accepted), not on any difference.",
)
@click.option(
    "--annotations",
    type=click.Choice(["github"]),
    default=None,
    help="Also print breaking changes as GitHub workflow commands.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the JSON report instead of the summary."
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(),
    default=None,
    help="YAML config file with accept_breaking (default: ./compile-tasks.yaml if present).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
@error_format_option
@click.pass_context
def diff_command(
    ctx: click.Context,
    old: Path,
    new: Path,
    report: Path | None,
    show_diff: bool,
    fail_on_breaking: bool,
    annotations: str | None,
    as_json: bool,
    config_file: str | None,
    quiet: bool,
    error_format: str,
) -> None:
    """Compare two bundles: OLD and NEW are bundle folders, .tgz archives or golden folders.

    Exit 0 when they are equal, 1 when they differ (with --fail-on-breaking: only when a
    change is breaking), 2 for usage errors, 3 when a side cannot be read.
    """
    console = Console(quiet=quiet)
    console.format = error_format
    options = GoldenOptions(
        report=report, diff=show_diff, fail_on_breaking=fail_on_breaking, annotations=annotations
    )
    with handled(console, False) as box:
        box[0] = _run(old, new, options, console, as_json=as_json, config_file=config_file)
    ctx.exit(box[0])


def _run(
    old: Path,
    new: Path,
    options: GoldenOptions,
    console: Console,
    *,
    as_json: bool,
    config_file: str | None,
) -> int:
    from compiler.golden import compare, read_side, report_format_for

    try:
        if options.report is not None:
            report_format_for(options.report)
        config = load_config({}, config_file=config_file, cwd=Path.cwd())
        older, newer = read_side(old), read_side(new)
    except GoldenError as error:
        console.errors([error])
        return int(error.exit_code)
    result = compare(
        older,
        newer,
        str(old),
        accepted=config.accept_breaking,
        new_label=str(new),
        old_title=str(old),
        new_title=str(new),
    )
    if as_json:
        import json  # loaded where used: every command's start stays short

        click.echo(json.dumps(result.json_data, indent=2, ensure_ascii=False))
        echo = _silent
    else:
        echo = console.info
    code = finish_report(
        result,
        options,
        echo,
        console.warn,
        differ_fails=not options.fail_on_breaking,
        on_error=lambda error: console.errors([error]),
        annotate=(lambda line: click.echo(line, err=True)) if as_json else None,
    )
    return int(code if code is not None else ExitCode.OK)


def _silent(text: str) -> None:
    """Drops the summary (``--json`` keeps stdout a single JSON document)."""
