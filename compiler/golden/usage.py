"""Who uses whom: workflows and launch plans that a breaking change of an entity affects.

The index is built from both sides of a comparison (a workflow that stopped using a task was
still affected by the task's change in the older bundle). Use is transitive: a task used by a
sub-workflow affects the parent workflows and their launch plans too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from compiler.golden.graph import references
from compiler.golden.layout import GoldenSet
from compiler.golden.model import EntityDiff, Impact

__all__ = ["used_by", "with_affects"]

_Key = tuple[str, str]


def used_by(sets: Iterable[GoldenSet]) -> dict[_Key, set[_Key]]:
    """``{(kind, name): {(kind, name) of the workflows/launch plans that use it directly}}``."""
    index: dict[_Key, set[_Key]] = {}
    for golden_set in sets:
        for entity in golden_set.entities.values():
            for ref in references(entity.kind, entity.rendering.body):
                if ref != entity.key:
                    index.setdefault(ref, set()).add(entity.key)
    return index


def _users(key: _Key, index: dict[_Key, set[_Key]]) -> set[_Key]:
    found: set[_Key] = set()
    todo = [key]
    while todo:
        for user in index.get(todo.pop(), ()):
            if user not in found and user != key:
                found.add(user)
                todo.append(user)
    return found


def with_affects(
    entities: Iterable[EntityDiff], old: GoldenSet, new: GoldenSet
) -> tuple[EntityDiff, ...]:
    """The entities, each breaking one with the workflows and launch plans it affects."""
    entities = tuple(entities)
    if not any(_breaks(e) for e in entities):
        return entities
    index = used_by((old, new))
    out = []
    for entity in entities:
        if _breaks(entity):
            keys = _users((entity.kind, entity.name), index)
            if entity.renamed_from:
                keys |= _users((entity.kind, entity.renamed_from), index)
            affects = tuple(f"{kind} {name}" for kind, name in sorted(keys))
            entity = replace(entity, affects=affects)
        out.append(entity)
    return tuple(out)


def _breaks(entity: EntityDiff) -> bool:
    return any(c.impact is Impact.BREAKING for c in entity.changes)
