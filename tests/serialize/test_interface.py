"""TypedInterface: types from the engine, descriptions from the python interface."""

from __future__ import annotations

from typing import Any

import pytest
from flyteidl.core import artifact_id_pb2, types_pb2
from google.protobuf import json_format, struct_pb2
from google.protobuf.message import DecodeError
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.errors import TypeMappingError
from compiler.serialize import interface as interface_module
from compiler.serialize import serialize_task
from compiler.serialize.wire import field_key, length_delimited
from compiler.settings import SerializationSettings
from compiler.types.engine import default_engine
from tests.serialize.fakes import FakeTask, interface

SETTINGS = SerializationSettings()


def interface_dict(task: FakeTask, settings: SerializationSettings = SETTINGS) -> dict:
    spec = serialize_task(task, settings)
    return json_format.MessageToDict(spec.template.interface, preserving_proto_field_name=True)


def test_variables_with_types_and_descriptions() -> None:
    task = FakeTask(
        python_interface=interface(
            {"order_ids": list[str], "limit": int, "note": str},
            {"o0": int},
            {"order_ids": "Orders to load.", "o0": "Number of rows written.", "note": ""},
        )
    )
    assert interface_dict(task) == {
        "inputs": {
            "variables": {
                "order_ids": {
                    "description": "Orders to load.",
                    "type": {"collection_type": {"simple": "STRING"}},
                },
                "limit": {"description": "limit", "type": {"simple": "INTEGER"}},
                "note": {"type": {"simple": "STRING"}},
            }
        },
        "outputs": {
            "variables": {
                "o0": {"description": "Number of rows written.", "type": {"simple": "INTEGER"}}
            }
        },
    }


def test_pickle_only_when_allowed() -> None:
    task = FakeTask(python_interface=interface({"data": bytes}))
    with pytest.raises(TypeMappingError) as info:
        serialize_task(task, SETTINGS)
    assert (info.value.task, info.value.param, info.value.param_kind) == (
        "shop.orders.load",
        "data",
        "input",
    )
    assert interface_dict(task, SerializationSettings(allow_pickle=True)) == {
        "inputs": {
            "variables": {
                "data": {
                    "description": "data",
                    "type": {
                        "blob": {"format": "PythonPickle"},
                        "metadata": {"python_class_name": "<class 'bytes'>"},
                    },
                }
            }
        },
        "outputs": {},
    }


