"""``compile-tasks PATH... --out DIR``: the main command, and its ``list`` / ``show-config`` twins.

The command parses flags, merges configuration, runs the pipeline, writes the bundle and, with
``--golden``, hands the bundle to the golden step. It maps errors to exit codes and prints them
as ``file:line: error CODE: message. hint: ...``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from compiler.bundle import (
    ARCHIVE_NAME,
    MANIFEST_NAME,
    YAML_DIR,
    BundleResult,
    pb_file_name,
    write_bundle,
)
from compiler.cli.config import CompileConfig
from compiler.cli.golden_cmd import golden_options, run_golden_step
from compiler.cli.guard import handled
from compiler.cli.options import config_options, load_from_params
from compiler.cli.output import Console
from compiler.cli.parallel import ParallelJob, auto_jobs, write_parallel
from compiler.cli.pipeline import Compilation, open_compilation
from compiler.discovery import DiscoveryPlan, plan_discovery
from compiler.errors import ConfigError
from compiler.render import render_task_spec

__all__ = ["compile_command", "list_command", "show_config_command"]


def _shown(path: str | Path) -> str:
    """``path`` relative to the working folder when below it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def _require_paths(config: CompileConfig) -> None:
    if not config.paths:
        raise ConfigError(
            "no PATH given",
            code="CT815",
            hint="compile-tasks PATH... --out DIR (or set 'paths' in compile-tasks.yaml)",
        )


def _open(
    config: CompileConfig, console: Console, debug: bool, plan: DiscoveryPlan | None = None
) -> Compilation:
    _require_paths(config)
    return open_compilation(
        config.paths,
        config.settings(),
        import_timeout=config.import_timeout,
        source_root=config.source_root,
        progress=console.progress,
        debug=debug,
        plan=plan,
    )


def _task_rows(compilation: Compilation) -> list[dict[str, Any]]:
    by_name = {found.name: found for found in compilation.tasks}
    rows = []
    for entity in compilation.entities():
        found = by_name[entity.name]
        rows.append(
            {
                "name": entity.name,
                "kind": "task",
                "type": str(getattr(found.task, "task_type", "")),
                "module": found.module,
                "source": str(found.relative_location),
                "file": pb_file_name(entity.name, entity.kind, entity.level),
            }
        )
    return sorted(rows, key=lambda row: row["file"])


def _print_listing(
    rows: list[dict[str, Any]], modules: list[str], console: Console, as_json: bool
) -> None:
    if as_json:
        click.echo(json.dumps({"tasks": rows, "modules": modules}, indent=2))
        return
    for row in rows:
        console.info(f"{row['file']}  {row['source']}")
    console.info(
        f"would compile {len(rows)} task(s) from {len(modules)} module(s) (nothing written)"
    )


def _write(
    plan: DiscoveryPlan,
    config: CompileConfig,
    out: Path,
    params: dict[str, Any],
    console: Console,
) -> BundleResult:
    """Discover and compile into ``out``: forked workers for a large package, else in-process."""
    protect = [Path.cwd(), *(Path(p) for p in config.paths), *plan.roots]
    protect += [Path(s) for s in config.sources]
    serialization = config.settings()
    settings = serialization.to_dict()
    options = {"force": params["force"], "protect": protect, "reuse": not params["rebuild"]}
    jobs = auto_jobs(config.jobs, plan)
    if jobs > 1:
        job = ParallelJob(
            plan,
            serialization,
            render_task_spec,
            import_timeout=config.import_timeout,
            progress=console.progress,
            debug=params["debug"],
        )
        return write_parallel(out, job, settings=settings, jobs=jobs, **options)
    with _open(config, console, params["debug"], plan) as compilation:
        return write_bundle(
            out, compilation.entities(), render=render_task_spec, settings=settings, **options
        )


@contextmanager
def _output_dir(config: CompileConfig, params: dict[str, Any]) -> Iterator[Path | None]:
    """``--out``, or a temporary folder for ``--golden`` without ``--out``."""
    if config.out:
        yield Path(config.out)
    elif golden_requested(params):
        with tempfile.TemporaryDirectory(prefix="compile-tasks-") as tmp:
            yield Path(tmp) / "bundle"
    else:
        yield None


