"""``FlyteFile``, ``FlyteDirectory`` and their format-specific aliases.

Values of these classes only hold a path (a local path or a URI); reading and writing them is
the runtime's business (``compiler.types.values``). ``FlyteFile["csv"]`` and
``FlyteFile[TypeVar("csv")]`` return the same cached subclass whose ``format`` is ``"csv"``, so
format-specific classes are hashable, comparable with ``is`` and cheap to create.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar, TypeVar

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
        return self.path

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


class FlyteFile(_PathValue):
    """A file, written on the wire as a single-part blob.

    Args:
        path: A local path or a URI (``s3://...``).
        remote_path: Where to upload a local file to (``None``: let the runtime choose).
        metadata: Optional string metadata.
    """

    _generic: ClassVar[bool] = True


class FlyteDirectory(_PathValue):
    """A directory, written on the wire as a multipart blob.

    Args:
        path: A local path or a URI (``s3://...``).
        remote_path: Where to upload a local directory to (``None``: let the runtime choose).
        metadata: Optional string metadata.
    """

    _generic: ClassVar[bool] = True


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
