"""The options of ``compile``, ``list`` and ``show-config``, parsed into typed groups.

Each group is a frozen dataclass whose fields are the click parameter names; the decorator
that adds a group's options (:func:`grouped`) hands the command one object per group instead
of loose keyword arguments, so no command splits a ``params`` dict by a list of names.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import click

from compiler.cli.config import MAX_IMPORT_TIMEOUT, CompileConfig, load_config
from compiler.cli.output import Console
from compiler.errors import CompileErrors, CompileTasksError, ConfigError
from compiler.records import frozen_record

__all__ = [
    "ConfigFlags",
    "ConsoleFlags",
    "config_options",
    "console_options",
    "error_format_option",
    "grouped",
    "stacked",
]

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def grouped(cls: type, keyword: str, add_options: Decorator) -> Decorator:
    """A decorator adding ``add_options`` and passing their values as one ``cls`` object.

    Args:
        cls: A dataclass whose fields are exactly the parameter names ``add_options`` adds.
        keyword: The command function's parameter that receives the object.
        add_options: A decorator adding click options (or arguments).
    """
    names = tuple(item.name for item in fields(cls))

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            kwargs[keyword] = cls(**{name: kwargs.pop(name) for name in names})
            return func(*args, **kwargs)

        return add_options(command)

    return decorate


def stacked(*options: Decorator) -> Decorator:
    """One decorator applying ``options`` so that they show in ``--help`` in this order."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


@frozen_record
class ConfigFlags:
    """The flags that, merged with the configuration files, make a :class:`CompileConfig`."""

    paths: tuple[str, ...] = ()
    image: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    project: str | None = None
    domain: str | None = None
    version: str | None = None
    allow_pickle: bool = False
    config_file: str | None = None
    import_timeout: float | None = None
    source_root: str | None = None
    jobs: int | None = None
    cache_dir: str | None = None
    no_cache: bool = False

    def load(self, out: str | None) -> CompileConfig:
        """Merge ``pyproject.toml``, the YAML config file and these flags (which win).

        Raises:
            ConfigError: A bad file, key, value or ``--env``.
            CompileErrors: Several of them (all are reported at once).
        """
        problems: list[CompileTasksError] = []
        try:
            env = _parse_env(self.env)
        except CompileErrors as exc:
            problems.extend(exc.errors)
            env = {}
        flags = {
            "paths": list(self.paths),
            "out": out,
            "image": list(self.image),
            "env": env,
            "project": self.project,
            "domain": self.domain,
            "version": self.version,
            "allow_pickle": self.allow_pickle,
            "import_timeout": self.import_timeout,
            "source_root": self.source_root,
            "jobs": self.jobs,
            "cache": self.cache_dir,
        }
        try:
            config = load_config(flags, config_file=self.config_file, cwd=Path.cwd())
            if self.no_cache:
                config = dataclasses.replace(config, cache=False)
        except CompileErrors as exc:
            problems.extend(exc.errors)
        except CompileTasksError as exc:
            problems.append(exc)
        if problems:
            raise problems[0] if len(problems) == 1 else CompileErrors(problems)
        return config


@frozen_record
class ConsoleFlags:
    """How much to print, and whether internal errors show their traceback."""

    quiet: bool = False
    verbose: bool = False
    debug: bool = False
    error_format: str = "text"

    def console(self) -> Console:
        """The console these flags describe."""
        console = Console(quiet=self.quiet, verbose=self.verbose)
        console.format = self.error_format
        return console


_CONFIG_OPTIONS = stacked(
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
    click.option(
        "--id-version",
        "--version",
        "version",
        metavar="TEXT",
        help="Write this version into ids (default: left empty); '--version TEXT' is an alias.",
    ),
    click.option("--allow-pickle", is_flag=True, help="Allow pickled types (bytes, Any, classes)."),
    click.option(
        "--config",
        "config_file",
        type=click.Path(),
        help="YAML config file (default: ./compile-tasks.yaml if present).",
    ),
    click.option(
        "--import-timeout",
        type=click.FloatRange(min=0, min_open=True, max=MAX_IMPORT_TIMEOUT),
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
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="The compile cache folder: unchanged modules are reused from it, not imported "
        "(default: $COMPILE_TASKS_CACHE_DIR, else ~/.cache/compile-tasks).",
    ),
    click.option(
        "--no-cache",
        is_flag=True,
        help="Import and compile every module; read and write no compile cache.",
    ),
)

#: ``--format text|json``: how errors are printed (every command that reports errors).
error_format_option = click.option(
    "--format",
    "error_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="How errors are printed on stderr: text lines, or one JSON document.",
)

_CONSOLE_OPTIONS = stacked(
    click.option("--quiet", "-q", is_flag=True, help="Print errors and warnings only."),
    click.option("--verbose", "-v", is_flag=True, help="Print every file written."),
    click.option("--debug", is_flag=True, help="Show tracebacks of internal errors."),
    error_format_option,
)


def console_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--quiet``, ``--verbose``, ``--debug`` as one ``console`` object."""
    return grouped(ConsoleFlags, "console", _CONSOLE_OPTIONS)(func)


def config_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by compile, list and show-config: ``config`` and ``console`` objects."""
    return grouped(ConfigFlags, "config", _CONFIG_OPTIONS)(console_options(func))


def _parse_env(values: tuple[str, ...]) -> dict[str, str]:
    env: dict[str, str] = {}
    bad = []
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key:
            bad.append(
                ConfigError(
                    f"--env {value!r} is not KEY=VALUE", code="CT814", hint="write --env NAME=value"
                )
            )
        env[key] = text
    if bad:
        raise CompileErrors(bad)
    return env
