"""File-like values <-> literals: files, directories, schemas, pickles (datasets:
:mod:`compiler.types.dataset_values`).

These literals only carry a URI (WIRE-FORMAT 17); downloading and uploading is the runtime's
business (``compiler.runtime.blobs``). A pickle is written to a local temporary file, which the
runtime uploads. Rows of the value tables in :mod:`compiler.types.values`, with the same
``(engine, desc, value_or_literal)`` signature.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from typing import Any

from flyteidl.core import literals_pb2, types_pb2

from compiler.types.desc import BlobOf, PickleOf, SchemaOf
from compiler.types.files import FlyteDirectory, FlyteFile
from compiler.types.literal_types import PICKLE_FORMAT
from compiler.types.tabular import FlyteSchema
from compiler.types.value_checks import literal_error, path_of, scalar_literal, value_error

__all__ = [
    "blob_to_literal",
    "blob_to_value",
    "pickle_to_literal",
    "pickle_to_value",
    "schema_to_literal",
    "schema_to_value",
]

Literal = literals_pb2.Literal


def blob_to_literal(engine: Any, desc: BlobOf, value: Any) -> Literal:
    """A single-part (file) or multipart (directory) blob of the value's path."""
    wrong_kind = isinstance(value, FlyteFile if desc.multipart else FlyteDirectory)
    if wrong_kind or not isinstance(value, str | os.PathLike):
        raise value_error(desc, value)
    uri = path_of(value)
    dim = types_pb2.BlobType.MULTIPART if desc.multipart else types_pb2.BlobType.SINGLE
    blob_type = types_pb2.BlobType(format=desc.format, dimensionality=dim)
    meta = literals_pb2.BlobMetadata(type=blob_type)
    return scalar_literal(blob=literals_pb2.Blob(metadata=meta, uri=str(uri)))


def blob_to_value(engine: Any, desc: BlobOf, literal: Literal) -> Any:
    """The file or directory (of the declared class) at the blob's URI."""
    if not literal.scalar.HasField("blob"):
        raise literal_error(desc, literal)
    return desc.py(literal.scalar.blob.uri)


def schema_to_literal(engine: Any, desc: SchemaOf, value: Any) -> Literal:
    """A schema literal of the value's remote (else local) path, with the declared columns."""
    if isinstance(value, FlyteSchema):
        uri = value.remote_path or value.local_path
    elif isinstance(value, str | os.PathLike):
        uri = os.fspath(value)
    else:
        raise value_error(desc, value)
    schema_type = engine.literal_type_of(desc).schema
    return scalar_literal(schema=literals_pb2.Schema(uri=uri or "", type=schema_type))


def schema_to_value(engine: Any, desc: SchemaOf, literal: Literal) -> Any:
    """The ``FlyteSchema`` (of the declared class) a literal points at."""
    if not literal.scalar.HasField("schema"):
        raise literal_error(desc, literal)
    cls = desc.py or FlyteSchema
    return cls(remote_path=literal.scalar.schema.uri)


def pickle_to_literal(engine: Any, desc: PickleOf, value: Any) -> Literal:
    """A ``PythonPickle`` blob of the value, pickled into a local temporary file."""
    # A PickleOf description only exists when pickling was allowed (TypeEngine.describe).
    fd, path = tempfile.mkstemp(prefix="compile-tasks-", suffix=".pickle")
    with os.fdopen(fd, "wb") as out:
        pickle.dump(value, out)
    meta = literals_pb2.BlobMetadata(type=types_pb2.BlobType(format=PICKLE_FORMAT))
    return scalar_literal(blob=literals_pb2.Blob(metadata=meta, uri=path))


def pickle_to_value(engine: Any, desc: PickleOf, literal: Literal) -> Any:
    """The value unpickled from a (local) ``PythonPickle`` blob."""
    blob = literal.scalar.blob
    if not literal.scalar.HasField("blob") or blob.metadata.type.format != PICKLE_FORMAT:
        raise literal_error(desc, literal)
    with open(blob.uri, "rb") as src:  # the runtime downloads remote blobs first
        return pickle.load(src)  # the user explicitly allowed pickles
