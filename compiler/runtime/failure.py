"""``error.pb``: the ``ErrorDocument`` a failed task leaves under its output prefix.

Flyte reads ``ContainerError.origin`` to tell user errors (``USER``: the task's code or its
inputs and outputs) from platform errors (``SYSTEM``: our runtime, storage), and ``kind`` to decide
whether a retry may help. ``code`` names the exception type (``USER:ValueError``) unless the
exception carries an ``error_code``; ``message`` is the traceback of the user's frames followed
by ``Type: message``.
"""

from __future__ import annotations

import os
import traceback
from types import TracebackType

from flyteidl.core import errors_pb2, execution_pb2

from compiler.errors import CompileTasksError
from compiler.runtime.exceptions import is_recoverable

__all__ = ["SYSTEM", "USER", "error_document", "origin_of", "user_traceback"]

USER = execution_pb2.ExecutionError.ErrorKind.USER
SYSTEM = execution_pb2.ExecutionError.ErrorKind.SYSTEM

_OUR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: The event loop's frames between an ``async def`` task and us: not the user's code either.
#: (Found next to ``os``, without importing asyncio: the entrypoint starts fast.)
_STDLIB = os.path.dirname(os.path.abspath(os.__file__))
_LOOP_DIRS = tuple(os.path.join(_STDLIB, name) + os.sep for name in ("asyncio", "concurrent"))


def _is_ours(filename: str) -> bool:
    return os.path.abspath(filename).startswith(_OUR_DIR + os.sep)


def _is_loop(filename: str) -> bool:
    return os.path.abspath(filename).startswith(_LOOP_DIRS)


def _innermost(tb: TracebackType | None) -> TracebackType | None:
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb


def origin_of(exc: BaseException) -> int:
    """``USER`` or ``SYSTEM`` for an exception raised while loading or running a task.

    Our own errors (``CompileTasksError``: a value that does not fit its type, ...) are the
    user's. Anything else is the user's unless it was raised by code of this package.
    """
    if isinstance(exc, CompileTasksError):
        return USER
    last = _innermost(exc.__traceback__)
    if last is not None and _is_ours(last.tb_frame.f_code.co_filename):
        return SYSTEM
    return USER


_CAUSE_LINE = "\nThe above exception was the direct cause of the following exception:\n\n"


def user_traceback(exc: BaseException, *, keep_ours: bool = False) -> str:
    """The formatted exception, without the frames of this package unless ``keep_ours``.

    An exception raised by us about a user callback (a type transformer that raised, a failing
    cache policy) chains the callback's exception on purpose: its user frames come first, as
    Python prints a cause, so the message shows where the user's code failed.
    """
    frames = _kept_frames(exc, keep_ours)
    prefix = ""
    if not keep_ours and not frames:
        cause = exc.__cause__
        while cause is not None and not _kept_frames(cause, False):
            cause = cause.__cause__  # our own wrappers in between (CT228 inside CT193, ...)
        if cause is not None:
            prefix = user_traceback(cause) + _CAUSE_LINE
    head = "Traceback (most recent call last):\n" if frames else ""
    body = "".join(traceback.format_list(frames))
    tail = "".join(traceback.format_exception_only(type(exc), exc))
    return prefix + head + body + tail


def _kept_frames(exc: BaseException, keep_ours: bool) -> traceback.StackSummary:
    frames = traceback.extract_tb(exc.__traceback__)
    if keep_ours:
        return frames
    kept = [f for f in frames if not (_is_ours(f.filename) or _is_loop(f.filename))]
    return traceback.StackSummary.from_list(kept)


def _code(exc: BaseException, origin: int) -> str:
    own = getattr(exc, "error_code", None)  # an explicit code on the exception wins (flytekit)
    if isinstance(own, str | int) and not isinstance(own, bool) and own != "":
        return str(own)
    return f"{'USER' if origin == USER else 'SYSTEM'}:{type(exc).__name__}"


def error_document(
    exc: BaseException, origin: int, *, worker: str = "", debug: bool = False
) -> errors_pb2.ErrorDocument:
    """The ``ErrorDocument`` describing ``exc`` with the given origin.

    A user error is ``RECOVERABLE`` only when marked so; a system error always is (as flytekit
    does: the platform, not the task, failed, so a retry may succeed). The message keeps the
    user's frames; the frames of compile-tasks itself only with ``debug``.
    """
    recoverable = origin == SYSTEM or is_recoverable(exc)
    kind = (
        errors_pb2.ContainerError.RECOVERABLE
        if recoverable
        else errors_pb2.ContainerError.NON_RECOVERABLE
    )
    error = errors_pb2.ContainerError(
        code=_code(exc, origin),
        message=user_traceback(exc, keep_ours=debug),
        kind=kind,
        origin=origin,
        worker=worker,
    )
    error.timestamp.GetCurrentTime()
    return errors_pb2.ErrorDocument(error=error)
