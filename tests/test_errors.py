"""The error tree's exit codes and the one constructor of internal errors."""

from __future__ import annotations

import pytest

from compiler import errors
from compiler.errors import (
    CompileErrors,
    CompileTasksError,
    ExitCode,
    InternalError,
    SourceLocation,
    internal_error,
)

#: Every error class and the exit code it carries (the tree in the module docstring).
EXPECTED = {
    "CompileTasksError": ExitCode.COMPILE,
    "DefinitionError": ExitCode.COMPILE,
    "WorkflowError": ExitCode.COMPILE,
    "LaunchPlanError": ExitCode.COMPILE,
    "TypeMappingError": ExitCode.COMPILE,
    "SerializationError": ExitCode.COMPILE,
    "DiscoveryError": ExitCode.COMPILE,
    "PackagePathError": ExitCode.USAGE,
    "BundleError": ExitCode.COMPILE,
    "OutputDirError": ExitCode.USAGE,
    "GoldenError": ExitCode.COMPILE,
    "GoldenUsageError": ExitCode.USAGE,
    "ConfigError": ExitCode.USAGE,
    "ExecutionError": ExitCode.COMPILE,
    "RunTargetError": ExitCode.USAGE,
    "InternalError": ExitCode.COMPILE,
}


def test_every_class_carries_its_exit_code_and_is_drawn_in_the_docstring() -> None:
    classes = {
        name: value
        for name, value in vars(errors).items()
        if isinstance(value, type)
        and issubclass(value, CompileTasksError)
        and value is not CompileErrors
    }
    assert set(classes) == set(EXPECTED)
    for name, cls in classes.items():
        assert cls("x").exit_code == EXPECTED[name], name
        assert f"{name} " in (errors.__doc__ or ""), name


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([ExitCode.USAGE, ExitCode.USAGE], ExitCode.USAGE),
        ([ExitCode.USAGE, ExitCode.COMPILE], ExitCode.COMPILE),
        ([], ExitCode.COMPILE),
    ],
)
def test_several_errors_are_a_usage_error_only_when_all_are(
    codes: list[ExitCode], expected: ExitCode
) -> None:
    by_code = {ExitCode.USAGE: errors.ConfigError, ExitCode.COMPILE: errors.DiscoveryError}
    assert CompileErrors([by_code[c]("x") for c in codes]).exit_code == expected


def test_internal_error_from_an_exception_or_a_message() -> None:
    where = SourceLocation("shop/a.py", 3)
    caught = internal_error(KeyError("x"), during="while serializing", location=where, task="t")
    assert isinstance(caught, InternalError)
    assert caught.render() == (
        "shop/a.py:3: error CT890: task 't': internal error while serializing: KeyError: 'x'. "
        "hint: this is a bug in compile-tasks; rerun with --debug and report the traceback"
    )
    plain = internal_error(ValueError("boom"))
    assert plain.render().startswith("error CT890: internal error: ValueError: boom. hint: ")
    told = internal_error("worker 1 failed", hint="rerun with --jobs 1")
    assert told.render() == "error CT890: worker 1 failed. hint: rerun with --jobs 1"
    assert told.exit_code == ExitCode.COMPILE


def test_an_error_is_one_line_whatever_the_values_it_quotes_hold() -> None:
    """A path or name with a line break in it (any that ``str.splitlines`` knows) is escaped."""
    from compiler.errors import DiscoveryError, SourceLocation

    breaks = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    error = DiscoveryError(
        f"path 'a{breaks}b' is not below the source root",
        code="CT409",
        hint="pass a --source-root\r\nthat contains it",
        location=SourceLocation("odd\x1e.py", 3),
    )
    line = error.render()
    assert line.splitlines() == [line]
    assert line == (
        "odd\\x1e.py:3: error CT409: path "
        "'a\\n\\r\\x0b\\x0c\\x1c\\x1d\\x1e\\x85\\u2028\\u2029b' is not below the source root. "
        "hint: pass a --source-root\\r\\nthat contains it"
    )
