"""The options shared by ``compile``, ``list`` and ``show-config``, and how they become a config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from compiler.cli.config import CompileConfig, load_config
from compiler.errors import ConfigError

__all__ = ["config_options", "load_from_params"]

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def config_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by compile, list and show-config (applied bottom-up)."""
    options: list[Decorator] = [
        click.argument("paths", nargs=-1, type=click.Path(), metavar="PATH..."),
        click.option(
            "--image",
            "-i",
            "image",
            multiple=True,
            metavar="URI|NAME=URI",
            help="Default image (URI) or a named image (NAME=URI); repeatable.",
        ),
        click.option(
            "--env",
            "-e",
            "env",
            multiple=True,
            metavar="KEY=VALUE",
            help="Environment variable for every container; repeatable.",
        ),
        click.option("--project", help="Write this project into ids (default: left empty)."),
        click.option("--domain", help="Write this domain into ids (default: left empty)."),
        click.option("--version", help="Write this version into ids (default: left empty)."),
        click.option(
            "--allow-pickle", is_flag=True, help="Allow pickled types (bytes, Any, classes)."
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(),
            help="YAML config file (default: ./compile-tasks.yaml if present).",
        ),
        click.option(
            "--import-timeout",
            type=click.FloatRange(min=0, min_open=True),
            metavar="SECONDS",
            help="Fail when one module takes longer than this to import.",
        ),
        click.option(
            "--source-root",
            type=click.Path(file_okay=False),
            help="Folder module names are relative to (default: walk up while __init__.py).",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=None,
            metavar="N",
            help="Worker processes for large packages (default 0: one per core, at most 4).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="Print errors only."),
        click.option("--verbose", "-v", is_flag=True, help="Print every file written."),
        click.option("--debug", is_flag=True, help="Show tracebacks of internal errors."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _parse_env(values: tuple[str, ...]) -> dict[str, str]:
    env: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            raise ConfigError(
                f"--env {value!r} is not KEY=VALUE",
                code="CT814",
                hint="write --env NAME=value",
            )
        env[key] = text
    return env


def load_from_params(params: dict[str, Any]) -> CompileConfig:
    flags = {
        "paths": list(params["paths"]),
        "out": params.get("out"),
        "image": list(params["image"]),
        "env": _parse_env(params["env"]),
        "project": params["project"],
        "domain": params["domain"],
        "version": params["version"],
        "allow_pickle": params["allow_pickle"],
        "import_timeout": params["import_timeout"],
        "source_root": params["source_root"],
        "jobs": params["jobs"],
    }
    return load_config(flags, config_file=params["config_file"], cwd=Path.cwd())
