"""The type engine: Python type hints -> type descriptions -> flyteidl ``LiteralType``.

Public values (``FlyteFile``, ``FlyteDirectory``, the file aliases, ``StructuredDataset``,
``FlyteSchema``, ``FlyteAnnotation``, ``kwtypes``) live here so the SDK can re-export them.
"""

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
from compiler.types.tabular import FlyteSchema, StructuredDataset, kwtypes
from compiler.types.transformer import TypeTransformer

__all__ = [
    "ENTRY_POINT_GROUP",
    "CSVFile",
    "FlyteAnnotation",
    "FlyteDirectory",
    "FlyteFile",
    "FlyteSchema",
    "HDF5EncodedFile",
    "HTMLPage",
    "HashMethod",
    "JPEGImageFile",
    "JSONLFile",
    "JoblibSerializedFile",
    "ONNXFile",
    "PDFFile",
    "PNGImageFile",
    "PythonNotebook",
    "PythonPickledFile",
    "SVGImageFile",
    "StructuredDataset",
    "TFRecordFile",
    "TFRecordsDirectory",
    "TensorboardLogs",
    "TypeDesc",
    "TypeEngine",
    "TypeTransformer",
    "default_engine",
    "kwtypes",
]
