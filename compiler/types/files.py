"""``FlyteFile``, ``FlyteDirectory`` and their format-specific aliases.

A value holds a path: a local path or a URI. Converting it to a literal and back is the type
engine's business (``compiler.types.values``); what a task does with it is here, with
flytekit's names: ``download()``, ``open(mode)`` (streams through ``fsspec`` for a URI),
``remote_source`` (where a downloaded input came from), ``FlyteFile.new_remote_file()``,
``FlyteDirectory.listdir()``, ``crawl()``, ``walk()``, ``new_file()``, ``new_dir()``. Storage is
reached through :mod:`compiler.context.storage`, which imports ``fsspec`` only for URIs.

``FlyteFile["csv"]`` and ``FlyteFile[TypeVar("csv")]`` return the same cached subclass whose
``format`` is ``"csv"``, so format-specific classes are hashable, comparable with ``is`` and
cheap to create.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, ClassVar, TypeVar

from compiler.context import current_context, storage
from compiler.errors import CompileTasksError, ExecutionError

__all__ = [
    "CSVFile",
    "FlyteDirectory",
    "FlyteFile",
    "HDF5EncodedFile",
    "HTMLPage",
    "JPEGImageFile",
    "JSONLFile",
    "JoblibSerializedFile",
    "ONNXFile",
    "PDFFile",
    "PNGImageFile",
    "PythonNotebook",
    "PythonPickledFile",
    "SVGImageFile",
    "TFRecordFile",
    "TFRecordsDirectory",
    "TensorboardLogs",
    "normalise_format",
]

_SPECIALISED: dict[tuple[type, str], type] = {}


def normalise_format(item: Any) -> str:
    """The blob format named by a subscript: ``"csv"``, ``TypeVar("csv")`` or ``" .csv"``.

    The text of ``item`` is stripped of spaces and of leading ``~`` (how a ``TypeVar`` prints)
    and ``.``, as flytekit does.
    """
    return str(item).strip().lstrip("~").lstrip(".")


class _PathValue(os.PathLike):
    """Common part of files and directories: a path, a format and value semantics."""

    #: The blob format of the class (``""`` for the generic class).
    format: ClassVar[str] = ""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        remote_path: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.path: str = os.fspath(path)
        self.remote_path = remote_path
        self.metadata = dict(metadata) if metadata else None
        self._remote_source: str | None = None
        # A URI is downloaded when first used as a local path (os.fspath, open(value)), as
        # flytekit does for task inputs; a new file to write to (new_remote_file) is not.
        self._lazy = storage.is_remote(self.path)

    #: Whether the value is a directory (a multipart blob).
    _multipart: ClassVar[bool] = False

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """How pydantic validates, serialises and describes this class as a model field."""
        from compiler.types.pydantic_fields import path_core_schema

        return path_core_schema(cls, handler)

    @classmethod
    def from_source(cls, source: str | os.PathLike[str]) -> Any:
        """A value for the file or directory at ``source``, downloaded when first used as a
        path (``os.fspath``, ``open(value)``) or by ``download()``."""
        value = cls(os.fspath(source))
        value._remote_source = value.path if storage.is_remote(value.path) else None
        return value

    @classmethod
    def _to_write(cls, path: str) -> Any:
        """A value for a file or directory that does not exist yet (never downloaded)."""
        value = cls(path)
        value._lazy = False
        return value

    @property
    def remote_source(self) -> str | None:
        """The URI this value was downloaded from (an input of a task, a ``from_source``
        value), or ``None`` for a value that never was remote."""
        if self._remote_source is not None:
            return self._remote_source
        if self._lazy:  # a URI not downloaded yet is its own source
            return self.path
        return current_context().source_of(self.path)

    @property
    def downloaded(self) -> bool:
        """True when ``path`` is a local path that exists."""
        return not storage.is_remote(self.path) and os.path.exists(self.path)

    def download(self) -> str:
        """Download a remote value into the working directory and return its local path (a
        local value is returned as is).

        Raises:
            ExecutionError: CT736 naming the URI when the download fails.
        """
        if not storage.is_remote(self.path):
            return self.path
        uri = self.path
        context = current_context()
        name = uri.rstrip("/").rsplit("/", 1)[-1] or "data"
        local = os.path.join(context.working_directory, "downloads", os.urandom(8).hex(), name)
        try:
            storage.download(uri, local, directory=self._multipart)
        except CompileTasksError:
            raise
        except Exception as exc:
            raise ExecutionError(
                f"cannot download {uri!r}: {type(exc).__name__}: {exc}",
                code="CT736",
                hint="check the URI exists and this process's credentials can read it",
            ) from None
        context.record_sources({local: uri})
        self._remote_source = uri
        self._lazy = False
        self.path = local
        return local

    def _target(self) -> str:
        """Where reads and writes go: the remote source, else ``remote_path``, else ``path``."""
        return self.remote_source or self.remote_path or self.path

    @property
    def sep(self) -> str:
        """The path separator of the value's storage (``/`` for URIs)."""
        return "/" if storage.is_remote(self.path) else os.sep

    def __class_getitem__(cls, item: Any) -> type:
        fmt = normalise_format(item)
        if not fmt:
            return cls
        # FlyteFile["csv"]["json"] specialises FlyteFile, not FlyteFile["csv"].
        base = cls.__bases__[0] if "_specialised" in cls.__dict__ else cls
        key = (base, fmt)
        if key not in _SPECIALISED:
            _SPECIALISED[key] = type(
                f"{base.__name__}[{fmt}]",
                (base,),
                {"format": fmt, "_specialised": True, "__module__": base.__module__},
            )
        return _SPECIALISED[key]

    @classmethod
    def extension(cls) -> str:
        """The format of this class (flytekit's name for it)."""
        return cls.format

    @classmethod
    def generic_base(cls) -> type:
        """``FlyteFile`` or ``FlyteDirectory`` (whatever the format)."""
        return next(k for k in cls.__mro__ if k.__dict__.get("_generic"))

    def __fspath__(self) -> str:
        return self.download() if self._lazy else self.path

    def __str__(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _PathValue):
            return NotImplemented
        return (
            self.generic_base() is other.generic_base()
            and self.path == other.path
            and self.remote_path == other.remote_path
        )

    def __hash__(self) -> int:
        return hash((self.generic_base(), self.path))


