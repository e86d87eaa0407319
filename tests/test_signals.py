"""A Ctrl-C that Python hands on inside another exception, and where a signal can raise one."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler.discovery import discover
from compiler.errors import CompileErrors
from compiler.signals import _Terminated, interruption_in, signals_interrupt

CASE = Path(__file__).parent / "robustness" / "cases" / "interrupt_in_class"


class _Landing:
    def __init__(self, raised: BaseException) -> None:
        self.raised = raised

    def __set_name__(self, owner: type, name: str) -> None:
        raise self.raised


def _class_statement(raised: BaseException) -> BaseException:
    """What a class statement raises when a descriptor's ``__set_name__`` raises ``raised``."""
    try:
        type("Settings", (), {"bucket": _Landing(raised)})
    except BaseException as exc:
        return exc
    raise AssertionError("the class was made")


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt(), _Terminated()])
def test_a_ctrl_c_in_a_class_statement_is_found(interrupt: KeyboardInterrupt) -> None:
    handed_on = _class_statement(interrupt)
    # Python 3.11 wraps it in a RuntimeError; 3.12 and later raise it as it is.
    assert isinstance(handed_on, RuntimeError if sys.version_info < (3, 12) else KeyboardInterrupt)
    assert interruption_in(handed_on) is interrupt


def test_an_interrupt_is_found_along_the_chain_of_causes() -> None:
    interrupt = KeyboardInterrupt()
    middle = RuntimeError("wrapped")
    middle.__cause__ = interrupt
    outer = ValueError("reported")
    outer.__cause__ = middle
    assert interruption_in(outer) is interrupt
    assert interruption_in(interrupt) is interrupt


def test_other_errors_stand_for_no_interrupt() -> None:
    assert interruption_in(ValueError("x")) is None
    assert interruption_in(_class_statement(ValueError("x"))) is None
    # An error raised while an interrupt was being handled is not caused by it.
    during = RuntimeError("cleanup failed")
    during.__context__ = KeyboardInterrupt()
    assert interruption_in(during) is None
    # A cycle of causes ends.
    first, second = RuntimeError("a"), RuntimeError("b")
    first.__cause__, second.__cause__ = second, first
    assert interruption_in(first) is None


@pytest.fixture
def default_signals() -> Iterator[None]:
    """SIGINT and SIGTERM left to the system, as in a compile's worker."""
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    for signum in before:
        signal.signal(signum, signal.SIG_DFL)
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def test_signals_interrupt_where_pythons_handler_is_installed() -> None:
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert signals_interrupt()
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("default_signals")
def test_signals_do_not_interrupt_where_the_system_handles_them() -> None:
    assert not signals_interrupt()
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    assert signals_interrupt()


def test_an_import_interrupted_in_a_class_statement_is_an_interruption() -> None:
    """Where a signal raises ``KeyboardInterrupt`` (a compile without workers), one handed on
    by a class statement at import stops the compile as any Ctrl-C does."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            discover([str(CASE / "rb_setname")])
    finally:
        signal.signal(signal.SIGINT, before)
    assert "rb_setname" not in sys.modules


@pytest.mark.usefixtures("default_signals")
def test_where_no_signal_interrupts_a_keyboard_interrupt_at_import_is_the_modules_error() -> None:
    with pytest.raises(CompileErrors) as info:
        discover([str(CASE / "rb_setname")])
    [error] = info.value.errors
    assert error.code == "CT404"
    assert error.location is not None
    assert (Path(error.location.file).name, error.location.line) == ("tasks.py", 14)
    assert "rb_setname" not in sys.modules


def test_a_workflow_body_interrupted_in_a_class_statement_is_an_interruption() -> None:
    """Where a signal raises ``KeyboardInterrupt``, one that a class statement in a workflow's
    body hands on stops the compile instead of being reported as the body's error."""
    from compiler import workflow

    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):

            @workflow
            def pipeline(x: int) -> int:
                type("Settings", (), {"bucket": _Landing(KeyboardInterrupt())})
                return x

    finally:
        signal.signal(signal.SIGINT, before)
