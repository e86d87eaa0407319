"""Turning plain data into canonical YAML text and back.

One dumper configuration for everything the project writes as YAML: keys in the order given
(callers order them), no anchors or aliases, unicode kept, a fixed line width, multi-line strings
as literal blocks. Reading uses ``yaml.safe_load`` only: a rendering never needs a Python tag.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["LINE_WIDTH", "dump_yaml", "load_yaml"]

#: Fixed so that the text does not depend on PyYAML's default.
LINE_WIDTH = 100


class _CanonicalDumper(yaml.SafeDumper):
    """SafeDumper that never emits anchors/aliases and writes multi-line strings as blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key (yamllint's default style), whatever PyYAML prefers.
        super().increase_indent(flow, False)


#: Characters YAML reads as line breaks although PyYAML writes them raw with allow_unicode;
#: strings holding them are double-quoted, where PyYAML escapes them (\N, \L, \P, \r).
_RAW_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # A literal block keeps SQL, docstrings and scripts readable; PyYAML itself falls back to a
    # quoted style when the string cannot be a block (trailing spaces, special characters).
    if _RAW_BREAKS.intersection(value):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_CanonicalDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """Dump plain data as canonical YAML (insertion order, no aliases, unicode, width 100)."""
    return yaml.dump(
        data,
        Dumper=_CanonicalDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=LINE_WIDTH,
        indent=2,
        explicit_start=False,
    )


def load_yaml(text: str) -> Any:
    """Parse YAML text with ``yaml.safe_load`` (no Python tags, no arbitrary objects)."""
    return yaml.safe_load(text)
