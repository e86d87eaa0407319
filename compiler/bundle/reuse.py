"""Reusing the unchanged files of the previous bundle: a hard link instead of a new file.

Recompiling a package mostly rewrites the same bytes. On many disks creating a file costs far
more than its bytes (an inode, a journal entry), so when ``DIR`` already holds a bundle written
by this compiler version, each file whose content is known to be unchanged is hard-linked from
the old folder into the new one instead of being written again:

* a ``.pb`` when the old manifest records the same sha256 for the same file name and the old
  file is a regular file holding exactly the new bytes (compared byte for byte: the manifest
  is not trusted);
* a YAML rendering (when renderings are written) when the old file holds exactly the bytes
  just rendered (compared byte for byte: a rendering is always computed, so neither an edit in
  place nor a manifest that lies about it can put other bytes into the new bundle);
* ``bundle.tgz`` when the archive would hold exactly the same ``(file, sha256)`` list and its
  uncompressed content still hashes to the recorded ``tar_sha256``.

Only names computed by the compiler are opened in the old folder, never paths read from its
manifest. Where links are impossible (another file system, a file system without them) the file
is written as usual. The output bytes are the same either way; ``--rebuild`` turns reuse off.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from compiler._version import __version__
from compiler.bundle.archive import MAX_ARCHIVE_BYTES
from compiler.bundle.manifest import FORMAT_VERSION, MANIFEST_NAME, ManifestEntry, load_manifest

__all__ = ["PreviousBundle"]

_SHA256 = re.compile(r"[0-9a-f]{64}")
#: The renderings' folder (``compiler.bundle.writer.YAML_DIR``; the writer imports this module).
YAML_DIR = "yaml"


class PreviousBundle:
    """The bundle being replaced, as far as its manifest vouches for its files.

    The manifest is not trusted either: entries of the wrong shape are ignored, and a ``.pb``
    or a rendering is linked only after its bytes are compared with the new ones (the archive:
    hashed again), so a file edited after the compile (or a manifest that lies) is written
    anew, never reused.
    """

    def __init__(self, folder: Path, manifest: Mapping[str, Any]) -> None:
        self.folder = folder
        self._prefix = f"{folder}{os.sep}"
        # Only file -> sha256 is kept: a large bundle's parsed manifest is freed before the
        # workers are forked (they inherit this object, and with it its memory).
        self._sha256: dict[str, str] = {}
        entities = manifest.get("entities")
        for entity in entities if isinstance(entities, list) else ():
            if _well_formed(entity):
                self._sha256[entity["file"]] = entity["sha256"]
        archive = manifest.get("archive")
        self._archive = dict(archive) if isinstance(archive, Mapping) else None
        self._linking = True
        self._verified: set[str] = set()

    @classmethod
    def load(cls, folder: Path | None) -> PreviousBundle | None:
        """The bundle in ``folder`` when this compiler version wrote it, else ``None``."""
        if folder is None:
            return None
        try:
            manifest = load_manifest(folder)
        except RecursionError:  # absurdly nested JSON: not a manifest we wrote
            return None
        if (
            manifest is None
            or manifest.get("compiler_version") != __version__
            or manifest.get("format_version") != FORMAT_VERSION
        ):
            return None
        return cls(folder, manifest)

    def _recorded(self, file: str, sha256: str) -> bool:
        return self._sha256.get(file) == sha256

    def link_pb(self, file: str, sha256: str, data: bytes, dest: str) -> bool:
        """Link the old ``file`` to ``dest`` when the manifest lists it with this sha256 and
        it holds exactly ``data`` (compared byte for byte)."""
        linked = self._recorded(file, sha256) and self._link_same(file, data, dest)
        if linked:
            self._verified.add(file)
        return linked

    def holds_pb(self, file: str, sha256: str, data: bytes) -> bool:
        """The old ``file`` is listed with this sha256 and holds exactly ``data``: it can be
        linked later (:meth:`link_verified`), or the whole old bundle kept."""
        held = self._recorded(file, sha256) and self._holds(file, data)
        if held:
            self._verified.add(file)
        return held

    def holds_rendering(self, rendering: str, data: bytes) -> bool:
        """The old ``rendering`` holds exactly ``data``."""
        return self._holds(rendering, data)

    def _holds(self, name: str, data: bytes) -> bool:
        try:
            fd = os.open(self._prefix + name, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return False
        try:  # plain descriptors: a buffered file object costs more than the read
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
                return False
            return os.read(fd, len(data) + 1) == data
        except OSError:
            return False
        finally:
            os.close(fd)

    def link_verified(self, name: str, dest: str) -> None:
        """Put the old file ``name`` (found to hold the new bytes) at ``dest``: a hard link,
        or a copy where links are impossible."""
        source = self._prefix + name
        if self._linking:
            try:
                os.link(source, dest, follow_symlinks=False)
                return
            except OSError:
                self._linking = False
        with open(source, "rb") as old, open(dest, "wb") as new:
            new.write(old.read())

    def archive_record(self, name: str, entries: Sequence[ManifestEntry]) -> dict[str, Any] | None:
        """The old archive's manifest record when it holds exactly these files (its content
        hashed again), else ``None``."""
        record = self._same_archive(name, entries)
        if record is None or _digest(self._prefix + name, gzipped=True) != record["tar_sha256"]:
            return None
        return record

    def unchanged(self, names: set[str], manifest: bytes) -> bool:
        """The old folder holds exactly ``names`` (files, and ``yaml/`` with its files) and a
        manifest of exactly these bytes, so that it is the new bundle as it stands."""
        try:
            with open(self._prefix + MANIFEST_NAME, "rb") as file:
                if file.read(len(manifest) + 1) != manifest:
                    return False
            listed = set(os.listdir(self.folder))
            if YAML_DIR in listed:
                listed.discard(YAML_DIR)
                listed |= {f"{YAML_DIR}/{n}" for n in os.listdir(self._prefix + YAML_DIR)}
        except OSError:
            return False
        return listed == names

    def link_rendering(self, rendering: str, data: bytes, dest: str) -> bool:
        """Link the old ``rendering`` to ``dest`` when it holds exactly ``data`` (compared)."""
        return self._link_same(rendering, data, dest)

    def _link_same(self, name: str, data: bytes, dest: str) -> bool:
        """Link the old file ``name`` to ``dest`` when it is a regular file holding ``data``."""
        if not self._linking or not self._holds(name, data):
            return False  # edited since the manifest was written (or gone): write it anew
        return self._link(self._prefix + name, dest, len(data))

    def _same_archive(self, name: str, entries: Sequence[ManifestEntry]) -> dict[str, Any] | None:
        """The old archive's record when its manifest lists exactly these files (unchecked)."""
        old = self._archive
        if old is None or old.get("file") != name or old.get("members") != len(entries):
            return None
        if len(self._sha256) != len(entries):
            return None
        if any(not self._recorded(e.file, e.sha256) for e in entries):
            return None
        tar_sha256 = old.get("tar_sha256")
        if not (isinstance(tar_sha256, str) and _SHA256.fullmatch(tar_sha256)):
            return None
        return {"file": name, "members": len(entries), "tar_sha256": tar_sha256}

    def link_archive(
        self, name: str, entries: Sequence[ManifestEntry], dest: Path
    ) -> dict[str, Any] | None:
        """Link the old archive when it holds the same files; return its manifest record."""
        record = self._same_archive(name, entries)
        if record is None:
            return None
        if not self._link(self._prefix + name, dest, None, record["tar_sha256"], gzipped=True):
            return None
        return record

    def _link(
        self,
        source: str | Path,
        dest: str | Path,
        size: int | None,
        sha256: str | None = None,
        *,
        gzipped: bool = False,
    ) -> bool:
        if not self._linking:
            return False
        try:
            info = os.lstat(source)
        except OSError:
            return False
        if not stat.S_ISREG(info.st_mode) or (size is not None and info.st_size != size):
            return False
        if sha256 is not None and _digest(source, gzipped) != sha256:
            return False  # edited since the manifest was written: write the file anew
        try:
            os.link(source, dest, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError:  # another file system, no hard links, too many links: write instead
            self._linking = False
            return False
        return True


_ENTITY_KEYS = ("file", "sha256")
_OPTIONAL_KEYS = ("yaml", "yaml_sha256")


def _well_formed(entity: Any) -> bool:
    """An entity record of the shape we write (strings where strings belong)."""
    return (
        isinstance(entity, Mapping)
        and all(isinstance(entity.get(key), str) for key in _ENTITY_KEYS)
        and _SHA256.fullmatch(entity["sha256"]) is not None
        and all(isinstance(entity.get(key), str | None) for key in _OPTIONAL_KEYS)
    )


def _digest(path: str | Path, gzipped: bool) -> str | None:
    """The sha256 of the file (of its uncompressed content when ``gzipped``); None if unreadable.

    A gzipped archive is read through the bounded reader, so a hostile one costs no more
    than :data:`MAX_ARCHIVE_BYTES`.
    """
    import gzip  # only a recompile that may keep its archive reads one

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as raw:
            stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
            left = MAX_ARCHIVE_BYTES
            while chunk := stream.read(_CHUNK):
                left -= len(chunk)
                if left < 0:
                    return None
                digest.update(chunk)
    except (OSError, EOFError, zlib.error):
        return None
    return digest.hexdigest()


_CHUNK = 1 << 20
