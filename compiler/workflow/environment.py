"""``Environment``: task options shared by many tasks (flytekit's ``flytekit.Environment``).

``env = Environment(container_image=image, retries=2)`` holds ``@task`` keyword options;
``@env.task`` (or ``@env``) declares a task with them, ``@env.task(cache=True)`` adds or
overrides some for one task, ``@env.dynamic`` declares a dynamic task with them,
``env.extend(...)`` makes a new environment and ``env.update(...)`` changes this one. Nested
dicts (``environment=``) are merged key by key, other values replaced. Each option is checked
by ``@task`` itself, so an unknown or bad option is reported at the decorated function, with
the usual error. It lives in the workflow layer because ``@env.dynamic`` needs ``@dynamic``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from compiler.errors import DefinitionError
from compiler.sdk import task
from compiler.workflow.dynamic_task import dynamic

__all__ = ["Environment"]


def inherit(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``old`` updated by ``new``; dicts present in both are merged recursively."""
    out = copy.deepcopy(old)
    for key, value in new.items():
        if key in out and isinstance(value, dict) and isinstance(out[key], dict):
            out[key] = inherit(out[key], value)
        else:
            out[key] = value
    return out


class Environment:
    """Shared ``@task`` options.

    Args:
        **overrides: Any keyword ``@task`` takes.
    """

    def __init__(self, **overrides: Any) -> None:
        if "_task_function" in overrides:
            raise DefinitionError(
                "an Environment holds task options, not the task function",
                code="CT187",
                param="_task_function",
                param_kind="option",
                hint="decorate the function with @env.task instead",
            )
        self.overrides: dict[str, Any] = dict(overrides)

    def update(self, **overrides: Any) -> None:
        """Change this environment's options."""
        self.overrides = inherit(self.overrides, overrides)

    def extend(self, **overrides: Any) -> Environment:
        """A new environment with these options added to or replacing this one's."""
        return type(self)(**inherit(self.overrides, overrides))

    def __call__(
        self, _task_function: Callable[..., Any] | None = None, /, **overrides: Any
    ) -> Any:
        """``@env.task`` / ``@env.task(**more)``: declare a task with the shared options."""
        return self._declare(task, "task", _task_function, overrides)

    task = __call__

    def dynamic(self, _task_function: Callable[..., Any] | None = None, /, **overrides: Any) -> Any:
        """``@env.dynamic`` / ``@env.dynamic(**more)``: a dynamic task with the shared options."""
        return self._declare(dynamic, "dynamic", _task_function, overrides)

    def _declare(
        self,
        decorator: Callable[..., Any],
        spelled: str,
        function: Callable[..., Any] | None,
        overrides: dict[str, Any],
    ) -> Any:
        if function is not None:
            if not callable(function):
                raise DefinitionError(
                    f"@env.{spelled} decorates a function, got {function!r}",
                    code="CT187",
                    param="_task_function",
                    param_kind="option",
                    hint=f"write @env.{spelled} or @env.{spelled}(cache=True) above a def",
                )
            return decorator(function, **self.overrides)
        options = inherit(self.overrides, overrides)
        return lambda decorated: decorator(decorated, **options)

    def show(self) -> None:
        """Print the shared options."""
        print(f"Environment({', '.join(f'{k}={v!r}' for k, v in self.overrides.items())})")

    def __repr__(self) -> str:
        return f"Environment({self.overrides!r})"
