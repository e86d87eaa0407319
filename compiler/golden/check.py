"""Comparing a compiled bundle with a golden directory.

Entities are matched by file stem. A removed and an added entity of the same kind whose
interface and type are equal (and unique among them) are reported as one rename. Each pair that
differs gets its leaf differences, its semantic changes and both diffs of the renderings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compiler.golden.fields import diff_fields
from compiler.golden.layout import EntityFile, GoldenSet, read_bundle, read_golden_dir
from compiler.golden.model import (
    Category,
    Change,
    EntityDiff,
    EntityStatus,
    FieldChange,
    GoldenReport,
    Impact,
)
from compiler.golden.semantic import semantic_changes
from compiler.golden.textdiff import side_by_side, unified_diff
from compiler.render import FACTS_KEY

__all__ = ["check_bundle", "compare"]


def check_bundle(bundle_dir: Path, golden_dir: Path) -> GoldenReport:
    """Compare the bundle in ``bundle_dir`` with the goldens in ``golden_dir``.

    Raises:
        GoldenError: the golden directory is missing or corrupt, or the bundle has no renderings.
    """
    return compare(read_golden_dir(golden_dir), read_bundle(bundle_dir), str(golden_dir))


def compare(golden: GoldenSet, bundle: GoldenSet, golden_label: str) -> GoldenReport:
    """Compare two sets of entities (goldens first) into a report."""
    removed = [s for s in golden.entities if s not in bundle.entities]
    added = [s for s in bundle.entities if s not in golden.entities]
    diffs: list[EntityDiff] = []
    unchanged: list[str] = []
    for old_stem, new_stem in _renames(removed, added, golden, bundle):
        removed.remove(old_stem)
        added.remove(new_stem)
        diffs.append(_renamed(golden.entities[old_stem], bundle.entities[new_stem]))
    for stem in removed:
        diffs.append(_one_sided(golden.entities[stem], EntityStatus.REMOVED))
    for stem in added:
        diffs.append(_one_sided(bundle.entities[stem], EntityStatus.ADDED))
    for stem in sorted(set(golden.entities) & set(bundle.entities)):
        diff = _changed(golden.entities[stem], bundle.entities[stem])
        if diff is None:
            unchanged.append(stem)
        else:
            diffs.append(diff)
    diffs.sort(key=lambda d: d.stem)
    return GoldenReport(golden_label, tuple(diffs), tuple(unchanged))


def _shape(entity: EntityFile) -> Any:
    template = entity.rendering.body.get("template")
    if not isinstance(template, dict):
        return None
    return (entity.kind, template.get("type"), template.get("interface"))


def _renames(
    removed: list[str], added: list[str], golden: GoldenSet, bundle: GoldenSet
) -> list[tuple[str, str]]:
    pairs = []
    for old_stem in removed:
        shape = _shape(golden.entities[old_stem])
        if shape is None:
            continue
        olds = [s for s in removed if _shape(golden.entities[s]) == shape]
        news = [s for s in added if _shape(bundle.entities[s]) == shape]
        if len(olds) == 1 and len(news) == 1:
            pairs.append((old_stem, news[0]))
    return pairs


def _full(entity: EntityFile) -> dict[str, Any]:
    data: dict[str, Any] = dict(entity.rendering.body)
    if entity.rendering.facts:
        data[FACTS_KEY] = entity.rendering.facts
    return data


def _one_sided(entity: EntityFile, status: EntityStatus) -> EntityDiff:
    added = status is EntityStatus.ADDED
    change = Change(
        Category.ENTITY,
        Impact.COMPATIBLE if added else Impact.BREAKING,
        f"{entity.kind} {'added' if added else 'removed'}",
    )
    old_text, new_text = ("", entity.text) if added else (entity.text, "")
    return EntityDiff(
        stem=entity.stem,
        name=entity.name,
        kind=entity.kind,
        status=status,
        changes=(change,),
        old_text=old_text,
        new_text=new_text,
        unified_diff=_unified(entity.stem, entity.stem, old_text, new_text),
        rows=side_by_side(old_text, new_text),
    )


def _renamed(old: EntityFile, new: EntityFile) -> EntityDiff:
    fields = tuple(f for f in diff_fields(_full(old), _full(new)) if not _is_name(f))
    rename = Change(
        Category.ENTITY,
        Impact.BREAKING,
        f"{new.kind} renamed from '{old.name}' to '{new.name}'",
        ("template.id.name",),
    )
    return EntityDiff(
        stem=new.stem,
        name=new.name,
        kind=new.kind,
        status=EntityStatus.RENAMED,
        changes=(rename, *semantic_changes(old.rendering, new.rendering, fields)),
        fields=fields,
        old_text=old.text,
        new_text=new.text,
        unified_diff=_unified(old.stem, new.stem, old.text, new.text),
        rows=side_by_side(old.text, new.text),
        renamed_from=old.name,
        old_stem=old.stem,
    )


def _is_name(field: FieldChange) -> bool:
    return field.path in ("template.id.name", "id.name")


def _changed(old: EntityFile, new: EntityFile) -> EntityDiff | None:
    fields = diff_fields(_full(old), _full(new))
    changes = semantic_changes(old.rendering, new.rendering, fields)
    if not fields and old.checksum != new.checksum:
        binary = FieldChange(f"{old.stem}.pb", old.checksum, new.checksum)
        fields = (binary,)
        changes = (Change(Category.OTHER, Impact.COMPATIBLE, "binary .pb changed", (binary.path,)),)
    if not fields and old.text != new.text:
        fields = (FieldChange(f"{old.stem}.yaml", "(text)", "(text)"),)
        changes = (Change(Category.OTHER, Impact.INFO, "rendering text differs (formatting only)"),)
    if not fields:
        return None
    return EntityDiff(
        stem=new.stem,
        name=new.name,
        kind=new.kind,
        status=EntityStatus.CHANGED,
        changes=changes,
        fields=fields,
        old_text=old.text,
        new_text=new.text,
        unified_diff=_unified(old.stem, new.stem, old.text, new.text),
        rows=side_by_side(old.text, new.text),
    )


def _unified(old_stem: str, new_stem: str, old_text: str, new_text: str) -> str:
    return unified_diff(old_text, new_text, f"golden/{old_stem}.yaml", f"bundle/{new_stem}.yaml")
