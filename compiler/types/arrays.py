"""``numpy.ndarray`` as flytekit 1.16 writes it: a single-part blob of format ``NumpyArray``
holding the array in ``.npy`` form (``numpy.save``).

The transformer is built in (``BUILTIN_PREDICATES`` of :mod:`compiler.types.describe`) and
recognises arrays by name, so compiling a task that declares one does not import numpy; values
are written to a local file that the runtime uploads under the raw output prefix, and read back
from the local path the runtime downloaded the blob to.
"""

from __future__ import annotations

import os
from typing import Any

from flyteidl.core import literals_pb2, types_pb2

from compiler.errors import TypeMappingError
from compiler.types.transformer import TypeTransformer

__all__ = ["NUMPY_FORMAT", "NumpyArrayTransformer", "is_numpy_array"]

NUMPY_FORMAT = "NumpyArray"


def is_numpy_array(hint: Any) -> bool:
    """``numpy.ndarray`` or a subclass (checked by name: numpy is not imported)."""
    return isinstance(hint, type) and any(
        k.__name__ == "ndarray" and k.__module__.partition(".")[0] == "numpy" for k in hint.__mro__
    )


def _blob_type() -> types_pb2.BlobType:
    return types_pb2.BlobType(format=NUMPY_FORMAT, dimensionality=types_pb2.BlobType.SINGLE)


class NumpyArrayTransformer(TypeTransformer):
    """``np.ndarray`` <-> a ``NumpyArray`` blob (``.npy``, without pickled objects)."""

    name = "Numpy Array"

    def matches(self, hint: Any) -> bool:
        return is_numpy_array(hint)

    def get_literal_type(self, hint: Any) -> types_pb2.LiteralType:
        return types_pb2.LiteralType(blob=_blob_type())

    def to_literal(self, value: Any, hint: Any, engine: Any) -> literals_pb2.Literal:
        import tempfile

        import numpy as np

        if not isinstance(value, np.ndarray):
            raise TypeMappingError(
                f"expected a value of type ndarray, got {type(value).__name__} {value!r:.80}",
                code="CT701",
                hint="pass a numpy array (np.asarray(...))",
            )
        fd, path = tempfile.mkstemp(prefix="compile-tasks-", suffix=".npy")
        with os.fdopen(fd, "wb") as out:
            try:
                np.save(out, value, allow_pickle=False)
            except ValueError as exc:  # an object array needs pickling, as in flytekit
                raise TypeMappingError(
                    f"the array cannot be saved without pickling ({exc})",
                    code="CT701",
                    hint="use an array of numbers, strings or booleans (not dtype=object)",
                ) from None
        blob = literals_pb2.Blob(metadata=literals_pb2.BlobMetadata(type=_blob_type()), uri=path)
        return literals_pb2.Literal(scalar=literals_pb2.Scalar(blob=blob))

    def to_python(self, literal: literals_pb2.Literal, hint: Any, engine: Any) -> Any:
        import numpy as np

        if not literal.scalar.HasField("blob"):
            raise TypeMappingError(
                "expected a literal of type ndarray, got no blob",
                code="CT702",
                hint="the literal was written for a different interface; recompile",
            )
        from compiler.context import storage

        # A top-level input was downloaded by the runtime; an array field of a dataclass may
        # still be remote, and is streamed through fsspec.
        with storage.open_file(literal.scalar.blob.uri, "rb") as src:
            return np.load(src, allow_pickle=False)

    def guess_python_type(self, literal_type: types_pb2.LiteralType) -> Any:
        """``np.ndarray`` for a ``NumpyArray`` blob type."""
        import numpy as np

        if literal_type.blob.format == NUMPY_FORMAT:
            return np.ndarray
        raise ValueError(f"{self!r} cannot reverse {literal_type}")
