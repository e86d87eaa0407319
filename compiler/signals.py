"""Signals around work that must finish or be cleaned up: SIGTERM as Ctrl-C, both held back.

A leaf module (standard library only): the command line installs :func:`sigterm_as_interrupt`
before it loads anything heavy; ``compiler.bundle`` uses both around its renames.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["STOP_SIGNALS", "signals_blocked", "sigterm_as_interrupt"]

#: The signals that stop a command (Ctrl-C, ``kill``): held back by :func:`signals_blocked`,
#: let through again in a forked worker.
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so cleanup code runs."""


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
