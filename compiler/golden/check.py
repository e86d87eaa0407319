"""Comparing a compiled bundle with a golden directory (or any two sets of renderings).

Entities are matched by kind and name (so that bundles whose file names differ, ours and
flytekit's, still match). A removed and an added entity of the same kind whose interface and
type are equal (and unique among them) are reported as one rename. Each pair that differs gets
its leaf differences, its semantic changes and both diffs of the renderings; a workflow also
its graph with the changed nodes marked. Breaking changes name the workflows and launch plans
they affect, and the ones a team acknowledged (``accept_breaking``) are marked accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from compiler.golden.accept import AcceptedChange, apply_accepted
from compiler.golden.dag import workflow_dag
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
from compiler.golden.usage import with_affects
from compiler.render import FACTS_KEY

__all__ = ["check_bundle", "compare"]


def check_bundle(
    bundle_dir: Path, golden_dir: Path, *, accepted: Sequence[AcceptedChange] = ()
) -> GoldenReport:
    """Compare the bundle in ``bundle_dir`` with the goldens in ``golden_dir``.

    Raises:
        GoldenError: the golden directory is missing or corrupt, or the bundle has no renderings.
    """
    return compare(
        read_golden_dir(golden_dir), read_bundle(bundle_dir), str(golden_dir), accepted=accepted
    )


def compare(
    golden: GoldenSet,
    bundle: GoldenSet,
    golden_label: str,
    *,
    accepted: Sequence[AcceptedChange] = (),
    **labels: str,
) -> GoldenReport:
    """Compare two sets of entities (goldens first) into a report.

    Args:
        golden: The older side.
        bundle: The newer side.
        golden_label: How the older side is shown.
        accepted: Acknowledged breaking changes (``accept_breaking``).
        labels: Further :class:`GoldenReport` labels (``new_label``, ``old_title``, ...).
    """
    old_keys = {e.key: stem for stem, e in golden.entities.items()}
    new_keys = {e.key: stem for stem, e in bundle.entities.items()}
    removed = [old_keys[k] for k in old_keys if k not in new_keys]
    added = [new_keys[k] for k in new_keys if k not in old_keys]
    diffs: list[EntityDiff] = []
    unchanged: list[str] = []
    loose = golden.from_pb != bundle.from_pb
    for old_stem, new_stem in _renames(removed, added, golden, bundle):
        removed.remove(old_stem)
        added.remove(new_stem)
        old, new = _align(golden.entities[old_stem], bundle.entities[new_stem], loose)
        diffs.append(_renamed(old, new))
    for stem in removed:
        diffs.append(_one_sided(golden.entities[stem], EntityStatus.REMOVED))
    for stem in added:
        diffs.append(_one_sided(bundle.entities[stem], EntityStatus.ADDED))
    for key in sorted(set(old_keys) & set(new_keys), key=lambda k: new_keys[k]):
        old, new = _align(golden.entities[old_keys[key]], bundle.entities[new_keys[key]], loose)
        diff = _changed(old, new, stems_matter=not (golden.from_pb or bundle.from_pb))
        if diff is None:
            unchanged.append(new_keys[key])
        else:
            diffs.append(diff)
    diffs.sort(key=lambda d: d.stem)
    entities = apply_accepted(with_affects(diffs, golden, bundle), accepted)
    return GoldenReport(golden_label, entities, tuple(unchanged), **labels)


def _align(old: EntityFile, new: EntityFile, loose: bool) -> tuple[EntityFile, EntityFile]:
    """Both entities without their facts, when only one side was read from ``.pb`` files.

    A ``.pb`` file has no source location, module or task defaults (the defaults a reader can
    derive are spelled differently): comparing it with a rendering that has them would report
    every entity changed. Input defaults are then judged from the messages alone.
    """
    if not loose:
        return old, new
    return _only_facts(old, set()), _only_facts(new, set())


def _only_facts(entity: EntityFile, keys: set[str]) -> EntityFile:
    facts = {k: v for k, v in entity.rendering.facts.items() if k in keys}
    text = entity.text.split(f"\n\n{FACTS_KEY}:", 1)[0].rstrip("\n") + "\n"
    return replace(entity, text=text, rendering=replace(entity.rendering, facts=facts))


def _shape(entity: EntityFile) -> Any:
    """What must be equal for a removed and an added entity to be one rename."""
    template = entity.rendering.body.get("template")
    spec = entity.rendering.body.get("spec")
    if entity.kind == "launch plan" and isinstance(spec, dict):
        keep = ("default_inputs", "fixed_inputs", "entity_metadata", "labels", "annotations")
        return (entity.kind, *(spec.get(key) for key in keep))
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
        rule="" if added else "removed",
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
        source=entity.source,
        dag=_dag(None if added else entity, entity if added else None),
    )


def _renamed(old: EntityFile, new: EntityFile) -> EntityDiff:
    fields = tuple(f for f in diff_fields(_full(old), _full(new)) if not _is_name(f))
    rename = Change(
        Category.ENTITY,
        Impact.BREAKING,
        f"{new.kind} renamed from '{old.name}' to '{new.name}'",
        ("template.id.name",),
        rule="renamed",
    )
    return EntityDiff(
        stem=new.stem,
        name=new.name,
        kind=new.kind,
        status=EntityStatus.RENAMED,
        changes=(rename, *semantic_changes(old.rendering, new.rendering, fields, new.kind)),
        fields=fields,
        old_text=old.text,
        new_text=new.text,
        renamed_from=old.name,
        old_stem=old.stem,
        source=new.source,
        dag=_dag(old, new),
    )


def _is_name(field: FieldChange) -> bool:
    return field.path in ("template.id.name", "id.name")


def _dag(old: EntityFile | None, new: EntityFile | None) -> Any:
    """The marked graph of a workflow (``None`` for other kinds)."""
    kind = (new or old).kind if (new or old) else ""
    if kind != "workflow":
        return None
    return workflow_dag(old.rendering.body if old else None, new.rendering.body if new else None)


def _changed(old: EntityFile, new: EntityFile, *, stems_matter: bool = True) -> EntityDiff | None:
    same_file = old.stem == new.stem or not stems_matter
    if same_file and old.text == new.text and old.checksum == new.checksum:
        return None  # the common case in a large bundle: nothing to compare leaf by leaf
    fields = diff_fields(_full(old), _full(new))
    changes = semantic_changes(old.rendering, new.rendering, fields, new.kind)
    if not fields and old.checksum != new.checksum:
        binary = FieldChange(f"{old.stem}.pb", old.checksum, new.checksum)
        fields = (binary,)
        changes = (Change(Category.OTHER, Impact.COMPATIBLE, "binary .pb changed", (binary.path,)),)
    if not fields and old.text != new.text:
        fields = (FieldChange(f"{old.stem}.yaml", "(text)", "(text)"),)
        changes = (Change(Category.OTHER, Impact.INFO, "rendering text differs (formatting only)"),)
    if fields and not changes:
        changes = (Change(Category.OTHER, Impact.INFO, f"{len(fields)} facts changed"),)
    if not fields and stems_matter and old.stem != new.stem:
        fields = (FieldChange("file", f"{old.stem}.yaml", f"{new.stem}.yaml"),)
        changes = (Change(Category.OTHER, Impact.INFO, f"file {old.stem}.yaml -> {new.stem}.yaml"),)
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
        source=new.source,
        dag=_dag(old, new),
        old_stem=old.stem if old.stem != new.stem else None,
    )
