"""Task resolvers: how the container entrypoint finds a task again.

The args of a python task end with ``--resolver R -- <loader args>``. The entrypoint imports
``R`` (an import path to a resolver instance) and calls ``R.load_task(loader_args)``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

from compiler.errors import ExecutionError, SerializationError
from compiler.idl import DEFAULT_RESOLVER
from compiler.settings import SerializationSettings

__all__ = ["DefaultTaskResolver", "TaskResolverMixin", "default_task_resolver"]


class TaskResolverMixin:
    """Base of task resolvers. Subclasses implement ``loader_args`` and ``load_task``.

    ``location`` is the import path of the resolver *instance* (``pkg.module.attribute``); the
    default finds the module-level attribute that holds ``self`` in the class's module.
    """

    @property
    def location(self) -> str:
        """Import path of this resolver instance, written after ``--resolver``."""
        module = sys.modules.get(type(self).__module__)
        for attr, value in vars(module).items() if module else ():
            if value is self:
                return f"{module.__name__}.{attr}"  # type: ignore[union-attr]
        raise ExecutionError(
            f"resolver {self!r} is not a module-level attribute of {type(self).__module__}",
            code="CT195",
            hint="assign the resolver instance to a module-level name, or override 'location'",
        )

    def name(self) -> str:
        """A readable name of the resolver."""
        return type(self).__name__

    def loader_args(self, settings: SerializationSettings, task: Any) -> list[str]:
        """The args after ``--`` that let ``load_task`` find ``task``."""
        raise NotImplementedError

    def load_task(self, loader_args: Sequence[str]) -> Any:
        """The task named by ``loader_args``."""
        raise NotImplementedError

    def get_all_tasks(self) -> list[Any]:
        """Tasks this resolver knows without loading (none by default)."""
        return []

    def task_name(self, task: Any) -> str | None:
        """An override of the task's entity name, or ``None``."""
        return None


class DefaultTaskResolver(TaskResolverMixin):
    """Finds a module-level task by module and attribute name:
    ``["task-module", M, "task-name", N]``."""

    @property
    def location(self) -> str:
        return DEFAULT_RESOLVER

    def loader_args(self, settings: SerializationSettings, task: Any) -> list[str]:
        func = getattr(task, "task_function", None)
        if func is not None:
            return ["task-module", func.__module__, "task-name", func.__name__]
        return ["task-module", task.instantiated_in, "task-name", _attribute_of(task)]

    def load_task(self, loader_args: Sequence[str]) -> Any:
        args = list(loader_args)
        if len(args) != 4 or args[0] != "task-module" or args[2] != "task-name":
            raise ExecutionError(
                f"loader args {args!r} are not 'task-module M task-name N'",
                code="CT194",
                hint="the args after '--' must come from the default resolver",
            )
        module_name, task_name = args[1], args[3]
        module = importlib.import_module(module_name)
        try:
            return getattr(module, task_name)
        except AttributeError:
            raise ExecutionError(
                f"module {module_name!r} has no task {task_name!r}",
                code="CT194",
                hint="recompile the bundle: the task was renamed or moved",
            ) from None

    def __repr__(self) -> str:
        return "DefaultTaskResolver()"


def _attribute_of(task: Any) -> str:
    """The module-level name that holds a class-instantiated task (``ShellTask(...)``)."""
    module = sys.modules.get(task.instantiated_in)
    for attr, value in vars(module).items() if module else ():
        if value is task:
            return attr
    raise SerializationError(
        f"task {task.name!r} is not a module-level attribute of {task.instantiated_in!r}",
        code="CT185",
        location=task.location,
        task=task.name,
        hint="assign the task to a module-level name (the container finds it by that name)",
    )


#: The resolver of every ``@task``; its import path is ``compiler.idl.DEFAULT_RESOLVER``.
default_task_resolver = DefaultTaskResolver()
