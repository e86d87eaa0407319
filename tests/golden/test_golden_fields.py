"""Leaf diffs, line diffs and compact type names (exact results)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.golden import FieldChange, SideBySideRow
from compiler.golden.fields import diff_fields, flatten
from compiler.golden.interface_rules import short_type
from compiler.golden.textdiff import side_by_side, unified_diff, word_parts


def test_flatten_paths() -> None:
    data = {"a": {"b": [1, {"c": "x"}], "e": {}}, "f": []}
    assert flatten(data) == {"a.b[0]": 1, "a.b[1].c": "x", "a.e": {}, "f": []}


def test_keys_that_are_not_names_are_quoted() -> None:
    data = {"labels": {"pool.example.com/tier": "batch", "": 1}, "a.b": 2}
    assert flatten(data) == {
        'labels["pool.example.com/tier"]': "batch",
        'labels[""]': 1,
        '["a.b"]': 2,
    }


def test_diff_fields_reports_added_removed_changed() -> None:
    old = {"a": 1, "b": {"c": [1, 2]}, "d": "x"}
    new = {"a": 2, "b": {"c": [1]}, "e": True}
    assert diff_fields(old, new) == (
        FieldChange("a", "1", "2"),
        FieldChange("b.c[1]", "2", None),
        FieldChange("d", "x", None),
        FieldChange("e", None, "true"),
    )


def test_type_changes_are_seen_even_when_equal_in_python() -> None:
    assert diff_fields({"a": 1}, {"a": 1.0}) == (FieldChange("a", "1", "1.0"),)
    assert diff_fields({"a": 1}, {"a": True}) == (FieldChange("a", "1", "true"),)


def test_empty_container_filled_in_counts_once() -> None:
    assert diff_fields({"r": {}}, {"r": {"x": [1]}}) == (FieldChange("r.x[0]", None, "1"),)


def test_yaml_only_values_do_not_crash() -> None:
    when = datetime.date(2024, 5, 1)
    assert diff_fields({"a": "2024-05-01"}, {"a": when}) == (
        FieldChange("a", "2024-05-01", '"2024-05-01"'),
    )


def test_long_values_are_cut() -> None:
    (change,) = diff_fields({"a": "x" * 200}, {"a": "y\nz"})
    assert change.old == "x" * 119 + "…"
    assert change.new == "y\\nz"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(_JSON, _JSON)
def test_diff_fields_properties(a: Any, b: Any) -> None:
    assert diff_fields(a, a) == ()
    forward, backward = diff_fields(a, b), diff_fields(b, a)
    assert [(c.path, c.old, c.new) for c in forward] == [(c.path, c.new, c.old) for c in backward]
    same = json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert (forward == ()) == same


def test_unified_diff() -> None:
    assert unified_diff("a\nb\n", "a\nc\n", "old", "new") == (
        "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
    )
    assert unified_diff("same\n", "same\n", "old", "new") == ""


def test_side_by_side_rows() -> None:
    old = "\n".join(f"l{i}" for i in range(1, 11))
    new = old.replace("l5", "L5").replace("l10", "l10\nl11")
    assert side_by_side(old, new) == (
        SideBySideRow("skip", 2, "", 2, ""),
        SideBySideRow("equal", 2, "l2", 2, "l2"),
        SideBySideRow("equal", 3, "l3", 3, "l3"),
        SideBySideRow("equal", 4, "l4", 4, "l4"),
        SideBySideRow("changed", 5, "l5", 5, "L5", (("l5", True),), (("L5", True),)),
        SideBySideRow("equal", 6, "l6", 6, "l6"),
        SideBySideRow("equal", 7, "l7", 7, "l7"),
        SideBySideRow("equal", 8, "l8", 8, "l8"),
        SideBySideRow("equal", 9, "l9", 9, "l9"),
        SideBySideRow("equal", 10, "l10", 10, "l10"),
        SideBySideRow("added", 0, "", 11, "l11"),
    )


def test_word_parts_mark_only_the_changed_words() -> None:
    old, new = word_parts("    image: app:2.0  # main", "    image: app:2.1  # main")
    assert old == (("    image: app:2.", False), ("0", True), ("  # main", False))
    assert new == (("    image: app:2.", False), ("1", True), ("  # main", False))
    assert "".join(text for text, _ in old) == "    image: app:2.0  # main"


def test_short_type_names() -> None:
    assert short_type({"collection_type": {"map_value_type": {"simple": "FLOAT"}}}) == (
        "list[dict[str, FLOAT]]"
    )
    union = {"union_type": {"variants": [{"simple": "INTEGER"}, {"simple": "NONE"}]}}
    assert short_type(union) == "INTEGER | NONE"
    assert short_type({"enum_type": {"values": ["web", "store"]}}) == "enum(web, store)"
    assert short_type({"blob": {}}) == "file"
    assert short_type({"blob": {"dimensionality": "MULTIPART", "format": "csv"}}) == (
        "directory[csv]"
    )
    assert short_type({"simple": "STRUCT", "metadata": {"title": "Endpoint"}}) == "STRUCT(Endpoint)"
    assert short_type({"structured_dataset_type": {}}) == "structured dataset"
    assert short_type(None) == "?"
