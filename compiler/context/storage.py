"""Reading and writing bytes and files at a local path or an ``fsspec`` URI.

Local paths (and ``file://`` URIs) use plain file operations. Anything with another scheme
(``s3://``, ``gs://``, ``memory://``, ...) goes through ``fsspec``, which is imported only then:
a task whose inputs and outputs are local (the usual local run) does not pay for it.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlparse

from compiler.errors import ExecutionError

__all__ = [
    "download",
    "exists",
    "is_remote",
    "join",
    "list_dir",
    "local_path",
    "open_file",
    "read_bytes",
    "upload",
    "walk_files",
    "write_bytes",
]


def is_remote(uri: str) -> bool:
    """True when ``uri`` has a scheme other than ``file`` (a Windows drive is not a scheme)."""
    scheme = urlparse(uri).scheme
    return len(scheme) > 1 and scheme != "file"


def local_path(uri: str) -> str:
    """The filesystem path of a local path or ``file://`` URI."""
    return urlparse(uri).path if uri.startswith("file://") else uri


def join(prefix: str, *parts: str) -> str:
    """``prefix/part/...`` for paths and URIs alike (no doubled slashes)."""
    return "/".join([prefix.rstrip("/"), *(p.strip("/") for p in parts)])


def _filesystem(uri: str) -> Any:
    """The ``fsspec`` filesystem of ``uri``.

    Raises:
        ExecutionError: CT734 when no installed filesystem handles the URI's scheme.
    """
    scheme = urlparse(uri).scheme
    try:
        import fsspec  # only remote URIs need it; keeps the entrypoint's startup fast

        return fsspec.core.url_to_fs(uri)[0]
    except (ImportError, ValueError) as exc:  # unknown protocol / its package not installed
        raise ExecutionError(
            f"no storage backend for {scheme}:// URIs such as {uri!r} ({exc})",
            code="CT734",
            hint="install the fsspec filesystem of that scheme in the image (compile-tasks[s3] "
            "for s3://, compile-tasks[gcs] for gs://) or use a local path",
        ) from None


def _writable(uri: str) -> Any:
    """The filesystem of ``uri``, its parent folder made when the filesystem has folders
    (fsspec's local one; object stores have none to make)."""
    fs = _filesystem(uri)
    if getattr(fs, "auto_mkdir", True) is False:
        fs.makedirs(fs._parent(uri), exist_ok=True)
    return fs


def exists(uri: str) -> bool:
    """True when a file or directory is at ``uri``."""
    if is_remote(uri):
        return bool(_filesystem(uri).exists(uri))
    return os.path.exists(local_path(uri))


def open_file(uri: str, mode: str = "rb", **kwargs: Any) -> Any:
    """A file object on ``uri``: ``open`` for local paths (parents created for writing), an
    ``fsspec`` file for URIs, which streams instead of downloading the whole file first."""
    if is_remote(uri):
        fs = _writable(uri) if any(flag in mode for flag in "wax") else _filesystem(uri)
        return fs.open(uri, mode, **kwargs)
    path = local_path(uri)
    if any(flag in mode for flag in "wax"):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return open(path, mode, **kwargs)


def list_dir(uri: str) -> list[tuple[str, bool]]:
    """The entries directly inside the directory ``uri`` as ``(uri, is_directory)``, sorted."""
    if is_remote(uri):
        fs = _filesystem(uri)
        found = [
            # fsspec's local filesystem names its entries file://: those are plain paths
            (local_path(fs.unstrip_protocol(str(entry["name"]))), entry.get("type") == "directory")
            for entry in fs.ls(uri.rstrip("/"), detail=True)
        ]
        return sorted(found)
    path = local_path(uri)
    return sorted(
        (os.path.join(path, n), os.path.isdir(os.path.join(path, n))) for n in os.listdir(path)
    )


def walk_files(uri: str) -> list[str]:
    """Paths of every file below the directory ``uri``, relative to it, sorted (``/`` joined)."""
    found: list[str] = []
    pending = [("", uri)]
    while pending:
        relative, current = pending.pop()
        for entry, is_dir in list_dir(current):
            name = entry.rstrip("/").rsplit("/", 1)[-1]
            rel = f"{relative}/{name}" if relative else name
            if is_dir:
                pending.append((rel, entry))
            else:
                found.append(rel)
    return sorted(found)


def read_bytes(uri: str) -> bytes:
    """The content of a file at ``uri``."""
    if is_remote(uri):
        return _filesystem(uri).cat_file(uri)
    with open(local_path(uri), "rb") as src:
        return src.read()


def write_bytes(uri: str, data: bytes) -> None:
    """Write ``data`` to ``uri``; a local file is replaced atomically, parents are created."""
    if is_remote(uri):
        _writable(uri).pipe_file(uri, data)
        return
    path = local_path(uri)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def download(uri: str, dest: str, *, directory: bool) -> str:
    """Copy the file or directory at ``uri`` to the local path ``dest``; returns ``dest``."""
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    if is_remote(uri):
        _filesystem(uri).get(
            uri.rstrip("/") + ("/" if directory else ""), dest, recursive=directory
        )
    else:
        import shutil  # not at import time: ``import compiler`` stays fast

        if directory:
            shutil.copytree(local_path(uri), dest, dirs_exist_ok=True)
        else:
            shutil.copyfile(local_path(uri), dest)
    return dest


def upload(path: str, uri: str, *, directory: bool) -> str:
    """Copy the local file or directory ``path`` to ``uri``; returns ``uri``."""
    if is_remote(uri):
        _writable(uri).put(path, uri, recursive=directory)
    else:
        import shutil

        if directory:
            shutil.copytree(path, local_path(uri), dirs_exist_ok=True)
        else:
            os.makedirs(os.path.dirname(os.path.abspath(local_path(uri))), exist_ok=True)
            shutil.copyfile(path, local_path(uri))
    return uri
