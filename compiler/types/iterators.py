"""Iterators as flytekit 1.16 maps them, and ``BatchSize``.

* ``typing.Iterator[T]`` / ``collections.abc.Iterator[T]`` is a collection of ``T`` (union tag
  ``"Typed Iterator"``, description ``ListOf(item, iterator=True)``): a task may return any
  iterable (a generator, say), and an input is a :class:`FlyteIterator` that converts its items
  one by one as they are asked for.
* ``typing.Iterator[JSON]`` (exactly that hint, and :class:`JSONIterator`) is one JSON Lines
  file: a single-part blob of format ``jsonl`` with metadata ``{"format": "json iterator"}``,
  union tag ``"JSON Iterator"``; an input is a :class:`JSONIterator` reading the file line by
  line.
* ``BatchSize(n)`` in ``Annotated[FlyteDirectory, BatchSize(n)]`` is accepted where flytekit
  users write it; it does not change the literal type (flytekit uses it to transfer a
  directory's files in batches, a transfer detail with the same result).
"""

from __future__ import annotations

import json
import os
import typing
from collections.abc import Iterator
from typing import Any, TypeAlias

from flyteidl.core import literals_pb2, types_pb2
from google.protobuf import struct_pb2

from compiler.errors import TypeMappingError
from compiler.types.transformer import TypeTransformer

__all__ = [
    "JSON",
    "JSON_ITERATOR_FORMAT",
    "BatchSize",
    "FlyteIterator",
    "JSONIterator",
    "JSONIteratorTransformer",
]

#: flytekit's ``JSON`` alias (``typing.Iterator[JSON]`` is the JSON Lines iterator).
JSON: TypeAlias = typing.Union[  # noqa: UP007  # typing's Union: the hint flytekit compares
    typing.Dict[str, Any],  # noqa: UP006
    typing.List[Any],  # noqa: UP006
    bool,
    float,
    int,
    str,
]

JSON_ITERATOR_FORMAT = "jsonl"
_JSON_ITERATOR_METADATA = "json iterator"


class BatchSize:
    """``Annotated[FlyteDirectory, BatchSize(10)]``: flytekit's transfer batch size marker.

    Args:
        val: The number of files moved per batch (a positive int).
    """

    def __init__(self, val: int) -> None:
        if isinstance(val, bool) or not isinstance(val, int) or val < 1:
            raise TypeMappingError(
                f"BatchSize needs a positive int, got {val!r}",
                code="CT215",
                hint="write BatchSize(10)",
            )
        self._val = val

    @property
    def val(self) -> int:
        """The batch size."""
        return self._val

    def __repr__(self) -> str:
        return f"BatchSize({self._val})"


class FlyteIterator:
    """An ``Iterator[T]`` input: the collection's items, converted one at a time.

    ``len()`` gives the number of items; iterating again starts from the first one.
    """

    def __init__(self, engine: Any, item_desc: Any, literals: Any) -> None:
        self._engine = engine
        self._item = item_desc
        self._literals = list(literals)
        self._index = 0

    def __len__(self) -> int:
        return len(self._literals)

    def __iter__(self) -> FlyteIterator:
        self._index = 0
        return self

    def __next__(self) -> Any:
        from compiler.types.value_checks import located
        from compiler.types.values import literal_to_value

        if self._index >= len(self._literals):
            raise StopIteration
        i = self._index
        self._index += 1
        return located(f"item {i}", literal_to_value, self._engine, self._item, self._literals[i])


class JSONIterator(Iterator[Any]):
    """An ``Iterator[JSON]`` input: the JSON values of a JSON Lines file, one per line."""

    def __init__(self, path: str) -> None:
        from compiler.context import storage

        self._file = storage.open_file(path, "r", encoding="utf-8")  # closed when exhausted

    def __iter__(self) -> JSONIterator:
        return self

    def __next__(self) -> Any:
        for line in self._file:
            if line.strip():
                return json.loads(line)
        self._file.close()
        raise StopIteration


def _blob_type() -> types_pb2.BlobType:
    return types_pb2.BlobType(format=JSON_ITERATOR_FORMAT, dimensionality=types_pb2.BlobType.SINGLE)


class JSONIteratorTransformer(TypeTransformer):
    """``Iterator[JSON]`` <-> a ``jsonl`` blob (built in, as flytekit's)."""

    name = "JSON Iterator"

    def matches(self, hint: Any) -> bool:
        return hint == typing.Iterator[JSON] or hint is JSONIterator

    def get_literal_type(self, hint: Any) -> types_pb2.LiteralType:
        metadata = struct_pb2.Struct()
        metadata.update({"format": _JSON_ITERATOR_METADATA})
        return types_pb2.LiteralType(blob=_blob_type(), metadata=metadata)

    def to_literal(self, value: Any, hint: Any, engine: Any) -> literals_pb2.Literal:
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
            raise TypeMappingError(
                f"expected an iterator of JSON values, got {type(value).__name__} {value!r:.80}",
                code="CT701",
                hint="return a generator or a list of JSON values (dicts, lists, numbers, strings)",
            )
        import tempfile

        fd, path = tempfile.mkstemp(prefix="compile-tasks-", suffix=".jsonl")
        empty = True
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for i, item in enumerate(value):
                try:
                    out.write(json.dumps(item, ensure_ascii=False) + "\n")
                except (TypeError, ValueError) as exc:
                    raise TypeMappingError(
                        f"item {i} is not a JSON value ({exc})",
                        code="CT701",
                        hint="yield dicts, lists, numbers, strings or booleans",
                    ) from None
                empty = False
        if empty:  # flytekit refuses an empty JSON iterator too
            os.unlink(path)
            raise TypeMappingError(
                "the JSON iterator is empty",
                code="CT701",
                hint="yield at least one value (flytekit cannot write an empty JSON iterator)",
            )
        blob = literals_pb2.Blob(metadata=literals_pb2.BlobMetadata(type=_blob_type()), uri=path)
        return literals_pb2.Literal(scalar=literals_pb2.Scalar(blob=blob))

    def to_python(self, literal: literals_pb2.Literal, hint: Any, engine: Any) -> Any:
        if not literal.scalar.HasField("blob"):
            raise TypeMappingError(
                "expected a literal of type Iterator[JSON], got no blob",
                code="CT702",
                hint="the literal was written for a different interface; recompile",
            )
        return JSONIterator(literal.scalar.blob.uri)  # the runtime downloads remote blobs

    def guess_python_type(self, literal_type: types_pb2.LiteralType) -> Any:
        """``Iterator[JSON]`` for a ``jsonl`` blob type with the iterator metadata."""
        if (
            literal_type.blob.format == JSON_ITERATOR_FORMAT
            and literal_type.metadata.fields.get("format") is not None
            and literal_type.metadata.fields["format"].string_value == _JSON_ITERATOR_METADATA
        ):
            return typing.Iterator[JSON]
        raise ValueError(f"{self!r} cannot reverse {literal_type}")
