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

__all__ = ["defer", "end_with_command", "ends_with_command", "lives_on", "paused_collector"]

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


class paused_collector:  # lower case: used like the function a context manager usually is
    """Hold the garbage collector off while the tool's own modules load.

    Loading modules makes long-lived objects and no garbage cycles; the collections that
    loading them sets off (about 60 while a compile loads the command line and the pipeline,
    7 ms of its start) free nothing. In a process that ends with its command, what exists
    when the block ends is frozen (the collector never walks it again: turning the collector
    back on would otherwise walk all of it at once) and unfrozen only if the process lives
    on (:func:`defer`); elsewhere the collector is just turned back on. Nothing but the
    tool's own loading runs inside: the user's code runs with the collector as it was.
    """

    __slots__ = ("_was_on",)

    def __enter__(self) -> None:
        import gc  # built in: no file to read

        self._was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        import gc

        if not self._was_on:
            return
        if _ENDS[0]:
            gc.freeze()
            defer(gc.unfreeze)
        gc.enable()
