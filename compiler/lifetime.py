"""How long this process lives: declared by the console script, read where state is restored.

The ``compile-tasks`` console script's process ends when its command ends
(``compiler.cli.entry``); a process that imports the package (a test run, a build script)
lives on. Work that only a living-on process needs is skipped in the first: giving the garbage
collector back what a parallel compile held from it (unfreezing tens of thousands of objects,
then the collection that walks them: 4 ms after a 5,000-task compile, while the cores idle).

A leaf module (no imports), loaded by the console script before anything else of the tool.
"""

__all__ = ["end_with_command", "ends_with_command"]

_ENDS = [False]


def end_with_command() -> None:
    """Declare that this process ends when its command ends (the console script does)."""
    _ENDS[0] = True


def ends_with_command() -> bool:
    """Whether :func:`end_with_command` was called in this process (or the one it forked from)."""
    return _ENDS[0]
