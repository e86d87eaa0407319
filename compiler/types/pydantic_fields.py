"""``FlyteFile``, ``FlyteDirectory`` and ``StructuredDataset`` as fields of pydantic models.

pydantic asks a field's class for ``__get_pydantic_core_schema__``; ours answer with the
functions below, which are only ever called while pydantic builds a model (so pydantic is
already imported, and ``import compiler`` never loads it). What flytekit 1.16.31 writes:

* JSON schema: flytekit's classes are dataclasses, so pydantic describes them as objects
  titled with the class name: ``FlyteFile`` with ``path`` and ``metadata``, ``FlyteDirectory``
  with ``path``, ``StructuredDataset`` with ``uri`` and ``file_format`` (and its docstring as
  ``description``). The shape classes here have those fields, defaults and names, so pydantic
  writes the same schema.
* Serialised: ``{"path": ...}`` (plus ``"metadata"`` when a file has some) and
  ``{"uri": ..., "file_format": ...}``. A local path is uploaded by the runtime, which walks the
  model's field types; a ``StructuredDataset(dataframe=...)`` is written by its encoder first.
* Validated: an instance is kept; that data (or a bare path) gives a value whose remote path is
  downloaded when first used, as for any task input.
"""

from __future__ import annotations

import dataclasses
import os
import typing
from typing import Any

__all__ = ["dataset_core_schema", "path_core_schema"]

#: flytekit's ``StructuredDataset`` docstring: pydantic writes it as the schema's description.
_DATASET_DESCRIPTION = (
    "This is the user facing StructuredDataset class. Please don't confuse it with the "
    "literals.StructuredDataset\nclass (that is just a model, a Python class representation of "
    "the protobuf)."
)

_PathType = typing.Union[str, os.PathLike]  # noqa: UP007  # the schema of flytekit's field


@dataclasses.dataclass
class FlyteFile:
    path: _PathType = None  # type: ignore[assignment]  # flytekit's field and default
    metadata: typing.Optional[dict[str, str]] = None  # noqa: UP045


@dataclasses.dataclass
class FlyteDirectory:
    path: _PathType = None  # type: ignore[assignment]


@dataclasses.dataclass
class StructuredDataset:
    uri: typing.Optional[str] = None  # noqa: UP045
    file_format: typing.Optional[str] = ""  # noqa: UP045


StructuredDataset.__doc__ = _DATASET_DESCRIPTION


# flytekit's format-specific classes (``CSVFile``, ``FlyteFile["csv"]``, ``TensorboardLogs``)
# are subclasses of these names: pydantic titles their schemas so.
@dataclasses.dataclass
class _SpecificFormatClass(FlyteFile):
    pass


@dataclasses.dataclass
class _SpecificFormatDirectoryClass(FlyteDirectory):
    pass


def _shape_schema(shape: type, handler: Any) -> Any:
    return handler.generate_schema(shape)


def path_core_schema(cls: type, handler: Any) -> Any:
    """The pydantic core schema of a file or directory class (``cls`` or a subclass)."""
    from pydantic_core import core_schema

    from compiler.types.files import FlyteDirectory as RealDirectory

    is_dir = issubclass(cls, RealDirectory)
    if getattr(cls, "format", ""):
        shape: type = _SpecificFormatDirectoryClass if is_dir else _SpecificFormatClass
    else:
        shape = FlyteDirectory if is_dir else FlyteFile

    def validate(value: Any, inner: Any) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str | os.PathLike):
            return cls(os.fspath(value))
        data = inner(value)
        if data.path is None:
            raise ValueError(f"a {cls.__name__} needs a path")
        metadata = None if is_dir else data.metadata
        return cls(os.fspath(data.path), metadata=metadata)

    def serialize(value: Any) -> dict[str, Any]:
        # ``path``, not ``os.fspath``: a remote path is written as is, never downloaded here.
        out: dict[str, Any] = {"path": value.path if isinstance(value, cls) else os.fspath(value)}
        if getattr(value, "metadata", None) and not is_dir:
            out["metadata"] = dict(value.metadata)
        return out

    return core_schema.no_info_wrap_validator_function(
        validate,
        _shape_schema(shape, handler),
        serialization=core_schema.plain_serializer_function_ser_schema(serialize),
    )


def dataset_core_schema(cls: type, handler: Any) -> Any:
    """The pydantic core schema of ``StructuredDataset`` (or a subclass)."""
    from pydantic_core import core_schema

    def validate(value: Any, inner: Any) -> Any:
        if isinstance(value, cls):
            return value
        data = inner(value)
        return cls(uri=data.uri, file_format=data.file_format or "")

    def serialize(value: Any) -> dict[str, Any]:
        if value.dataframe is not None:
            return _encoded(value)
        return {"uri": value.uri, "file_format": value.file_format}

    return core_schema.no_info_wrap_validator_function(
        validate,
        _shape_schema(StructuredDataset, handler),
        serialization=core_schema.plain_serializer_function_ser_schema(serialize),
    )


def _encoded(value: Any) -> dict[str, Any]:
    """Write a dataset's dataframe with its encoder (the runtime uploads the local result)."""
    from compiler.types.desc import StructuredDatasetOf
    from compiler.types.plain import dataset_plain

    return dataset_plain(StructuredDatasetOf(), value)
