"""The golden options of the main command and the step that runs after the bundle is written.

``golden_options`` adds ``--golden DIR``, ``--check``, ``--update-goldens``, ``--report FILE``,
``--diff``, ``--fail-on-breaking``, ``--against GIT_REF`` and ``--annotations github``
(parameter names as the fields of :class:`GoldenOptions`); ``run_golden_step(bundle_dir,
options, echo)`` runs them and returns the exit code (``compile-tasks diff`` shares
:func:`finish_report`, so both print, write reports and exit alike):

====  =====================================================================================
0     goldens equal (or updated; or only compared without ``--check``)
1     ``--check`` and the bundle differs, or ``--fail-on-breaking`` and a change is breaking
2     usage: an option without ``--golden``, ``--check`` with ``--update-goldens``, an
      unknown report suffix, ``--update-goldens`` under CI
3     the golden directory is missing or corrupt, or the bundle has no renderings
====  =====================================================================================

The codes of the golden errors come from the errors themselves (``GoldenError.exit_code``).

This is the CLI layer: it reads the ``CI`` environment variable and ``sys.argv`` (to print the
exact command that creates a missing golden directory) and passes plain values down.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from compiler.errors import ExitCode, GoldenError, GoldenUsageError
from compiler.records import frozen_record

if TYPE_CHECKING:  # git_ref (and subprocess) load with the golden step, not with every compile
    from compiler.cli.git_ref import Recompile
    from compiler.golden import AcceptedChange, GoldenReport

__all__ = [
    "GoldenOptions",
    "ci_is_set",
    "finish_report",
    "golden_options",
    "golden_usage_exit",
    "report_option",
    "run_golden_step",
    "update_command",
]

_TRUE = frozenset({"1", "true", "yes", "on"})
_F = TypeVar("_F", bound=Callable[..., Any])

#: Options that only make sense when checking; dropped from the printed update command.
_CHECK_FLAGS = frozenset({"--check", "--diff", "--fail-on-breaking"})
_CHECK_VALUE_OPTIONS = frozenset({"--report", "--annotations"})


@frozen_record
class GoldenOptions:
    """The golden options as parsed (the fields are the click parameter names).

    Attributes:
        golden: ``--golden DIR``.
        check: ``--check``.
        update_goldens: ``--update-goldens``.
        report: ``--report FILE``.
        diff: ``--diff``.
        fail_on_breaking: ``--fail-on-breaking``.
        against: ``--against GIT_REF``: compare with the package compiled at that revision.
        annotations: ``--annotations github``: also print GitHub workflow commands.
    """

    golden: Path | None = None
    check: bool = False
    update_goldens: bool = False
    report: Path | None = None
    diff: bool = False
    fail_on_breaking: bool = False
    against: str | None = None
    annotations: str | None = None

    def given(self) -> bool:
        """True when any golden option was given."""
        return any(bool(getattr(self, item.name)) for item in fields(self))


#: ``--report FILE``: the comparison as Markdown, HTML or JSON (golden check and ``diff``).
report_option = click.option(
    "--report",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write the comparison as FILE.md, FILE.html or FILE.json.",
)


def golden_options(func: _F) -> _F:
    """Click decorator adding the golden options (parameter names as the flags, snake_case)."""
    decorators = [
        click.option(
            "--golden",
            type=click.Path(path_type=Path),
            default=None,
            metavar="DIR",
            help="Golden directory to compare the bundle with (one YAML per entity).",
        ),
        click.option("--check", is_flag=True, help="Exit 1 when the bundle differs from --golden."),
        click.option(
            "--update-goldens",
            is_flag=True,
            help="Rewrite --golden from the bundle (refused when CI is set).",
        ),
        report_option,
        click.option("--diff", is_flag=True, help="Print a unified diff of changed renderings."),
        click.option(
            "--fail-on-breaking",
            is_flag=True,
            help="Exit 1 when any change is breaking (and not accepted), even while updating.",
        ),
        click.option(
            "--against",
            default=None,
            metavar="GIT_REF",
            help="Compare with the package compiled at this git revision (no goldens needed).",
        ),
        click.option(
            "--annotations",
            type=click.Choice(["github"]),
            default=None,
            help="Also print errors and breaking changes as GitHub workflow commands.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def ci_is_set(environ: Mapping[str, str]) -> bool:
    """True when ``CI`` holds a true value (``1``, ``true``, ``yes``, ``on``; any case)."""
    return environ.get("CI", "").strip().lower() in _TRUE


def update_command(argv: Sequence[str]) -> str:
    """The command that (re)creates the goldens: ``argv`` without check-only options."""
    words: list[str] = []
    skip_next = False
    for word in argv:
        if skip_next:
            skip_next = False
            continue
        name = word.split("=", 1)[0]
        if name in _CHECK_FLAGS or name == "--update-goldens":
            continue
        if name in _CHECK_VALUE_OPTIONS:
            skip_next = "=" not in word
            continue
        words.append(word)
    return shlex.join(["compile-tasks", *words, "--update-goldens"])


def run_golden_step(
    bundle_dir: Path,
    options: GoldenOptions,
    echo: Callable[[str], None],
    *,
    err: Callable[[str], None] | None = None,
    environ: Mapping[str, str] | None = None,
    argv: Sequence[str] | None = None,
    accepted: Sequence[AcceptedChange] = (),
    recompile: Recompile | None = None,
    on_error: Callable[[GoldenError], None] | None = None,
) -> int:
    """Run the golden options against a written bundle and return the exit code.

    Args:
        bundle_dir: The bundle just written (``*.pb``, ``yaml/``).
        options: The parsed golden options.
        echo: Where normal output goes.
        err: Where errors go (stderr by default).
        environ: The environment (``os.environ`` by default); only ``CI`` is read.
        argv: The command-line arguments after the program name (``sys.argv[1:]`` by default),
            used to print the exact command that creates or refreshes the goldens.
        accepted: Acknowledged breaking changes (the ``accept_breaking`` setting).
        recompile: Compiles the package again into another folder (``--against``).
        on_error: Receives each error instead of ``err`` printing its text (``--format json``).

    Returns:
        0, 1, 2 or 3 as in the module docstring.
    """
    err = _error_sink(err or (lambda text: click.echo(text, err=True)), on_error)
    golden = options.golden
    update = bool(options.update_goldens)
    refused = golden_usage_exit(options, err, environ=environ)
    if refused is not None:
        return refused
    if golden is None and not options.against:
        return ExitCode.OK
    from compiler.golden import check_bundle, update_goldens

    words = sys.argv[1:] if argv is None else argv
    try:
        if options.against:
            from compiler.cli.git_ref import compare_against

            report = compare_against(bundle_dir, options.against, recompile, accepted)
        elif update:
            assert golden is not None
            report = update_goldens(
                bundle_dir, Path(golden), ci=ci_is_set(os.environ if environ is None else environ)
            )
        else:
            assert golden is not None
            report = check_bundle(bundle_dir, Path(golden), accepted=accepted)
            report = replace(report, accept_command=update_command(words))
    except GoldenError as error:
        return _report_error(error, err, argv)
    return finish_report(report, options, echo, err, updated=update)


class _ErrorSink:
    """Prints text through ``err``; hands error objects to ``on_error`` when one is given."""

    def __init__(
        self, err: Callable[[str], None], on_error: Callable[[GoldenError], None] | None
    ) -> None:
        self.err = err
        self.on_error = on_error

    def __call__(self, text: str) -> None:
        self.err(text)

    def error(self, error: GoldenError) -> None:
        if self.on_error is not None:
            self.on_error(error)
        else:
            self.err(error.render())


def _error_sink(
    err: Callable[[str], None], on_error: Callable[[GoldenError], None] | None
) -> Callable[[str], None]:
    return _ErrorSink(err, on_error)


def _say(err: Callable[[str], None], error: GoldenError) -> None:
    """Report ``error`` through ``err`` (as an object when ``err`` is an error sink)."""
    if isinstance(err, _ErrorSink):
        err.error(error)
    else:
        err(error.render())


def finish_report(
    report: GoldenReport,
    options: GoldenOptions,
    echo: Callable[[str], None],
    err: Callable[[str], None],
    *,
    updated: bool = False,
    differ_fails: bool | None = None,
    on_error: Callable[[GoldenError], None] | None = None,
    annotate: Callable[[str], None] | None = None,
) -> int:
    """Print the summary (and diffs, annotations), write ``--report``; return the exit code.

    Args:
        report: The comparison.
        options: ``check``, ``diff``, ``report``, ``fail_on_breaking`` and ``annotations``
            are read.
        echo: Where the summary goes.
        err: Where errors go.
        updated: True when the goldens were just rewritten.
        differ_fails: Whether any difference fails (default: ``options.check``).
        on_error: Receives an error writing the report (default: its text through ``err``).
        annotate: Where workflow commands go (default: stdout, also with ``--quiet``).
    """
    if on_error is not None:
        err = _error_sink(err, on_error)
    from compiler.golden import github_annotations, write_report

    _emit(report, echo, updated=updated, diff=bool(options.diff))
    if options.report is not None:
        try:
            write_report(report, Path(options.report))
        except GoldenError as error:
            _say(err, error)
            return error.exit_code
        echo(f"goldens: report written to {options.report}")
    if options.annotations == "github":  # printed even with --quiet: CI reads them
        for line in github_annotations(report, check=bool(options.check)):
            (annotate or click.echo)(line)
    differ = bool(options.check) if differ_fails is None else differ_fails
    failing = (differ and report.has_changes) or (
        bool(options.fail_on_breaking) and bool(report.breaking)
    )
    return ExitCode.DRIFT if failing else ExitCode.OK


def golden_usage_exit(
    options: GoldenOptions,
    err: Callable[[str], None],
    *,
    environ: Mapping[str, str] | None = None,
    on_error: Callable[[GoldenError], None] | None = None,
) -> int | None:
    """Check the golden options before anything is compiled or written.

    A usage error found only after the bundle was swapped in would leave a changed ``--out``
    behind a failing exit code; the main command calls this first, so a run that will fail
    on its flags fails before it writes.

    Returns:
        ``None`` when the options are usable, else the exit code (the error printed via
        ``err``): CT631 for options that need ``--golden`` or exclude each other, CT630 for
        an unknown ``--report`` suffix, CT603 for ``--update-goldens`` under CI.
    """
    if on_error is not None:
        err = _error_sink(err, on_error)
    usage = _usage_problem(options)
    if usage:
        _say(
            err,
            GoldenUsageError(
                usage, code="CT631", hint="see 'compile-tasks --help' for the golden options"
            ),
        )
        return int(ExitCode.USAGE)
    if options.golden is None and not options.against:
        return None
    # Imported here: the golden machinery (Jinja2 templates, the diff) is not needed, and not
    # paid for at start-up, by a compile without --golden.
    from compiler.golden import ci_refusal, report_format_for

    try:
        if options.report is not None:
            report_format_for(Path(options.report))
        if options.update_goldens and ci_is_set(os.environ if environ is None else environ):
            raise ci_refusal()
    except GoldenError as error:
        _say(err, error)
        return int(error.exit_code)
    return None


def _usage_problem(options: GoldenOptions) -> str | None:
    if options.check and options.update_goldens:
        return "--check and --update-goldens exclude each other"
    if options.against and (options.golden is not None or options.update_goldens):
        return "--against compares with a git revision: it excludes --golden and --update-goldens"
    if options.golden is None and not options.against:
        given = [
            flag
            for flag, value in (
                ("--check", options.check),
                ("--update-goldens", options.update_goldens),
                ("--report", options.report),
                ("--diff", options.diff),
                ("--fail-on-breaking", options.fail_on_breaking),
            )
            if value
        ]
        if given:
            return f"{given[0]} needs --golden DIR or --against GIT_REF"
    return None


def _report_error(
    error: GoldenError, err: Callable[[str], None], argv: Sequence[str] | None
) -> int:
    if error.code == "CT601":
        command = update_command(sys.argv[1:] if argv is None else argv)
        error.hint = f"create it with: {command}"
    _say(err, error)
    return error.exit_code


def _emit(report: GoldenReport, echo: Callable[[str], None], *, updated: bool, diff: bool) -> None:
    from compiler.golden import summary_lines

    for line in summary_lines(report, updated=updated):
        echo(line)
    if diff:
        for entity in report.entities:
            echo(entity.unified_diff.rstrip("\n"))
