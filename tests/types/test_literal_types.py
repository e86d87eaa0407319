# ruff: noqa: UP006, UP007, UP035, UP042, UP045  (typing spellings are what is under test)
"""Every row of WIRE-FORMAT 11-12: hint -> exact LiteralType JSON."""

from __future__ import annotations

import datetime
import enum
import os
import typing
from dataclasses import dataclass, field
from typing import Annotated, Any, Dict, List, Literal, Optional, TypeVar, Union

import pytest
from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.types import (
    CSVFile,
    FlyteAnnotation,
    FlyteDirectory,
    FlyteFile,
    FlyteSchema,
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
    StructuredDataset,
    SVGImageFile,
    TensorboardLogs,
    TFRecordFile,
    TFRecordsDirectory,
    TypeEngine,
    kwtypes,
)


def as_dict(hint: Any, **kwargs: Any) -> dict[str, Any]:
    return json_format.MessageToDict(
        TypeEngine().to_literal_type(hint, **kwargs), preserving_proto_field_name=True
    )


INT = {"simple": "INTEGER"}
STR = {"simple": "STRING"}
NONE_VARIANT = {"simple": "NONE", "structure": {"tag": "none"}}
CACHE_KEY = {"annotations": {"cache-key-metadata": {"serialization-format": "msgpack"}}}
STRUCT = {"simple": "STRUCT", "annotation": CACHE_KEY}


class Channel(enum.Enum):
    WEB = "web"
    STORE = "store"
    ONLINE = "web"  # an alias: excluded


class Level(str, enum.Enum):
    LOW = "low"
    HIGH = "high"


@dataclass
class Endpoint:
    host: str
    port: int = 443
    tls: bool = True


ENDPOINT_SCHEMA = {
    "title": "Endpoint",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "host": {"type": "string"},
        "port": {"type": "integer", "default": 443.0},
        "tls": {"type": "boolean", "default": True},
    },
    "required": ["host"],
}
ENDPOINT = {
    "simple": "STRUCT",
    "metadata": ENDPOINT_SCHEMA,
    "structure": {
        "dataclass_type": {"host": STR, "port": INT, "tls": {"simple": "BOOLEAN"}},
    },
    "annotation": CACHE_KEY,
}


@dataclass
class Empty:
    pass


@dataclass
class Item:
    sku: str


@dataclass
class Order:
    items: List[Item]
    placed: Optional[datetime.datetime] = None
    source: FlyteFile = field(default_factory=lambda: FlyteFile("x"))
    channel: Channel = Channel.WEB


ITEM_SCHEMA = {
    "title": "Item",
    "type": "object",
    "additionalProperties": False,
    "properties": {"sku": {"type": "string"}},
    "required": ["sku"],
}
ITEM = {
    "simple": "STRUCT",
    "metadata": ITEM_SCHEMA,
    "structure": {"dataclass_type": {"sku": STR}},
    "annotation": CACHE_KEY,
}
FILE_SCHEMA = {
    "type": "object",
    "title": "FlyteFile",
    "additionalProperties": False,
    "properties": {
        "path": {
            "anyOf": [{"type": "string"}, {"type": "string", "format": "path"}],
            "default": None,
        },
        "metadata": {
            "anyOf": [
                {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "propertyNames": {"type": "string"},
                },
                {"type": "null"},
            ],
            "default": None,
        },
    },
}
ORDER = {
    "simple": "STRUCT",
    "metadata": {
        "title": "Order",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "items": {"type": "array", "items": ITEM_SCHEMA},
            "placed": {
                "anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}],
                "default": None,
            },
            "source": FILE_SCHEMA,
            "channel": {"enum": ["web", "store"], "default": "web"},
        },
        "required": ["items"],
    },
    "structure": {
        "dataclass_type": {
            "items": {"collection_type": ITEM},
            "placed": {
                "union_type": {
                    "variants": [
                        {"simple": "DATETIME", "structure": {"tag": "datetime"}},
                        NONE_VARIANT,
                    ]
                }
            },
            "source": {"blob": {}},
            "channel": {"enum_type": {"values": ["web", "store"]}},
        }
    },
    "annotation": CACHE_KEY,
}

SCALARS = [
    (int, INT),
    (float, {"simple": "FLOAT"}),
    (str, STR),
    (bool, {"simple": "BOOLEAN"}),
    (datetime.datetime, {"simple": "DATETIME"}),
    (datetime.date, {"simple": "DATETIME"}),
    (datetime.timedelta, {"simple": "DURATION"}),
    (type(None), {"simple": "NONE"}),
    (None, {"simple": "NONE"}),
]

