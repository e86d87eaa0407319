"""Semantic rules for launch plans: target workflow, schedule, notifications and inputs.

Breaking: a default input removed or retyped, a new required input, an input that becomes
required; and, marked *behavioural* (callers still work, the runs do something else): the
launch plan pointing at another workflow, a fixed input added or changed, the schedule removed.
Compatible: a schedule added or changed, notifications, a default value added or changed, a
fixed input removed, labels, annotations, max parallelism and the other execution settings.
The rules claim the paths they cover (:data:`LAUNCH_PLAN_PATHS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from compiler.golden.fields import diff_fields, literal_text, short_text
from compiler.golden.interface_rules import short_type
from compiler.golden.model import Category, Change, Impact

__all__ = ["LAUNCH_PLAN_PATHS", "launch_plan_changes"]

LAUNCH_PLAN_PATHS = re.compile(
    r"^spec\.(workflow_id|entity_metadata|default_inputs|fixed_inputs|labels|annotations)([.\[]|$)"
)
_SPEC = "spec"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _spec(body: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(body.get(_SPEC))


def launch_plan_changes(old_body: Mapping[str, Any], new_body: Mapping[str, Any]) -> list[Change]:
    """The semantic changes between two launch plan renderings (see the module docstring)."""
    old, new = _spec(old_body), _spec(new_body)
    changes = _target(old, new) + _schedule(old, new)
    old_notes = _mapping(old.get("entity_metadata")).get("notifications")
    new_notes = _mapping(new.get("entity_metadata")).get("notifications")
    if old_notes != new_notes:
        text = f"notifications: {len(old_notes or [])} -> {len(new_notes or [])} rules"
        if len(old_notes or []) == len(new_notes or []):
            text = f"notifications changed ({len(new_notes or [])} rules)"
        changes.append(_compatible(Category.NOTIFICATIONS, text, "spec.entity_metadata"))
    changes += _fixed_inputs(old, new) + _default_inputs(old, new)
    for key in ("labels", "annotations"):
        for field in diff_fields(_mapping(old.get(key)), _mapping(new.get(key))):
            name = field.path.removeprefix("values.").removeprefix("values")
            text = f"{key[:-1]} {name}: {field.old} -> {field.new}"
            if field.old is None:
                text = f"{key[:-1]} {name} added: {field.new}"
            elif field.new is None:
                text = f"{key[:-1]} {name} removed (was {field.old})"
            changes.append(_compatible(Category.LABELS, text, f"spec.{key}.{field.path}"))
    return changes


def _compatible(category: Category, summary: str, path: str) -> Change:
    return Change(category, Impact.COMPATIBLE, summary, (path,))


def _breaking(
    category: Category, summary: str, path: str, rule: str, *, behavioural: bool
) -> Change:
    return Change(category, Impact.BREAKING, summary, (path,), rule=rule, behavioural=behavioural)


def _target(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    before = _mapping(old.get("workflow_id")).get("name")
    after = _mapping(new.get("workflow_id")).get("name")
    if before == after:
        return []
    text = f"launches workflow {after} (was {before})"
    return [
        _breaking(Category.WORKFLOW, text, "spec.workflow_id", "workflow-changed", behavioural=True)
    ]


def _schedule_text(schedule: Mapping[str, Any]) -> str:
    if "cron_schedule" in schedule:
        cron = _mapping(schedule["cron_schedule"])
        text = f"cron '{cron.get('schedule', '')}'"
        return text + (f" offset {cron['offset']}" if cron.get("offset") else "")
    if "cron_expression" in schedule:
        return f"cron '{schedule['cron_expression']}'"
    if "rate" in schedule:
        rate = _mapping(schedule["rate"])
        value = rate.get("value", 0)
        unit = str(rate.get("unit", "MINUTE")).lower()
        return f"every {value} {unit}" + ("" if value == 1 else "s")
    return short_text(dict(schedule))


def _schedule(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    before = _mapping(_mapping(old.get("entity_metadata")).get("schedule"))
    after = _mapping(_mapping(new.get("entity_metadata")).get("schedule"))
    path = "spec.entity_metadata.schedule"
    if before == after:
        return []
    if before and not after:
        text = f"schedule removed (was {_schedule_text(before)})"
        return [_breaking(Category.SCHEDULE, text, path, "schedule-removed", behavioural=True)]
    if after and not before:
        return [_compatible(Category.SCHEDULE, f"schedule added: {_schedule_text(after)}", path)]
    text = f"schedule: {_schedule_text(before)} -> {_schedule_text(after)}"
    if _schedule_text(before) == _schedule_text(after):
        text = f"schedule changed ({_schedule_text(after)})"
    return [_compatible(Category.SCHEDULE, text, path)]


def _literals(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(_mapping(spec.get("fixed_inputs")).get("literals"))


def _fixed_inputs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    before, after = _literals(old), _literals(new)
    changes = []
    for name in sorted(set(before) | set(after)):
        path = f"spec.fixed_inputs.literals.{name}"
        if name not in after:
            text = f"fixed input '{name}' removed (callers may now pass it)"
            changes.append(_compatible(Category.FIXED_INPUTS, text, path))
        elif name not in before:
            text = f"fixed input '{name}' added: {literal_text(after[name])}"
            changes.append(
                _breaking(Category.FIXED_INPUTS, text, path, "fixed-input-added", behavioural=True)
            )
        elif before[name] != after[name]:
            text = (
                f"fixed input '{name}': {literal_text(before[name])} -> {literal_text(after[name])}"
            )
            changes.append(
                _breaking(
                    Category.FIXED_INPUTS, text, path, "fixed-input-changed", behavioural=True
                )
            )
    return changes


def _parameters(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(_mapping(spec.get("default_inputs")).get("parameters"))


def _required(parameter: Mapping[str, Any]) -> bool:
    return bool(parameter.get("required")) and "default" not in parameter


def _default_inputs(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    before, after = _parameters(old), _parameters(new)
    changes: list[Change] = []
    cat = Category.DEFAULT_INPUTS
    for name in sorted(set(before) | set(after)):
        path = f"spec.default_inputs.parameters.{name}"
        was, now = _mapping(before.get(name)), _mapping(after.get(name))
        if name not in after:
            text = f"input '{name}' removed"
            changes.append(_breaking(cat, text, path, "input-removed", behavioural=False))
            continue
        if name not in before:
            typ = short_type(_mapping(now.get("var")).get("type"))
            if _required(now):
                text = f"input '{name}' added ({typ}) and required"
                changes.append(_breaking(cat, text, path, "input-required", behavioural=False))
            else:
                changes.append(_compatible(cat, f"input '{name}' added ({typ})", path))
            continue
        old_type = _mapping(was.get("var")).get("type")
        new_type = _mapping(now.get("var")).get("type")
        if old_type != new_type:
            text = f"input '{name}' type changed: {short_type(old_type)} -> {short_type(new_type)}"
            changes.append(_breaking(cat, text, path, "input-retyped", behavioural=False))
        if _required(now) and not _required(was):
            text = f"input '{name}' is now required (its default was removed)"
            changes.append(_breaking(cat, text, path, "input-default-removed", behavioural=False))
        elif was.get("default") != now.get("default"):
            text = (
                f"default of input '{name}': {literal_text(was.get('default'))} -> "
                f"{literal_text(now.get('default'))}"
            )
            changes.append(_compatible(cat, text, path))
    return changes
