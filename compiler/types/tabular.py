"""Tabular values: ``StructuredDataset``, ``FlyteSchema`` and ``kwtypes``.

Columns and formats of a structured dataset are declared with ``typing.Annotated``:
``Annotated[StructuredDataset, "parquet"]``, ``Annotated[StructuredDataset, kwtypes(sku=str)]``.
A schema's columns are declared by subscripting: ``FlyteSchema[kwtypes(sku=str, qty=int)]``.
Values only carry a URI, a format and optionally an in-memory dataframe; reading and writing
them is the runtime's business.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar

__all__ = ["FlyteSchema", "StructuredDataset", "kwtypes"]


def kwtypes(**kwargs: Any) -> OrderedDict[str, Any]:
    """An ordered ``name -> type`` mapping, e.g. ``kwtypes(sku=str, qty=int)``."""
    return OrderedDict(kwargs)


class StructuredDataset:
    """A dataframe-like value stored at ``uri`` in ``file_format``.

    Args:
        dataframe: An in-memory dataframe (any library), when the value was produced locally.
        uri: Where the data lives (a local path or a blob-store URI).
        file_format: The storage format (``""``: the default for the dataframe type).
        metadata: Optional metadata (e.g. a ``StructuredDatasetMetadata`` proto).
    """

    def __init__(
        self,
        dataframe: Any = None,
        uri: str | None = None,
        metadata: Any = None,
        file_format: str = "",
    ) -> None:
        self.dataframe = dataframe
        self.uri = uri
        self.metadata = metadata
        self.file_format = file_format

    @classmethod
    def columns(cls) -> dict[str, Any]:
        """Columns declared on the class itself (none: use ``Annotated`` for columns)."""
        return {}

    def __repr__(self) -> str:
        return f"StructuredDataset(uri={self.uri!r}, file_format={self.file_format!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StructuredDataset):
            return NotImplemented
        return (self.uri, self.file_format) == (other.uri, other.file_format) and (
            self.dataframe is other.dataframe
        )

    __hash__ = None  # type: ignore[assignment]


_SCHEMAS: dict[tuple[tuple[str, Any], ...], type] = {}


class FlyteSchema:
    """A columnar schema value (the older form of ``StructuredDataset``).

    ``FlyteSchema[kwtypes(sku=str, qty=int)]`` returns a cached subclass whose ``columns()``
    gives the declared columns.

    Args:
        local_path: A local directory holding the data.
        remote_path: Where the data lives remotely.
    """

    _columns: ClassVar[tuple[tuple[str, Any], ...]] = ()

    def __init__(self, local_path: str | None = None, remote_path: str | None = None) -> None:
        self.local_path = local_path
        self.remote_path = remote_path

    def __class_getitem__(cls, columns: Any) -> type:
        if isinstance(columns, tuple):  # FlyteSchema[columns, format]: the format is unused
            columns = columns[0]
        if not isinstance(columns, dict):
            raise TypeError(f"FlyteSchema[...] takes kwtypes(...) columns, got {columns!r}")
        key = tuple(columns.items())
        if not key:
            return cls
        if key not in _SCHEMAS:
            _SCHEMAS[key] = type("FlyteSchema", (FlyteSchema,), {"_columns": key})
        return _SCHEMAS[key]

    @classmethod
    def columns(cls) -> dict[str, Any]:
        """The declared columns, in order."""
        return dict(cls._columns)

    def __repr__(self) -> str:
        return f"FlyteSchema(local_path={self.local_path!r}, remote_path={self.remote_path!r})"
