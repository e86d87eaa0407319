"""``manifest.json``: what a bundle holds, and how to tell our bundles from other folders.

The manifest lists the compiler version, the effective settings and, per entity, its name,
kind, files, sha256 and source ``file:line`` (relative to the source root). Keys are written in
a fixed order; nothing machine- or time-dependent goes in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from compiler._version import __version__
from compiler.idl import EntityKind
from compiler.records import frozen_record

__all__ = [
    "FORMAT_VERSION",
    "GENERATOR",
    "MANIFEST_NAME",
    "ManifestEntry",
    "build_manifest",
    "dump_manifest",
    "entity_block",
    "entity_record",
    "is_bundle_dir",
    "load_manifest",
    "record_block",
    "record_of",
]

MANIFEST_NAME = "manifest.json"
GENERATOR = "compile-tasks"
#: 2: renderings are optional (``yaml`` and ``yaml_sha256`` only when written).
FORMAT_VERSION = 2


@frozen_record(into_dict=True)
class ManifestEntry:
    """One entity as listed in the manifest.

    ``yaml`` and ``yaml_sha256`` (of the rendering's bytes) are set when the bundle holds
    renderings. ``blob`` (``(part, offset, size)`` of the ``.pb`` bytes in the
    writer's side file) is bookkeeping for building the archive; it is not written to the
    manifest. An archive-only compile without a compile cache writes no manifest and makes no
    entries: its writer reports each entity's ``ArchiveMember`` instead.
    """

    name: str
    kind: EntityKind
    file: str
    sha256: str
    source: str | None
    yaml: str | None = None
    yaml_sha256: str | None = None
    blob: tuple[int, int, int] | None = None
    block: str | None = None
    deferred: tuple[str, ...] = ()


def entity_record(entry: ManifestEntry) -> dict[str, Any]:
    """The manifest object of one entity (keys in the documented order)."""
    return record_of(
        entry.name,
        entry.kind,
        entry.file,
        entry.sha256,
        entry.source,
        entry.yaml,
        entry.yaml_sha256,
    )


def record_of(
    name: str,
    kind: EntityKind,
    file: str,
    sha256: str,
    source: str | None,
    yaml: str | None = None,
    yaml_sha256: str | None = None,
) -> dict[str, Any]:
    """:func:`entity_record` of the entry with these fields, without building the entry."""
    record: dict[str, Any] = {
        "name": name,
        "kind": kind.label,
        "file": file,
        "sha256": sha256,
        "source": source,
    }
    if yaml is not None:
        record["yaml"] = yaml
        record["yaml_sha256"] = yaml_sha256
    return record


def build_manifest(
    entries: Sequence[ManifestEntry],
    settings: Mapping[str, Any],
    archive: Mapping[str, Any],
) -> dict[str, Any]:
    """The manifest as plain data, entities sorted by file name."""
    return {
        "generator": GENERATOR,
        "format_version": FORMAT_VERSION,
        "compiler_version": __version__,
        "settings": dict(settings),
        "archive": dict(archive),
        "entities": [entity_record(e) for e in sorted(entries, key=lambda e: e.file)],
    }


def dump_manifest(manifest: Mapping[str, Any], blocks: Sequence[str] | None = None) -> bytes:
    """Stable JSON bytes: two-space indent, UTF-8, trailing newline.

    Exactly ``json.dumps(manifest, indent=2, ensure_ascii=False)`` plus a newline, but the
    entity list (thousands of flat objects) is laid out here with the C encoder for each
    value: ``json`` falls back to its pure-Python encoder whenever ``indent`` is set.
    ``blocks``, when given, are the entities already laid out by :func:`entity_block` (by the
    workers, in parallel), one per entity in order.
    """
    head = {k: v for k, v in manifest.items() if k != "entities"}
    entities = manifest.get("entities")
    laid_out = blocks is not None and isinstance(entities, list) and len(blocks) == len(entities)
    flat = laid_out or _flat_objects(entities)
    if not (head and entities and flat and list(manifest)[-1] == "entities"):
        return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    text = json.dumps(head, indent=2, ensure_ascii=False)
    if blocks is None or not laid_out:
        blocks = [entity_block(entity) for entity in entities]  # type: ignore[union-attr]
    body = ",\n".join(blocks)
    return f'{text[:-2]},\n  "entities": [\n{body}\n  ]\n}}\n'.encode()


def _flat_objects(entities: Any) -> bool:
    return (
        isinstance(entities, list)
        and bool(entities)
        and all(
            isinstance(e, dict) and not any(isinstance(v, dict | list | tuple) for v in e.values())
            for e in entities
        )
    )


def entity_block(entity: Mapping[str, Any]) -> str:
    """One flat entity object at nesting depth 2, as ``json.dumps(indent=2)`` lays it out."""
    if not entity:
        return "    {}"
    # A string goes straight to the C function ``_ENCODE`` would call for it (the encoder's
    # ``encode`` is a Python method with type checks): this runs for every entity compiled.
    text, dumps = _ENCODE_STRING, _ENCODE
    fields = [
        f"      {text(key) if type(key) is str else dumps(key)}: "
        f"{text(value) if type(value) is str else dumps(value)}"
        for key, value in entity.items()
    ]
    return "    {\n" + ",\n".join(fields) + "\n    }"


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
#: What ``_ENCODE`` does with a ``str`` (``json.encoder.encode_basestring``, C when available).
_ENCODE_STRING = json.encoder.encode_basestring


def _key_prefixes(record: Mapping[str, Any]) -> tuple[str, ...]:
    """The start of each line :func:`entity_block` lays out for ``record``'s keys."""
    return tuple(f"      {_ENCODE_STRING(key)}: " for key in record)


#: The line starts of an entity's record (keys in :func:`record_of`'s order), with renderings.
_RECORD_PREFIXES = _key_prefixes(record_of("", EntityKind.TASK, "", "", None, "", ""))


def record_block(record: Mapping[str, Any]) -> str:
    """:func:`entity_block` of a record that :func:`record_of` built (its keys, in its order):
    the keys' text is laid out once for every record instead of encoded for each (the bundle
    writer lays out one per entity written)."""
    text, dumps = _ENCODE_STRING, _ENCODE
    lines = [
        prefix + (text(value) if type(value) is str else dumps(value))
        for prefix, value in zip(_RECORD_PREFIXES, record.values(), strict=False)
    ]
    return "    {\n" + ",\n".join(lines) + "\n    }"


def load_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of ``folder`` when it is one of ours, else ``None``."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR:
        return None
    return data


def is_bundle_dir(folder: Path) -> bool:
    """True when ``folder`` holds a manifest written by compile-tasks.

    Only the head of the file is read: every manifest we write starts with the ``generator``
    key, and parsing a large bundle's whole manifest just to recognise it costs tens of ms.
    """
    try:
        with open(folder / MANIFEST_NAME, "rb") as file:
            head = file.read(_HEAD_BYTES)
    except OSError:
        return False
    return _GENERATOR_HEAD.match(head) is not None


_HEAD_BYTES = 256
_GENERATOR_HEAD = re.compile(rb'\A\{\s*"generator"\s*:\s*"compile-tasks"\s*,')
