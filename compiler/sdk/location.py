"""Where a task was declared: the ``def`` line of a function, or the caller of a constructor.

Errors raised at definition time point at the user's source (``file:line``), never at ours.
"""

from __future__ import annotations

import codecs
import linecache
import re
import sys
from collections.abc import Callable
from types import CodeType, FrameType, TracebackType
from typing import Any

from compiler.errors import DefinitionError, SourceLocation

__all__ = [
    "caller_frame",
    "caller_location",
    "definition_context",
    "forget_source_lines",
    "function_location",
]

_DEF_LINE = re.compile(r"\s*(?:async\s+)?def\s")
_OWN_PACKAGE = "compiler."
# A decorator list is rarely longer than this; past it we keep the first decorator's line.
_MAX_DECORATOR_LINES = 64
#: A PEP 263 encoding declaration in one of the first two lines.
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)
#: file -> its lines, read once per file by :func:`_source_lines` (a task module's every
#: task asks for the same file).
_LINES: dict[str, list[str]] = {}
_LINES_MAX = 1024


def function_location(code: CodeType) -> SourceLocation:
    """The line of the ``def`` statement (``co_firstlineno`` is the first decorator's line)."""
    first = code.co_firstlineno
    lines = _source_lines(code.co_filename)
    # The search stops at the last line of the file.
    for line in range(first, min(first + _MAX_DECORATOR_LINES, len(lines) + 1) if first > 0 else 0):
        if _DEF_LINE.match(lines[line - 1]):
            return SourceLocation(code.co_filename, line)
    return SourceLocation(code.co_filename, first)


def forget_source_lines() -> None:
    """Drop the lines read so far. Discovery calls it when an import session starts (a second
    compile in one process, after an edit, finds the ``def`` lines afresh) and once it has
    located every entity (a worker holds no copy of its modules' sources while it serializes:
    about 8 MiB at 20,000 tasks)."""
    _LINES.clear()


def _source_lines(filename: str) -> list[str]:
    """The lines of a source file as the compiler numbers them (``\n``, ``\r\n`` and ``\r``
    end a line; a form feed does not).

    A UTF-8 file is read and split here, once: ``linecache`` (which this falls back to for a
    file with an encoding declaration, or one it cannot read) opens it through ``tokenize``
    and a text wrapper, about 0.1 ms a module, for every module of a compile.
    """
    lines = _LINES.get(filename)
    if lines is not None:
        return lines
    try:
        with open(filename, "rb") as file:
            data = file.read()
        second = data.find(b"\n", data.find(b"\n") + 1)  # the end of the second line
        head = data if second < 0 else data[:second]
        if b"coding" in head and _CODING.search(head):
            return linecache.getlines(filename)
        text = data.removeprefix(codecs.BOM_UTF8).decode()
    except (OSError, UnicodeDecodeError):
        return linecache.getlines(filename)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(_LINES) >= _LINES_MAX:
        _LINES.clear()
    _LINES[filename] = lines
    return lines


def _is_ours(frame: FrameType, obj: Any) -> bool:
    """A frame of our own package, or of any ``__init__`` running for ``obj``."""
    module = frame.f_globals.get("__name__", "")
    if module.startswith(_OWN_PACKAGE):
        return True
    return obj is not None and frame.f_locals.get("self") is obj


def caller_frame(obj: Any = None) -> FrameType | None:
    """The first frame outside ``compiler`` and outside constructors of ``obj``.

    A plugin's ``SQLTask`` subclass calls our constructor from its own ``__init__``; the task
    is "declared" where the user called the plugin class, so frames whose ``self`` is the
    object under construction are skipped too.
    """
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and _is_ours(frame, obj):
        frame = frame.f_back
    return frame


def caller_location(obj: Any = None) -> tuple[SourceLocation | None, str]:
    """``(location, module name)`` of :func:`caller_frame`; ``(None, "")`` when unknown."""
    frame = caller_frame(obj)
    if frame is None:
        return None, ""
    location = SourceLocation(frame.f_code.co_filename, frame.f_lineno)
    return location, frame.f_globals.get("__name__", "")


class definition_context:  # lower case: used like the function it replaced
    """Add the task name and declaration site to a ``DefinitionError`` raised inside.

    ``where`` is called only when an error occurs (finding a ``def`` line reads the source).
    A class rather than ``@contextmanager``: it is entered for every task defined, and a
    generator-based context manager costs several times more. The error propagates as the
    same object with its own traceback, as ``raise err.with_context(...) from None`` inside a
    ``@contextmanager`` made it (a cause the raiser chained explicitly is kept).
    """

    __slots__ = ("_task", "_where")

    def __init__(self, task: str | None, where: Callable[[], SourceLocation | None]) -> None:
        self._task = task
        self._where = where

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if not isinstance(exc, DefinitionError):
            return False
        located = exc.with_context(location=self._where(), task=self._task)
        if located is not exc:
            raise located from None
        # What ``raise ... from None`` does, except that a cause chained on purpose (a user
        # callback's exception, such as a failing cache policy) stays: its frame is the user's.
        exc.__suppress_context__ = True
        return False
