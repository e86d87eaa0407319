"""The console script's head start: which arguments it takes for the package, and the helper
it starts, which the compile takes over when it lists the same modules."""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler.cli.entry import NO_PACKAGE_COMMANDS, PACKAGE_COMMANDS, package_paths
from compiler.cli.main import cli
from compiler.discovery import SourceCompiler, plan_discovery, precompile


def test_the_commands_are_sorted_into_the_two_lists() -> None:
    assert set(cli.commands) == NO_PACKAGE_COMMANDS | PACKAGE_COMMANDS
    assert not NO_PACKAGE_COMMANDS & PACKAGE_COMMANDS


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("X = 1\n")
    (tmp_path / "bundle").mkdir()
    (tmp_path / "one.py").write_text("Y = 2\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["pkg", "--out", "bundle"], ["pkg"]),
        (["--out", "bundle", "pkg"], ["pkg"]),  # 'bundle' is --out's value, 'pkg' is not
        (["--out=bundle", "pkg", "one.py"], ["pkg", "one.py"]),
        (["compile", "pkg"], ["pkg"]),
        (["list", "pkg", "--json"], ["pkg"]),
        (["-q", "pkg"], []),  # could be an option's value: no guess
        (["missing", "nope.py", "bundle/x"], []),
        (["run", "pkg"], []),
        (["diff", "pkg", "bundle"], []),
        (["--help"], []),
        ([], []),
    ],
)
def test_the_package_is_guessed_cautiously(
    work: Path, args: list[str], expected: list[str]
) -> None:
    assert package_paths(args) == expected


def _published(deadline: float = 10.0) -> None:
    """Wait until the speculative helper has published its list."""
    memory = precompile._SPECULATION[0][0]
    end = time.monotonic() + deadline
    while precompile._published_list(memory) is None and time.monotonic() < end:
        time.sleep(0.001)


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is forked")
def test_the_compile_takes_over_the_helper_that_listed_its_modules(work: Path) -> None:
    precompile.speculate(["pkg", "one.py"])
    _published()
    files = [source.file for source in plan_discovery(["pkg"]).sources]
    helper = SourceCompiler.adopt(files)
    assert helper is not None
    try:
        assert not precompile._SPECULATION  # taken over: ending the speculation leaves it be
        precompile.end_speculation()
        select.select([helper._alive], [], [], 30)  # compiled all it had to
        for file in files:
            assert helper.code_for(str(file), file.read_bytes()) is not None
        # one.py was listed too but is not compiled here: compiled already, or marked so
        # that the helper skips it
        assert helper._memory[helper._index[str(work / "one.py")]] != 0
    finally:
        helper.stop()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is forked")
def test_a_wrong_guess_is_ended_and_leaves_the_compile_to_start_its_own(work: Path) -> None:
    precompile.speculate(["one.py"])
    _published()
    pid = precompile._SPECULATION[0][1]
    files = [source.file for source in plan_discovery(["pkg"]).sources]
    assert SourceCompiler.adopt(files) is None
    assert _reaped(pid)
    assert SourceCompiler.adopt(files) is None  # nothing left to take over


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is forked")
def test_a_helper_nobody_took_over_ends_with_the_command(work: Path) -> None:
    precompile.speculate([])
    assert not precompile._SPECULATION  # nothing guessed, nothing started
    precompile.speculate(["pkg"])
    pid = precompile._SPECULATION[0][1]
    precompile.end_speculation()
    assert _reaped(pid)
    assert not precompile._SPECULATION


class _Interrupting:
    """A module whose names raise ``KeyboardInterrupt``: Ctrl-C while it loads."""

    def __getattr__(self, name: str) -> object:
        raise KeyboardInterrupt


def test_ctrl_c_while_the_command_line_loads_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from compiler.cli import entry
    from compiler.errors import ExitCode

    monkeypatch.setattr(sys, "argv", ["compile-tasks", "--help"])
    monkeypatch.setitem(sys.modules, "compiler.cli.main", _Interrupting())
    assert entry.main() == int(ExitCode.INTERRUPTED) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert not precompile._SPECULATION


class _HandingOn:
    """A module whose loading is interrupted in a class statement: in a descriptor's
    ``__set_name__``, whose ``KeyboardInterrupt`` Python 3.11 hands on as a ``RuntimeError``
    (what CI once met while the console script loaded ``compiler.settings``)."""

    def __getattr__(self, name: str) -> object:
        class Landing:
            def __set_name__(self, owner: type, name: str) -> None:
                raise KeyboardInterrupt

        return type("SerializationSettings", (), {"image_config": Landing()})


def test_ctrl_c_handed_on_by_a_class_statement_while_the_command_line_loads_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from compiler.cli import entry
    from compiler.errors import INTERRUPTED_NOTE

    monkeypatch.setattr(sys, "argv", ["compile-tasks", "--help"])
    monkeypatch.setitem(sys.modules, "compiler.cli.main", _HandingOn())
    assert entry.main() == 130
    err = capsys.readouterr().err
    assert err == INTERRUPTED_NOTE + "\n"
    assert not precompile._SPECULATION


