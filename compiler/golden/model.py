"""The typed result of comparing a bundle with its goldens (what every report renders).

::

    GoldenReport                 one comparison: golden dir vs compiled bundle
    └── EntityDiff               one entity added, removed, renamed or changed
        ├── Change               one semantic change: category, impact, one-line summary
        └── FieldChange          one leaf that differs, by dotted path (old -> new)
"""

from __future__ import annotations

import enum
import functools
from dataclasses import field
from typing import Any

from compiler.records import frozen_record

__all__ = [
    "REPORT_FORMAT_VERSION",
    "Category",
    "Change",
    "ChangeGroup",
    "EntityDiff",
    "EntityStatus",
    "FieldChange",
    "GoldenReport",
    "Impact",
    "SideBySideRow",
]

#: Bumped whenever the JSON report changes incompatibly (2: entities breaking first, ``old`` and
#: ``new`` labels, change ``rule``/``behavioural``/``accepted``, ``affects``, ``groups``).
REPORT_FORMAT_VERSION = 2


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
    DAG = "dag"
    FAILURE_POLICY = "failure policy"
    SUB_WORKFLOWS = "sub-workflows"
    WORKFLOW = "workflow"
    SCHEDULE = "schedule"
    NOTIFICATIONS = "notifications"
    FIXED_INPUTS = "fixed inputs"
    DEFAULT_INPUTS = "default inputs"
    LABELS = "labels/annotations"
    EXECUTION = "execution"


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


@frozen_record
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


@frozen_record
class Change:
    """One semantic change of an entity.

    Attributes:
        category: The part of the entity it touches.
        impact: Whether callers break.
        summary: One line for people, e.g. ``input 'limit' removed``.
        paths: The field paths it was derived from.
        rule: For a breaking change, the rule that makes it breaking (``input-removed``, ...):
            with the entity name, what a team lists to accept it (``accept_breaking``).
        behavioural: True when callers still work but the entity behaves differently (a fixed
            input changed, a schedule removed).
        accepted: True when the change is breaking but listed in ``accept_breaking``.
    """

    category: Category
    impact: Impact
    summary: str
    paths: tuple[str, ...] = ()
    rule: str = ""
    behavioural: bool = False
    accepted: bool = False

    @property
    def breaking(self) -> bool:
        """True when the change breaks callers and was not accepted."""
        return self.impact is Impact.BREAKING and not self.accepted

    @property
    def rank(self) -> int:
        """Sort key: breaking 0, accepted breaking 1, compatible 2, info 3."""
        if self.impact is Impact.BREAKING:
            return 1 if self.accepted else 0
        return self.impact.rank + 1


@frozen_record
class SideBySideRow:
    """One row of a side-by-side diff (line numbers are 1-based, 0 when absent).

    ``old_parts``/``new_parts`` split a ``changed`` row's lines into ``(text, differs)`` pieces,
    so that the words that changed can be highlighted; empty for other rows.
    """

    kind: str  # "equal", "changed", "removed", "added", "skip"
    old_no: int
    old_line: str
    new_no: int
    new_line: str
    old_parts: tuple[tuple[str, bool], ...] = ()
    new_parts: tuple[tuple[str, bool], ...] = ()


@frozen_record
class ChangeGroup:
    """One change made identically to several entities (``image a -> b in 42 tasks``).

    Attributes:
        category: The category of the change.
        impact: Its impact.
        summary: The summary the entities share.
        entities: The names of the entities, sorted.
        kinds: Their kinds, in the same order.
        accepted: True when every breaking member was accepted.
    """

    category: Category
    impact: Impact
    summary: str
    entities: tuple[str, ...]
    kinds: tuple[str, ...]
    accepted: bool = False

    @property
    def breaking(self) -> bool:
        """True when the shared change is breaking and not accepted."""
        return self.impact is Impact.BREAKING and not self.accepted

    @property
    def noun(self) -> str:
        """``42 tasks``, ``3 workflows``, ``5 entities`` (mixed kinds)."""
        kinds = set(self.kinds)
        count = len(self.entities)
        noun = next(iter(kinds)) if len(kinds) == 1 else "entity"
        if count == 1:
            return f"1 {noun}"
        return f"{count} " + ("entities" if noun == "entity" else f"{noun}s")


