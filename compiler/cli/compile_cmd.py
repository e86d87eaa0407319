"""``compile-tasks PATH... --out DIR``: the main command, and its ``list`` / ``show-config`` twins.

The command parses flags into typed groups (:class:`ConfigFlags`, :class:`ConsoleFlags`,
:class:`CompileFlags`, :class:`GoldenOptions`), merges configuration, calls
``compiler.pipeline.compile_package`` (or ``list_package``), prints what was written and, with
``--golden``, hands the bundle to the golden step. Errors print as
``file:line: error CODE: message. hint: ...``; their exit codes come from the errors.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from compiler.cli.config import CompileConfig
from compiler.cli.golden_cmd import (
    GoldenOptions,
    golden_options,
    golden_usage_exit,
    run_golden_step,
)
from compiler.cli.guard import handled
from compiler.cli.options import ConfigFlags, ConsoleFlags, config_options, grouped, stacked
from compiler.cli.output import Console, flatten_errors
from compiler.cli.scan import warn_flytekit_imports
from compiler.cli.usage import Invocation, Mode, ineffective_flags
from compiler.discovery import DiscoveryPlan, SourceCompiler, plan_discovery
from compiler.errors import (
    CompileErrors,
    CompileTasksError,
    ConfigError,
    ExitCode,
    GoldenError,
    OutputDirError,
)
from compiler.idl import EntityKind
from compiler.lifetime import paused_collector
from compiler.records import frozen_record

if TYPE_CHECKING:
    from compiler.cli.git_ref import Recompile
    from compiler.pipeline import CompileOptions, CompileResult

__all__ = ["CompileFlags", "compile_command", "list_command", "show_config_command"]

#: ``format_version`` of ``list --json`` / ``--dry-run --json`` (raised on incompatible change).
LISTING_FORMAT_VERSION = 1


@frozen_record
class CompileFlags:
    """The main command's own flags (``list`` and ``show-config`` set some of them)."""

    out: str | None = None
    force: bool = False
    rebuild: bool = False
    render: bool = False
    dry_run: bool = False
    as_json: bool = False
    show_config: bool = False


