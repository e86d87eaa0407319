"""TypedInterface: types from the engine, descriptions from the python interface."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import json_format

from compiler.errors import TypeMappingError
from compiler.serialize import serialize_task
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
