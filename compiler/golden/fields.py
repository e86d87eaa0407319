"""Leaf-by-leaf differences between two parsed renderings.

Both sides are flattened to ``{dotted path: value}`` (list items as ``[i]``, empty containers as
leaves so that ``metadata: {}`` appearing or disappearing is seen), then compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from compiler.golden.model import FieldChange

__all__ = ["diff_fields", "flatten", "short_text"]

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

#: Values longer than this are cut in field listings (the unified diff has them in full).
MAX_VALUE_CHARS = 120


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten nested dicts/lists into ``{path: leaf}``; empty containers are leaves.

    Keys that are not plain names (labels such as ``pool.example.com/tier``, empty keys) are
    written ``["..."]`` so that no two leaves can share a path.
    """
    out: dict[str, Any] = {}
    if isinstance(data, Mapping) and data:
        for key, value in data.items():
            out.update(flatten(value, _join(prefix, str(key))))
    elif isinstance(data, list) and data:
        for index, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{index}]"))
    else:
        out[prefix] = data
    return out


def _join(prefix: str, key: str) -> str:
    if not _PLAIN_KEY.fullmatch(key):
        return f"{prefix}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{prefix}.{key}" if prefix else key


def diff_fields(old: Any, new: Any) -> tuple[FieldChange, ...]:
    """The leaves that differ between ``old`` and ``new``, sorted by path."""
    old_flat, new_flat = flatten(old), flatten(new)
    changes = []
    for path in sorted(set(old_flat) | set(new_flat)):
        in_old, in_new = path in old_flat, path in new_flat
        if _filled_in(path, old_flat, new_flat) or _filled_in(path, new_flat, old_flat):
            continue
        if in_old and in_new and _same(old_flat[path], new_flat[path]):
            continue
        changes.append(
            FieldChange(
                path=path,
                old=short_text(old_flat[path]) if in_old else None,
                new=short_text(new_flat[path]) if in_new else None,
            )
        )
    return tuple(changes)


def _filled_in(path: str, one: dict[str, Any], other: dict[str, Any]) -> bool:
    """True when ``path`` is an empty container on one side and has children on the other.

    ``resources: {}`` becoming ``resources: {requests: [...]}`` is reported as the new
    children only, not also as the empty container disappearing.
    """
    if path not in one or path in other or one[path] not in ({}, []):
        return False
    return any(key.startswith((f"{path}.", f"{path}[")) for key in other)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def short_text(value: Any) -> str:
    """A one-line, JSON-like text of a leaf, cut at ``MAX_VALUE_CHARS``."""
    # ``default=str``: a hand-edited golden may hold YAML dates, !!binary or !!set values.
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text.replace("\n", "\\n")
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def literal_text(literal: Any) -> str:
    """A flyteidl ``Literal`` in JSON form as a short value: ``500``, ``"EUR"``, ``[1, 2]``.

    Falls back to :func:`short_text` of the JSON form for literals it does not know.
    """
    value = _literal_value(literal)
    return short_text(literal) if value is _UNKNOWN else short_text(value)


_UNKNOWN = object()
_PRIMITIVES = ("integer", "float_value", "string_value", "boolean", "datetime", "duration")


def _literal_value(literal: Any) -> Any:
    if not isinstance(literal, Mapping):
        return _UNKNOWN
    if "collection" in literal:
        items = [_literal_value(x) for x in (literal["collection"] or {}).get("literals", [])]
        return _UNKNOWN if _UNKNOWN in items else items
    if "map" in literal:
        pairs = {
            k: _literal_value(v) for k, v in ((literal["map"] or {}).get("literals") or {}).items()
        }
        return _UNKNOWN if _UNKNOWN in pairs.values() else pairs
    scalar = literal.get("scalar")
    if not isinstance(scalar, Mapping):
        return _UNKNOWN
    if "none_type" in scalar:
        return None
    primitive = scalar.get("primitive")
    if isinstance(primitive, Mapping):
        for key in _PRIMITIVES:
            if key in primitive:
                value = primitive[key]
                return (
                    int(value) if key == "integer" and str(value).lstrip("-").isdigit() else value
                )
    return _UNKNOWN
