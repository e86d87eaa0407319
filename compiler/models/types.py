"""Literal type classes at flytekit's ``flytekit.models.types`` path (the flyteidl messages)."""

from flyteidl.core import types_pb2

__all__ = [
    "EnumType",
    "LiteralType",
    "SchemaType",
    "SimpleType",
    "StructuredDatasetType",
    "TypeAnnotation",
    "TypeStructure",
    "UnionType",
]

EnumType = types_pb2.EnumType
LiteralType = types_pb2.LiteralType
SchemaType = types_pb2.SchemaType
SimpleType = types_pb2.SimpleType
StructuredDatasetType = types_pb2.StructuredDatasetType
TypeAnnotation = types_pb2.TypeAnnotation
TypeStructure = types_pb2.TypeStructure
UnionType = types_pb2.UnionType
