"""Tabular values: ``StructuredDataset``, ``FlyteSchema`` and ``kwtypes``.

Columns and formats of a structured dataset are declared with ``typing.Annotated``:
``Annotated[StructuredDataset, "parquet"]``, ``Annotated[StructuredDataset, kwtypes(sku=str)]``.
A schema's columns are declared by subscripting: ``FlyteSchema[kwtypes(sku=str, qty=int)]``.
A ``StructuredDataset`` value carries a URI, a format and optionally an in-memory dataframe;
``.open(pd.DataFrame).all()`` reads it through the decoders of :mod:`compiler.types.structured`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, ClassVar

from flyteidl.core import literals_pb2

from compiler.errors import TypeMappingError

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
        self._dataframe_type: type | None = None
        #: The literal this value was read from (set by the engine), handed on unchanged.
        self._literal_sd: literals_pb2.StructuredDataset | None = None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """How pydantic validates, serialises and describes a dataset as a model field."""
        from compiler.types.pydantic_fields import dataset_core_schema

        return dataset_core_schema(cls, handler)

    def open(self, dataframe_type: type) -> StructuredDataset:
        """Choose the dataframe class ``all()`` and ``iter()`` read into; returns ``self``."""
        self._dataframe_type = dataframe_type
        return self

    def all(self) -> Any:
        """The whole dataset as a dataframe of the class given to ``open``.

        Raises:
            TypeMappingError: CT225 when ``open`` was not called (and there is no in-memory
                dataframe), CT223 when no decoder reads the format, or the decoder's error.
        """
        if self.dataframe is not None and (
            self._dataframe_type is None or isinstance(self.dataframe, self._dataframe_type)
        ):
            return self.dataframe
        result = self._decode()
        if isinstance(result, Iterator):
            raise TypeMappingError(
                f"the decoder of {self._dataframe_type!r} gives an iterator",
                code="CT225",
                hint="read it with .iter()",
            )
        return result

    def iter(self) -> Iterator[Any]:
        """The dataset as an iterator of dataframes (one, unless the decoder streams)."""
        if self.dataframe is not None and self._dataframe_type is None:
            return iter([self.dataframe])
        from compiler.types.structured import iterate

        return iterate(self._decode())

    def _decode(self) -> Any:
        # The registry is loaded on first read, not by `import compiler`.
        from compiler.types.structured import (
            DatasetContext,
            StructuredDatasetTransformerEngine,
            protocol_of,
        )

        if self._dataframe_type is None:
            raise TypeMappingError(
                f"{self!r} has no dataframe type to read into",
                code="CT225",
                hint="call .open(pd.DataFrame) (or another dataframe class) before .all()",
            )
        if not self.uri:
            raise TypeMappingError(
                f"{self!r} has neither a dataframe nor a uri",
                code="CT225",
                hint="give StructuredDataset(dataframe=...) or StructuredDataset(uri=...)",
            )
        meta = self.metadata
        if not isinstance(meta, literals_pb2.StructuredDatasetMetadata):
            meta = literals_pb2.StructuredDatasetMetadata()
            meta.structured_dataset_type.format = self.file_format
        fmt = self.file_format or meta.structured_dataset_type.format
        engine = StructuredDatasetTransformerEngine
        fmt = fmt or engine.default_format(self._dataframe_type)
        decoder = engine.get_decoder(self._dataframe_type, protocol_of(self.uri), fmt)
        literal = literals_pb2.StructuredDataset(uri=self.uri, metadata=meta)
        literal.metadata.structured_dataset_type.format = fmt
        return decoder.decode(DatasetContext(), literal, meta)

    @property
    def literal(self) -> literals_pb2.StructuredDataset | None:
        """The dataset literal this value was read from (``None`` for an in-memory value)."""
        if not self.uri:
            return None
        meta = self.metadata
        if not isinstance(meta, literals_pb2.StructuredDatasetMetadata):
            meta = None
        return literals_pb2.StructuredDataset(uri=self.uri, metadata=meta)

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
