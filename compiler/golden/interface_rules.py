"""Semantic rules for interface changes: what breaks callers and what does not.

Breaking: an input or output removed or renamed, an input or output type changed, a new input
without a default, an input that loses its default. Compatible: a new output, a new input with
a default, a default added or changed. Description changes are documentation (info).

"Has a default" comes from the ``compile_tasks.defaults`` facts of the rendering: the protobuf
has no defaults for tasks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.golden.fields import short_text
from compiler.golden.model import Category, Change, Impact

__all__ = ["interface_changes", "short_type", "variables"]

_INTERFACE = "template.interface"
_DEFAULTS = "compile_tasks.defaults"
_SIMPLE_WRAPPERS = {
    "collection_type": "list[{}]",
    "map_value_type": "dict[str, {}]",
}


def interface_changes(
    old_body: Mapping[str, Any],
    new_body: Mapping[str, Any],
    old_facts: Mapping[str, Any],
    new_facts: Mapping[str, Any],
) -> list[Change]:
    """Semantic changes of inputs, outputs and input defaults between two renderings."""
    old_defaults = _mapping(old_facts.get("defaults"))
    new_defaults = _mapping(new_facts.get("defaults"))
    changes = _side_changes(
        "input", _variables(old_body, "inputs"), _variables(new_body, "inputs"), new_defaults
    )
    changes += _side_changes(
        "output", _variables(old_body, "outputs"), _variables(new_body, "outputs"), None
    )
    common = set(_variables(old_body, "inputs")) & set(_variables(new_body, "inputs"))
    changes += _default_changes(sorted(common), old_defaults, new_defaults)
    return changes


def short_type(literal_type: Any) -> str:
    """A compact, readable text of a ``LiteralType`` in JSON form (``list[INTEGER]``)."""
    if not isinstance(literal_type, Mapping):
        return "?"
    for key, pattern in _SIMPLE_WRAPPERS.items():
        if key in literal_type:
            return pattern.format(short_type(literal_type[key]))
    if "union_type" in literal_type:
        variants = literal_type["union_type"].get("variants", [])
        return " | ".join(short_type(v) for v in variants)
    if "enum_type" in literal_type:
        return "enum(" + ", ".join(literal_type["enum_type"].get("values", [])) + ")"
    if "blob" in literal_type:
        blob = literal_type["blob"] or {}
        kind = "directory" if blob.get("dimensionality") == "MULTIPART" else "file"
        return f"{kind}[{blob['format']}]" if blob.get("format") else kind
    if "structured_dataset_type" in literal_type:
        return "structured dataset"
    if "schema" in literal_type:
        return "schema"
    simple = str(literal_type.get("simple", "?"))
    title = (literal_type.get("metadata") or {}).get("title")
    return f"{simple}({title})" if title else simple


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def variables(body: Mapping[str, Any], side: str) -> dict[str, Any]:
    """The ``variables`` of one side (``inputs``/``outputs``) of a rendering's interface."""
    return _variables(body, side)


def _variables(body: Mapping[str, Any], side: str) -> dict[str, Any]:
    interface = _mapping(_mapping(body.get("template")).get("interface"))
    return dict(_mapping(_mapping(interface.get(side)).get("variables")))


def _path(side: str, name: str, leaf: str = "") -> str:
    return f"{_INTERFACE}.{side}s.variables.{name}{leaf}"


def _side_changes(
    side: str,
    old: dict[str, Any],
    new: dict[str, Any],
    defaults: Mapping[str, Any] | None,
) -> list[Change]:
    """Changes of one side; ``defaults`` (inputs only) decides whether an addition breaks."""
    removed = [n for n in old if n not in new]
    added = [n for n in new if n not in old]
    changes: list[Change] = []
    for old_name, new_name in _renames(removed, added, old, new):
        removed.remove(old_name)
        added.remove(new_name)
        changes.append(
            Change(
                Category.INTERFACE,
                Impact.BREAKING,
                f"{side} '{old_name}' renamed to '{new_name}'",
                (_path(side, old_name), _path(side, new_name)),
                rule=f"{side}-renamed",
            )
        )
    for name in removed:
        changes.append(
            Change(
                Category.INTERFACE,
                Impact.BREAKING,
                f"{side} '{name}' removed",
                (_path(side, name),),
                rule=f"{side}-removed",
            )
        )
    for name in added:
        changes.append(_addition(side, name, _mapping(new[name]), defaults))
    for name in sorted(set(old) & set(new)):
        changes += _variable_changes(side, name, _mapping(old[name]), _mapping(new[name]))
    return changes


def _renames(
    removed: list[str], added: list[str], old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[str, str]]:
    """Pairs (old, new) whose type is equal and unique among the removed and added names."""
    pairs = []
    for old_name in removed:
        old_type = _mapping(old[old_name]).get("type")
        same_new = [n for n in added if _mapping(new[n]).get("type") == old_type]
        same_old = [n for n in removed if _mapping(old[n]).get("type") == old_type]
        if len(same_new) == 1 and len(same_old) == 1:
            pairs.append((old_name, same_new[0]))
    return pairs


def _variable_changes(
    side: str, name: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[Change]:
    changes = []
    if old.get("type") != new.get("type"):
        types = f"{short_type(old.get('type'))} -> {short_type(new.get('type'))}"
        text = f"{side} '{name}' type changed: {types}"
        changes.append(
            Change(
                Category.INTERFACE,
                Impact.BREAKING,
                text,
                (_path(side, name, ".type"),),
                rule=f"{side}-retyped",
            )
        )
    if old.get("description") != new.get("description"):
        changes.append(
            Change(
                Category.DOCUMENTATION,
                Impact.INFO,
                f"{side} '{name}' description changed",
                (_path(side, name, ".description"),),
            )
        )
    return changes


def _addition(
    side: str, name: str, variable: Mapping[str, Any], defaults: Mapping[str, Any] | None
) -> Change:
    """A new output is compatible; a new input only when the new facts give it a default."""
    text = f"{side} '{name}' added ({short_type(variable.get('type'))})"
    path = (_path(side, name),)
    if defaults is None:
        return Change(Category.INTERFACE, Impact.COMPATIBLE, text, path)
    if name in defaults:
        text += f" with default {short_text(defaults[name])}"
        return Change(Category.INTERFACE, Impact.COMPATIBLE, text, path)
    return Change(
        Category.INTERFACE,
        Impact.BREAKING,
        f"{text} without a default",
        path,
        rule="input-required",
    )


def _default_changes(
    names: list[str], old_defaults: Mapping[str, Any], new_defaults: Mapping[str, Any]
) -> list[Change]:
    changes = []
    for name in names:
        path = (f"{_DEFAULTS}.{name}",)
        had, has = name in old_defaults, name in new_defaults
        if had and not has:
            changes.append(
                Change(
                    Category.INTERFACE,
                    Impact.BREAKING,
                    f"input '{name}' no longer has a default",
                    path,
                    rule="input-default-removed",
                )
            )
        elif has and not had:
            text = f"input '{name}' now has default {short_text(new_defaults[name])}"
            changes.append(Change(Category.INTERFACE, Impact.COMPATIBLE, text, path))
        elif had and old_defaults[name] != new_defaults[name]:
            text = (
                f"default of input '{name}' changed: "
                f"{short_text(old_defaults[name])} -> {short_text(new_defaults[name])}"
            )
            changes.append(Change(Category.INTERFACE, Impact.COMPATIBLE, text, path))
    return changes
