"""Reading and writing bytes and files at a local path or an ``fsspec`` URI.

Local paths (and ``file://`` URIs) use plain file operations. Anything with another scheme
(``s3://``, ``gs://``, ``memory://``, ...) goes through ``fsspec``, which is imported only then:
a task whose inputs and outputs are local (the usual local run) does not pay for it.
"""

from __future__ import annotations

import os
import shutil
from typing import Any
from urllib.parse import urlparse

__all__ = [
    "download",
    "is_remote",
    "join",
    "local_path",
    "read_bytes",
    "upload",
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
    import fsspec  # only remote URIs need it; keeps the entrypoint's startup fast

    return fsspec.core.url_to_fs(uri)[0]


def read_bytes(uri: str) -> bytes:
    """The content of a file at ``uri``."""
    if is_remote(uri):
        return _filesystem(uri).cat_file(uri)
    with open(local_path(uri), "rb") as src:
        return src.read()


def write_bytes(uri: str, data: bytes) -> None:
    """Write ``data`` to ``uri``; a local file is replaced atomically, parents are created."""
    if is_remote(uri):
        _filesystem(uri).pipe_file(uri, data)
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
    elif directory:
        shutil.copytree(local_path(uri), dest, dirs_exist_ok=True)
    else:
        shutil.copyfile(local_path(uri), dest)
    return dest


def upload(path: str, uri: str, *, directory: bool) -> str:
    """Copy the local file or directory ``path`` to ``uri``; returns ``uri``."""
    if is_remote(uri):
        _filesystem(uri).put(path, uri, recursive=directory)
    elif directory:
        shutil.copytree(path, local_path(uri), dirs_exist_ok=True)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(local_path(uri))), exist_ok=True)
        shutil.copyfile(path, local_path(uri))
    return uri
