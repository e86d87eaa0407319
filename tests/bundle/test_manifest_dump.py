"""The manifest's fast layout is byte-identical to ``json.dumps(indent=2)``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.bundle.manifest import (
    ManifestEntry,
    dump_manifest,
    entity_block,
    entity_record,
    record_block,
    record_of,
)
from compiler.idl import EntityKind

_SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
_FLAT = st.dictionaries(st.text(), _SCALARS, max_size=7)
_ANY = st.recursive(_SCALARS, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner))


def _reference(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(), _ANY, max_size=4), st.lists(_FLAT | _ANY, max_size=6))
def test_dump_equals_json_indent_2(head: dict[str, Any], entities: list[Any]) -> None:
    manifest = {**{k: v for k, v in head.items() if k != "entities"}, "entities": entities}
    assert dump_manifest(manifest) == _reference(manifest)


def test_a_real_manifest_shape() -> None:
    manifest = {
        "generator": "compile-tasks",
        "format_version": 1,
        "settings": {"image": "a:1", "images": {}, "env": {"K": "é"}},
        "archive": {"file": "bundle.tgz", "members": 2, "tar_sha256": "ab"},
        "entities": [
            {"name": "shop.a", "kind": "task", "render_key": None, "source": "a.py:3"},
            {"name": 'q"uote\\', "kind": "task", "render_key": "k", "source": None},
        ],
    }
    assert dump_manifest(manifest) == _reference(manifest)


@pytest.mark.parametrize("kind", list(EntityKind))
@pytest.mark.parametrize("yaml", [None, "yaml/00_a_1.yaml"])
def test_record_of_is_the_entry_record(kind: EntityKind, yaml: str | None) -> None:
    """The writer lays out each entity's block from :func:`record_of`, without an entry."""
    fields = {"name": 'a."b"é', "kind": kind, "file": "00_a_1.pb", "sha256": "ab", "source": None}
    yaml_fields = {"yaml": yaml, "yaml_sha256": "cd" if yaml else None}
    entry = ManifestEntry(**fields, **yaml_fields)  # type: ignore[arg-type]
    assert record_of(**fields, **yaml_fields) == entity_record(entry)  # type: ignore[arg-type]
    assert entity_block(record_of(**fields, **yaml_fields)) == entity_block(entity_record(entry))  # type: ignore[arg-type]


_TEXT_OR_NONE = st.none() | st.text()


@settings(max_examples=200, deadline=None)
@given(
    st.text(),
    st.sampled_from(list(EntityKind)),
    st.text(),
    st.text(),
    _TEXT_OR_NONE,
    _TEXT_OR_NONE,
    _TEXT_OR_NONE,
)
def test_record_block_is_the_records_block(
    name: str,
    kind: EntityKind,
    file: str,
    sha256: str,
    source: str | None,
    yaml: str | None,
    yaml_sha256: str | None,
) -> None:
    """The writer's shortcut lays out what :func:`entity_block` lays out for the record."""
    fields = (name, kind, file, sha256, source, yaml, yaml_sha256)
    assert record_block(record_of(*fields)) == entity_block(record_of(*fields))
    assert record_block(record_of(*fields[:5])) == entity_block(record_of(*fields[:5]))
