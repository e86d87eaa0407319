"""``write_bundle``: the ``.pb`` files, the archive, the manifest and (on request) renderings.

Layout of the output folder (documented in ``docs/bundle.md``)::

    DIR/00_<name>_1.pb          one TaskSpec per task (SerializeToString(deterministic=True))
    DIR/bundle.tgz              exactly the .pb files, normalised
    DIR/manifest.json           versions, settings, entities with sha256 and source
    DIR/yaml/00_<name>_1.yaml   canonical rendering of each entity (only when asked for)

An archive-only compile (``--out FILE.tgz``) writes the ``.pb`` bytes to the side files only
and :func:`finish_archive` builds the archive from them.
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import Any, NamedTuple

from google.protobuf.message import Message

from compiler.bundle.archive import ARCHIVE_NAME, BLOCK_SIZE, ArchiveWriter, member_header
from compiler.bundle.atomic import replace_dir
from compiler.bundle.manifest import (
    MANIFEST_NAME,
    ManifestEntry,
    build_manifest,
    dump_manifest,
    record_block,
    record_of,
)
from compiler.bundle.naming import entity_file_stem
from compiler.bundle.reuse import YAML_DIR, PreviousBundle
from compiler.errors import BundleError, CompileErrors, CompileTasksError, SourceLocation
from compiler.idl import EntityKind
from compiler.records import frozen_record

__all__ = [
    "YAML_DIR",
    "ArchiveMember",
    "Blob",
    "BundleEntity",
    "BundleResult",
    "EntityWriter",
    "FileNames",
    "LaidOut",
    "PendingArchive",
    "Renderer",
    "finish_archive",
    "finish_bundle",
    "keep_or_link",
    "prepare_folder",
    "start_archive",
    "write_bundle",
    "write_entities",
]


#: ``(sha256, manifest entry text, tar header)`` of one ``.pb`` (:attr:`BundleEntity.laid_out`).
LaidOut = tuple[str, str, bytes]
#: ``(part, offset, size)`` of one archive member (header, bytes, padding) in a side file.
Blob = tuple[int, int, int]


#: The sort key of entries and members: their file name (``attrgetter`` builds it in C).
_by_file = operator.attrgetter("file")


class ArchiveMember(NamedTuple):
    """All an archive-only compile needs of an entity's manifest entry: its file name and where
    its member lies in the side files (``ManifestEntry.file`` and ``.blob``)."""

    file: str
    blob: Blob


#: ``render(message, facts) -> str``: the canonical YAML of one entity (``compiler.render``).
Renderer = Callable[[Message, Mapping[str, Any]], str]

#: What an :class:`EntityWriter` writes besides the side file: ``.pb`` files, renderings.
LOOSE, ARCHIVE_ONLY = True, False


@frozen_record(into_dict=True)
class BundleEntity:
    """One entity to write.

    Attributes:
        name: Entity name (``template.id.name``).
        kind: Task, workflow or launch plan.
        message: The ``TaskSpec`` / ``WorkflowSpec`` / ``LaunchPlan`` (``None`` when ``data``
            is given).
        source: Declaration site relative to the source root (for the manifest).
        facts: Extra facts for the YAML rendering (source, defaults, ...).
        level: Dependency depth (tasks 0), the file-name prefix.
        data: The message's deterministic bytes when already known (encoded without the
            message where nothing renders it, or reused from the compile cache; ``message``
            is then ``None``).
        rendering: Its rendering's bytes when already known.
        laid_out: ``(sha256, manifest entry text, tar header)`` of ``data`` under this file
            name when already known (the compile cache keeps what the writer computed); set
            only on an entity reused from the compile cache.
    """

    name: str
    kind: EntityKind
    message: Message | None
    source: SourceLocation | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)
    level: int = 0
    data: bytes | None = None
    rendering: bytes | None = None
    laid_out: tuple[str, str, bytes] | None = None


@frozen_record
class BundleResult:
    """What was written: the folder, the ``.pb`` file names and the manifest."""

    out_dir: Path
    files: list[str]
    manifest: dict[str, Any]


class FileNames:
    """Checks each entity's file stem as it comes: usable as a file name, not taken twice.

    The problems found are kept in :attr:`errors` (CT503 a name that cannot be a file name,
    CT506 two entities with one file), each located at the entity's declaration.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.errors: list[CompileTasksError] = []

    def stem(
        self, name: str, kind: EntityKind, level: int, source: SourceLocation | None
    ) -> str | None:
        """The entity's file stem, or ``None`` (the problem is added to :attr:`errors`)."""
        try:
            stem = entity_file_stem(name, kind, level)
        except BundleError as exc:
            self.errors.append(exc.with_context(location=source))
            return None
        if stem in self.taken:
            self.errors.append(
                BundleError(
                    f"two entities would both be written to '{stem}.pb'",
                    code="CT506",
                    hint="entity names must be unique per kind",
                    location=source,
                    task=name,
                )
            )
            return None
        self.taken.add(stem)
        return stem