def _new_remote_path(name: str | None, alt: str | None) -> str:
    """``<raw output prefix>/<name or random>``, the bucket replaced by ``alt`` when given."""
    prefix = current_context().raw_output_prefix.rstrip("/")
    if alt and "://" in prefix:
        scheme, rest = prefix.split("://", 1)
        prefix = f"{scheme}://{alt}" + (f"/{rest.split('/', 1)[1]}" if "/" in rest else "")
    return storage.join(prefix, name or os.urandom(16).hex())


def _relative(name: str | os.PathLike[str]) -> str:
    text = os.fspath(name)
    if os.path.isabs(text):
        raise ExecutionError(
            f"{text!r} is an absolute path",
            code="CT737",
            hint="give a path relative to current_context().working_directory",
        )
    return text


class FlyteFile(_PathValue):
    """A file, written on the wire as a single-part blob.

    Args:
        path: A local path or a URI (``s3://...``).
        remote_path: Where to upload a local file to (``None``: let the runtime choose).
        metadata: Optional string metadata.
    """

    _generic: ClassVar[bool] = True

    @classmethod
    def new_remote_file(cls, name: str | None = None, alt: str | None = None) -> Any:
        """A file under the raw output prefix (``name`` or a random one), to write with
        ``open("wb")`` and return as is: it is not uploaded again."""
        return cls._to_write(_new_remote_path(name, alt))

    @classmethod
    def new(cls, filename: str | os.PathLike[str]) -> Any:
        """A file at ``filename`` (relative) in the working directory."""
        return cls(os.path.join(current_context().working_directory, _relative(filename)))

    def open(
        self,
        mode: str = "rb",
        cache_type: str | None = None,
        cache_options: dict[str, Any] | None = None,
    ) -> Any:
        """A file object (a context manager) on the file: a URI (the remote source of an input
        included) is streamed through ``fsspec``, with its ``cache_type`` / ``cache_options``;
        a local path is opened directly (parent folders made for writing)."""
        target = self._target()
        extra: dict[str, Any] = {}
        if storage.is_remote(target):
            if cache_type is not None:
                extra["cache_type"] = cache_type
            if cache_options is not None:
                extra["cache_options"] = cache_options
        return storage.open_file(target, mode, **extra)


