"""Deterministic bytes: map order never leaks into what we write."""

from __future__ import annotations

from flyteidl.admin import task_pb2

from compiler.serialize import parse_task_spec, serialize_task, spec_bytes
from compiler.settings import SerializationSettings
from tests.serialize.fakes import FakeTask, interface

SETTINGS = SerializationSettings.for_image("registry.example.com/team/app:2.0")


def _task(order: list[str]) -> FakeTask:
    inputs = {name: int for name in order}
    custom = {name: {"n": 1, "m": [1, 2]} for name in order}
    config = {name: "v" for name in order}
    return FakeTask(python_interface=interface(inputs, {"o0": str}), custom=custom, config=config)


def test_bytes_do_not_depend_on_insertion_order() -> None:
    names = ["zeta", "alpha", "mid", "beta", "omega", "gamma"]
    first = spec_bytes(serialize_task(_task(names), SETTINGS))
    second = spec_bytes(serialize_task(_task(list(reversed(names))), SETTINGS))
    assert first == second


def test_round_trip_is_byte_identical() -> None:
    data = spec_bytes(serialize_task(_task(["b", "a", "c"]), SETTINGS))
    spec = parse_task_spec(data)
    assert isinstance(spec, task_pb2.TaskSpec)
    assert spec_bytes(spec) == data
    assert spec == serialize_task(_task(["c", "a", "b"]), SETTINGS)