def _shown(path: str | Path) -> str:
    """``path`` relative to the working folder when below it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def _options(
    config: CompileConfig,
    flags: CompileFlags,
    console: Console,
    debug: bool,
    render: bool,
    precompiled: SourceCompiler | None = None,
    plan: DiscoveryPlan | None = None,
) -> CompileOptions:
    """The pipeline options the configuration and flags describe."""
    from compiler.pipeline import CompileOptions

    cache = config.cache_folder()
    return CompileOptions(
        precompiled=precompiled,
        plan=plan,
        render=render,
        jobs=config.jobs,
        import_timeout=config.import_timeout,
        source_root=config.source_root,
        force=flags.force,
        reuse=not flags.rebuild,
        protect=(
            *(Path(source) for source in config.sources),
            *([cache] if cache is not None else []),
        ),
        debug=debug,
        progress=console.progress if console.interactive else None,
        cache_dir=cache,
    )


def _listed(config: CompileConfig) -> DiscoveryPlan | None:
    """The modules the command will compile (listed once: the helper, the flytekit scan and
    the compile all use it); ``None`` when the paths cannot be listed (the compile reports
    them)."""
    try:
        return plan_discovery(config.paths, config.source_root)
    except CompileTasksError:
        return None


@contextmanager
def _precompiling(plan: DiscoveryPlan | None) -> Iterator[SourceCompiler | None]:
    """A helper compiling the package's sources while this process loads the rest of the
    tool (``compiler.discovery.precompile``): the one the console script started if it has
    listed these modules, else a new one; ended with the command."""
    files = [source.file for source in plan.sources] if plan is not None else []
    helper = (SourceCompiler.adopt(files) or SourceCompiler.start(files)) if files else None
    try:
        yield helper
    finally:
        if helper is not None:
            helper.stop()


def _print_listing(result: CompileResult, console: Console, as_json: bool) -> None:
    rows = [
        {
            "name": entity.name,
            "kind": entity.kind.label,
            "type": entity.task_type or "",
            "module": entity.module,
            "source": entity.source,
            "file": entity.file,
        }
        for entity in result.entities
    ]
    if as_json:
        tasks = [row for row in rows if row["kind"] == EntityKind.TASK.label]
        document = {
            "format_version": LISTING_FORMAT_VERSION,
            "entities": rows,
            "tasks": tasks,
            "modules": result.modules,
        }
        import json  # loaded where used: the command's start stays short

        click.echo(json.dumps(document, indent=2))
        return
    for row in rows:
        console.info(f"{row['file']}  {row['source']}")
    console.info(
        f"would compile {_counted(result)} from {_plural(len(result.modules), 'module')} "
        "(nothing written)"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _counted(result: CompileResult) -> str:
    """``12 tasks, 3 workflows, 4 launch plans`` (kinds without entities left out)."""
    counts = collections.Counter(entity.kind for entity in result.entities)
    parts = [_plural(counts[kind], kind.noun) for kind in EntityKind if counts[kind]]
    return ", ".join(parts) or "0 tasks"


@contextmanager
def _output_dir(config: CompileConfig, goldens: GoldenOptions) -> Iterator[Path | None]:
    """``--out``, or a temporary folder for ``--golden`` without ``--out``."""
    if config.out:
        yield Path(config.out)
    elif goldens.golden or goldens.against:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="compile-tasks-") as tmp:
            yield Path(tmp) / "bundle"
    else:
        yield None


def _mode_name(command: str, flags: CompileFlags) -> str:
    if command in ("list", "show-config"):
        return command
    if flags.show_config:
        return "--show-config"
    return "--dry-run" if flags.dry_run else ""


def _checked_config(
    config_flags: ConfigFlags, flags: CompileFlags, mode: Mode
) -> tuple[CompileConfig | None, list[CompileTasksError]]:
    """The configuration and every problem of the invocation (flags, files), not raised."""
    problems: list[CompileTasksError] = list(ineffective_flags(mode))
    try:
        config = config_flags.load(flags.out)
    except CompileTasksError as exc:
        return None, problems + flatten_errors(exc)
    return config, problems


def _with_config_golden(goldens: GoldenOptions, config: CompileConfig) -> GoldenOptions:
    """``golden:`` of the configuration, unless ``--golden`` was given."""
    if goldens.golden is None and config.golden:
        return dataclasses.replace(goldens, golden=Path(config.golden))
    return goldens


def _run_compile(
    call: Invocation,
    config_flags: ConfigFlags,
    flags: CompileFlags,
    goldens: GoldenOptions,
    console: Console,
) -> int:
    """The command's body; returns the exit code when no error was raised."""
    started = time.perf_counter()
    config, problems = _checked_config(config_flags, flags, call.mode)
    if config is not None and flags.show_config and not problems:
        import yaml

        click.echo(yaml.safe_dump(config.to_dict(), sort_keys=False), nl=False)
        return ExitCode.OK
    if config is not None and call.bare and not config.paths and not problems:
        click.echo(call.help_text())  # nothing given and nothing configured: show the usage
        return ExitCode.OK
    if config is not None and not flags.show_config:
        if not flags.dry_run:
            goldens = _with_config_golden(goldens, config)
        problems += _missing(config, flags, goldens)
    if problems:
        raise problems[0] if len(problems) == 1 else CompileErrors(problems)
    assert config is not None
    plan = _listed(config)
    with _precompiling(plan) as precompiled:
        return _compile_configured(
            call, config, flags, goldens, console, started, precompiled, plan
        )


