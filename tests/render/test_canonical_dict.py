"""The direct canonical walk equals ``MessageToDict`` reordered by a simple reference walk."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from flyteidl.core import interface_pb2, literals_pb2, tasks_pb2, types_pb2
from google.protobuf import json_format, struct_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.idl import EntityKind
from compiler.render.order import (
    _STRUCT_TYPES,
    PREFERRED_ORDER,
    VOLATILE_FIELDS,
    _is_repeated,
    _sorted_plain,
    canonical_dict,
)

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "golden"


@pytest.fixture(scope="module")
def examples_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("examples") / "bundle"
    cli = [sys.executable, "-c", "from compiler.cli.main import main; main()"]
    images = ["--image", "registry.example.com/team/app:2.0"]
    images += ["--image", "gpu=registry.example.com/team/gpu:1.4"]
    result = subprocess.run(
        [*cli, "examples/", *images, "--out", str(out), "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


# --- the reference: MessageToDict, then reorder by walking the descriptor alongside the dict ---


def canonical_order(data: Mapping[str, Any], descriptor: Descriptor) -> dict[str, Any]:
    """Return ``data`` (a ``MessageToDict`` result for ``descriptor``) in canonical order.

    Args:
        data: The JSON form of one message, with proto field names.
        descriptor: The descriptor of that message.

    Returns:
        A new dict with keys reordered, maps sorted and volatile fields removed. Keys that the
        descriptor does not know (should not happen) are kept at the end, sorted.
    """
    if descriptor.full_name in _STRUCT_TYPES:
        return _sorted_plain(data)
    volatile = VOLATILE_FIELDS.get(descriptor.full_name, frozenset())
    fields = descriptor.fields_by_name
    preferred = PREFERRED_ORDER.get(descriptor.full_name, ())
    names = [n for n in preferred if n in fields]
    names += [f.name for f in descriptor.fields if f.name not in preferred]
    out: dict[str, Any] = {}
    for name in names:
        if name in data and name not in volatile:
            out[name] = _order_field(data[name], fields[name])
    for name in sorted(set(data) - set(fields)):
        out[name] = _sorted_plain(data[name])
    return out


def _order_field(value: Any, field: FieldDescriptor) -> Any:
    if field.type != FieldDescriptor.TYPE_MESSAGE:
        return value
    message = field.message_type
    if message.GetOptions().map_entry:
        value_field = message.fields_by_name["value"]
        return {key: _order_field(value[key], value_field) for key in sorted(value)}
    if _is_repeated(field):
        return [_order_message(item, message) for item in value]
    return _order_message(value, message)


def _order_message(value: Any, message: Descriptor) -> Any:
    if message.full_name in _STRUCT_TYPES:
        return _sorted_plain(value)
    if isinstance(value, Mapping):
        return canonical_order(value, message)
    # Well-known types rendered as scalars (Duration, Timestamp, wrappers, FieldMask).
    return value


def _reference(message) -> dict:
    data = json_format.MessageToDict(message, preserving_proto_field_name=True)
    return canonical_order(data, message.DESCRIPTOR)


def _same(a: object, b: object) -> bool:
    # Equal values and equal key order at every level.
    return a == b and repr(a) == repr(b)


def test_hand_built_spec_with_every_kind_of_field() -> None:
    spec = task_pb2.TaskSpec()
    t = spec.template
    t.id.resource_type = 1
    t.id.name = "shop.orders.load"
    t.type = "python-task"
    t.metadata.runtime.version = "9.9"
    t.metadata.runtime.flavor = "python"
    t.metadata.retries.SetInParent()
    t.metadata.generates_deck.value = False
    t.metadata.interruptible = False
    t.metadata.timeout.seconds = 90
    t.metadata.timeout.nanos = 500_000_000
    t.metadata.metadata.labels["z"] = "1"
    t.metadata.metadata.labels["a"] = "2"
    t.interface.inputs.variables["b"].type.simple = types_pb2.INTEGER
    t.interface.inputs.variables["a"].type.blob.SetInParent()
    t.interface.outputs.SetInParent()
    t.custom.update({"z": 1, "a": [1, {"y": None, "b": True}], "m": "x"})
    t.config["k"] = "v"
    t.container.image = "img:1"
    t.container.args.extend(["b", "a"])
    t.container.resources.SetInParent()
    t.container.data_config.io_strategy.upload_mode = 1
    lit = literals_pb2.Literal()
    lit.scalar.binary.value = b"\x00\xff"
    lit.scalar.primitive.integer = 2**40
    var = interface_pb2.Variable(description="d")
    variables = {"spec": spec, "lit": lit, "var": var, "struct": struct_pb2.Struct()}
    for message in variables.values():
        assert _same(canonical_dict(message), _reference(message))


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_entity_matches(path: Path, examples_bundle: Path) -> None:
    pb = examples_bundle / f"{path.stem}.pb"
    kind = EntityKind.of_stem(path.stem)
    message_type = {
        EntityKind.TASK: task_pb2.TaskSpec,
        EntityKind.WORKFLOW: workflow_pb2.WorkflowSpec,
        EntityKind.LAUNCH_PLAN: launch_plan_pb2.LaunchPlan,
    }[kind]
    message = message_type.FromString(pb.read_bytes())
    assert _same(canonical_dict(message), _reference(message))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=5), st.integers(-(2**40), 2**40), max_size=5),
    st.lists(st.sampled_from(["ANY", "ENV_VAR", "FILE"]), max_size=4),
    st.floats(allow_nan=False, allow_infinity=False),
)
def test_generated_messages(labels: dict, modes: list, number: float) -> None:
    template = tasks_pb2.TaskTemplate()
    template.metadata.metadata.labels.update({k: str(v) for k, v in labels.items()})
    template.custom.update({k: v for k, v in labels.items()} | {"f": number})
    for mode in modes:
        secret = template.security_context.secrets.add(group="g")
        secret.mount_requirement = mode
    assert _same(canonical_dict(template), _reference(template))
