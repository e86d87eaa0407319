"""``PythonFunctionTask``: a task made from a Python function (what ``@task`` returns)."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from compiler.context import run_awaitable
from compiler.errors import DefinitionError, SourceLocation
from compiler.idl import TaskType
from compiler.memo import cached_attribute
from compiler.proto import build_security_context
from compiler.sdk.auto_container import PythonAutoContainerTask
from compiler.sdk.base import Documentation, Task
from compiler.sdk.interface import Interface, interface_from_function
from compiler.sdk.location import definition_context, function_location
from compiler.sdk.metadata import TaskMetadata

__all__ = ["PythonFunctionTask"]

T = TypeVar("T")


#: The options of ``@task`` that go to the task's constructor (the others make its
#: ``TaskMetadata``): what :meth:`PythonFunctionTask.declared` takes.
_DECLARED_OPTIONS = frozenset(
    {
        "task_config",
        "container_image",
        "environment",
        "requests",
        "limits",
        "resources",
        "secret_requests",
        "task_resolver",
        "docs",
        "pod_template",
        "accelerator",
        "shared_memory",
    }
)


def _check_top_level(func: Callable[..., Any]) -> None:
    """The default resolver imports ``module.name``: a nested function cannot be found again.

    Test modules (``test_*.py``) may define tasks inside test functions, as in flytekit.
    """
    if "<locals>" not in func.__qualname__:
        return
    if os.path.basename(func.__code__.co_filename).startswith("test_"):
        return
    raise DefinitionError(
        f"task function {func.__qualname__!r} is defined inside another function",
        code="CT106",
        hint="define the task at module level so the container can import it",
    )


def _check_ignored_inputs(ignored: tuple[str, ...], inputs: dict[str, Any]) -> None:
    for name in ignored:
        if name not in inputs:
            raise DefinitionError(
                "cache_ignore_input_vars names an input the task does not have",
                code="CT104",
                param=name,
                param_kind="cache_ignore_input_vars entry",
                hint=f"the inputs are: {', '.join(inputs) or '(none)'}",
            )


class PythonFunctionTask(PythonAutoContainerTask[T]):
    """A Python function run as a task.

    Args:
        task_config: Plugin configuration (``@task(task_config=...)``).
        task_function: The function; its module and name give the task's name.
        task_type: The ``TaskTemplate.type`` string.
        **kwargs: Passed to :class:`PythonAutoContainerTask` (image, resources, ...).

    Raises:
        DefinitionError: For any invalid declaration, with the ``def`` line and task name.
    """

    def __init__(
        self,
        task_config: T | None,
        task_function: Callable[..., Any],
        task_type: str = TaskType.PYTHON.value,
        **kwargs: Any,
    ) -> None:
        name = self._set_function(task_function)
        with definition_context(name, lambda: self.location):
            interface = self._function_interface(kwargs.get("metadata"))
            self._user_docs = kwargs.pop("docs", None)
            super().__init__(
                name=name,
                task_config=task_config,
                task_type=task_type,
                interface=interface,
                **kwargs,
            )

    @classmethod
    def declared(
        cls, task_function: Callable[..., Any], metadata: TaskMetadata, options: Mapping[str, Any]
    ) -> PythonFunctionTask[Any]:
        """``PythonFunctionTask(task_function=..., metadata=..., **options)``, as ``@task``
        makes it: each class's part of the constructor, in the same order with the same checks
        and attributes, without passing the keywords down four nested constructors (about a
        third of defining a plain task). Options other than ``@task``'s (or a subclass, whose
        constructors may do more) take the constructor.
        """
        plain = "task_config" in options and options.keys() <= _DECLARED_OPTIONS
        if cls is not PythonFunctionTask or not plain:
            return cls(task_function=task_function, metadata=metadata, **options)
        self = cls.__new__(cls)
        name = self._set_function(task_function)
        with definition_context(name, lambda: self.location):
            interface = self._function_interface(metadata)
            self._user_docs = options.get("docs")
            self._set_container_options(
                options.get("container_image"),
                options.get("requests"),
                options.get("limits"),
                options.get("resources"),
                options.get("pod_template"),
                options.get("accelerator"),
                options.get("shared_memory"),
                options.get("task_resolver"),
            )
            metadata = self._set_python_options(
                options.get("task_config"),
                options.get("environment"),
                options.get("secret_requests"),
                metadata,
            )
            security = build_security_context(self.secret_requests)
            Task.__init__(self, TaskType.PYTHON.value, name, interface, metadata, 0, security)
        return self

    def _set_function(self, task_function: Callable[..., Any]) -> str:
        """This class's first part of ``__init__``: the function; the task's name."""
        if not callable(task_function) or not hasattr(task_function, "__code__"):
            raise DefinitionError(
                f"@task needs a function, got {task_function!r}",
                code="CT107",
                hint="decorate a 'def' function",
            )
        self._task_function = task_function
        self.instantiated_in = task_function.__module__
        self._location = None  # computed on first use: finding the def line reads the source
        return f"{task_function.__module__}.{task_function.__name__}"

    def _function_interface(self, metadata: TaskMetadata | None) -> Interface:
        """The function's interface, checked against the metadata's ignored cache inputs."""
        task_function = self._task_function
        _check_top_level(task_function)
        interface = interface_from_function(task_function)
        if metadata is not None:
            _check_ignored_inputs(metadata.cache_ignore_input_vars, interface.inputs)
        return interface

    @property
    def task_function(self) -> Callable[..., Any]:
        """The decorated function."""
        return self._task_function

    @property
    def location(self) -> SourceLocation:
        """The ``def`` line of the function."""
        if self._location is None:
            self._location = function_location(self._task_function.__code__)
        return self._location

    @cached_attribute
    def docs(self) -> Documentation:  # type: ignore[override]
        """The docstring's summary and body; a given ``docs=`` fills what the docstring lacks."""
        parsed = self.python_interface.parsed_docstring
        given = self._user_docs
        if given is None:  # flytekit writes the long description's format even without text
            return Documentation(parsed.short_description, parsed.long_description or "")
        return Documentation(
            short_description=parsed.short_description or given.short_description,
            long_description=parsed.long_description or given.long_description,
            source_code=given.source_code,
        )

    def execute(self, **kwargs: Any) -> Any:
        """Call the function; an ``async def`` one runs to completion on an event loop."""
        result = self._task_function(**kwargs)
        if inspect.isawaitable(result):
            return run_awaitable(result)
        return result