CONTAINERS = [
    (List[int], {"collection_type": INT}),
    (list[str], {"collection_type": STR}),
    (Dict[str, int], {"map_value_type": INT}),
    (dict[str, float], {"map_value_type": {"simple": "FLOAT"}}),
    (
        List[Dict[str, List[int]]],
        {"collection_type": {"map_value_type": {"collection_type": INT}}},
    ),
    (dict, STRUCT),
    (Dict, STRUCT),
    (Dict[int, str], STRUCT),
    (List[dict], {"collection_type": STRUCT}),
]

UNIONS = [
    (
        Optional[float],
        {
            "union_type": {
                "variants": [{"simple": "FLOAT", "structure": {"tag": "float"}}, NONE_VARIANT]
            }
        },
    ),
    (
        int | None,
        {
            "union_type": {
                "variants": [{"simple": "INTEGER", "structure": {"tag": "int"}}, NONE_VARIANT]
            }
        },
    ),
    (
        Union[None, str, bool],
        {
            "union_type": {
                "variants": [
                    NONE_VARIANT,
                    {"simple": "STRING", "structure": {"tag": "str"}},
                    {"simple": "BOOLEAN", "structure": {"tag": "bool"}},
                ]
            }
        },
    ),
    (
        Union[datetime.datetime, datetime.date, datetime.timedelta],
        {
            "union_type": {
                "variants": [
                    {"simple": "DATETIME", "structure": {"tag": "datetime"}},
                    {"simple": "DATETIME", "structure": {"tag": "date"}},
                    {"simple": "DURATION", "structure": {"tag": "timedelta"}},
                ]
            }
        },
    ),
    (
        Optional[List[str]],
        {
            "union_type": {
                "variants": [
                    {"collection_type": STR, "structure": {"tag": "Typed List"}},
                    NONE_VARIANT,
                ]
            }
        },
    ),
    (
        Union[Dict[str, int], dict],
        {
            "union_type": {
                "variants": [
                    {"map_value_type": INT, "structure": {"tag": "Typed Dict"}},
                    {**STRUCT, "structure": {"tag": "Typed Dict"}},
                ]
            }
        },
    ),
    (
        Optional[FlyteDirectory],
        {
            "union_type": {
                "variants": [
                    {
                        "blob": {"dimensionality": "MULTIPART"},
                        "structure": {"tag": "FlyteDirectory"},
                    },
                    NONE_VARIANT,
                ]
            }
        },
    ),
    (
        Optional[CSVFile],
        {
            "union_type": {
                "variants": [
                    {"blob": {"format": "csv"}, "structure": {"tag": "FlyteFilePath"}},
                    NONE_VARIANT,
                ]
            }
        },
    ),
    (
        Union[Channel, Literal["a"]],
        {
            "union_type": {
                "variants": [
                    {
                        "enum_type": {"values": ["web", "store"]},
                        "structure": {"tag": "DefaultEnumTransformer"},
                    },
                    {
                        "simple": "STRING",
                        "annotation": {"annotations": {"literal_values": ["a"]}},
                        "structure": {"tag": "LiteralTypeTransformer"},
                    },
                ]
            }
        },
    ),
    (
        Optional[Endpoint],
        {
            "union_type": {
                "variants": [
                    {
                        "simple": "STRUCT",
                        "metadata": ENDPOINT_SCHEMA,
                        "annotation": CACHE_KEY,
                        "structure": {"tag": "Object-Dataclass-Transformer"},
                    },
                    NONE_VARIANT,
                ]
            }
        },
    ),
    (
        Union[StructuredDataset, FlyteSchema],
        {
            "union_type": {
                "variants": [
                    {
                        "structured_dataset_type": {},
                        "structure": {"tag": "StructuredDataset Transformer"},
                    },
                    {"schema": {}, "structure": {"tag": "FlyteSchema Transformer"}},
                ]
            }
        },
    ),
    (
        Union[int, Union[str, None], Optional[int]],
        {
            "union_type": {
                "variants": [
                    {"simple": "INTEGER", "structure": {"tag": "int"}},
                    {"simple": "STRING", "structure": {"tag": "str"}},
                    NONE_VARIANT,
                ]
            }
        },
    ),
    (
        # Types nested inside a variant carry no tag.
        List[Optional[int]],
        {
            "collection_type": {
                "union_type": {
                    "variants": [{"simple": "INTEGER", "structure": {"tag": "int"}}, NONE_VARIANT]
                }
            }
        },
    ),
    (
        Optional[List[Optional[int]]],
        {
            "union_type": {
                "variants": [
                    {
                        "collection_type": {
                            "union_type": {
                                "variants": [
                                    {"simple": "INTEGER", "structure": {"tag": "int"}},
                                    NONE_VARIANT,
                                ]
                            }
                        },
                        "structure": {"tag": "Typed List"},
                    },
                    NONE_VARIANT,
                ]
            }
        },
    ),
]

