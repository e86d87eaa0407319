"""Refuse flag combinations in which a flag would do nothing (CT830), all at once.

A flag that is silently ignored misleads: ``--json`` without ``--dry-run`` prints no JSON,
``--golden DIR --check`` with ``--dry-run`` compares nothing and exits 0.
:func:`ineffective_flags` lists every such flag of one invocation as a usage error, so that the
command fails before it compiles or writes.
Only flags given on the command line count: a value from a configuration file (``out:``,
``golden:``) is a default, and a default that a mode does not need is no mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import click
from click.core import ParameterSource

from compiler.errors import ConfigError
from compiler.records import frozen_record

__all__ = ["BARE", "Invocation", "Mode", "closest", "given_flags", "ineffective_flags"]

#: ``ctx.meta`` key set when ``compile-tasks`` was run without any argument.
BARE = "compile_tasks.bare"

#: The golden flags, as spelled on the command line.
GOLDEN_FLAGS = (
    "--golden",
    "--check",
    "--update-goldens",
    "--report",
    "--diff",
    "--fail-on-breaking",
)


@frozen_record
class Mode:
    """What one invocation does and which of the mode-sensitive flags it was given.

    Attributes:
        name: How the mode is spelled for the user (``--dry-run``, ``list``, ``--show-config``,
            ``show-config``), or ``""`` for a compile that writes a bundle.
        given: The flags given on the command line, spelled as the user would
            (``--json``, ``--force``, ...).
    """

    name: str
    given: frozenset[str]


#: Flags that do nothing when nothing is written (a dry run or ``list``). ``--out`` and
#: ``--force`` are not among them: ``--dry-run`` is meant to be appended to a real compile
#: command, and checks the output folder as that compile would (a foreign folder without
#: ``--force`` is refused, CT502); what is written, and how, is nothing to a dry run.
_WRITING = ("--rebuild", "--render", "--verbose", *GOLDEN_FLAGS)
#: Flags that do nothing when only the configuration is printed.
_COMPILING = (
    "--force",
    "--rebuild",
    "--render",
    "--dry-run",
    "--json",
    "--quiet",
    "--verbose",
    *GOLDEN_FLAGS,
)


def _error(flag: str, why: str, hint: str) -> ConfigError:
    return ConfigError(f"{flag} has no effect {why}", code="CT830", hint=hint)


def ineffective_flags(mode: Mode) -> list[ConfigError]:
    """One CT830 error per flag that ``mode`` would ignore (empty when all of them count)."""
    given = mode.given
    errors: list[ConfigError] = []
    if "--quiet" in given and "--verbose" in given:
        errors.append(
            ConfigError(
                "--quiet and --verbose exclude each other",
                code="CT830",
                hint="give one of them",
            )
        )
    if "--cache-dir" in given and "--no-cache" in given:
        errors.append(
            _error(
                "--cache-dir",
                "with --no-cache",
                "no compile cache is read or written; drop one of them",
            )
        )
    if mode.name in ("--show-config", "show-config"):
        for flag in _in_order(given, _COMPILING):
            errors.append(
                _error(flag, f"with {mode.name}", "it only prints the configuration; drop " + flag)
            )
        return errors
    if mode.name in ("--dry-run", "list"):
        if "--quiet" in given and "--json" in given:
            errors.append(
                _error("--quiet", "with --json", "the JSON listing is printed anyway; drop --quiet")
            )
        for flag in _in_order(given, _WRITING):
            errors.append(
                _error(
                    flag,
                    f"with {mode.name}",
                    f"{mode.name} writes and compares nothing; drop {flag}",
                )
            )
        return errors
    if "--json" in given:
        errors.append(
            _error(
                "--json",
                "without --dry-run",
                "add --dry-run, or run 'compile-tasks list --json PATH...'",
            )
        )
    return errors


def given_flags(ctx: click.Context) -> frozenset[str]:
    """The options of ``ctx``'s command given on the command line, by their long spelling."""
    given = set()
    for param in ctx.command.params:
        if not isinstance(param, click.Option) or param.name is None:
            continue
        if ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE:
            longs = [opt for opt in param.opts if opt.startswith("--")]
            given.add(longs[0] if longs else param.opts[0])
    return frozenset(given)


@frozen_record
class Invocation:
    """How the compile family was invoked, beyond the parsed flags.

    Attributes:
        mode: The mode and the mode-sensitive flags given.
        bare: ``compile-tasks`` was run without any argument.
        debug: ``--debug``.
        help_text: The top-level help (shown by a bare run when nothing is configured).
    """

    mode: Mode
    bare: bool
    debug: bool
    help_text: Callable[[], str]

    @classmethod
    def of(cls, ctx: click.Context, mode_name: str, debug: bool) -> Invocation:
        """The invocation of ``ctx`` in mode ``mode_name`` (see :class:`Mode`)."""
        top = ctx.find_root()
        return cls(
            mode=Mode(mode_name, given_flags(ctx)),
            bare=bool(top.meta.get(BARE)),
            debug=debug,
            help_text=top.get_help,
        )


def _in_order(given: Iterable[str], flags: Sequence[str]) -> list[str]:
    present = set(given)
    return [flag for flag in flags if flag in present]


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely misspells, if one is close enough."""
    import difflib  # only for a misspelled command

    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return found[0] if found else None