def _run_compile(params: dict[str, Any], console: Console, box: list[int]) -> None:
    started = time.perf_counter()
    config = load_from_params(params)
    if params["show_config"]:
        import yaml

        click.echo(yaml.safe_dump(config.to_dict(), sort_keys=False), nl=False)
        return
    if not params["dry_run"] and not config.out and not golden_requested(params):
        raise ConfigError("no --out DIR given", code="CT816", hint="add --out bundle/")
    if params["dry_run"]:
        # The user's modules may print at import; keep stdout clean for --json.
        with contextlib.redirect_stdout(sys.stderr), _open(config, console, params["debug"]) as c:
            rows = _task_rows(c)
            modules = list(c.discovery.modules)
        _print_listing(rows, modules, console, params["as_json"])
        return
    _require_paths(config)
    plan = plan_discovery(config.paths, config.source_root)
    with _output_dir(config, params) as out:
        assert out is not None
        result = _write(plan, config, out, params, console)
        if console.verbose:
            for name in result.files:
                console.detail(f"wrote {_shown(out / name)}")
        console.info(
            f"compiled {len(result.files)} task(s) from "
            f"{len(plan.sources)} module(s) in "
            f"{time.perf_counter() - started:.2f} s -> "
            f"{_shown(out) + '/' if config.out else 'a temporary folder'} "
            f"({len(result.files)} .pb, {ARCHIVE_NAME}, {MANIFEST_NAME}, {YAML_DIR}/)"
        )
        if _golden_flags_given(params):
            box[0] = run_golden_step(out, _golden_params(params), console.info)


def golden_requested(params: dict[str, Any]) -> bool:
    """True when ``--golden DIR`` was given."""
    return bool(params.get("golden"))


def _golden_flags_given(params: dict[str, Any]) -> bool:
    return any(bool(v) for v in _golden_params(params).values())


_OWN_PARAMS = frozenset(
    {
        "paths",
        "image",
        "env",
        "project",
        "domain",
        "version",
        "allow_pickle",
        "config_file",
        "import_timeout",
        "source_root",
        "jobs",
        "quiet",
        "verbose",
        "debug",
        "out",
        "force",
        "rebuild",
        "dry_run",
        "as_json",
        "show_config",
    }
)


def _golden_params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k not in _OWN_PARAMS}


@click.command("compile")
@config_options
@click.option("--out", "-o", type=click.Path(), metavar="DIR", help="Write the bundle here.")
@click.option("--force", is_flag=True, help="Replace a non-empty folder not written by us.")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Write every file anew instead of hard-linking unchanged ones from the previous bundle.",
)
@click.option("--dry-run", is_flag=True, help="Compile and list the tasks; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: print JSON.")
@click.option("--show-config", is_flag=True, help="Print the effective configuration and exit.")
@golden_options
@click.pass_context
def compile_command(ctx: click.Context, **params: Any) -> None:
    """Compile the tasks under PATH... into a bundle folder (--out DIR).

    PATH is a package folder, a folder of packages, or a .py file. The bundle holds one
    .pb per task, bundle.tgz for `flytectl register files --archive`, manifest.json and a
    canonical YAML rendering per task under yaml/.
    """
    console = Console(quiet=params["quiet"], verbose=params["verbose"])
    with handled(console, params["debug"]) as box:
        _run_compile(params, console, box)
    ctx.exit(box[0])


@click.command("list")
@config_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_command(ctx: click.Context, **params: Any) -> None:
    """List the tasks PATH... would compile to (a dry run: nothing is written)."""
    params.update(dry_run=True, show_config=False, out=None, force=False, rebuild=False)
    console = Console(quiet=params["quiet"], verbose=params["verbose"])
    with handled(console, params["debug"]) as box:
        _run_compile(params, console, box)
    ctx.exit(box[0])


@click.command("show-config")
@config_options
@click.option("--out", "-o", type=click.Path(), metavar="DIR", help="Output folder.")
@click.pass_context
def show_config_command(ctx: click.Context, **params: Any) -> None:
    """Print the effective configuration (config files merged with flags) as YAML."""
    params.update(dry_run=False, show_config=True, force=False, rebuild=False, as_json=False)
    console = Console(quiet=params["quiet"], verbose=params["verbose"])
    with handled(console, params["debug"]) as box:
        _run_compile(params, console, box)
    ctx.exit(box[0])
