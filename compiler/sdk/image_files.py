"""The digests of the files an ``ImageSpec`` tag folds in, as flytekit computes them.

``requirements`` enters the tag as the SHA-1 of the file's stripped bytes; ``copy`` (and, in
our own form, ``source_root``) as flytekit's ``compute_digest``: one MD5 over every file's bytes
followed by its relative path with the separators removed, folders walked in sorted order
(flytekit walks them in the file system's order, which is the same whenever that is sorted).

Many tasks share one spec, so each digest is memoised on the listing it reads: every file's
path, size and modification time. A changed file changes the key, and the file is read again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from compiler.memo import Memo

__all__ = ["requirements_digest", "tree_digest"]

_SKIPPED_DIRS = frozenset({".git", "__pycache__"})

#: One entry per file: (absolute path, path hashed into the digest, size, mtime in ns).
Listing = tuple[tuple[str, str, int, int], ...]

_DIGESTS: Memo[tuple[str, Listing], str] = Memo("sdk.image_file_digests")


def _entry(path: str, relative: str) -> tuple[str, str, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None  # flytekit skips what does not exist (a dangling link)
    if not os.path.isfile(path):
        return None
    return (path, relative, stat.st_size, stat.st_mtime_ns)


def _listing(paths: Sequence[Path], whole_tree: bool) -> Listing:
    entries: list[tuple[str, str, int, int] | None] = []
    for path in paths:
        if path.is_dir():
            for current, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
                for name in sorted(files):
                    full = os.path.join(current, name)
                    entries.append(_entry(full, os.path.relpath(full, path)))
        elif not whole_tree:
            entries.append(_entry(str(path), path.name))
    return tuple(e for e in entries if e is not None)


def tree_digest(paths: Sequence[Path], *, whole_tree: bool = False) -> str:
    """flytekit's ``compute_digest`` of files and folders (``whole_tree``: folders only)."""
    listing = _listing(paths, whole_tree)
    key = ("md5-tree", listing)
    hit = _DIGESTS.get(key)
    if hit is not None:
        return hit
    hasher = hashlib.md5()
    for path, relative, _size, _mtime in listing:
        hasher.update(Path(path).read_bytes())
        hasher.update("".join(relative.split(os.sep)).encode("utf-8"))
    return _DIGESTS.put(key, hasher.hexdigest())


def requirements_digest(path: Path) -> str:
    """The SHA-1 of a requirements file's stripped bytes.

    Raises:
        OSError: The file cannot be read.
    """
    entry = _entry(str(path), path.name)
    key = ("sha1-stripped", (entry,) if entry is not None else ())
    hit = _DIGESTS.get(key) if entry is not None else None
    if hit is not None:
        return hit
    digest = hashlib.sha1(path.read_bytes().strip()).hexdigest()
    return _DIGESTS.put(key, digest) if entry is not None else digest