ENUMS_AND_LITERALS = [
    (Channel, {"enum_type": {"values": ["web", "store"]}}),
    (Level, {"enum_type": {"values": ["low", "high"]}}),
    (
        Literal["a", "b"],
        {"simple": "STRING", "annotation": {"annotations": {"literal_values": ["a", "b"]}}},
    ),
    (
        Literal[1, 2],
        {"simple": "INTEGER", "annotation": {"annotations": {"literal_values": [1.0, 2.0]}}},
    ),
    (
        Literal[0.5],
        {"simple": "FLOAT", "annotation": {"annotations": {"literal_values": [0.5]}}},
    ),
    (
        Literal[True, False],
        {"simple": "BOOLEAN", "annotation": {"annotations": {"literal_values": [True, False]}}},
    ),
]

BLOBS = [
    (FlyteFile, {"blob": {}}),
    (FlyteFile[TypeVar("avro")], {"blob": {"format": "avro"}}),
    (FlyteFile["avro"], {"blob": {"format": "avro"}}),
    (FlyteFile[" .avro"], {"blob": {"format": "avro"}}),
    (FlyteDirectory, {"blob": {"dimensionality": "MULTIPART"}}),
    (
        FlyteDirectory[TypeVar("jsonl")],
        {"blob": {"dimensionality": "MULTIPART", "format": "jsonl"}},
    ),
    (HDF5EncodedFile, {"blob": {"format": "hdf5"}}),
    (HTMLPage, {"blob": {"format": "html"}}),
    (JoblibSerializedFile, {"blob": {"format": "joblib"}}),
    (JPEGImageFile, {"blob": {"format": "jpeg"}}),
    (PDFFile, {"blob": {"format": "pdf"}}),
    (PNGImageFile, {"blob": {"format": "png"}}),
    (PythonPickledFile, {"blob": {"format": "python_pickle"}}),
    (PythonNotebook, {"blob": {"format": "ipynb"}}),
    (SVGImageFile, {"blob": {"format": "svg"}}),
    (CSVFile, {"blob": {"format": "csv"}}),
    (ONNXFile, {"blob": {"format": "onnx"}}),
    (TFRecordFile, {"blob": {"format": "tfrecord"}}),
    (JSONLFile, {"blob": {"format": "jsonl"}}),
    (TensorboardLogs, {"blob": {"dimensionality": "MULTIPART", "format": "tensorboard"}}),
    (TFRecordsDirectory, {"blob": {"dimensionality": "MULTIPART", "format": "tfrecords_dir"}}),
    (List[CSVFile], {"collection_type": {"blob": {"format": "csv"}}}),
    (os.PathLike, {"blob": {}}),
    (
        Optional[os.PathLike],
        {
            "union_type": {
                "variants": [{"blob": {}, "structure": {"tag": "FlyteFilePath"}}, NONE_VARIANT]
            }
        },
    ),
]

FA = FlyteAnnotation({"min": 1, "max": 64})
FA_STRUCT = {"annotations": {"max": 64.0, "min": 1.0}}

ANNOTATED = [
    (Annotated[int, FA], {"simple": "INTEGER", "annotation": FA_STRUCT}),
    (Annotated[int, "anything"], INT),
    (Annotated[int, "anything", FA], {"simple": "INTEGER", "annotation": FA_STRUCT}),
    (
        Annotated[str, FlyteAnnotation({"a": [1, True, None, "x", {"b": 2.5}]})],
        {
            "simple": "STRING",
            "annotation": {"annotations": {"a": [1.0, True, None, "x", {"b": 2.5}]}},
        },
    ),
    (List[Annotated[int, FA]], {"collection_type": {"simple": "INTEGER", "annotation": FA_STRUCT}}),
    (
        Optional[Annotated[int, FA]],
        {
            "union_type": {
                "variants": [
                    {"simple": "INTEGER", "annotation": FA_STRUCT, "structure": {"tag": "int"}},
                    NONE_VARIANT,
                ]
            }
        },
    ),
    (
        Annotated[Optional[int], FA],
        {
            "union_type": {
                "variants": [{"simple": "INTEGER", "structure": {"tag": "int"}}, NONE_VARIANT]
            },
            "annotation": FA_STRUCT,
        },
    ),
    (
        # An annotated union inside a union is not flattened: a "Typed Union" variant.
        Union[Annotated[Optional[int], FA], str],
        {
            "union_type": {
                "variants": [
                    {
                        "union_type": {
                            "variants": [
                                {"simple": "INTEGER", "structure": {"tag": "int"}},
                                NONE_VARIANT,
                            ]
                        },
                        "annotation": FA_STRUCT,
                        "structure": {"tag": "Typed Union"},
                    },
                    {"simple": "STRING", "structure": {"tag": "str"}},
                ]
            }
        },
    ),
    (
        Annotated[FlyteFile, FlyteAnnotation({"k": "v"})],
        {"blob": {}, "annotation": {"annotations": {"k": "v"}}},
    ),
]


