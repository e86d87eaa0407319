"""The ``ctx`` handed to custom transformers, encoders and decoders (flytekit passes its
``FlyteContext``): ``ctx.file_access`` gives fresh local paths and moves files.

Written outputs stay local: the runtime uploads every local blob and dataset of the outputs
under the raw output prefix (``compiler.runtime.blobs``), so ``put_raw_data`` hands the local
path back. Remote URIs (``s3://``, ``gs://``, ``memory://``, ...) go through fsspec, imported
only when one is used.
"""

from __future__ import annotations

import os
import shutil
from typing import Any
from urllib.parse import urlparse

__all__ = ["FileAccess", "TransformerContext", "is_remote"]


def is_remote(path: str | os.PathLike[str]) -> bool:
    """True for a URI with a scheme other than ``file`` (a Windows drive is not a scheme)."""
    scheme = urlparse(os.fspath(path)).scheme
    return len(scheme) > 1 and scheme != "file"


def _local(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path)
    return urlparse(text).path if text.startswith("file://") else text


def _filesystem(uri: str) -> Any:
    import fsspec

    return fsspec.core.url_to_fs(uri)[0]


class FileAccess:
    """flytekit's ``ctx.file_access`` methods that transformers use."""

    raw_output_prefix = ""

    @staticmethod
    def is_remote(path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` is a remote URI."""
        return is_remote(path)

    def get_random_local_directory(self) -> str:
        """A new empty local directory."""
        import tempfile

        return tempfile.mkdtemp(prefix="compile-tasks-")

    def get_random_local_path(self, file_path_or_file_name: str | None = None) -> str:
        """A fresh local path in a new directory, ending in the given name (else ``data``)."""
        name = os.path.basename(file_path_or_file_name or "") or "data"
        return os.path.join(self.get_random_local_directory(), name)

    def get_data(
        self, remote_path: str, local_path: str, is_multipart: bool = False, **_: Any
    ) -> str:
        """Copy the file (or directory, ``is_multipart``) at ``remote_path`` to ``local_path``."""
        os.makedirs(os.path.dirname(os.path.abspath(local_path)), exist_ok=True)
        if is_remote(remote_path):
            source = remote_path.rstrip("/") + ("/" if is_multipart else "")
            _filesystem(remote_path).get(source, local_path, recursive=is_multipart)
        elif is_multipart:
            shutil.copytree(_local(remote_path), local_path, dirs_exist_ok=True)
        elif os.path.abspath(_local(remote_path)) != os.path.abspath(local_path):
            shutil.copyfile(_local(remote_path), local_path)
        return local_path

    def put_data(
        self, local_path: str, remote_path: str, is_multipart: bool = False, **_: Any
    ) -> str:
        """Copy a local file or directory to ``remote_path``; returns ``remote_path``."""
        if is_remote(remote_path):
            source = local_path.rstrip("/") + ("/" if is_multipart else "")
            _filesystem(remote_path).put(source, remote_path, recursive=is_multipart)
        else:
            self.get_data(local_path, _local(remote_path), is_multipart)
        return remote_path

    def put_raw_data(self, local_path: str | os.PathLike[str], **_: Any) -> str:
        """Where the data of an output lives: the local path, which the runtime uploads."""
        return os.fspath(local_path)

    def join(self, *parts: str) -> str:
        """``a/b/c`` for paths and URIs alike."""
        return "/".join([parts[0].rstrip("/"), *(p.strip("/") for p in parts[1:])])


class TransformerContext:
    """What ``to_literal`` / ``to_python_value`` / ``encode`` / ``decode`` get as ``ctx``.

    Attributes:
        file_access: See :class:`FileAccess`.
    """

    def __init__(self) -> None:
        self.file_access = FileAccess()

    # Encoders written for this package before it had ``file_access`` called these directly.
    def get_random_local_directory(self) -> str:
        """``file_access.get_random_local_directory()``."""
        return self.file_access.get_random_local_directory()

    def get_random_local_path(self, file_path_or_file_name: str | None = None) -> str:
        """``file_access.get_random_local_path(...)``."""
        return self.file_access.get_random_local_path(file_path_or_file_name)
