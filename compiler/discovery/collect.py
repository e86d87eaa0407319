"""Pick the entities defined in the imported modules out of their namespaces.

An entity is any object whose class declares an ``entity_kind`` (a ``compiler.idl.EntityKind``:
task, workflow, launch plan) and which has a ``name``; ``compiler.sdk.Task`` declares
``EntityKind.TASK``. The kind is read from the class, not the instance, so that a module
``__getattr__`` or a proxy object in a namespace is never asked for it.

An entity belongs to its home module (``instantiated_in``): re-exports elsewhere are the same
entity, and entities whose home module was not compiled are ignored. Two different entities of
one kind with one name are an error naming both definitions.

An entity may bring entities that no namespace holds: a workflow's default launch plan is
compiled with it (``companion_entities()``), as flytekit does for every workflow, and so are the
map tasks its nodes run. A module-level object that is not an entity may bring some too (a
``map_task(...)`` assigned to a name brings its template, as flytekit compiles it).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, Protocol

from compiler.errors import CompileTasksError, DiscoveryError, SourceLocation
from compiler.idl import EntityKind
from compiler.memo import cached_attribute
from compiler.records import frozen_record

__all__ = [
    "EntitySite",
    "FoundEntity",
    "duplicate_errors",
    "entity_kind_of",
    "find_entities",
    "first_per_name",
]

_MISSING = object()


@frozen_record(into_dict=True)
class FoundEntity:
    """An entity found in the compiled package.

    Attributes:
        name: The entity name (``entity.name``).
        kind: Task, workflow or launch plan (the class's ``entity_kind``).
        entity: The entity object (a task, a workflow, ...).
        module: Its home module.
        location: Where it is declared (file as the SDK recorded it).
        root: The source root of its module; ``relative_location`` is relative to it.
    """

    name: str
    kind: EntityKind
    entity: Any
    module: str
    location: SourceLocation
    root: Path

    @cached_attribute
    def relative_location(self) -> SourceLocation:
        """``location`` with the file relative to the source root (stable across machines).

        Computed once (without ``functools.cached_property``'s lock, taken on every first
        access): the manifest, the rendering and the bundle entity each ask for it.
        """
        return self.location.relative_to(str(self.root))


def entity_kind_of(value: Any) -> EntityKind | None:
    """The kind ``value``'s class declares, or ``None`` when it is not an entity."""
    kind = getattr(type(value), "entity_kind", None)
    return kind if isinstance(kind, EntityKind) else None


def _location_of(entity: Any, module: ModuleType) -> SourceLocation:
    location = getattr(entity, "location", None)
    if isinstance(location, SourceLocation):
        return location
    return SourceLocation(str(getattr(module, "__file__", "") or module.__name__), 0)


#: Sort keys (``attrgetter`` builds them in C: one per entity found).
_BY_NAME_AND_LOCATION = operator.attrgetter("name", "location")
_BY_NAME = operator.attrgetter("name")


class EntitySite(NamedTuple):
    """An entity's kind, name and declaration site: all a duplicate check needs.

    Workers send these to the parent.
    """

    kind: EntityKind
    name: str
    location: SourceLocation


class _Sited(Protocol):
    @property
    def kind(self) -> EntityKind: ...

    @property
    def name(self) -> str: ...

    @property
    def location(self) -> SourceLocation: ...


def find_entities(
    modules: Mapping[str, ModuleType], roots: Mapping[str, Path]
) -> list[FoundEntity]:
    """Every entity whose home module is one of ``modules``, sorted by name and location.

    Two different entities with one name are both returned (see :func:`duplicate_errors`);
    a re-export of the same object is returned once. The companions of an entity (a
    workflow's launch plans) are found whatever module the entity itself belongs to: a launch
    plan created in a compiled module for a workflow imported from elsewhere is compiled, and
    a parallel worker that imports only the launch plan's module finds it too.
    """
    seen: dict[int, FoundEntity] = {}
    visited: set[int] = set()
    for module_name in sorted(modules):
        for value in list(vars(modules[module_name]).values()):
            _visit(seen, visited, value, module_name, modules, roots)
    return sorted(seen.values(), key=_BY_NAME_AND_LOCATION)


def _visit(
    seen: dict[int, FoundEntity],
    visited: set[int],
    value: Any,
    module_name: str,
    modules: Mapping[str, ModuleType],
    roots: Mapping[str, Path],
) -> None:
    """Record ``value`` when it is an entity of a compiled module, then its companions."""
    kind = entity_kind_of(value)
    if kind is None:
        # Not an entity, but it may bring some (a map task at module level: its template).
        if callable(getattr(type(value), "companion_entities", None)) and id(value) not in visited:
            visited.add(id(value))
            for companion in value.companion_entities():
                _visit(seen, visited, companion, module_name, modules, roots)
        return
    if id(value) in visited:
        return
    visited.add(id(value))
    name = getattr(value, "name", _MISSING)
    if name is _MISSING:
        return
    home = getattr(value, "instantiated_in", None) or module_name
    if home in modules:
        seen[id(value)] = FoundEntity(
            name=str(name),
            kind=kind,
            entity=value,
            module=home,
            location=_location_of(value, modules[home]),
            root=roots[home],
        )
    companions = getattr(value, "companion_entities", None)
    if callable(companions):
        for companion in companions():
            _visit(seen, visited, companion, home, modules, roots)


def duplicate_errors(found: Sequence[_Sited], cwd: str) -> list[CompileTasksError]:
    """One ``CT405`` per entity whose kind and name an earlier one (by name, location) has."""
    if len({(item.kind, item.name) for item in found}) == len(found):
        return []  # no two alike: the sort below (thousands of keys) would find nothing
    first: dict[tuple[EntityKind, str], _Sited] = {}
    errors: list[CompileTasksError] = []
    for item in sorted(found, key=_BY_NAME_AND_LOCATION):
        earlier = first.setdefault((item.kind, item.name), item)
        if earlier is not item:
            errors.append(_duplicate(earlier, item, cwd))
    return errors


def _duplicate(first: _Sited, second: _Sited, cwd: str) -> DiscoveryError:
    a, b = (first.location.relative_to(cwd), second.location.relative_to(cwd))
    plural = second.kind.plural
    return DiscoveryError(
        f"two {plural} are named '{second.name}': {a} and {b}",
        code="CT405",
        hint=f"{plural[:-1]} names must be unique; rename one of them (name= or the function name)",
        location=second.location,
        task=second.name,
    )


def first_per_name(found: Sequence[FoundEntity]) -> list[FoundEntity]:
    """The first entity of each kind and name (``found`` sorted by name, location), by name."""
    by_name: dict[tuple[EntityKind, str], FoundEntity] = {}
    for item in found:
        by_name.setdefault((item.kind, item.name), item)
    return sorted(by_name.values(), key=_BY_NAME)
