"""Entity names: refused at definition time when no tool could show or register them.

A name holding a newline or another control character would break every line-based output
(error lines, ``list``, goldens, flytectl) and cannot be typed back; it is refused where the
entity is defined (CT128), not later when a bundle file is named after it.
"""

from __future__ import annotations

from compiler.errors import DefinitionError, SourceLocation

__all__ = ["check_entity_name"]

_CONTROL = frozenset(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)))


def check_entity_name(name: object, location: SourceLocation | None = None) -> None:
    """Raise CT128 when ``name`` is a string holding control characters (newline, tab, ...).

    Other name rules (empty, separators, length) are the bundle's, checked when it is named.
    """
    if not isinstance(name, str) or name.isprintable():
        return  # every control character is unprintable: the usual name needs no scan
    bad = next((c for c in name if c in _CONTROL), None)
    if bad is None:
        return
    raise DefinitionError(
        f"entity name {name!r} contains the control character {bad!r}",
        code="CT128",
        param="name",
        param_kind="option",
        hint="entity names are shown on one line and typed back: use letters, digits, '.', "
        "'_' and '-'",
        location=location,
        task=name.encode("unicode_escape").decode("ascii"),  # shown on one line
    )
