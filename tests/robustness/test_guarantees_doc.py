"""``docs/guarantees.md`` names, for every promise, tests that exist.

Each ``file.py::test_name`` reference (in ``tests/robustness/`` unless the path says
otherwise) must be a test function defined in that file, so a renamed or deleted test cannot
leave a promise without its proof.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "guarantees.md"
_REF = re.compile(r"`((?:tests/[\w/]+/)?test_\w+\.py)::(test_\w+)`")


def _references() -> list[tuple[str, str]]:
    return sorted(set(_REF.findall(DOC.read_text(encoding="utf-8"))))


def test_every_promise_names_a_test() -> None:
    sections = DOC.read_text(encoding="utf-8").split("\n* **")[1:]
    assert sections
    for section in sections:
        assert _REF.search(section), f"promise without a test: {section[:80]!r}"


@pytest.mark.parametrize(("file", "name"), _references())
def test_named_test_exists(file: str, name: str) -> None:
    path = ROOT / file if file.startswith("tests/") else Path(__file__).parent / file
    assert path.is_file(), file
    assert re.search(rf"^def {name}\(", path.read_text(encoding="utf-8"), re.MULTILINE), (
        f"{file}::{name} is named in docs/guarantees.md but not defined"
    )
