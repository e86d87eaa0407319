"""Line diffs of two renderings: unified text for terminals, side-by-side rows for HTML."""

from __future__ import annotations

import difflib

from compiler.golden.model import SideBySideRow

__all__ = ["side_by_side", "unified_diff"]

#: Unchanged lines shown around each change.
CONTEXT_LINES = 3


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A ``diff -u`` style text of ``old`` -> ``new`` (empty when equal)."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=old_name,
        tofile=new_name,
        n=CONTEXT_LINES,
    )
    text = ""
    for line in lines:
        text += line if line.endswith("\n") else line + "\n"
    return text


def side_by_side(old: str, new: str) -> tuple[SideBySideRow, ...]:
    """Rows pairing old and new lines, with unchanged stretches collapsed to ``skip`` rows."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[SideBySideRow] = []
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        first = group[0]
        rows.append(SideBySideRow("skip", first[1] + 1, "", first[3] + 1, ""))
        for tag, i1, i2, j1, j2 in group:
            rows.extend(_rows(tag, old_lines, i1, i2, new_lines, j1, j2))
    return tuple(rows)


def _rows(
    tag: str, old: list[str], i1: int, i2: int, new: list[str], j1: int, j2: int
) -> list[SideBySideRow]:
    if tag == "equal":
        return [
            SideBySideRow("equal", i1 + k + 1, old[i1 + k], j1 + k + 1, new[j1 + k])
            for k in range(i2 - i1)
        ]
    rows = []
    for k in range(max(i2 - i1, j2 - j1)):
        has_old, has_new = i1 + k < i2, j1 + k < j2
        kind = "changed" if has_old and has_new else ("removed" if has_old else "added")
        rows.append(
            SideBySideRow(
                kind,
                i1 + k + 1 if has_old else 0,
                old[i1 + k] if has_old else "",
                j1 + k + 1 if has_new else 0,
                new[j1 + k] if has_new else "",
            )
        )
    return rows
