"""Where a call of an entity goes while a workflow body runs.

A workflow's body runs once, when its module is imported, with promises instead of values:
calling a task, a sub-workflow or a launch plan inside it adds a node to the workflow being
defined rather than running anything. Every callable entity's ``__call__`` asks
:func:`active_builder` first; outside a workflow body there is none and the call runs locally.

The builder is whatever object the workflow layer pushes with :func:`building`; it only needs
``add_call(entity, args, kwargs) -> promises``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["CallBuilder", "active_builder", "building"]


class CallBuilder(Protocol):
    """The workflow being defined: turns an entity call into a node and returns its promises."""

    def add_call(self, entity: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any: ...


_STACK: list[CallBuilder] = []


def active_builder() -> CallBuilder | None:
    """The innermost workflow being defined, or ``None`` outside every workflow body."""
    return _STACK[-1] if _STACK else None


@contextmanager
def building(builder: CallBuilder) -> Iterator[CallBuilder]:
    """Make ``builder`` receive entity calls for the duration of the block (nests)."""
    _STACK.append(builder)
    try:
        yield builder
    finally:
        _STACK.pop()
