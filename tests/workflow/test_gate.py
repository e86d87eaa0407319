"""Gate nodes: nodes, metadata, local runs through ``signal_values`` and errors."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flyteidl.core import types_pb2

from compiler import Echo, approve, kwtypes, signal_values, sleep, task, wait_for_input, workflow
from compiler.errors import CompileTasksError, WorkflowError
from compiler.serialize import serialize_workflow
from compiler.settings import SerializationSettings
from compiler.workflow import Gate


@dataclass
class Limit:
    value: float


@task
def total(xs: list[int]) -> int:
    return sum(xs)


echo_total = Echo(name="gate_echo_total", inputs=kwtypes(n=int))


@workflow
def gated(xs: list[int]) -> int:
    pause = sleep(timedelta(seconds=2))
    checked = approve(total(xs=xs), "check.total", timeout=timedelta(minutes=30))
    extra = wait_for_input("extra", timeout=timedelta(hours=2), expected_type=int)
    pause >> checked
    echo_total(n=checked)
    return echo_total(n=extra)


def _spec() -> dict:
    from google.protobuf import json_format

    spec = serialize_workflow(gated, SerializationSettings())
    return json_format.MessageToDict(spec.template, preserving_proto_field_name=True)


def test_gates_are_nodes_with_name_timeout_and_condition() -> None:
    nodes = {node["id"]: node for node in _spec()["nodes"]}
    assert nodes["n0"]["metadata"] == {"name": "sleep-gate", "timeout": "3600s", "retries": {}}
    assert nodes["n0"]["gate_node"] == {"sleep": {"duration": "2s"}}
    assert nodes["n2"]["metadata"]["name"] == "check.total"  # the whole name, dots included
    assert nodes["n2"]["gate_node"] == {"approve": {"signal_id": "check.total"}}
    assert nodes["n2"]["inputs"] == [
        {"var": "o0", "binding": {"promise": {"node_id": "n1", "var": "o0"}}}
    ]
    assert sorted(nodes["n2"]["upstream_node_ids"]) == ["n0", "n1"]
    assert nodes["n3"]["gate_node"]["signal"] == {
        "signal_id": "extra",
        "type": {"simple": "INTEGER"},
        "output_variable_name": "o0",
    }
    assert nodes["n3"]["metadata"]["timeout"] == "7200s"


def test_local_run_takes_gate_values_from_signal_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPILE_TASKS_SKIP_SLEEP", "1")
    with signal_values(extra=5):
        assert gated(xs=[1, 2]) == 5
    with pytest.raises(CompileTasksError, match=r"CT937.*no value"):
        gated(xs=[1])
    refused = signal_values(extra=1, **{"check.total": False})
    with refused, pytest.raises(CompileTasksError, match="was not approved"):
        gated(xs=[1])
    with signal_values(extra="many"), pytest.raises(CompileTasksError, match="does not convert"):
        gated(xs=[1])


def test_sleep_waits_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPILE_TASKS_SKIP_SLEEP", raising=False)
    start = time.monotonic()
    sleep(timedelta(seconds=0.2))
    assert time.monotonic() - start >= 0.2
    monkeypatch.setenv("COMPILE_TASKS_SKIP_SLEEP", "1")
    start = time.monotonic()
    sleep(timedelta(seconds=30))
    assert time.monotonic() - start < 5


def test_gates_called_outside_a_workflow_run_locally() -> None:
    assert approve(3, "ok", timeout=timedelta(minutes=1)) == 3
    with signal_values(limit=Limit(2.5)):
        assert wait_for_input("limit", timedelta(minutes=1), Limit) == Limit(2.5)


def test_a_signal_of_a_dataclass_is_typed_by_the_engine() -> None:
    @workflow
    def wants_limit() -> Limit:
        return wait_for_input("limit", timedelta(minutes=1), Limit)

    gate = wants_limit.nodes[0].entity
    assert isinstance(gate, Gate)
    assert gate.literal_type.WhichOneof("type") == "simple"  # STRUCT, with a JSON schema
    assert gate.literal_type.simple == types_pb2.SimpleType.STRUCT


def test_approving_a_workflow_input_is_refused() -> None:
    with pytest.raises(WorkflowError) as info:

        @workflow
        def bad(n: int) -> int:
            return approve(n, "ok", timeout=timedelta(minutes=1))

    assert info.value.code == "CT936"
    assert info.value.location is not None and info.value.location.file == __file__


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: wait_for_input("x", timedelta(minutes=1), object), "CT935"),
        (lambda: wait_for_input("", timedelta(minutes=1), int), "CT936"),
        (lambda: wait_for_input("x", "soon", int), "CT936"),
        (lambda: sleep(-3), "CT936"),
    ],
)
def test_bad_gate_arguments(call, code: str) -> None:
    with pytest.raises(WorkflowError) as info:
        call()
    assert info.value.code == code
    assert info.value.hint


def test_echo_returns_its_inputs_and_has_no_target() -> None:
    from compiler.serialize import serialize_task

    two = Echo(name="gate_echo_two", inputs={"a": int, "b": str})
    assert two(a=1, b="x") == (1, "x")
    assert echo_total(n=3) == 3
    spec = serialize_task(two, SerializationSettings())
    template = spec.template
    assert template.type == "echo"
    assert template.WhichOneof("target") is None
    assert not spec.HasField("description")
    assert set(template.interface.outputs.variables) == {"o0", "o1"}
    with pytest.raises(CompileTasksError, match="CT178"):
        Echo(name="bad_echo", inputs=[int])  # type: ignore[arg-type]