class _Failing:
    """A module whose loading fails for a reason other than Ctrl-C."""

    def __getattr__(self, name: str) -> object:
        try:
            raise KeyError(name)
        except KeyError as exc:
            raise RuntimeError("broken install") from exc


def test_another_error_while_the_command_line_loads_is_not_taken_for_a_ctrl_c(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from compiler.cli import entry

    monkeypatch.setattr(sys, "argv", ["compile-tasks", "--help"])
    monkeypatch.setitem(sys.modules, "compiler.cli.main", _Failing())
    with pytest.raises(RuntimeError, match="broken install"):
        entry.main()
    assert not precompile._SPECULATION


def test_the_entry_called_from_python_leaves_the_process_living_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from compiler import lifetime
    from compiler.cli import entry

    monkeypatch.setattr(lifetime, "_ENDS", [False])
    monkeypatch.setattr(sys, "argv", ["compile-tasks", "--version"])
    assert entry.main() == 0
    assert "compile-tasks" in capsys.readouterr().out
    assert not lifetime.ends_with_command()  # a test process goes on: nothing held back


def test_the_entry_in_a_process_that_compiled_before_does_not_end_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A test process that ran a compile in workers earlier: were the entry to take itself for
    # the console script, it would end this very process after the command.
    from compiler import lifetime
    from compiler.cli import entry
    from compiler.pipeline import workers

    monkeypatch.setattr(workers, "_FORKED", [True])
    monkeypatch.setattr(lifetime, "_ENDS", [False])
    monkeypatch.setattr(sys, "argv", ["compile-tasks", "--version"])
    assert entry.main() == 0
    assert "compile-tasks" in capsys.readouterr().out
    assert not lifetime.ends_with_command()


# --- a Ctrl-C that lands in a weakref callback or a __del__ is not lost ----------------------

_SWALLOWED = """
import sys, time
from compiler.cli import entry

sys.unraisablehook = entry._keep_interrupts(sys.unraisablehook)


class Dropped:
    def __del__(self):
        raise KeyboardInterrupt  # where a SIGINT can land: Python cannot raise from here


try:
    Dropped()
    time.sleep(5)
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted")
"""


def test_a_swallowed_ctrl_c_is_raised_again_in_the_main_thread() -> None:
    """Without the hook Python prints "Exception ignored" and goes on (the compile would run to
    its end, exit code 0, after a traceback); with it the interrupt comes back at once."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _SWALLOWED], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "interrupted", done.stderr
    assert "Exception ignored" not in done.stderr


def test_other_unraisable_errors_are_reported_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    import _thread
    import types

    from compiler.cli import entry

    reported, started = [], []
    monkeypatch.setattr(_thread, "start_new_thread", lambda *call: started.append(call))
    hook = entry._keep_interrupts(reported.append)
    other = types.SimpleNamespace(exc_value=ValueError("x"))
    hook(other)
    assert reported == [other] and started == []
    hook(types.SimpleNamespace(exc_value=KeyboardInterrupt()))
    assert reported == [other] and started == [(entry._interrupt_again, ())]


def _handed_on() -> RuntimeError:
    """What Python 3.11 raises for a Ctrl-C in a class statement (a descriptor's
    ``__set_name__``)."""
    handed_on = RuntimeError("Error calling __set_name__ on 'Field' instance 'x' in 'Options'")
    handed_on.__cause__ = KeyboardInterrupt()
    return handed_on


@pytest.mark.parametrize("raised", [KeyboardInterrupt, _handed_on])
@pytest.mark.parametrize("where", ["parse_args", "invoke"])
def test_a_ctrl_c_outside_a_commands_body_ends_with_130_not_aborted(
    where: str,
    raised: Callable[[], BaseException],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """click would print "Aborted!" and exit with 1 for a Ctrl-C while it parses the arguments
    or dispatches (and a traceback for one handed on); every interruption ends with the note
    and 130 instead."""
    import click

    from compiler.cli import main as cli_main
    from compiler.errors import INTERRUPTED_NOTE

    def interrupted(*args: object, **kwargs: object) -> None:
        raise raised()

    owner = click.Group if where == "parse_args" else click.Command
    monkeypatch.setattr(owner, where, interrupted)
    with pytest.raises(SystemExit) as ended:
        cli_main.main(["list", "x"])
    assert ended.value.code == 130
    err = capsys.readouterr().err
    assert INTERRUPTED_NOTE in err and "Aborted!" not in err


def test_a_ctrl_c_handed_on_inside_a_commands_body_ends_with_130(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The command's guard takes a Ctrl-C that Python handed on inside another exception (or
    that an error of ours was raised from) for the interruption it is, not an internal error."""
    from compiler.cli.guard import handled
    from compiler.cli.output import Console
    from compiler.errors import INTERRUPTED_NOTE, SerializationError

    reported = SerializationError("could not serialize", code="CT301")
    reported.__cause__ = _handed_on()
    for raised in (_handed_on(), reported):
        with handled(Console(), debug=False) as box:
            raise raised
        assert box == [130]
        err = capsys.readouterr().err
        assert err == INTERRUPTED_NOTE + "\n"
