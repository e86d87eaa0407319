"""The normalised ``.tgz`` of a bundle: the ``.pb`` files and nothing else, byte-reproducible.

Members sorted by name, regular files only, mode 0o644, uid/gid 0, empty owner names, integer
mtime 0 (so no PAX records for plain names), gzip without a file name, MTIME 0, level 9.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Mapping
from pathlib import Path

from compiler.errors import BundleError

__all__ = ["ARCHIVE_NAME", "build_tar", "gzip_bytes", "read_archive", "write_archive"]

#: The archive's name inside the bundle folder (fixed: the folder name must not leak in).
ARCHIVE_NAME = "bundle.tgz"


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = 0
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info


def build_tar(files: Mapping[str, bytes]) -> bytes:
    """The uncompressed tar of ``files`` (flat names), members sorted by name."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            data = files[name]
            tar.addfile(_member(name, len(data)), io.BytesIO(data))
    return buffer.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzip-compressed without file name, with MTIME 0 and level 9."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return buffer.getvalue()


def write_archive(path: Path, files: Mapping[str, bytes]) -> bytes:
    """Write the normalised ``.tgz`` of ``files`` to ``path``; return the uncompressed tar."""
    tar = build_tar(files)
    path.write_bytes(gzip_bytes(tar))
    return tar


def read_archive(path: Path) -> dict[str, bytes]:
    """Read a bundle archive back, refusing anything but flat regular ``.pb`` members.

    Raises:
        BundleError: The archive is unreadable or holds a member that is not a flat ``.pb``
            regular file (directories, links, absolute or ``..`` paths).
    """
    out: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for member in tar.getmembers():
                name = member.name
                if (
                    not member.isreg()
                    or "/" in name
                    or name.startswith(".")
                    or (not name.endswith(".pb"))
                ):
                    raise BundleError(
                        f"archive '{path}' holds an unexpected member {name!r}",
                        code="CT505",
                        hint="a bundle archive holds only flat .pb files; rebuild it",
                    )
                extracted = tar.extractfile(member)
                out[name] = extracted.read() if extracted else b""
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BundleError(
            f"archive '{path}' cannot be read: {exc}",
            code="CT505",
            hint="rebuild the bundle with compile-tasks",
        ) from exc
    return out