@frozen_record
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
        renamed_from: For a rename, the old entity name.
        old_stem: For a rename, the old file stem.
        affects: Workflows and launch plans that use this entity (directly or through other
            workflows), as ``kind name``; filled for breaking changes.
        source: ``file:line`` of the entity's declaration (the newer side when known).
        dag: For a workflow, its graph with added, removed and changed nodes marked.
    """

    stem: str
    name: str
    kind: str
    status: EntityStatus
    changes: tuple[Change, ...]
    fields: tuple[FieldChange, ...] = ()
    old_text: str = ""
    new_text: str = ""
    renamed_from: str | None = None
    old_stem: str | None = None
    affects: tuple[str, ...] = ()
    source: str | None = None
    dag: Any = None

    @functools.cached_property
    def unified_diff(self) -> str:
        """Unified diff of the two renderings (computed when first asked for)."""
        from compiler.golden.textdiff import unified_diff

        old = f"golden/{self.old_stem or self.stem}.yaml"
        return unified_diff(self.old_text, self.new_text, old, f"bundle/{self.stem}.yaml")

    @functools.cached_property
    def rows(self) -> tuple[SideBySideRow, ...]:
        """Side-by-side rows of the same diff, for HTML (computed when first asked for)."""
        from compiler.golden.textdiff import side_by_side

        return side_by_side(self.old_text, self.new_text)

    @property
    def breaking(self) -> bool:
        """True when any change breaks callers (and was not accepted)."""
        return any(c.breaking for c in self.changes)

    @property
    def accepted(self) -> bool:
        """True when the entity has breaking changes and all of them were accepted."""
        breaking = [c for c in self.changes if c.impact is Impact.BREAKING]
        return bool(breaking) and all(c.accepted for c in breaking)

    @property
    def rank(self) -> int:
        """Sort key: breaking 0, accepted breaking 1, compatible 2, info 3."""
        return min((c.rank for c in self.changes), default=3)

    @property
    def impact(self) -> Impact:
        """The worst impact among the changes (an accepted breaking change counts as one)."""
        return min((c.impact for c in self.changes), key=lambda i: i.rank, default=Impact.INFO)

    @property
    def flag(self) -> str:
        """The badge of the entity: ``breaking``, ``accepted``, ``compatible`` or ``info``."""
        return ("breaking", "accepted", "compatible", "info")[self.rank]

    @property
    def categories(self) -> tuple[str, ...]:
        """The distinct categories touched, in first-seen order."""
        seen: dict[str, None] = {}
        for change in self.changes:
            seen.setdefault(change.category.value, None)
        return tuple(seen)


@frozen_record
class GoldenReport:
    """The comparison of a compiled bundle with a golden directory (or of two bundles).

    Attributes:
        golden_dir: The older side as the user gave it (the golden directory; display only).
        entities: One diff per entity that differs, sorted by stem.
        unchanged: Stems of the entities that are identical.
        new_label: The newer side (``the bundle``, a path, or ``working tree``).
        old_title: Column title of the older side in side-by-side diffs.
        new_title: Column title of the newer side.
        accept_command: The exact command that accepts the changes (refreshes the goldens);
            empty when there is nothing to refresh.
    """

    golden_dir: str
    entities: tuple[EntityDiff, ...] = ()
    unchanged: tuple[str, ...] = field(default_factory=tuple)
    new_label: str = "the bundle"
    old_title: str = "golden"
    new_title: str = "compiled"
    accept_command: str = ""

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
        """Entities with at least one breaking change that was not accepted."""
        return tuple(e for e in self.entities if e.breaking)

    @property
    def accepted(self) -> tuple[EntityDiff, ...]:
        """Entities whose breaking changes were all accepted (``accept_breaking``)."""
        return tuple(e for e in self.entities if e.accepted)

    @functools.cached_property
    def ordered(self) -> tuple[EntityDiff, ...]:
        """The entities breaking first, then accepted, compatible and info; by stem within."""
        return tuple(sorted(self.entities, key=lambda e: (e.rank, e.stem)))

    @functools.cached_property
    def groups(self) -> tuple[ChangeGroup, ...]:
        """Changes made identically to two or more entities, worst first."""
        from compiler.golden.grouping import change_groups

        return change_groups(self.entities)

    @property
    def json_data(self) -> dict[str, Any]:
        """The plain data of the JSON report (keys in a fixed order)."""
        from compiler.golden.report_json import report_json

        return report_json(self)