def _compile_configured(
    call: Invocation,
    config: CompileConfig,
    flags: CompileFlags,
    goldens: GoldenOptions,
    console: Console,
    started: float,
    precompiled: SourceCompiler | None,
    plan: DiscoveryPlan | None,
) -> int:
    """:func:`_run_compile` once the configuration holds.

    The pipeline and the SDK load here, while the helper compiles the package's sources.
    """
    with paused_collector():
        from compiler.bundle import ARCHIVE_NAME, MANIFEST_NAME, YAML_DIR
        from compiler.pipeline import compile_package, is_archive_path, list_package

    refused = golden_usage_exit(
        goldens, lambda text: click.echo(text, err=True), on_error=_json_errors(console)
    )
    if refused is not None:  # before compiling: a failing run must not have written --out
        return refused
    if config.out and is_archive_path(config.out) and goldens.given():
        raise OutputDirError(
            f"--out '{config.out}' writes only an archive, which holds no renderings for "
            "the golden options",
            code="CT522",
            hint="give --out a folder (or no --out) with --golden",
        )
    warn_flytekit_imports(config, console, plan)
    render = flags.render or goldens.given()
    options = _options(config, flags, console, call.debug, render, precompiled, plan)
    if flags.dry_run:
        _check_previewed_out(config, flags, options)
        # The user's modules may print at import; keep stdout clean for --json.
        with contextlib.redirect_stdout(sys.stderr):
            listing = list_package(config.paths, config.settings(), options=options)
        console.warnings(listing.warnings)
        _print_listing(listing, console, flags.as_json)
        return ExitCode.OK
    with _output_dir(config, goldens) as out:
        assert out is not None
        result = compile_package(config.paths, config.settings(), out=out, options=options)
        console.warnings(result.warnings)
        if console.verbose:
            for module, why in result.cache_notes:
                console.detail(f"compile cache: {module}: {why}")
        if console.verbose and result.archive is None:
            for name in result.files:
                console.detail(f"wrote {_shown(out / name)}")
        if result.archive is not None:
            where = f"{_shown(out)} ({len(result.files)} .pb)"
        else:
            rendered = f", {YAML_DIR}/" if options.render else ""
            shown = _shown(out) + "/" if config.out else "a temporary folder"
            where = f"{shown} ({len(result.files)} .pb, {ARCHIVE_NAME}, {MANIFEST_NAME}{rendered})"
        reused = f" ({len(result.reused)} from the compile cache)" if result.reused else ""
        console.info(
            f"compiled {_counted(result)} from "
            f"{_plural(len(result.modules), 'module')}{reused} in "
            f"{time.perf_counter() - started:.2f} s -> {where}"
        )
        if goldens.given():
            return run_golden_step(
                out,
                goldens,
                console.info,
                accepted=config.accept_breaking,
                recompile=_recompiler(config, options),
                on_error=_json_errors(console),
            )
    return ExitCode.OK


def _json_errors(console: Console) -> Callable[[GoldenError], None] | None:
    """With ``--format json``, golden errors go through the console's JSON document."""
    if console.format != "json":
        return None
    return lambda error: console.errors([error])


def _recompiler(config: CompileConfig, options: CompileOptions) -> Recompile:
    """Compile the same paths and settings again, moved (``--against``: into a worktree)."""

    def recompile(move: Callable[[str], str], dest: Path) -> object:
        root = options.source_root
        # No compile cache: the worktree's path is new every time, so its entries could
        # never be reused.
        moved = dataclasses.replace(
            options,
            source_root=move(root) if root else None,
            protect=(),
            progress=None,
            cache_dir=None,
            precompiled=None,
            plan=None,
        )
        paths = [move(path) for path in config.paths]
        from compiler.pipeline import compile_package

        with contextlib.redirect_stdout(sys.stderr):
            return compile_package(paths, config.settings(), out=dest, options=moved)

    return recompile


def _check_previewed_out(
    config: CompileConfig, flags: CompileFlags, options: CompileOptions
) -> None:
    """A dry run with ``--out`` refuses the folder the compile it previews would refuse."""
    from compiler.bundle import check_output_dir
    from compiler.pipeline import is_archive_path

    if not config.out or is_archive_path(config.out):
        return  # an archive path is replaced whole, and checked when written
    # What compile_package protects too: the working folder and the PATHs (their source roots
    # contain them, so a folder holding a root holds a PATH).
    protect = [Path.cwd(), *(Path(p) for p in config.paths), *options.protect]
    check_output_dir(Path(os.path.abspath(config.out)), force=flags.force, protect=protect)