class EntityWriter:
    """Writes entities into a bundle's temporary folder, reusing unchanged previous files.

    Besides each ``.pb`` file, the member's tar blocks (header, bytes, padding) go to a hidden
    side file ``.pb-<part>.bin`` (one per worker) so that :func:`finish_bundle` can build the
    archive without opening every ``.pb`` again or building headers; the entry records where
    (``blob``), and carries its manifest text (``block``), laid out here too. The parent's work
    per entity is then a read and a join. The side files are removed before the swap.

    Args:
        folder: The bundle's temporary folder (:func:`prepare_folder` ran on it).
        render: The renderer, or ``None`` to write no renderings.
        previous: The bundle being replaced, to link unchanged files from.
        part: The writer's number (one per worker): names its side file.
        loose: ``False`` for an archive-only compile: only the side file is written.
        keep: Called with each entity, its ``.pb`` file name and size, rendering bytes, what
            was laid out for it and where its member is in the side file (:attr:`side_file`;
            the compile cache stores them).
        defer: Do not link the files found unchanged in ``previous``: list them in the entry
            (``deferred``), for :func:`keep_or_link` to keep the old bundle whole when nothing
            changed, or to link them.
    """

    def __init__(
        self,
        folder: Path,
        render: Renderer | None,
        previous: PreviousBundle | None = None,
        part: int = 0,
        loose: bool = LOOSE,
        keep: Callable[[BundleEntity, str, int, bytes | None, LaidOut, Blob], None] | None = None,
        defer: bool = False,
    ) -> None:
        self.folder = folder
        self.keep = keep
        self.defer = defer
        self.render = render
        self.previous = previous if loose else None
        self.part = part
        self.loose = loose
        #: The side file: each entity's archive member, where ``ManifestEntry.blob`` says.
        self.side_file = folder / _blob_name(part)
        # A large buffer: each member is a few KiB, and the default 8 KiB made a system call
        # every few entities. Closed in close().
        self._blob = open(self.side_file, "wb", buffering=_SIDE_BUFFER)  # noqa: SIM115
        self._offset = 0
        self._prefix = f"{folder}{os.sep}"  # plain strings: pathlib costs more than a link
        #: An archive alone without a compile cache: no manifest, so :meth:`write` makes no
        #: manifest entry (no digest, no entry text), only the archive member.
        self._archive_only = not loose and keep is None

    def write(self, entity: BundleEntity, stem: str) -> ManifestEntry | ArchiveMember:
        """Write (or link) one entity's ``.pb`` (and rendering); return its manifest entry (an
        archive alone without a compile cache: its archive member, all that is read of it)."""
        data = entity.data
        if data is None:
            assert entity.message is not None
            data = entity.message.SerializeToString(deterministic=True)
        laid_out = entity.laid_out
        pb_name = f"{stem}.pb"
        if self._archive_only and not laid_out:
            return ArchiveMember(pb_name, self.member(pb_name, data))
        sha256 = laid_out[0] if laid_out else hashlib.sha256(data).hexdigest()
        previous = self.previous
        deferred: list[str] = []
        if self.loose:
            pb_path = self._prefix + pb_name
            if previous is not None and self.defer:
                held = previous.holds_pb(pb_name, sha256, data)
            else:
                held = previous is not None and previous.link_pb(pb_name, sha256, data, pb_path)
            if held and self.defer:
                deferred.append(pb_name)
            elif not held:
                _create(pb_path, data)
        yaml_name = yaml_sha256 = rendering = None
        if self.render is not None and self.loose:
            yaml_name = f"{YAML_DIR}/{stem}.yaml"
            rendering = self._rendering(entity, yaml_name, deferred)
            yaml_sha256 = hashlib.sha256(rendering).hexdigest()
        header = laid_out[2] if laid_out else member_header(pb_name, len(data))
        blob = self._append(header, data)
        source = str(entity.source) if entity.source else None
        block: str | None
        if laid_out:
            block = laid_out[1]
        else:  # the record of the entry returned below, without building that entry twice
            block = record_block(
                record_of(entity.name, entity.kind, pb_name, sha256, source, yaml_name, yaml_sha256)
            )
        if self.keep is not None:
            self.keep(entity, pb_name, len(data), rendering, (sha256, block, header), blob)
        return ManifestEntry(
            name=entity.name,
            kind=entity.kind,
            file=pb_name,
            sha256=sha256,
            source=source,
            yaml=yaml_name,
            yaml_sha256=yaml_sha256,
            blob=blob,
            block=block,
            deferred=tuple(deferred),
        )

    def member(self, pb_name: str, data: bytes) -> Blob:
        """Lay out ``data`` as the archive member ``pb_name`` in the side file (all an
        archive-only compile without a compile cache writes of an entity); its place there."""
        return self._append(member_header(pb_name, len(data)), data)

    def _append(self, header: bytes, data: bytes) -> Blob:
        """Lay out one archive member (header, bytes, zeros to a whole block) at the end of the
        side file; its place there."""
        blocks = b"".join((header, data, _ZEROS[: -len(data) % BLOCK_SIZE]))
        self._blob.write(blocks)
        blob = (self.part, self._offset, len(blocks))
        self._offset += len(blocks)
        return blob

    def _rendering(self, entity: BundleEntity, yaml_name: str, deferred: list[str]) -> bytes:
        """Render; link (or defer) the old rendering when it holds these bytes, else write;
        the bytes."""
        assert self.render is not None
        data = entity.rendering
        if data is None:
            assert entity.message is not None
            data = self.render(entity.message, entity.facts).encode("utf-8")
        yaml_path = self._prefix + yaml_name
        previous = self.previous
        if previous is not None and self.defer and previous.holds_rendering(yaml_name, data):
            deferred.append(yaml_name)
        elif previous is None or not previous.link_rendering(yaml_name, data, yaml_path):
            _create(yaml_path, data)
        return data

    def close(self) -> None:
        """Flush the side file (the entries' ``blob`` positions are valid from now on)."""
        self._blob.close()

    def __enter__(self) -> EntityWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


