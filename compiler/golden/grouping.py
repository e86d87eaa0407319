"""Identical changes across entities, grouped: ``image a -> b in 42 tasks`` is one entry."""

from __future__ import annotations

from collections.abc import Iterable

from compiler.golden.model import Category, ChangeGroup, EntityDiff, Impact

__all__ = ["change_groups", "grouped_keys"]

#: A change shared by at least this many entities is shown once, as a group.
MIN_GROUP = 2

_Key = tuple[Category, Impact, str]


def grouped_keys(entities: Iterable[EntityDiff]) -> set[_Key]:
    """The ``(category, impact, summary)`` keys that at least ``MIN_GROUP`` entities share."""
    counts: dict[_Key, int] = {}
    for entity in entities:
        for key in {(c.category, c.impact, c.summary) for c in entity.changes}:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= MIN_GROUP}


def change_groups(entities: Iterable[EntityDiff]) -> tuple[ChangeGroup, ...]:
    """One group per change shared by ``MIN_GROUP`` or more entities, worst impact first."""
    entities = tuple(entities)
    keys = grouped_keys(entities)
    members: dict[_Key, list[tuple[str, str, bool]]] = {key: [] for key in keys}
    for entity in entities:
        seen: set[_Key] = set()
        for change in entity.changes:
            key = (change.category, change.impact, change.summary)
            if key in members and key not in seen:
                seen.add(key)
                members[key].append((entity.name, entity.kind, change.accepted))
    groups = []
    for (category, impact, summary), items in members.items():
        items.sort()
        groups.append(
            ChangeGroup(
                category=category,
                impact=impact,
                summary=summary,
                entities=tuple(name for name, _, _ in items),
                kinds=tuple(kind for _, kind, _ in items),
                accepted=impact is Impact.BREAKING and all(ok for _, _, ok in items),
            )
        )
    groups.sort(key=lambda g: (g.impact.rank, -len(g.entities), g.summary))
    return tuple(groups)
