"""Deterministic bytes of protobuf messages, and the few pieces of the wire format written by hand.

A message's deterministic serialization lists its fields in field-number order, each as a key
(``field_number << 3 | wire_type``, a varint), then the value: a varint, or for strings and
sub-messages (wire type 2) the length as a varint and the bytes. Concatenating fields written
that way, in that order, gives the same bytes as building the message and serializing it;
``compiler.serialize.task`` does so for the common task (tested equal to the message path).
"""

from __future__ import annotations

from flyteidl.admin import task_pb2
from google.protobuf.message import Message

__all__ = [
    "field_key",
    "length_delimited",
    "parse_task_spec",
    "spec_bytes",
    "split_before_field",
    "varint",
]

#: The varints of 0-127: one byte each (most lengths and every key below field 16).
_ONE_BYTE = tuple(bytes((value,)) for value in range(0x80))
_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5
_UINT64 = 1 << 64


def spec_bytes(message: Message) -> bytes:
    """``message`` serialized with map entries in key order (byte-stable across runs)."""
    return message.SerializeToString(deterministic=True)


def parse_task_spec(data: bytes) -> task_pb2.TaskSpec:
    """Parse the bytes of a ``TaskSpec`` (the inverse of :func:`spec_bytes`)."""
    spec = task_pb2.TaskSpec()
    spec.ParseFromString(data)
    return spec


def varint(value: int) -> bytes:
    """The base-128 varint of ``value``; a negative one as its 64-bit two's complement (ten
    bytes), as protobuf writes a negative ``int32`` or ``int64``."""
    if 0 <= value < 0x80:
        return _ONE_BYTE[value]
    if value < 0:
        value += _UINT64
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field_key(number: int, wire_type: int = _LENGTH) -> bytes:
    """The key that starts a field: its number and wire type (2, length-delimited, unless
    given)."""
    return varint(number << 3 | wire_type)


def length_delimited(key: bytes, data: bytes) -> bytes:
    """A string, bytes or sub-message field: ``key``, the length of ``data``, ``data``."""
    size = len(data)
    return key + (_ONE_BYTE[size] if size < 0x80 else varint(size)) + data


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def split_before_field(data: bytes, number: int) -> tuple[bytes, bytes]:
    """``data`` (a message's fields in number order) cut before its first field numbered
    ``number`` or more: the fields before it, and the rest.

    Raises:
        ValueError: ``data`` holds a group or a key that is not one of a field (a message's
            deterministic bytes hold neither), or ends inside a field.
    """
    try:
        return _split(data, number)
    except IndexError:
        raise ValueError("the data ends inside a field") from None


def _split(data: bytes, number: int) -> tuple[bytes, bytes]:
    at = 0
    while at < len(data):
        key, after_key = _read_varint(data, at)
        if key >> 3 >= number:
            break
        wire_type = key & 7
        if wire_type == _VARINT:
            _, at = _read_varint(data, after_key)
        elif wire_type == _LENGTH:
            size, start = _read_varint(data, after_key)
            at = start + size
        elif wire_type in (_FIXED64, _FIXED32):
            at = after_key + (8 if wire_type == _FIXED64 else 4)
        else:
            raise ValueError(f"wire type {wire_type} at byte {at} is not written by messages")
        if at > len(data):
            raise IndexError(at)
    return data[:at], data[at:]