#: The padding of a member's last block (a slice of it).
_ZEROS = bytes(BLOCK_SIZE)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC
_SIDE_BUFFER = 1 << 20


def _create(path: str, data: bytes) -> None:
    """Write a new file through a plain descriptor: three system calls, where a Python file
    object adds a terminal check, a seek and a stat to each of thousands of small files."""
    fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _blob_name(part: int) -> str:
    return f".pb-{part}.bin"


def prepare_folder(folder: Path, *, renderings: bool = True) -> None:
    """Create the sub-folders of a bundle in an empty folder (``yaml/`` for renderings)."""
    if renderings:
        (folder / YAML_DIR).mkdir()


def _write_archive(
    folder: Path,
    ordered: Sequence[ManifestEntry] | Sequence[ArchiveMember],
    previous: PreviousBundle | None,
    digest: bool = True,
) -> dict[str, Any]:
    """The archive of the ``.pb`` files (from the side files), or the previous one if equal;
    without ``digest`` its ``tar_sha256`` is ``None`` (no manifest will record it)."""
    path = folder / ARCHIVE_NAME
    if previous is not None:
        reused = previous.link_archive(ARCHIVE_NAME, ordered, path)
        if reused is not None:
            return reused
    writer = _fed_archive(folder, ordered, digest)
    return {"file": ARCHIVE_NAME, "members": writer.members, "tar_sha256": writer.close()}


def _fed_archive(
    folder: Path, ordered: Sequence[ManifestEntry] | Sequence[ArchiveMember], digest: bool
) -> ArchiveWriter:
    """An archive writer in ``folder`` handed every member of ``ordered``, not yet closed (its
    threads may still be deflating); aborted if a member cannot be read."""
    writer = ArchiveWriter(folder / ARCHIVE_NAME, digest=digest)
    with contextlib.ExitStack() as stack:
        side_files = _SideFiles(folder, stack)
        try:
            for entry in ordered:
                if entry.blob is None:
                    writer.add(entry.file, (folder / entry.file).read_bytes())
                    continue
                writer.add_blocks(entry.file, side_files.read(*entry.blob))
        except BaseException:
            writer.abort()
            raise
    return writer