class _RecordingEngine:
    """An engine that records what it was asked; proves settings.type_engine is used."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, bool]] = []

    def to_literal_type(self, hint: Any, *, allow_pickle: bool = False) -> Any:
        self.calls.append((hint, allow_pickle))
        return default_engine().to_literal_type(hint)


def test_engine_and_allow_pickle_come_from_settings() -> None:
    engine = _RecordingEngine()
    settings = SerializationSettings(type_engine=engine, allow_pickle=True)
    interface_dict(FakeTask(python_interface=interface({"a": int}, {"o0": str})), settings)
    assert engine.calls == [(int, True), (str, True)]


def test_artifact_bytes_are_read_for_annotated_hints_only() -> None:
    from typing import Annotated

    from compiler import Artifact
    from compiler.serialize.interface import _artifact_bytes

    daily = Artifact(name="daily")
    expected = daily().to_partial_artifact_id().SerializeToString(deterministic=True)
    assert _artifact_bytes(Annotated[int, daily]) == expected
    assert _artifact_bytes(Annotated[int, daily]) == expected  # the memo answers the same
    assert _artifact_bytes(Annotated[int, "a note"]) == b""
    assert _artifact_bytes(Annotated[int, {"unhashable": []}]) == b""
    assert _artifact_bytes(int) == b""
    assert _artifact_bytes(list[int]) == b""


# --- the interface's bytes, written field by field --------------------------------------------

_LITERAL_TYPES = [
    types_pb2.LiteralType(simple=types_pb2.SimpleType.INTEGER).SerializeToString(),
    types_pb2.LiteralType(
        collection_type=types_pb2.LiteralType(simple=types_pb2.SimpleType.STRING)
    ).SerializeToString(deterministic=True),
    types_pb2.LiteralType(
        map_value_type=types_pb2.LiteralType(simple=types_pb2.SimpleType.FLOAT),
        metadata=struct_pb2.Struct(fields={"k": struct_pb2.Value(string_value="v")}),
    ).SerializeToString(deterministic=True),
    b"",  # an empty literal type is still written, as the message path merges it
]
_ARTIFACTS = [b"", artifact_id_pb2.ArtifactID(version="v1").SerializeToString()]

_names = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=8
).filter(str.isidentifier)
_variables = st.dictionaries(
    _names,
    st.tuples(
        st.sampled_from(_LITERAL_TYPES),
        st.text(st.characters(codec=None), max_size=20),  # surrogates included
        st.sampled_from(_ARTIFACTS),
    ),
    max_size=6,
)


def _keys(variables: dict[str, Any]) -> tuple[Any, ...]:
    return tuple((name, *value) for name, value in variables.items())


#: The reference: the interface built as a message and serialized, as the compile did before
#: it wrote the bytes by hand (and still does where the runtime's map order is unknown).
_message_bytes = interface_module._message_bytes


@settings(max_examples=300, deadline=None)
@given(_variables, _variables)
def test_interface_bytes_equal_the_message(inputs: dict[str, Any], outputs: dict[str, Any]) -> None:
    """Map entries in name order (non-ASCII names included), the fields of each variable in
    number order, an empty description left out, empty maps still present."""
    ours = interface_module._interface_bytes.__wrapped__
    try:
        expected = _message_bytes(_keys(inputs), _keys(outputs))
    except UnicodeEncodeError:  # a lone surrogate in a description: refused both ways
        with pytest.raises(UnicodeEncodeError):
            ours(_keys(inputs), _keys(outputs))
        return
    assert ours(_keys(inputs), _keys(outputs)) == expected


def test_interface_bytes_refuse_what_the_message_refuses() -> None:
    keys = (("x", _LITERAL_TYPES[0], "\ud800", b""),)
    with pytest.raises(UnicodeEncodeError):
        _message_bytes(keys, ())
    with pytest.raises(UnicodeEncodeError):
        interface_module._interface_bytes.__wrapped__(keys, ())


def _entry_names(data: bytes) -> list[str]:
    """The names of a ``VariableMap``'s entries, in the order they are written."""
    names, at = [], 0
    while at < len(data):
        size = data[at + 1]
        entry = data[at + 2 : at + 2 + size]
        names.append(entry[2 : 2 + entry[1]].decode())
        at += 2 + size
    return names


def test_the_map_order_is_the_runtimes(monkeypatch: pytest.MonkeyPatch) -> None:
    """upb puts a key before its own prefixes; a runtime comparing plain bytes does not; one
    ordering otherwise gets the message path."""
    keys = tuple((name, _LITERAL_TYPES[0], "", b"") for name in ("b", "a", "ab", "B"))
    probe = interface_module._map_order_sentinel()
    assert probe == interface_module._SENTINEL
    if probe == b"\xff":
        assert _entry_names(interface_module._variable_map(keys)) == ["B", "ab", "a", "b"]
    monkeypatch.setattr(interface_module, "_SENTINEL", b"")
    assert _entry_names(interface_module._variable_map(keys)) == ["B", "a", "ab", "b"]
    monkeypatch.setattr(interface_module, "_SENTINEL", None)
    expected = _message_bytes(keys, ())
    assert interface_module._interface_bytes.__wrapped__(keys, ()) == expected


def test_interface_bytes_refuse_types_nested_deeper_than_decoders_read() -> None:
    """The bytes are written by hand, but a literal type too deep for protobuf's decoders
    raises as merging it into a message did (the compile reports CT125)."""
    data = _LITERAL_TYPES[0]
    for _ in range(120):
        data = length_delimited(field_key(types_pb2.LiteralType.COLLECTION_TYPE_FIELD_NUMBER), data)
    with pytest.raises(DecodeError, match="MaxDepth"):
        interface_module._interface_bytes.__wrapped__((("x", data, "", b""),), ())
