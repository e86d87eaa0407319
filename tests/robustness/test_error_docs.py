"""Every error code the compiler can print is documented, and ``docs/errors/index.md`` is whole.

The fuzzers accept an error only when its code has a row in a ``docs/errors/<area>.md`` table;
these tests make sure the tables cover every code written in ``compiler/``, and that the merged
index lists every code of every area page, linking to the page that documents it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from robust_helpers import DOCS_ERRORS, documented_codes

COMPILER = Path(__file__).resolve().parents[2] / "compiler"
INDEX = DOCS_ERRORS / "index.md"

#: Class defaults in compiler/errors.py (``CT000``, ``CT001``, ``CTx00``): never raised with
#: that code on purpose, every raise site passes its own code.
_DEFAULTS = frozenset({"CT000", "CT001", *(f"CT{n}00" for n in range(1, 9))})
_CODE_IN_SOURCE = re.compile(r"[\"'](CT\d{3})[\"']|error (CT\d{3}):")
_INDEX_ROW = re.compile(r"^\| (CT\d{3}) \| (.+?) \| (.+?) \|$", re.MULTILINE)

#: Codes raised in compiler/ that no docs/errors table documents yet: code -> the gap.
UNDOCUMENTED: dict[str, str] = {}


def raised_codes() -> dict[str, str]:
    """``code -> first file`` for every code literal in ``compiler/`` (defaults excluded)."""
    found: dict[str, str] = {}
    for path in sorted(COMPILER.rglob("*.py")):
        for match in _CODE_IN_SOURCE.finditer(path.read_text(encoding="utf-8")):
            code = match.group(1) or match.group(2)
            if code not in _DEFAULTS:
                found.setdefault(code, str(path.relative_to(COMPILER.parent)))
    return found


def _params() -> list[object]:
    return [
        pytest.param(
            code,
            marks=[pytest.mark.xfail(strict=True, reason=UNDOCUMENTED[code])]
            if code in UNDOCUMENTED
            else [],
        )
        for code in sorted(raised_codes())
    ]


@pytest.mark.parametrize("code", _params())
def test_raised_code_has_a_table_row(code: str) -> None:
    assert code in documented_codes(), f"{code} ({raised_codes()[code]}) is not documented"


def test_index_lists_every_code_of_every_area_page() -> None:
    rows = {m.group(1): m.group(3) for m in _INDEX_ROW.finditer(INDEX.read_text("utf-8"))}
    assert set(rows) == documented_codes() | set(UNDOCUMENTED)
    for code, where in rows.items():
        for page in re.findall(r"\]\(([a-z]+\.md)\)", where):
            text = (DOCS_ERRORS / page).read_text(encoding="utf-8")
            assert code in text, f"index says {code} is in {page}"


def test_index_rows_are_sorted_and_unique() -> None:
    codes = [m.group(1) for m in _INDEX_ROW.finditer(INDEX.read_text("utf-8"))]
    assert codes == sorted(set(codes))
