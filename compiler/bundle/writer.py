"""``write_bundle``: the ``.pb`` files, the archive, the YAML renderings and the manifest.

Layout of the output folder (documented in ``docs/bundle.md``)::

    DIR/00_<name>_1.pb          one TaskSpec per task (SerializeToString(deterministic=True))
    DIR/bundle.tgz              exactly the .pb files, normalised
    DIR/manifest.json           versions, settings, entities with sha256 and source
    DIR/yaml/00_<name>_1.yaml   canonical rendering of each entity
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf.empty_pb2 import Empty
from google.protobuf.message import Message

from compiler.bundle.archive import ARCHIVE_NAME, write_archive
from compiler.bundle.atomic import replace_dir
from compiler.bundle.manifest import (
    MANIFEST_NAME,
    ManifestEntry,
    build_manifest,
    dump_manifest,
)
from compiler.bundle.naming import entity_file_stem
from compiler.errors import BundleError, CompileErrors, CompileTasksError, SourceLocation
from compiler.idl import EntityKind

__all__ = [
    "YAML_DIR",
    "BundleEntity",
    "BundleResult",
    "Renderer",
    "check_file_stems",
    "finish_bundle",
    "prepare_folder",
    "write_bundle",
    "write_entity",
]

YAML_DIR = "yaml"

#: A placeholder message for name checks that need no content.
_NO_MESSAGE = Empty()

#: ``render(message, facts) -> str``: the canonical YAML of one entity (``compiler.render``).
Renderer = Callable[[Message, Mapping[str, Any]], str]


@dataclass(frozen=True)
class BundleEntity:
    """One entity to write.

    Attributes:
        name: Entity name (``template.id.name``).
        kind: Task, workflow or launch plan.
        message: The ``TaskSpec`` / ``WorkflowSpec`` / ``LaunchPlan``.
        source: Declaration site relative to the source root (for the manifest).
        facts: Extra facts for the YAML rendering (source, defaults, ...).
        level: Dependency depth (tasks 0), the file-name prefix.
    """

    name: str
    kind: EntityKind
    message: Message
    source: SourceLocation | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    level: int = 0


@dataclass(frozen=True)
class BundleResult:
    """What was written: the folder, the ``.pb`` file names and the manifest."""

    out_dir: Path
    files: list[str]
    manifest: dict[str, Any]


def check_file_stems(entities: Sequence[tuple[str, EntityKind, int]]) -> list[str]:
    """The file stems of ``(name, kind, level)`` triples, all checked up front.

    Raises:
        CompileErrors: Names that cannot be file names, or that collide.
    """
    names = _Names()
    stems = [
        names.stem(BundleEntity(name=n, kind=k, message=_NO_MESSAGE, level=lv))
        for n, k, lv in entities
    ]
    if names.errors:
        raise CompileErrors(names.errors)
    return [s for s in stems if s is not None]


class _Names:
    """Checks each entity's file stem as it comes: usable as a file name, not taken twice."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.errors: list[CompileTasksError] = []

    def stem(self, entity: BundleEntity) -> str | None:
        try:
            stem = entity_file_stem(entity.name, entity.kind, entity.level)
        except BundleError as exc:
            self.errors.append(exc.with_context(location=entity.source))
            return None
        if stem in self.taken:
            self.errors.append(
                BundleError(
                    f"two entities would both be written to '{stem}.pb'",
                    code="CT506",
                    hint="entity names must be unique per kind",
                    location=entity.source,
                    task=entity.name,
                )
            )
            return None
        self.taken.add(stem)
        return stem


def write_entity(folder: Path, entity: BundleEntity, stem: str, render: Renderer) -> ManifestEntry:
    """Write one entity's ``.pb`` and YAML rendering into ``folder``; return its manifest entry."""
    data = entity.message.SerializeToString(deterministic=True)
    pb_name = f"{stem}.pb"
    (folder / pb_name).write_bytes(data)
    yaml_name = f"{YAML_DIR}/{stem}.yaml"
    text = render(entity.message, entity.facts)
    (folder / yaml_name).write_text(text, encoding="utf-8", newline="\n")
    return ManifestEntry(
        name=entity.name,
        kind=entity.kind,
        file=pb_name,
        sha256=hashlib.sha256(data).hexdigest(),
        yaml=yaml_name,
        source=str(entity.source) if entity.source else None,
    )


def prepare_folder(folder: Path) -> None:
    """Create the sub-folders of a bundle in an empty folder."""
    (folder / YAML_DIR).mkdir()


def finish_bundle(
    folder: Path, entries: Sequence[ManifestEntry], settings: Mapping[str, Any]
) -> dict[str, Any]:
    """Write the archive of the ``.pb`` files and the manifest; return the manifest."""
    ordered = sorted(entries, key=lambda e: e.file)
    pb_files = {e.file: (folder / e.file).read_bytes() for e in ordered}
    tar = write_archive(folder / ARCHIVE_NAME, pb_files)
    archive = {
        "file": ARCHIVE_NAME,
        "members": len(pb_files),
        "tar_sha256": hashlib.sha256(tar).hexdigest(),
    }
    manifest = build_manifest(ordered, settings, archive)
    (folder / MANIFEST_NAME).write_bytes(dump_manifest(manifest))
    return manifest


def _write_content(
    folder: Path,
    entities: Iterable[BundleEntity],
    render: Renderer,
    settings: Mapping[str, Any],
) -> dict[str, Any]:
    """Write entities one by one (so their messages can be freed), then archive and manifest."""
    prepare_folder(folder)
    names = _Names()
    entries = []
    for entity in entities:
        stem = names.stem(entity)
        if stem is not None:
            entries.append(write_entity(folder, entity, stem, render))
    if names.errors:
        raise CompileErrors(names.errors)
    return finish_bundle(folder, entries, settings)


def write_bundle(
    out_dir: Path,
    entities: Iterable[BundleEntity],
    *,
    render: Renderer,
    settings: Mapping[str, Any],
    force: bool = False,
    protect: Sequence[Path] = (),
) -> BundleResult:
    """Write a complete bundle to ``out_dir`` atomically (see the module docstring).

    ``entities`` may be a generator: each entity is written into the temporary folder as it
    comes, so a large package never holds all its messages at once. If iterating raises (for
    example ``CompileErrors`` collected by the producer), nothing is swapped in.

    Args:
        out_dir: The output folder; replaced as a whole.
        entities: What to write, in any order (file names are stable and sorted).
        render: Canonical YAML renderer (``compiler.render.render_task_spec``).
        settings: Effective settings, recorded in the manifest.
        force: Replace a non-empty folder that is not a compile-tasks bundle.
        protect: Paths the output folder must not contain (the sources, the working folder).

    Raises:
        CompileErrors: Entity names that cannot be file names, or that collide.
        BundleError: The folder is refused or cannot be written; nothing was changed.
    """

    def build(folder: Path) -> dict[str, Any]:
        return _write_content(folder, entities, render, settings)

    manifest = replace_dir(Path(out_dir), build, force=force, protect=protect)
    files = [entry["file"] for entry in manifest["entities"]]
    return BundleResult(out_dir=Path(out_dir), files=files, manifest=manifest)
