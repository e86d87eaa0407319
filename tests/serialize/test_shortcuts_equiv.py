"""The serializer's byte-level shortcuts write exactly what the task hooks' messages write.

Serialization merges memoised bytes where a default hook would return a message parsed from
those bytes; these tests compare each shortcut with the hook it stands for.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flyteidl.core import tasks_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import Resources, task
from compiler.proto import MetadataSpec, build_task_metadata, task_metadata_bytes
from compiler.sdk.metadata import TaskMetadata
from compiler.serialize.task import _apply_metadata
from compiler.settings import SerializationSettings

SETTINGS = SerializationSettings.for_image("registry/app:1")

_TEXT = st.text(max_size=5)
_MAPS = st.dictionaries(_TEXT, _TEXT, max_size=3)


@st.composite
def task_metadata(draw: st.DrawFn) -> TaskMetadata:
    cache = draw(st.booleans())
    return TaskMetadata(
        cache=cache,
        cache_serialize=cache and draw(st.booleans()),
        cache_version=draw(_TEXT.filter(bool)) if cache else draw(_TEXT),
        cache_ignore_input_vars=tuple(draw(st.lists(_TEXT, max_size=2))) if cache else (),
        interruptible=draw(st.none() | st.booleans()),
        deprecated=draw(_TEXT),
        retries=draw(st.integers(0, 5)),
        timeout=draw(st.none() | st.integers(1, 10_000)),
        pod_template_name=draw(st.none() | _TEXT),
        generates_deck=draw(st.booleans()),
        labels=draw(_MAPS),
        annotations=draw(_MAPS),
    )


@settings(max_examples=150, deadline=None)
@given(task_metadata())
def test_wire_bytes_are_the_hooks_message(metadata: TaskMetadata) -> None:
    expected = build_task_metadata(metadata.to_spec()).SerializeToString(deterministic=True)
    assert metadata.wire_bytes() == expected
    assert metadata.wire_bytes() == expected  # memoised: the same bytes again


def test_metadata_changed_after_definition_is_written_as_it_is_now() -> None:
    metadata = TaskMetadata(retries=1, labels={"a": "b"})
    first = metadata.wire_bytes()
    metadata.retries = 2
    metadata.labels["c"] = "d"  # type: ignore[index]
    assert metadata.wire_bytes() != first
    spec = metadata.to_spec()
    assert metadata.wire_bytes() == build_task_metadata(spec).SerializeToString(deterministic=True)


def test_scalar_types_keep_their_own_bytes() -> None:
    """``True``/``1``/``1.0`` are equal and hash alike: the key holds their types too."""
    assert task_metadata_bytes(interruptible=True) == build_task_metadata(
        MetadataSpec(interruptible=True)
    ).SerializeToString(deterministic=True)
    with pytest.raises(TypeError):
        task_metadata_bytes(interruptible=1.0)  # type: ignore[arg-type]  # protobuf refuses
    with pytest.raises(TypeError):
        build_task_metadata(MetadataSpec(interruptible=1.0))  # type: ignore[arg-type]


def test_unhashable_content_raises_as_the_spec_does() -> None:
    with pytest.raises(TypeError):
        MetadataSpec(retries={1})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        task_metadata_bytes(retries={1})  # type: ignore[arg-type]


def _merged(target: Any) -> bytes:
    template = tasks_pb2.TaskTemplate()
    errors: list[Any] = []
    _apply_metadata(template, target, errors)
    assert errors == []
    return template.metadata.SerializeToString(deterministic=True)


def test_the_metadata_shortcut_equals_the_hook() -> None:
    @task(retries=2, cache=True, cache_version="v1", timeout=timedelta(minutes=3))
    def double(x: int) -> int:
        return 2 * x

    hook = double.metadata_proto().SerializeToString(deterministic=True)
    assert _merged(double) == hook


def test_an_overridden_hook_is_still_called() -> None:
    @task(requests=Resources(cpu="1"))
    def plain(x: int) -> int:
        return x

    class Custom(type(plain)):  # type: ignore[misc]
        def metadata_proto(self) -> tasks_pb2.TaskMetadata:
            metadata = super().metadata_proto()
            metadata.retries.retries = 9
            return metadata

    plain.__class__ = Custom
    assert tasks_pb2.TaskMetadata.FromString(_merged(plain)).retries.retries == 9


def test_scalar_options_changed_after_definition_are_written_as_they_are_now() -> None:
    metadata = TaskMetadata(retries=1, timeout=30)
    first = metadata.wire_bytes()
    metadata.retries = 4
    metadata.deprecated = None  # type: ignore[assignment]  # written as ""
    assert metadata.wire_bytes() != first
    expected = build_task_metadata(metadata.to_spec()).SerializeToString(deterministic=True)
    assert metadata.wire_bytes() == expected


@pytest.mark.parametrize(
    ("option", "value"),
    [("retries", True), ("interruptible", 1), ("generates_deck", 0), ("retries", 2.0)],
)
def test_scalar_options_of_other_types_do_not_share_bytes(option: str, value: Any) -> None:
    """``True == 1 == 1.0``: the memo of the options' bytes keys their types too."""
    metadata = TaskMetadata()
    setattr(metadata, option, value)
    try:
        expected = build_task_metadata(metadata.to_spec()).SerializeToString(deterministic=True)
    except TypeError:
        with pytest.raises(TypeError):
            metadata.wire_bytes()
        return
    assert metadata.wire_bytes() == expected
