"""``task_spec_bytes`` writes exactly the bytes of ``spec_bytes(serialize_task(...))``.

The common task's bytes are written field by field without the message; these tests hold them
equal to the message path's for every task of ``examples/`` and for generated declarations,
check that other tasks and failing tasks go through the message path, and test the wire
helpers against protobuf's own encoder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from flyteidl.core import identifier_pb2, literals_pb2, tasks_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import ContainerTask, PodTemplate, Resources, Secret, task
from compiler.discovery import discover
from compiler.errors import CompileTasksError
from compiler.idl import EntityKind
from compiler.pipeline.compilation import Compilation
from compiler.pipeline.kinds import default_handlers
from compiler.serialize import serialize_task, spec_bytes, task_spec_bytes
from compiler.serialize import task as task_module
from compiler.serialize.wire import field_key, length_delimited, split_before_field, varint
from compiler.settings import ImageConfig, SerializationSettings

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ImageConfig(
    default_image="registry.example.com/team/app:2.0",
    images={"tools": "registry.example.com/team/tools:1.4", "gpu": "registry.example.com/gpu:9"},
)
SETTINGS = [
    SerializationSettings(image_config=IMAGES),
    SerializationSettings(image_config=IMAGES, project="flytesnacks", domain="development"),
    SerializationSettings(
        image_config=IMAGES, project="p", domain="d", version="v" * 130, env={"A": "1"}
    ),
]


def _same_bytes(entity: Any, settings: SerializationSettings) -> bytes:
    expected = spec_bytes(serialize_task(entity, settings))
    assert task_spec_bytes(entity, settings) == expected
    return expected


def _examples_report() -> None:
    """Print (JSON) what the example tests check, for every task of ``examples/``.

    Run in a fresh interpreter (:func:`examples_report`): what the examples import (numpy,
    pandas, tool modules a compile does not load) stays loaded after a discovery, and the other
    tests of the test process should not find it there.
    """
    found = discover([ROOT / "examples"], source_root=ROOT)
    try:
        tasks = [item for item in found.entities if item.kind is EntityKind.TASK]
        per_settings = []
        for each in SETTINGS:
            written, different = 0, []
            for item in tasks:
                try:
                    expected = spec_bytes(serialize_task(item.entity, each))
                except CompileTasksError:  # a task whose image this configuration lacks
                    continue
                written += 1
                if task_spec_bytes(item.entity, each) != expected:
                    different.append(item.name)
            per_settings.append({"written": written, "different": different})
        plain = sum(
            task_module._plain_template(item.entity, SETTINGS[0]) is not None for item in tasks
        )
        by_renderings = {}
        for renderings in (False, True):
            compilation = Compilation(found, SETTINGS[0], default_handlers(), renderings=renderings)
            by_renderings[renderings] = [
                e for e in compilation.entities() if e.kind is EntityKind.TASK
            ]
    finally:
        found.close()
    pairs = list(zip(by_renderings[False], by_renderings[True], strict=True))
    report = {
        "tasks": len(tasks),
        "settings": per_settings,
        "plain": plain,
        "compiled": len(pairs),
        "encoded_without_message": sum(e.message is None and e.data is not None for e, _ in pairs),
        "built_as_message": sum(b.message is not None and b.data is None for _, b in pairs),
        "same_bytes": sum(
            b.message is not None and e.data == spec_bytes(b.message) for e, b in pairs
        ),
    }
    print(json.dumps(report))


@pytest.fixture(scope="module")
def examples_report() -> dict[str, Any]:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tests.serialize.test_task_bytes import _examples_report; _examples_report()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


@pytest.mark.parametrize("settings_index", range(len(SETTINGS)))
def test_every_example_task_has_the_message_paths_bytes(
    examples_report: dict[str, Any], settings_index: int
) -> None:
    assert examples_report["tasks"] > 20
    outcome = examples_report["settings"][settings_index]
    assert outcome["different"] == []
    assert outcome["written"] > 20


def test_most_example_tasks_take_the_byte_path(examples_report: dict[str, Any]) -> None:
    """The shortcut is the usual path, not an exception (else it would test nothing)."""
    assert examples_report["plain"] > examples_report["tasks"] // 2


def test_a_compile_without_renderings_writes_bytes_with_no_message(
    examples_report: dict[str, Any],
) -> None:
    compiled = examples_report["compiled"]
    assert compiled > 20
    assert examples_report["encoded_without_message"] == compiled
    assert examples_report["built_as_message"] == compiled
    assert examples_report["same_bytes"] == compiled


class Split(NamedTuple):
    train: int
    test: int


@task(
    retries=3,
    cache=True,
    cache_version="2",
    secret_requests=[Secret(group="db", key="password")],
    requests=Resources(cpu="2", mem="1Gi"),
    limits=Resources(mem="2Gi"),
    environment={"MODE": "fast"},
    container_image="{{.image.tools.fqn}}:{{.image.tools.version}}",
)
def split_rows(rows: list[dict[str, int]], ratio: float = 0.8) -> Split:
    """Split rows.

    :param rows: The rows.
    """
    return Split(int(len(rows) * ratio), len(rows))


@task
def nothing() -> None:
    return None


@task(pod_template=PodTemplate(primary_container_name="main"))
def in_a_pod(x: int) -> int:
    return x


def test_secrets_resources_images_and_named_outputs() -> None:
    for each in SETTINGS:
        data = _same_bytes(split_rows, each)
        assert task_module._plain_template(split_rows, each) is not None
        assert b"password" in data
    _same_bytes(nothing, SETTINGS[0])


def test_a_task_type_version_is_written_as_an_int32() -> None:
    for version in (1, 127, 128, 2**31 - 1, -1, -(2**31)):
        nothing.task_type_version = version  # type: ignore[attr-defined]
        try:
            data = _same_bytes(nothing, SETTINGS[0])
            assert task_module._plain_template(nothing, SETTINGS[0]) is not None
        finally:
            del nothing.task_type_version  # type: ignore[attr-defined]
        assert varint(version) in data


def test_other_tasks_go_through_the_message_path() -> None:
    """A pod, a container task, an overridden hook: no shortcut, the same bytes."""
    shell = ContainerTask(
        name="shell",
        image="alpine:3",
        command=["echo", "hi"],
        inputs={"x": int},
    )
    for entity in (in_a_pod, shell):
        assert task_module._plain_template(entity, SETTINGS[0]) is None
        _same_bytes(entity, SETTINGS[0])


def test_a_problem_is_raised_as_the_message_path_raises_it() -> None:
    bare = SerializationSettings(image_config=ImageConfig(default_image="app:1"))
    with pytest.raises(CompileTasksError) as by_message:
        serialize_task(split_rows, bare)
    with pytest.raises(CompileTasksError) as by_bytes:
        task_spec_bytes(split_rows, bare)
    assert by_bytes.value.code == by_message.value.code == "CT302"
    assert str(by_bytes.value) == str(by_message.value)


class _Arg(str):
    """A str subclass a custom resolver may hand back: protobuf stores the str it equals."""

    def encode(self, *args: Any, **kwargs: Any) -> bytes:
        return b"not what protobuf writes"


@pytest.mark.parametrize(
    "loader_args",
    [
        ["task-module", "tests.serialize.test_task_bytes", "task-name", "nothing"],
        ["task-module", _Arg("a.b"), "task-name", "n" * 200, "é"],
        [],
    ],
)
def test_args_of_any_resolver_are_written_as_the_message_path_writes_them(
    loader_args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = type(nothing.task_resolver)
    monkeypatch.setattr(resolver, "loader_args", lambda self, settings, task: list(loader_args))
    for _ in range(2):  # written afresh, then from the memo of args already written
        data = _same_bytes(nothing, SETTINGS[0])
        assert task_module._plain_template(nothing, SETTINGS[0]) is not None
    for arg in loader_args:
        assert str.encode(arg) in data


def test_an_arg_that_is_no_string_is_refused_as_the_message_path_refuses_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolver = type(nothing.task_resolver)
    monkeypatch.setattr(resolver, "loader_args", lambda self, settings, task: ["task-module", 3])
    with pytest.raises(TypeError):
        serialize_task(nothing, SETTINGS[0])
    with pytest.raises(TypeError):  # callers then take the message path, which reports it
        task_module.container_only_bytes(nothing, SETTINGS[0])
    with pytest.raises(TypeError):
        task_spec_bytes(nothing, SETTINGS[0])


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=0, max_size=150),
    project=st.text(max_size=3),
    version=st.text(max_size=140),
)
def test_identifiers_of_any_text(name: str, project: str, version: str) -> None:
    settings = SerializationSettings(image_config=IMAGES, project=project, version=version)
    original = nothing.name
    try:
        nothing.name = name
        try:
            expected = spec_bytes(serialize_task(nothing, settings))
        except (ValueError, UnicodeError, CompileTasksError) as err:
            with pytest.raises(type(err)):
                task_spec_bytes(nothing, settings)
            return
        assert task_spec_bytes(nothing, settings) == expected
    finally:
        nothing.name = original


@pytest.mark.parametrize("value", [1, 127, 128, 300, 2**31 - 1, -1, -(2**31)])
def test_varint_is_protobufs(value: int) -> None:
    message = tasks_pb2.TaskTemplate(task_type_version=value)
    assert message.SerializeToString() == field_key(7, 0) + varint(value)


def test_varint_of_zero_and_of_wide_values() -> None:
    assert varint(0) == b"\x00"  # protobuf omits a zero scalar; a length of 0 is this byte
    assert varint(2**40) == bytes([0x80, 0x80, 0x80, 0x80, 0x80, 0x20])


@pytest.mark.parametrize("size", [1, 127, 128, 20_000])
def test_length_delimited_is_protobufs(size: int) -> None:
    text = "n" * size
    expected = identifier_pb2.Identifier(name=text).SerializeToString()
    assert length_delimited(field_key(4), text.encode()) == expected


def test_split_before_field_cuts_at_the_first_field_numbered_so_or_more() -> None:
    container = tasks_pb2.Container(
        image="img",
        command=["a"],
        args=["b", "c" * 200],
        resources=tasks_pb2.Resources(),
        config=[literals_pb2.KeyValuePair(key="k", value="v")],
        architecture=tasks_pb2.Container.ARM64,
    )
    container.resources.SetInParent()
    data = container.SerializeToString(deterministic=True)
    written = {"image", "command", "args", "resources", "config", "architecture"}
    for number in range(1, 12):
        head, tail = split_before_field(data, number)
        assert head + tail == data
        before = tasks_pb2.Container.FromString(head)
        present = {field.name for field, _ in before.ListFields()}
        numbers = {f.name: f.number for f in tasks_pb2.Container.DESCRIPTOR.fields}
        assert present == {name for name in written if numbers[name] < number}
    with pytest.raises(ValueError, match="ends inside"):
        split_before_field(data[:-1], 11)
    with pytest.raises(ValueError, match="wire type 3"):
        split_before_field(b"\x0b", 5)  # a group start: never in a message's bytes
