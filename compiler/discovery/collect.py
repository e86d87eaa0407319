"""Pick the tasks defined in the imported modules out of their namespaces.

A task belongs to its home module (``task.instantiated_in``): re-exports elsewhere are the same
entity, and tasks whose home module was not compiled are ignored. Two different task objects
with one name are an error naming both definitions.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from compiler.errors import CompileTasksError, DiscoveryError, SourceLocation

__all__ = ["FoundTask", "collect_tasks"]


@dataclass(frozen=True)
class FoundTask:
    """A task found in the compiled package.

    Attributes:
        name: The entity name (``task.name``).
        task: The task object.
        module: Its home module.
        location: Where it is declared (file as the SDK recorded it).
        root: The source root of its module; ``relative_location`` is relative to it.
    """

    name: str
    task: Any
    module: str
    location: SourceLocation
    root: Path

    @functools.cached_property
    def relative_location(self) -> SourceLocation:
        """``location`` with the file relative to the source root (stable across machines).

        Computed once: the manifest, the rendering and the bundle entity each ask for it.
        """
        return self.location.relative_to(str(self.root))


def _location_of(task: Any, module: ModuleType) -> SourceLocation:
    location = getattr(task, "location", None)
    if isinstance(location, SourceLocation):
        return location
    return SourceLocation(str(getattr(module, "__file__", "") or module.__name__), 0)


def _duplicate(first: FoundTask, second: FoundTask, cwd: str) -> DiscoveryError:
    a, b = (first.location.relative_to(cwd), second.location.relative_to(cwd))
    return DiscoveryError(
        f"two tasks are named '{second.name}': {a} and {b}",
        code="CT405",
        hint="task names must be unique; rename one of them (name= or the function name)",
        location=second.location,
        task=second.name,
    )


#: Sort keys (``attrgetter`` builds them in C: one per task found).
_BY_NAME_AND_LOCATION = operator.attrgetter("name", "location")
_BY_NAME = operator.attrgetter("name")


def collect_tasks(
    modules: Mapping[str, ModuleType],
    roots: Mapping[str, Path],
    task_type: type,
    *,
    cwd: str = "",
) -> tuple[list[FoundTask], list[CompileTasksError]]:
    """Collect the tasks whose home module is one of ``modules``.

    Args:
        modules: Imported modules by name (the compiled ones only).
        roots: Source root of each module name.
        task_type: The task base class (``compiler.sdk.Task``).
        cwd: Folder that duplicate messages show paths relative to.

    Returns:
        The tasks sorted by name, and the duplicate-name errors.
    """
    seen: dict[int, FoundTask] = {}
    for module_name in sorted(modules):
        module = modules[module_name]
        for value in list(vars(module).values()):
            if not isinstance(value, task_type) or id(value) in seen:
                continue
            home = getattr(value, "instantiated_in", None) or module_name
            if home not in modules:
                continue
            seen[id(value)] = FoundTask(
                name=str(value.name),
                task=value,
                module=home,
                location=_location_of(value, modules[home]),
                root=roots[home],
            )
    by_name: dict[str, FoundTask] = {}
    errors: list[CompileTasksError] = []
    for found in sorted(seen.values(), key=_BY_NAME_AND_LOCATION):
        first = by_name.setdefault(found.name, found)
        if first is not found:
            errors.append(_duplicate(first, found, cwd))
    return sorted(by_name.values(), key=_BY_NAME), errors