@dataclass
class Address:
    city: str
    zip: int


DATASETS = [
    (StructuredDataset, {"structured_dataset_type": {}}),
    (Annotated[StructuredDataset, "avro"], {"structured_dataset_type": {"format": "avro"}}),
    (
        Annotated[StructuredDataset, kwtypes(sku=str, qty=int)],
        {
            "structured_dataset_type": {
                "columns": [
                    {"name": "sku", "literal_type": STR},
                    {"name": "qty", "literal_type": INT},
                ]
            }
        },
    ),
    (
        Annotated[
            StructuredDataset,
            kwtypes(
                id=int,
                address=Address,
                meta={"tags": List[str], "at": datetime.datetime},
                spent=Dict[str, float],
                late=datetime.timedelta,
                ok=bool,
            ),
            "parquet",
        ],
        {
            "structured_dataset_type": {
                "format": "parquet",
                "columns": [
                    {"name": "id", "literal_type": INT},
                    {"name": "address.city", "literal_type": STR},
                    {"name": "address.zip", "literal_type": INT},
                    {"name": "meta.tags", "literal_type": {"collection_type": STR}},
                    {"name": "meta.at", "literal_type": {"simple": "DATETIME"}},
                    {"name": "spent", "literal_type": {"map_value_type": {"simple": "FLOAT"}}},
                    {"name": "late", "literal_type": {"simple": "DURATION"}},
                    {"name": "ok", "literal_type": {"simple": "BOOLEAN"}},
                ],
            }
        },
    ),
    (
        Annotated[StructuredDataset, Address],
        {
            "structured_dataset_type": {
                "columns": [
                    {"name": "city", "literal_type": STR},
                    {"name": "zip", "literal_type": INT},
                ]
            }
        },
    ),
    (FlyteSchema, {"schema": {}}),
    (
        FlyteSchema[kwtypes(sku=str, qty=int, price=float)],
        {
            "schema": {
                "columns": [
                    {"name": "sku", "type": "STRING"},
                    {"name": "qty"},
                    {"name": "price", "type": "FLOAT"},
                ]
            }
        },
    ),
    (
        FlyteSchema[kwtypes(ok=bool, at=datetime.datetime, took=datetime.timedelta)],
        {
            "schema": {
                "columns": [
                    {"name": "ok", "type": "BOOLEAN"},
                    {"name": "at", "type": "DATETIME"},
                    {"name": "took", "type": "DURATION"},
                ]
            }
        },
    ),
]

DATACLASSES = [
    (Endpoint, ENDPOINT),
    (
        Empty,
        {
            "simple": "STRUCT",
            "metadata": {"title": "Empty", "type": "object", "additionalProperties": False},
            "structure": {},
            "annotation": CACHE_KEY,
        },
    ),
    (Order, ORDER),
    (List[Endpoint], {"collection_type": ENDPOINT}),
    (Dict[str, Endpoint], {"map_value_type": ENDPOINT}),
]


def _class_name(tp: Any) -> str:
    return str(tp)


PICKLES = [
    (
        bytes,
        {"blob": {"format": "PythonPickle"}, "metadata": {"python_class_name": "<class 'bytes'>"}},
    ),
    (Any, {"blob": {"format": "PythonPickle"}, "metadata": {"python_class_name": "typing.Any"}}),
    (
        List[Any],
        {
            "collection_type": {
                "blob": {"format": "PythonPickle"},
                "metadata": {"python_class_name": "typing.Any"},
            }
        },
    ),
    (
        Optional[set],
        {
            "union_type": {
                "variants": [
                    {
                        "blob": {"format": "PythonPickle"},
                        "metadata": {"python_class_name": "<class 'set'>"},
                        "structure": {"tag": "FlytePickle"},
                    },
                    NONE_VARIANT,
                ]
            }
        },
    ),
]