#: How much of a side file :class:`_SideFiles` reads at once.
_WINDOW_BYTES = 1 << 20


class _SideFiles:
    """The members laid out in the side files, read through a window of each file.

    Not mapped or read whole: that would count every page into the parent's peak memory. Not
    read member by member either: the archive asks for members in file-name order, which is
    mostly the order a worker wrote them in, so one read of :data:`_WINDOW_BYTES` serves
    hundreds of members where a read per member was a system call per entity. Each file's
    window is read into the same buffer every time: a new megabyte for each read was fresh
    memory, about a thousand page faults in a 5,000-member archive.
    """

    def __init__(self, folder: Path, stack: contextlib.ExitStack) -> None:
        self._folder = folder
        self._stack = stack
        self._fds: dict[int, int] = {}
        #: part -> (offset of the window in its side file, a view of the window's bytes)
        self._windows: dict[int, tuple[int, memoryview]] = {}
        self._buffers: dict[int, bytearray] = {}

    def read(self, part: int, offset: int, size: int) -> memoryview:
        """The ``size`` bytes at ``offset`` of side file ``part`` (fewer at its end): a view
        that the next read of this part may overwrite, so copy it (``ArchiveWriter`` does)."""
        start, window = self._windows.get(part, (0, memoryview(b"")))
        if start <= offset and offset + size <= start + len(window):
            return window[offset - start : offset - start + size]
        fd = self._fds.get(part)
        if fd is None:
            fd = self._fds[part] = os.open(self._folder / _blob_name(part), os.O_RDONLY)
            self._stack.callback(os.close, fd)
        buffer = self._buffers.get(part)
        if buffer is None or len(buffer) < size:
            buffer = self._buffers[part] = bytearray(max(size, _WINDOW_BYTES))
        window = memoryview(buffer)[: os.preadv(fd, [buffer], offset)].toreadonly()
        self._windows[part] = (offset, window)
        return window[:size]


def _remove_side_files(folder: Path) -> None:
    for side_file in folder.glob(".pb-*.bin"):
        side_file.unlink()


def finish_bundle(
    folder: Path,
    entries: Sequence[ManifestEntry],
    settings: Mapping[str, Any],
    previous: PreviousBundle | None = None,
) -> dict[str, Any]:
    """Write the archive of the ``.pb`` files and the manifest; return the manifest."""
    ordered = sorted(entries, key=_by_file)
    archive = _write_archive(folder, ordered, previous)
    _remove_side_files(folder)
    manifest = build_manifest(ordered, settings, archive)
    blocks = [entry.block for entry in ordered]
    laid_out = None if None in blocks else blocks
    (folder / MANIFEST_NAME).write_bytes(dump_manifest(manifest, laid_out))  # type: ignore[arg-type]
    return manifest


def keep_or_link(
    folder: Path,
    entries: Sequence[ManifestEntry],
    settings: Mapping[str, Any],
    previous: PreviousBundle,
) -> dict[str, Any] | None:
    """After a deferring compile (``EntityWriter(defer=True)``): the manifest of the previous
    bundle when it already is the new bundle, file for file and byte for byte (the caller
    keeps it and discards ``folder``); else ``None``, once the deferred files are linked into
    ``folder`` (then :func:`finish_bundle` as usual).
    """
    ordered = sorted(entries, key=_by_file)
    if all(entry.deferred for entry in ordered):
        archive = previous.archive_record(ARCHIVE_NAME, ordered)
        if archive is not None:
            manifest = build_manifest(ordered, settings, archive)
            blocks = [entry.block for entry in ordered]
            data = dump_manifest(manifest, None if None in blocks else blocks)  # type: ignore[arg-type]
            names = {ARCHIVE_NAME, MANIFEST_NAME}
            for entry in ordered:
                names.update(entry.deferred)
            expected = len(names) == 2 + sum(1 + (e.yaml is not None) for e in ordered)
            if expected and previous.unchanged(names, data):
                return manifest
    prefix = f"{folder}{os.sep}"
    for entry in ordered:
        for name in entry.deferred:
            previous.link_verified(name, prefix + name)
    return None


def finish_archive(
    folder: Path, entries: Sequence[ManifestEntry] | Sequence[ArchiveMember]
) -> Path:
    """Archive-only compile: write ``folder/bundle.tgz`` from the side files; return its path.

    The side files are removed; the caller moves the archive to its place
    (:func:`compiler.bundle.replace_file`).
    """
    return start_archive(folder, entries).finish()


