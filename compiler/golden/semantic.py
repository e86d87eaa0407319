"""The semantic diff of one entity: leaf differences turned into categorised changes.

Interface changes of tasks and workflows follow :mod:`compiler.golden.interface_rules`; the
graph of a workflow :mod:`compiler.golden.workflow_rules`; the schedule, notifications and
inputs of a launch plan :mod:`compiler.golden.launch_plan_rules`. Every other differing leaf is
put into a category by the first matching path rule below and gets that rule's impact; leaves of
one category are listed one by one up to ``MAX_LISTED`` and summarised beyond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from compiler.golden.interface_rules import interface_changes
from compiler.golden.launch_plan_rules import LAUNCH_PLAN_PATHS, launch_plan_changes
from compiler.golden.model import Category, Change, FieldChange, Impact
from compiler.golden.workflow_rules import WORKFLOW_PATHS, workflow_changes
from compiler.render import Rendering

__all__ = ["PATH_RULES", "categorize", "semantic_changes"]

#: (path regex, category, impact), first match wins. Paths are dotted rendering paths.
PATH_RULES: tuple[tuple[re.Pattern[str], Category, Impact], ...] = tuple(
    (re.compile(pattern), category, impact)
    for pattern, category, impact in (
        (r"^template\.interface\.", Category.INTERFACE, Impact.COMPATIBLE),
        (r"^compile_tasks\.defaults(\.|$)", Category.INTERFACE, Impact.COMPATIBLE),
        (r"^template\.container\.image$", Category.IMAGE, Impact.COMPATIBLE),
        (
            r"^template\.k8s_pod\.pod_spec\.containers\[\d+\]\.image$",
            Category.IMAGE,
            Impact.COMPATIBLE,
        ),
        (r"^template\.container\.resources(\.|$)", Category.RESOURCES, Impact.COMPATIBLE),
        (r"^template\.extended_resources(\.|$)", Category.RESOURCES, Impact.COMPATIBLE),
        (
            r"^template\.k8s_pod\.pod_spec\.containers\[\d+\]\.resources(\.|$)",
            Category.RESOURCES,
            Impact.COMPATIBLE,
        ),
        (r"^template\.metadata(\.|$)", Category.CACHING_METADATA, Impact.COMPATIBLE),
        (r"^template\.metadata_defaults(\.|$)", Category.CACHING_METADATA, Impact.COMPATIBLE),
        (r"^template\.security_context(\.|$)", Category.SECRETS, Impact.COMPATIBLE),
        (r"^template\.(k8s_pod|config)(\.|$)", Category.POD, Impact.COMPATIBLE),
        (r"^description(\.|$)", Category.DOCUMENTATION, Impact.INFO),
        (r"^compile_tasks(\.|$)", Category.OTHER, Impact.INFO),
        (r"^closure(\.|$)", Category.OTHER, Impact.INFO),
        (r"^spec\.", Category.EXECUTION, Impact.COMPATIBLE),
    )
)

#: Leaves listed one by one per category; more are summarised in one line.
MAX_LISTED = 3


def categorize(path: str) -> tuple[Category, Impact]:
    """The category and impact of a change at ``path`` (``other``/compatible by default)."""
    for pattern, category, impact in PATH_RULES:
        if pattern.search(path):
            return category, impact
    return Category.OTHER, Impact.COMPATIBLE


def semantic_changes(
    old: Rendering, new: Rendering, fields: Iterable[FieldChange], kind: str = "task"
) -> tuple[Change, ...]:
    """All semantic changes between two renderings of one entity, worst impact first.

    Args:
        old: The golden rendering.
        new: The compiled rendering.
        fields: Their leaf differences (``compile_tasks.*`` paths for the facts).
        kind: ``task``, ``workflow`` or ``launch plan``: which entity rules apply.

    Returns:
        The entity rules' changes, then one or more changes per other category.
    """
    claimed = None
    if kind == "launch plan":
        changes = launch_plan_changes(old.body, new.body)
        claimed = LAUNCH_PLAN_PATHS
    else:
        changes = interface_changes(old.body, new.body, old.facts, new.facts)
        if kind == "workflow":
            changes += workflow_changes(old.body, new.body)
            claimed = WORKFLOW_PATHS
    by_category: dict[Category, list[tuple[FieldChange, Impact]]] = {}
    for field in fields:
        if claimed is not None and claimed.search(field.path):
            continue  # covered by the entity rules
        category, impact = categorize(field.path)
        if category is Category.INTERFACE:
            continue  # covered by the interface rules
        by_category.setdefault(category, []).append((field, impact))
    for category, items in by_category.items():
        changes += _category_changes(category, items)
    return tuple(sorted(changes, key=_sort_key))


def _sort_key(change: Change) -> tuple[int, int]:
    """Worst impact first; within one impact, categories in declaration order."""
    return change.rank, list(Category).index(change.category)


def _category_changes(category: Category, items: list[tuple[FieldChange, Impact]]) -> list[Change]:
    if len(items) <= MAX_LISTED:
        return [
            Change(category, impact, _describe(field), (field.path,)) for field, impact in items
        ]
    impact = min((i for _, i in items), key=lambda i: i.rank)
    paths = tuple(field.path for field, _ in items)
    return [Change(category, impact, f"{category.value}: {len(items)} fields changed", paths)]


def _describe(field: FieldChange) -> str:
    path = field.path.removeprefix("template.")
    if field.old is None:
        return f"{path} added: {field.new}"
    if field.new is None:
        return f"{path} removed (was {field.old})"
    return f"{path}: {field.old} -> {field.new}"
