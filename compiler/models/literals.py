"""Literal classes at flytekit's ``flytekit.models.literals`` path (the flyteidl messages)."""

from flyteidl.core import literals_pb2

__all__ = [
    "Binary",
    "Blob",
    "BlobMetadata",
    "Literal",
    "LiteralCollection",
    "LiteralMap",
    "Primitive",
    "Scalar",
    "Schema",
    "StructuredDataset",
    "StructuredDatasetMetadata",
    "Union",
    "Void",
]

Binary = literals_pb2.Binary
Blob = literals_pb2.Blob
BlobMetadata = literals_pb2.BlobMetadata
Literal = literals_pb2.Literal
LiteralCollection = literals_pb2.LiteralCollection
LiteralMap = literals_pb2.LiteralMap
Primitive = literals_pb2.Primitive
Scalar = literals_pb2.Scalar
Schema = literals_pb2.Schema
StructuredDataset = literals_pb2.StructuredDataset
StructuredDatasetMetadata = literals_pb2.StructuredDatasetMetadata
Union = literals_pb2.Union
Void = literals_pb2.Void
