"""Pick the tasks defined in the imported modules out of their namespaces.

A task belongs to its home module (``task.instantiated_in``): re-exports elsewhere are the same
entity, and tasks whose home module was not compiled are ignored. Two different task objects
with one name are an error naming both definitions.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, Protocol

from compiler.errors import CompileTasksError, DiscoveryError, SourceLocation

__all__ = [
    "FoundTask",
    "TaskSite",
    "collect_tasks",
    "duplicate_errors",
    "find_tasks",
    "first_per_name",
]


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


#: Sort keys (``attrgetter`` builds them in C: one per task found).
_BY_NAME_AND_LOCATION = operator.attrgetter("name", "location")
_BY_NAME = operator.attrgetter("name")


class TaskSite(NamedTuple):
    """A task's name and declaration site: all a duplicate check needs (workers send these)."""

    name: str
    location: SourceLocation


class _Sited(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def location(self) -> SourceLocation: ...


def find_tasks(
    modules: Mapping[str, ModuleType], roots: Mapping[str, Path], task_type: type
) -> list[FoundTask]:
    """Every task whose home module is one of ``modules``, sorted by name and location.

    Two different task objects with one name are both returned (see :func:`duplicate_errors`);
    a re-export of the same object is returned once.
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
    return sorted(seen.values(), key=_BY_NAME_AND_LOCATION)


def duplicate_errors(found: Sequence[_Sited], cwd: str) -> list[CompileTasksError]:
    """One ``CT405`` per task whose name an earlier one (by name, then location) has."""
    first: dict[str, _Sited] = {}
    errors: list[CompileTasksError] = []
    for item in sorted(found, key=_BY_NAME_AND_LOCATION):
        earlier = first.setdefault(item.name, item)
        if earlier is not item:
            errors.append(_duplicate(earlier, item, cwd))
    return errors


def _duplicate(first: _Sited, second: _Sited, cwd: str) -> DiscoveryError:
    a, b = (first.location.relative_to(cwd), second.location.relative_to(cwd))
    return DiscoveryError(
        f"two tasks are named '{second.name}': {a} and {b}",
        code="CT405",
        hint="task names must be unique; rename one of them (name= or the function name)",
        location=second.location,
        task=second.name,
    )


def first_per_name(found: Sequence[FoundTask]) -> list[FoundTask]:
    """The first task of each name (``found`` sorted by name and location), sorted by name."""
    by_name: dict[str, FoundTask] = {}
    for item in found:
        by_name.setdefault(item.name, item)
    return sorted(by_name.values(), key=_BY_NAME)


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
    found = find_tasks(modules, roots, task_type)
    return first_per_name(found), duplicate_errors(found, cwd)
