"""The typed result of comparing a bundle with its goldens (what every report renders).

::

    GoldenReport                 one comparison: golden dir vs compiled bundle
    └── EntityDiff               one entity added, removed, renamed or changed
        ├── Change               one semantic change: category, impact, one-line summary
        └── FieldChange          one leaf that differs, by dotted path (old -> new)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "REPORT_FORMAT_VERSION",
    "Category",
    "Change",
    "EntityDiff",
    "EntityStatus",
    "FieldChange",
    "GoldenReport",
    "Impact",
    "SideBySideRow",
]

#: Bumped whenever the JSON report changes incompatibly.
REPORT_FORMAT_VERSION = 1


class Category(enum.StrEnum):
    """What part of an entity a change touches."""

    ENTITY = "entity"
    INTERFACE = "interface"
    RESOURCES = "resources"
    IMAGE = "image"
    CACHING_METADATA = "caching/metadata"
    SECRETS = "secrets"
    POD = "pod"
    DOCUMENTATION = "documentation"
    OTHER = "other"


class Impact(enum.StrEnum):
    """How a change affects callers. Ordered from worst to mildest by ``rank``."""

    BREAKING = "breaking"
    COMPATIBLE = "compatible"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for breaking, 1 for compatible, 2 for info (sort key)."""
        return list(Impact).index(self)


class EntityStatus(enum.StrEnum):
    """What happened to an entity between the goldens and the bundle."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    """One leaf that differs. ``old``/``new`` are ``None`` when the leaf is absent on that side.

    Attributes:
        path: Dotted path into the rendering, e.g. ``template.container.image`` or
            ``compile_tasks.defaults.limit``; list items as ``args[3]``.
        old: The golden value as short text, or ``None`` when absent there.
        new: The compiled value as short text, or ``None`` when absent there.
    """

    path: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Change:
    """One semantic change of an entity.

    Attributes:
        category: The part of the entity it touches.
        impact: Whether callers break.
        summary: One line for people, e.g. ``input 'limit' removed``.
        paths: The field paths it was derived from.
    """

    category: Category
    impact: Impact
    summary: str
    paths: tuple[str, ...] = ()

    @property
    def breaking(self) -> bool:
        """True when the change breaks callers."""
        return self.impact is Impact.BREAKING


@dataclass(frozen=True)
class SideBySideRow:
    """One row of a side-by-side diff (line numbers are 1-based, 0 when absent)."""

    kind: str  # "equal", "changed", "removed", "added", "skip"
    old_no: int
    old_line: str
    new_no: int
    new_line: str


@dataclass(frozen=True)
class EntityDiff:
    """The difference for one entity.

    Attributes:
        stem: The bundle file stem (``00_shop.orders.load_1``); the golden file is
            ``<stem>.yaml``.
        name: The entity name (``template.id.name``).
        kind: ``task``, ``workflow`` or ``launch plan``.
        status: Added, removed, renamed or changed.
        changes: Semantic changes, worst impact first.
        fields: Leaf differences, sorted by path.
        old_text: The golden rendering (``""`` when added).
        new_text: The compiled rendering (``""`` when removed).
        unified_diff: Unified diff of the two renderings.
        rows: Side-by-side rows of the same diff (for HTML).
        renamed_from: For a rename, the old entity name.
        old_stem: For a rename, the old file stem.
    """

    stem: str
    name: str
    kind: str
    status: EntityStatus
    changes: tuple[Change, ...]
    fields: tuple[FieldChange, ...] = ()
    old_text: str = ""
    new_text: str = ""
    unified_diff: str = ""
    rows: tuple[SideBySideRow, ...] = ()
    renamed_from: str | None = None
    old_stem: str | None = None

    @property
    def breaking(self) -> bool:
        """True when any change breaks callers."""
        return any(c.breaking for c in self.changes)

    @property
    def impact(self) -> Impact:
        """The worst impact among the changes."""
        return min((c.impact for c in self.changes), key=lambda i: i.rank, default=Impact.INFO)

    @property
    def categories(self) -> tuple[str, ...]:
        """The distinct categories touched, in first-seen order."""
        seen: dict[str, None] = {}
        for change in self.changes:
            seen.setdefault(change.category.value, None)
        return tuple(seen)


@dataclass(frozen=True)
class GoldenReport:
    """The comparison of a compiled bundle with a golden directory.

    Attributes:
        golden_dir: The golden directory as the user gave it (display only).
        entities: One diff per entity that differs, sorted by stem.
        unchanged: Stems of the entities that are identical.
    """

    golden_dir: str
    entities: tuple[EntityDiff, ...] = ()
    unchanged: tuple[str, ...] = field(default_factory=tuple)

    def _with(self, status: EntityStatus) -> tuple[EntityDiff, ...]:
        return tuple(e for e in self.entities if e.status is status)

    @property
    def added(self) -> tuple[EntityDiff, ...]:
        """Entities only in the bundle."""
        return self._with(EntityStatus.ADDED)

    @property
    def removed(self) -> tuple[EntityDiff, ...]:
        """Entities only in the goldens."""
        return self._with(EntityStatus.REMOVED)

    @property
    def renamed(self) -> tuple[EntityDiff, ...]:
        """Entities whose name changed (same shape, new name)."""
        return self._with(EntityStatus.RENAMED)

    @property
    def changed(self) -> tuple[EntityDiff, ...]:
        """Entities present on both sides with differences."""
        return self._with(EntityStatus.CHANGED)

    @property
    def has_changes(self) -> bool:
        """True when the bundle differs from the goldens in any way."""
        return bool(self.entities)

    @property
    def breaking(self) -> tuple[EntityDiff, ...]:
        """Entities with at least one breaking change."""
        return tuple(e for e in self.entities if e.breaking)

    @property
    def json_data(self) -> dict[str, Any]:
        """The plain data of the JSON report (keys in a fixed order)."""
        return {
            "format_version": REPORT_FORMAT_VERSION,
            "golden_dir": self.golden_dir,
            "summary": {
                "added": len(self.added),
                "removed": len(self.removed),
                "renamed": len(self.renamed),
                "changed": len(self.changed),
                "unchanged": len(self.unchanged),
                "breaking": len(self.breaking),
            },
            "entities": [_entity_json(e) for e in self.entities],
        }


def _entity_json(entity: EntityDiff) -> dict[str, Any]:
    return {
        "name": entity.name,
        "kind": entity.kind,
        "file": f"{entity.stem}.yaml",
        "status": entity.status.value,
        "renamed_from": entity.renamed_from,
        "breaking": entity.breaking,
        "impact": entity.impact.value,
        "changes": [
            {
                "category": c.category.value,
                "impact": c.impact.value,
                "summary": c.summary,
                "paths": list(c.paths),
            }
            for c in entity.changes
        ],
        "fields": [{"path": f.path, "old": f.old, "new": f.new} for f in entity.fields],
        "diff": entity.unified_diff,
    }
