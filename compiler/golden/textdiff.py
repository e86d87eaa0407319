"""Line diffs of two renderings: unified text for terminals, side-by-side rows for HTML."""

from __future__ import annotations

import difflib
import re

from compiler.golden.model import SideBySideRow

__all__ = ["side_by_side", "unified_diff", "word_parts"]

_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
#: Lines longer than this are not split into words (the comparison is quadratic).
MAX_WORD_DIFF_CHARS = 2000

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
        old_line = old[i1 + k] if has_old else ""
        new_line = new[j1 + k] if has_new else ""
        old_parts, new_parts = word_parts(old_line, new_line) if kind == "changed" else ((), ())
        rows.append(
            SideBySideRow(
                kind,
                i1 + k + 1 if has_old else 0,
                old_line,
                j1 + k + 1 if has_new else 0,
                new_line,
                old_parts,
                new_parts,
            )
        )
    return rows


Parts = tuple[tuple[str, bool], ...]


def word_parts(old: str, new: str) -> tuple[Parts, Parts]:
    """Both lines split into ``(text, differs)`` pieces: the words that changed are marked."""
    if len(old) + len(new) > MAX_WORD_DIFF_CHARS:
        return ((old, True),), ((new, True),)
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    old_parts: list[tuple[str, bool]] = []
    new_parts: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        same = tag == "equal"
        if i2 > i1:
            _append(old_parts, "".join(a[i1:i2]), not same)
        if j2 > j1:
            _append(new_parts, "".join(b[j1:j2]), not same)
    return tuple(old_parts), tuple(new_parts)


def _append(parts: list[tuple[str, bool]], text: str, differs: bool) -> None:
    if parts and parts[-1][1] == differs:
        parts[-1] = (parts[-1][0] + text, differs)
    else:
        parts.append((text, differs))