def _missing(
    config: CompileConfig, flags: CompileFlags, goldens: GoldenOptions
) -> list[CompileTasksError]:
    """CT816 (no output folder) and CT815 (no PATH), both when both are missing."""
    problems: list[CompileTasksError] = []
    if not flags.dry_run and not config.out and not (goldens.golden or goldens.against):
        problems.append(
            ConfigError(
                "no --out DIR given",
                code="CT816",
                hint="add --out bundle/ (or set 'out' in compile-tasks.yaml)",
            )
        )
    if not config.paths:
        problems.append(
            ConfigError(
                "no PATH given",
                code="CT815",
                hint="compile-tasks PATH... --out DIR (or set 'paths' in compile-tasks.yaml)",
            )
        )
    return problems


_COMPILE_FLAGS = grouped(
    CompileFlags,
    "flags",
    stacked(
        click.option(
            "--out",
            "-o",
            type=click.Path(),
            metavar="DIR",
            help="Write the bundle folder here; a path ending in .tgz gets only the archive.",
        ),
        click.option("--force", is_flag=True, help="Replace a non-empty folder not written by us."),
        click.option(
            "--rebuild",
            is_flag=True,
            help="Write every file anew instead of hard-linking unchanged ones from the previous "
            "bundle.",
        ),
        click.option(
            "--render",
            is_flag=True,
            help="Also write each entity's canonical YAML under yaml/ (the golden options do).",
        ),
        click.option("--dry-run", is_flag=True, help="Compile and list the tasks; write nothing."),
        click.option("--json", "as_json", is_flag=True, help="With --dry-run: print JSON."),
        click.option(
            "--show-config", is_flag=True, help="Print the effective configuration and exit."
        ),
    ),
)


def _run(
    ctx: click.Context,
    config: ConfigFlags,
    console: ConsoleFlags,
    flags: CompileFlags,
    goldens: GoldenOptions,
) -> None:
    out = console.console()
    out.annotations = goldens.annotations
    call = Invocation.of(ctx, _mode_name(str(ctx.command.name), flags), console.debug)
    with handled(out, console.debug) as box:
        box[0] = int(_run_compile(call, config, flags, goldens, out))
    ctx.exit(box[0])


@click.command("compile")
@config_options
@_COMPILE_FLAGS
@grouped(GoldenOptions, "goldens", golden_options)
@click.pass_context
def compile_command(
    ctx: click.Context,
    config: ConfigFlags,
    console: ConsoleFlags,
    flags: CompileFlags,
    goldens: GoldenOptions,
) -> None:
    """Compile the tasks under PATH... into a bundle folder (--out DIR).

    PATH is a package folder, a folder of packages, or a .py file. The bundle holds one
    .pb per entity, bundle.tgz for `flytectl register files --archive` and manifest.json;
    with --render (or --golden) also a canonical YAML rendering per entity under yaml/.
    --out FILE.tgz writes the archive alone.
    """
    _run(ctx, config, console, flags, goldens)


@click.command("list")
@config_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_command(
    ctx: click.Context, config: ConfigFlags, console: ConsoleFlags, as_json: bool
) -> None:
    """List the tasks PATH... would compile to (a dry run: nothing is written)."""
    _run(ctx, config, console, CompileFlags(dry_run=True, as_json=as_json), GoldenOptions())


@click.command("show-config")
@config_options
@click.option("--out", "-o", type=click.Path(), metavar="DIR", help="Output folder.")
@click.pass_context
def show_config_command(
    ctx: click.Context, config: ConfigFlags, console: ConsoleFlags, out: str | None
) -> None:
    """Print the effective configuration (config files merged with flags) as YAML."""
    _run(ctx, config, console, CompileFlags(out=out, show_config=True), GoldenOptions())
