"""``BlobType`` at flytekit's ``flytekit.models.core.types`` path (the flyteidl message)."""

from flyteidl.core import types_pb2

__all__ = ["BlobType"]

BlobType = types_pb2.BlobType