class PendingArchive:
    """An archive-only compile's archive whose members are all handed over, while its threads
    still deflate the last of them: the caller does other work meanwhile (the join's
    bookkeeping), then calls :meth:`finish`, or :meth:`abort` if the compile fails."""

    def __init__(self, folder: Path, writer: ArchiveWriter) -> None:
        self._folder = folder
        self._writer = writer

    def finish(self) -> Path:
        """Wait for the archive, remove the side files; the archive's path.

        Raises:
            OSError: The archive could not be written (a full disk): the caller discards the
                folder, as for any other failure.
        """
        self._writer.close()  # no manifest records the digest: none is taken
        _remove_side_files(self._folder)
        return self._folder / ARCHIVE_NAME

    def abort(self) -> None:
        """Stop the threads and close the file; the caller discards the folder."""
        self._writer.abort()


def start_archive(
    folder: Path, entries: Sequence[ManifestEntry] | Sequence[ArchiveMember]
) -> PendingArchive:
    """Hand every member of ``entries`` to ``folder/bundle.tgz`` (as :func:`finish_archive`)
    and return before the last slices are deflated."""
    return PendingArchive(folder, _fed_archive(folder, sorted(entries, key=_by_file), False))


def write_entities(
    writer: EntityWriter, entities: Iterable[BundleEntity]
) -> list[ManifestEntry] | list[ArchiveMember]:
    """Write entities as they come (so each message can be freed); return their entries
    (:meth:`EntityWriter.write`'s: members for an archive alone without a compile cache).

    Raises:
        CompileErrors: At the end, every problem together: those the producer raises when it
            is exhausted (``Compilation.entities`` collects serialization problems) and entity
            names that cannot be file names or collide.
    """
    names = FileNames()
    entries = []
    problems: list[CompileTasksError] = []
    try:
        for entity in entities:
            stem = names.stem(entity.name, entity.kind, entity.level, entity.source)
            if stem is not None:
                entries.append(writer.write(entity, stem))
    except CompileErrors as exc:
        problems = list(exc.errors)
    if problems or names.errors:
        raise CompileErrors([*problems, *names.errors])
    return entries


def _write_content(
    folder: Path,
    entities: Iterable[BundleEntity],
    render: Renderer | None,
    settings: Mapping[str, Any],
    previous: PreviousBundle | None,
) -> dict[str, Any]:
    """Write entities one by one, then archive and manifest."""
    prepare_folder(folder, renderings=render is not None)
    with EntityWriter(folder, render, previous) as writer:
        entries = write_entities(writer, entities)
    return finish_bundle(folder, entries, settings, previous)


def write_bundle(
    out_dir: Path,
    entities: Iterable[BundleEntity],
    *,
    render: Renderer | None,
    settings: Mapping[str, Any],
    force: bool = False,
    protect: Sequence[Path] = (),
    reuse: bool = True,
) -> BundleResult:
    """Write a complete bundle to ``out_dir`` atomically (see the module docstring).

    ``entities`` may be a generator: each entity is written into the temporary folder as it
    comes, so a large package never holds all its messages at once. If iterating raises (for
    example ``CompileErrors`` collected by the producer), nothing is swapped in.

    Args:
        out_dir: The output folder; replaced as a whole.
        entities: What to write, in any order (file names are stable and sorted).
        render: Canonical YAML renderer (``compiler.render.render_message``), or ``None``
            to write no ``yaml/`` renderings.
        settings: Effective settings, recorded in the manifest.
        force: Replace a non-empty folder that is not a compile-tasks bundle.
        protect: Paths the output folder must not contain (the sources, the working folder).
        reuse: Hard-link files of the bundle being replaced whose content is unchanged
            (``compiler.bundle.reuse``); the bytes are the same either way.

    Raises:
        CompileErrors: Entity names that cannot be file names, or that collide.
        BundleError: The folder is refused or cannot be written; nothing was changed.
    """

    def build(folder: Path, old: Path | None) -> dict[str, Any]:
        previous = PreviousBundle.load(old) if reuse else None
        return _write_content(folder, entities, render, settings, previous)

    manifest = replace_dir(Path(out_dir), build, force=force, protect=protect)
    files = [entry["file"] for entry in manifest["entities"]]
    return BundleResult(out_dir=Path(out_dir), files=files, manifest=manifest)
