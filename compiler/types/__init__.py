"""The type engine: Python type hints -> type descriptions -> flyteidl ``LiteralType``.

Public values (``FlyteFile``, ``FlyteDirectory``, the file aliases, ``StructuredDataset``,
``FlyteSchema``, ``FlyteAnnotation``, ``kwtypes``, ``HashMethod``, ``BatchSize``, the iterator
classes) live here so the SDK can
re-export them. The dataset handler API (``StructuredDatasetEncoder``, ``...Decoder``,
``...TransformerEngine``, ``StructuredDatasetType``, ``StructuredDatasetFormat``, ``PARQUET``,
``CSV``) is loaded from :mod:`compiler.types.structured` on first use, so ``import compiler``
does not pay for it.
"""

from typing import Any

from compiler.types.annotation import FlyteAnnotation
from compiler.types.desc import TypeDesc
from compiler.types.engine import ENTRY_POINT_GROUP, TypeEngine, default_engine
from compiler.types.files import (
    CSVFile,
    FlyteDirectory,
    FlyteFile,
    HDF5EncodedFile,
    HTMLPage,
    JoblibSerializedFile,
    JPEGImageFile,
    JSONLFile,
    ONNXFile,
    PDFFile,
    PNGImageFile,
    PythonNotebook,
    PythonPickledFile,
    SVGImageFile,
    TensorboardLogs,
    TFRecordFile,
    TFRecordsDirectory,
)
from compiler.types.hashing import HashMethod
from compiler.types.hints import class_hints, compiled_annotation
from compiler.types.iterators import JSON, BatchSize, FlyteIterator, JSONIterator
from compiler.types.tabular import FlyteSchema, StructuredDataset, kwtypes
from compiler.types.transformer import TypeTransformer

#: Names served lazily from compiler.types.structured (see the module docstring).
_STRUCTURED = (
    "CSV",
    "PARQUET",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
)


def __getattr__(name: str) -> Any:
    if name in _STRUCTURED:
        from compiler.types import structured

        return getattr(structured, name)
    raise AttributeError(f"module 'compiler.types' has no attribute {name!r}")


__all__ = [
    "CSV",
    "ENTRY_POINT_GROUP",
    "JSON",
    "PARQUET",
    "BatchSize",
    "CSVFile",
    "FlyteAnnotation",
    "FlyteDirectory",
    "FlyteFile",
    "FlyteIterator",
    "FlyteSchema",
    "HDF5EncodedFile",
    "HTMLPage",
    "HashMethod",
    "JPEGImageFile",
    "JSONIterator",
    "JSONLFile",
    "JoblibSerializedFile",
    "ONNXFile",
    "PDFFile",
    "PNGImageFile",
    "PythonNotebook",
    "PythonPickledFile",
    "SVGImageFile",
    "StructuredDataset",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "TFRecordFile",
    "TFRecordsDirectory",
    "TensorboardLogs",
    "TypeDesc",
    "TypeEngine",
    "TypeTransformer",
    "class_hints",
    "compiled_annotation",
    "default_engine",
    "kwtypes",
]
