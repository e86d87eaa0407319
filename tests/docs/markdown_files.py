"""Read the README and the docs the way a reader (and GitHub) does: links, headings, commands."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: The documents a newcomer reads: the README and every page under docs/.
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
#: Also walked for links (its commands take minutes: benchmarks are run by hand).
LINKED_DOCUMENTS = [*DOCUMENTS, REPO / "benchmarks" / "README.md"]

_FENCE = re.compile(r"^(```+|~~~+)(.*)$")
_LINK = re.compile(r"(?<!\!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<target>[^)\s]+)\)")
_AUTOLINK = re.compile(r"<(?P<target>[a-z][a-z0-9+.-]*:[^>\s]+)>")
_INLINE_CODE = re.compile(r"`[^`]*`")
#: Shell fences: their lines are commands that must run as written.
SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "console"})


@dataclass(frozen=True)
class Block:
    """A fenced block: its language word, first line number and text."""

    document: Path
    language: str
    line: int
    text: str


@dataclass(frozen=True)
class Link:
    """A link of the prose (outside fenced blocks and inline code)."""

    document: Path
    line: int
    target: str


def _split(document: Path) -> tuple[list[tuple[int, str]], list[Block]]:
    """The prose lines (number, text) and the fenced blocks of a document."""
    prose: list[tuple[int, str]] = []
    blocks: list[Block] = []
    fence: tuple[str, str, int, list[str]] | None = None
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        match = _FENCE.match(line.strip())
        if fence is None and match:
            fence = (match.group(1), match.group(2).strip().split(" ")[0], number + 1, [])
        elif (
            fence is not None
            and line.strip().startswith(fence[0])
            and not line.strip()[len(fence[0]) :].strip()
        ):
            blocks.append(Block(document, fence[1], fence[2], "\n".join(fence[3])))
            fence = None
        elif fence is not None:
            fence[3].append(line)
        else:
            prose.append((number, line))
    return prose, blocks


def blocks(document: Path) -> list[Block]:
    """Every fenced block of ``document``."""
    return _split(document)[1]


def links(document: Path) -> Iterator[Link]:
    """Every link of the prose of ``document`` (markdown links, images and autolinks)."""
    for number, line in _split(document)[0]:
        text = _INLINE_CODE.sub("", line)
        for pattern in (_LINK, _IMAGE, _AUTOLINK):
            for match in pattern.finditer(text):
                yield Link(document, number, match.group("target"))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(document: Path) -> set[str]:
    """The anchors of ``document``'s headings (repeated ones numbered as GitHub does)."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in _split(document)[0]:
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def commands(block: Block) -> Iterator[tuple[int, str]]:
    """The command lines of a shell block (continuations joined), with their line numbers.

    In a ``console`` block only the lines after a ``$ `` prompt are commands (the others are
    their output); in other shell blocks every line is, a leading ``$ `` being dropped.
    """
    pending: list[str] = []
    start = block.line
    for offset, line in enumerate(block.text.splitlines()):
        stripped = line.strip()
        if not pending:
            start = block.line + offset
            if stripped.startswith("$ "):
                stripped = stripped[2:].strip()
            elif block.language == "console":
                continue
            if not stripped or stripped.startswith("#"):
                continue
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        yield start, " ".join(part for part in pending if part)
        pending = []