TABLE = SCALARS + CONTAINERS + UNIONS + ENUMS_AND_LITERALS + BLOBS + ANNOTATED + DATASETS
TABLE += DATACLASSES


@pytest.mark.parametrize(("hint", "expected"), TABLE, ids=[str(h) for h, _ in TABLE])
def test_literal_type(hint: Any, expected: dict[str, Any]) -> None:
    assert as_dict(hint) == expected


@pytest.mark.parametrize(("hint", "expected"), PICKLES, ids=[str(h) for h, _ in PICKLES])
def test_pickle_literal_type_when_allowed(hint: Any, expected: dict[str, Any]) -> None:
    assert as_dict(hint, allow_pickle=True) == expected


def test_pickled_dataclass_field_when_allowed() -> None:
    @dataclass
    class Blobby:
        raw: bytes
        anything: Any = None

    pickle_of = {"blob": {"format": "PythonPickle"}}
    assert as_dict(Blobby, allow_pickle=True) == {
        "simple": "STRUCT",
        "metadata": {
            "title": "Blobby",
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "raw": {"type": "string", "format": "base64"},
                "anything": {"default": None},
            },
            "required": ["raw"],
        },
        "structure": {
            "dataclass_type": {
                "raw": {**pickle_of, "metadata": {"python_class_name": "<class 'bytes'>"}},
                "anything": {**pickle_of, "metadata": {"python_class_name": "typing.Any"}},
            }
        },
        "annotation": CACHE_KEY,
    }


def test_string_annotations_of_dataclass_fields_resolve() -> None:
    assert typing.get_type_hints(Order)["items"] == List[Item]
    assert as_dict(Order) == ORDER


U = typing.NewType("U", int)


@dataclass
class Extras:
    ann: Annotated[int, FlyteAnnotation({"a": 1})]
    schema: FlyteSchema
    csv: CSVFile
    di: Dict[int, str]
    nt: U


def test_dataclass_fields_drop_annotations_and_describe_special_types() -> None:
    """Facts checked against flytekit 1.16.31: field annotations are not written, a NewType
    field is pickled (mashumaro still describes its supertype)."""
    assert as_dict(Extras, allow_pickle=True) == {
        "simple": "STRUCT",
        "metadata": {
            "title": "Extras",
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "ann": {"type": "integer"},
                "schema": {
                    "type": "object",
                    "title": "FlyteSchema",
                    "additionalProperties": False,
                    "properties": {
                        "remote_path": {
                            "anyOf": [{"type": "string"}, {"type": "null"}],
                            "default": None,
                        }
                    },
                },
                "csv": FILE_SCHEMA,
                "di": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "propertyNames": {"type": "integer"},
                },
                "nt": {"type": "integer"},
            },
            "required": ["ann", "schema", "csv", "di", "nt"],
        },
        "structure": {
            "dataclass_type": {
                "ann": INT,
                "schema": {"schema": {}},
                "csv": {"blob": {"format": "csv"}},
                "di": STRUCT,
                "nt": {
                    "blob": {"format": "PythonPickle"},
                    "metadata": {"python_class_name": f"{__name__}.U"},
                },
            }
        },
        "annotation": CACHE_KEY,
    }


def test_union_keeps_both_spellings_of_a_list() -> None:
    variant = {"collection_type": INT, "structure": {"tag": "Typed List"}}
    assert as_dict(Union[List[int], list[int]]) == {"union_type": {"variants": [variant, variant]}}


def test_typevar_is_pickled_when_allowed() -> None:
    assert as_dict(typing.TypeVar("T"), allow_pickle=True) == {
        "blob": {"format": "PythonPickle"},
        "metadata": {"python_class_name": "~T"},
    }


_JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=6)
)
_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)  # not a list: goes through Struct.update itself
        | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=4), _JSON, max_size=4))
def test_to_struct_equals_struct_update(data: dict[str, Any]) -> None:
    """The hand-written filler builds the message ``Struct.update`` builds."""
    from google.protobuf import struct_pb2

    from compiler.types.literal_types import to_struct

    expected = struct_pb2.Struct()
    expected.update(data)
    got = to_struct(data)
    assert got == expected
    assert got.SerializeToString(deterministic=True) == expected.SerializeToString(
        deterministic=True
    )
