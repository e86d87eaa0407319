"""Unit-test helpers for tasks and workflows, as ``flytekit.testing`` offers them.

``task_mock(t)`` replaces what a task (or a workflow, or a reference entity) does with a
``MagicMock`` for the ``with`` block; ``@patch(t)`` does the same for one test function and
passes the mock as its first argument::

    from compiler.testing import patch, task_mock

    with task_mock(load_orders) as mock:
        mock.return_value = 3
        assert nightly(day="2024-01-01") == 3

    @patch(load_orders)
    def test_nightly(mock):
        mock.return_value = 3
        assert nightly(day="2024-01-01") == 3

A mocked task still converts its inputs and outputs through the type engine, so a mock that
returns a value of the wrong type fails as the task would. A mocked workflow returns the mock's
value directly. Workflow bodies compile unchanged: a mock only changes local runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import MagicMock

from compiler.errors import DefinitionError
from compiler.sdk import Task, active_builder
from compiler.workflow import PythonFunctionWorkflow, Workflow

__all__ = ["patch", "task_mock"]

_WORKFLOWS = (PythonFunctionWorkflow, Workflow)
_TASK_PATCHED = ("execute", "_cached_dispatch")


def _is_reference(target: Any) -> bool:
    """A reference task/workflow/launch plan (their classes declare ``reference_kind``)."""
    return getattr(type(target), "reference_kind", None) is not None


def _check(target: Any, what: str) -> None:
    if not (isinstance(target, (Task, *_WORKFLOWS)) or _is_reference(target)):
        raise DefinitionError(
            f"{what} takes a task, a workflow or a reference entity, got {target!r}",
            code="CT188",
            param="target",
            param_kind="option",
            hint="pass the object @task / @workflow / reference_task(...) returned",
        )


@contextmanager
def _mocked(target: Any, mock: MagicMock) -> Iterator[MagicMock]:
    if _is_reference(target):
        saved_mock = target.mock
        target.mock = mock
        try:
            yield mock
        finally:
            target.mock = saved_mock
        return
    if isinstance(target, _WORKFLOWS):
        original = type(target)
        target.__class__ = _patched_class(original, mock)
        try:
            yield mock
        finally:
            target.__class__ = original
        return
    # The local cache is bypassed too: a mock's value must never be stored as the task's.
    saved = {name: vars(target)[name] for name in _TASK_PATCHED if name in vars(target)}
    target.execute = mock
    target._cached_dispatch = target.dispatch_execute
    try:
        yield mock
    finally:
        for name in _TASK_PATCHED:
            if name in saved:
                setattr(target, name, saved[name])
            else:
                delattr(target, name)


def _patched_class(original: type, mock: MagicMock) -> type:
    """A subclass whose local call returns the mock's value (a body call still adds a node)."""

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Any:
        if active_builder() is not None:
            return original.__call__(self, *args, **kwargs)
        names = list(self.python_interface.inputs)
        kwargs.update(zip(names, args, strict=False))
        return mock(**kwargs)

    return type(original.__name__, (original,), {"__call__": __call__})


@contextmanager
def task_mock(t: Any) -> Iterator[MagicMock]:
    """Mock what ``t`` does for the ``with`` block; yields the ``MagicMock``.

    Raises:
        DefinitionError: CT188 when ``t`` is not a task, workflow or reference entity.
    """
    _check(t, "task_mock")
    with _mocked(t, MagicMock()) as mock:
        yield mock


def patch(target: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a test: ``target`` is mocked while it runs, the mock is its first argument.

    Raises:
        DefinitionError: CT188 when ``target`` is not a task, workflow or reference entity.
    """
    _check(target, "patch")

    def wrapper(test_fn: Callable[..., Any]) -> Callable[..., Any]:
        def new_test(*args: Any, **kwargs: Any) -> Any:
            with _mocked(target, MagicMock()) as mock:
                return test_fn(mock, *args, **kwargs)

        # Not functools.wraps: test runners read ``__wrapped__``'s signature, and its first
        # parameter (the mock) is not a fixture they can fill.
        for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(new_test, attr, getattr(test_fn, attr, None))
        return new_test

    return wrapper