class FlyteDirectory(_PathValue):
    """A directory, written on the wire as a multipart blob.

    Args:
        path: A local path or a URI (``s3://...``).
        remote_path: Where to upload a local directory to (``None``: let the runtime choose).
        metadata: Optional string metadata.
    """

    _generic: ClassVar[bool] = True
    _multipart: ClassVar[bool] = True

    @classmethod
    def new_remote(cls, stem: str | None = None, alt: str | None = None) -> Any:
        """A directory under the raw output prefix, to fill with ``new_file()`` and return."""
        return cls._to_write(_new_remote_path(stem, alt))

    @classmethod
    def new(cls, dirname: str | os.PathLike[str]) -> Any:
        """A directory at ``dirname`` (relative) in the working directory, created."""
        path = os.path.join(current_context().working_directory, _relative(dirname))
        os.makedirs(path, exist_ok=True)
        return cls(path)

    def _child(self, name: str | None) -> str:
        return storage.join(self.path, name or os.urandom(16).hex())

    def new_file(self, name: str | None = None) -> FlyteFile:
        """A file inside this directory (``name`` or a random one; collisions not checked)."""
        return FlyteFile._to_write(self._child(name))

    def new_dir(self, name: str | None = None) -> FlyteDirectory:
        """A directory inside this directory (``name`` or a random one)."""
        return FlyteDirectory._to_write(self._child(name))

    @classmethod
    def listdir(cls, directory: FlyteDirectory) -> list[FlyteFile | FlyteDirectory]:
        """The files and directories directly in ``directory``, sorted, without downloading
        them: entries of a remote directory download when first used as a path."""
        root = directory._target()
        entries: list[FlyteFile | FlyteDirectory] = []
        for uri, is_dir in storage.list_dir(root):
            kind: type[_PathValue] = FlyteDirectory if is_dir else FlyteFile
            entries.append(kind.from_source(uri) if storage.is_remote(uri) else kind(uri))
        return entries

    def crawl(self, maxdepth: int | None = None) -> Iterator[tuple[str, str]]:
        """``(directory, relative path)`` for every file below the directory (sorted; nested
        files as ``sub/name``); ``maxdepth`` limits how many levels deep it goes."""
        root = self._target()
        for relative in storage.walk_files(root):
            if maxdepth is None or relative.count("/") < maxdepth:
                yield root, relative

    def walk(self) -> Iterator[tuple[str, list[str], list[str]]]:
        """``(folder, sub-folder names, file names)`` for the directory and every folder below
        it, top down, as ``os.walk`` gives them (for URIs too)."""
        pending = [self._target()]
        while pending:
            folder = pending.pop(0)
            entries = storage.list_dir(folder)
            names = [(uri.rstrip("/").rsplit("/", 1)[-1], uri, d) for uri, d in entries]
            yield folder, [n for n, _, d in names if d], [n for n, _, d in names if not d]
            pending.extend(uri for _, uri, d in names if d)


HDF5EncodedFile = FlyteFile[TypeVar("hdf5")]
HTMLPage = FlyteFile[TypeVar("html")]
JoblibSerializedFile = FlyteFile[TypeVar("joblib")]
JPEGImageFile = FlyteFile[TypeVar("jpeg")]
PDFFile = FlyteFile[TypeVar("pdf")]
PNGImageFile = FlyteFile[TypeVar("png")]
PythonPickledFile = FlyteFile[TypeVar("python_pickle")]
PythonNotebook = FlyteFile[TypeVar("ipynb")]
SVGImageFile = FlyteFile[TypeVar("svg")]
CSVFile = FlyteFile[TypeVar("csv")]
ONNXFile = FlyteFile[TypeVar("onnx")]
TFRecordFile = FlyteFile[TypeVar("tfrecord")]
JSONLFile = FlyteFile[TypeVar("jsonl")]

TensorboardLogs = FlyteDirectory[TypeVar("tensorboard")]
TFRecordsDirectory = FlyteDirectory[TypeVar("tfrecords_dir")]
