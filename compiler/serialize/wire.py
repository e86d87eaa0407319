"""Deterministic bytes of protobuf messages."""

from __future__ import annotations

from flyteidl.admin import task_pb2
from google.protobuf.message import Message

__all__ = ["parse_task_spec", "spec_bytes"]


def spec_bytes(message: Message) -> bytes:
    """``message`` serialized with map entries in key order (byte-stable across runs)."""
    return message.SerializeToString(deterministic=True)


def parse_task_spec(data: bytes) -> task_pb2.TaskSpec:
    """Parse the bytes of a ``TaskSpec`` (the inverse of :func:`spec_bytes`)."""
    spec = task_pb2.TaskSpec()
    spec.ParseFromString(data)
    return spec
