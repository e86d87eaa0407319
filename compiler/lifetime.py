"""How long this process lives: declared by the console script, read where state is restored.

The ``compile-tasks`` console script's process ends when its command ends
(``compiler.cli.entry``); a process that imports the package (a test run, a build script)
lives on. Work that only a living-on process needs is deferred in the first
(:func:`defer`) and done only if the process turns out to live on after all
(:func:`lives_on`: the console script could not end at once, or its entry was called from
Python): giving the garbage collector back what a parallel compile held from it (unfreezing
tens of thousands of objects, then the collection that walks them: 4 ms after a 5,000-task
compile, while the cores idle).

A leaf module (no imports), loaded by the console script before anything else of
the tool.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see compiler/__init__)
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["defer", "end_with_command", "ends_with_command", "lives_on"]

_ENDS = [False]
_DEFERRED: list[Callable[[], None]] = []


def end_with_command() -> None:
    """Declare that this process ends when its command ends (the console script does)."""
    _ENDS[0] = True


def ends_with_command() -> bool:
    """Whether :func:`end_with_command` was called in this process (or the one it forked from)
    and :func:`lives_on` was not called since."""
    return _ENDS[0]


def defer(undo: Callable[[], None]) -> None:
    """Run ``undo`` only if the process lives on after its command (:func:`lives_on`)."""
    _DEFERRED.append(undo)


def lives_on() -> None:
    """The command is over and the process goes on: run what was deferred (latest first)."""
    _ENDS[0] = False
    while _DEFERRED:
        _DEFERRED.pop()()
