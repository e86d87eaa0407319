"""Signals around work that must finish or be cleaned up: SIGTERM as Ctrl-C, both held back.

A leaf module (standard library only): the command line installs :func:`sigterm_as_interrupt`
before it loads anything heavy; ``compiler.bundle`` uses both around its renames.
:func:`interruption_in` finds a Ctrl-C that Python handed on inside another exception.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = [
    "STOP_SIGNALS",
    "interruption_in",
    "raise_signal_interruption",
    "signals_blocked",
    "signals_interrupt",
    "sigterm_as_interrupt",
]

#: The signals that stop a command (Ctrl-C, ``kill``): held back by :func:`signals_blocked`,
#: let through again in a forked worker.
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so cleanup code runs."""


#: How many causes :func:`interruption_in` follows (a chain is short; a cycle is possible).
_MOST_CAUSES = 32


def interruption_in(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C (or SIGTERM) that ``exc`` stands for, if it stands for one.

    That is ``exc`` itself, or an exception along its chain of causes (``raise ... from``).
    Python 3.11 hands on what a descriptor's ``__set_name__`` raises while a class is made as
    a ``RuntimeError`` caused by it, so a Ctrl-C that lands there, at any class statement of
    the tool or of the user's package, arrives as a ``RuntimeError``; an error that code of
    ours raises from such an exception keeps it as its cause too.
    """
    seen: BaseException | None = exc
    for _ in range(_MOST_CAUSES):
        if seen is None:
            return None
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__
    return None


def signals_interrupt() -> bool:
    """Whether a signal can raise ``KeyboardInterrupt`` in this process.

    So it can where Python's handler (or :func:`sigterm_as_interrupt`'s) is installed for
    SIGINT or SIGTERM. In a compile's worker both are the system's default (a signal ends it
    outright), so a ``KeyboardInterrupt`` there was raised by the code that ran: the user's
    error, not the user's Ctrl-C.
    """
    return any(callable(signal.getsignal(signum)) for signum in STOP_SIGNALS)


def raise_signal_interruption(exc: BaseException) -> None:
    """Raise the Ctrl-C that ``exc`` stands for (:func:`interruption_in`) if a signal can have
    raised it here (:func:`signals_interrupt`): where user code runs and its errors are
    collected (an import, a workflow's body), the user's Ctrl-C still stops the compile."""
    interrupt = interruption_in(exc)
    if interrupt is not None and signals_interrupt():
        raise interrupt from None


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C (a ``KeyboardInterrupt``): cleanup code runs.

    Main thread only (signals are delivered there); the previous handler is restored after.
    The CLI wraps every command in it (exit 130), and ``compiler.bundle.replace_dir`` too,
    for callers of the library that have no such wrapper.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM (main thread only: signals are delivered there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
