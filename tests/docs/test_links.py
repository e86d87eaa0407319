"""Every link of the README and the docs stays inside the repository and resolves."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from markdown_files import LINKED_DOCUMENTS, REPO, anchors, blocks, links

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
#: Paths that exist only on one machine; a fresh clone has none of them.
_MACHINE_PATHS = re.compile(r"(/work/|/home/\w|/Users/\w|/tmp/pytest|shared/WIRE-FORMAT)")


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


ALL_LINKS = [link for document in LINKED_DOCUMENTS for link in links(document)]


def test_the_documents_have_links() -> None:
    assert len(ALL_LINKS) > 20  # the walk below sees the links at all


@pytest.mark.parametrize(
    "link", ALL_LINKS, ids=[f"{_name(k.document)}:{k.line}:{k.target}" for k in ALL_LINKS]
)
def test_link_stays_in_the_repository_and_resolves(link) -> None:  # type: ignore[no-untyped-def]
    where = f"{_name(link.document)}:{link.line}"
    assert not _SCHEME.match(link.target), f"{where}: {link.target} leaves the repository"
    path_part, _, fragment = link.target.partition("#")
    target = (link.document.parent / unquote(path_part)).resolve() if path_part else link.document
    assert target == REPO or REPO in target.parents, f"{where}: {link.target} leaves the repository"
    assert target.exists(), f"{where}: {link.target} does not exist"
    if fragment and target.suffix == ".md":
        assert fragment in anchors(target), f"{where}: no heading '#{fragment}' in {_name(target)}"


@pytest.mark.parametrize("document", LINKED_DOCUMENTS, ids=[_name(d) for d in LINKED_DOCUMENTS])
def test_no_machine_specific_paths(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    found = [
        f"{_name(document)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for m in _MACHINE_PATHS.finditer(text)
    ]
    assert found == []


def test_fences_are_closed() -> None:
    for document in LINKED_DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        fences = sum(1 for line in text.splitlines() if line.strip().startswith("```"))
        assert fences % 2 == 0, f"{_name(document)}: an unclosed code fence"
        assert blocks(document) or fences == 0


def test_console_blocks_run_only_their_prompted_lines() -> None:
    from markdown_files import Block, commands

    block = Block(REPO, "console", 10, "$ compile-tasks --version\ncompile-tasks, version 1\n")
    assert list(commands(block)) == [(10, "compile-tasks --version")]
    shell = Block(REPO, "bash", 3, "# a comment\nls \\\n  -l\n\n$ pwd\n")
    assert list(commands(shell)) == [(4, "ls -l"), (7, "pwd")]
