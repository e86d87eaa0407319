"""``PythonInstanceTask``: a Python task made by instantiating a class, not by decorating.

The container finds it again as a module-level attribute: the default resolver writes
``task-module M task-name ATTRIBUTE`` (the name the instance is bound to), as flytekit does.
Subclasses implement ``execute(**kwargs)``; ``ShellTask`` is one.
"""

from __future__ import annotations

from typing import Any, TypeVar

from compiler.errors import SourceLocation
from compiler.idl import TaskType
from compiler.sdk.auto_container import PythonAutoContainerTask
from compiler.sdk.location import caller_location, definition_context

__all__ = ["PythonInstanceTask"]

T = TypeVar("T")


class PythonInstanceTask(PythonAutoContainerTask[T]):
    """A class-instantiated Python task run by the entrypoint in the task's image.

    Args:
        name: The entity name, written verbatim.
        task_config: Plugin configuration.
        task_type: The ``TaskTemplate.type`` (``"python-task"`` by default).
        task_resolver: How the container finds the task (the default resolver when ``None``).
        **kwargs: Options of :class:`PythonAutoContainerTask` (``interface``,
            ``container_image``, ``requests``, ``environment``, ``secret_requests``, ...).
    """

    def __init__(
        self,
        name: str,
        task_config: T | None,
        task_type: str = TaskType.PYTHON.value,
        task_resolver: Any = None,
        **kwargs: Any,
    ) -> None:
        location, module = caller_location(self)
        self._location = location or SourceLocation("<unknown>")
        self.instantiated_in = module
        with definition_context(name, lambda: location):
            super().__init__(
                name=name,
                task_config=task_config,
                task_type=task_type,
                task_resolver=task_resolver,
                **kwargs,
            )

    def execute(self, **kwargs: Any) -> Any:
        """The task's work; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement execute(**kwargs)")
