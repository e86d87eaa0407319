"""A plain python task's container is merged as bytes; the result is what its hooks write.

``apply_targets`` skips the hooks of a task whose class keeps every hook of
``PythonAutoContainerTask`` and whose options leave only a container; these tests compare that
shortcut with the hooks it stands for, and check that overridden hooks are still called.
"""

from __future__ import annotations

from typing import Any

import pytest
from flyteidl.core import tasks_pb2

from compiler import PodTemplate, Resources, Secret, task
from compiler.accelerators import T4
from compiler.serialize.targets import _container_only, apply_targets
from compiler.settings import ImageConfig, SerializationSettings

SETTINGS = SerializationSettings(
    image_config=ImageConfig.from_specs(["registry/app:1", "gpu=registry/gpu:2"]),
    env={"STAGE": "test", "MODE": "a"},
)


def _template(target: Any) -> bytes:
    template = tasks_pb2.TaskTemplate()
    errors: list[Any] = []
    apply_targets(template, target, SETTINGS, errors)
    assert errors == []
    return template.SerializeToString(deterministic=True)


def _through_the_hooks(target: Any) -> bytes:
    """The general path: a hook set on the object (to itself) turns the shortcut off."""
    target.get_custom = target.get_custom
    assert not _container_only(target)
    try:
        return _template(target)
    finally:
        del target.get_custom


def _plain(x: int) -> int:
    return x


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"requests": Resources(cpu="1", mem="2Gi"), "limits": Resources(mem="4Gi")},
        {"container_image": "{{.image.gpu.fqn}}:{{.image.gpu.version}}"},
        {"environment": {"MODE": "b", "EXTRA": "1"}},
        {"secret_requests": [Secret(group="db", key="password")]},
        {"shared_memory": False},
    ],
)
def test_the_container_shortcut_equals_the_hooks(options: dict[str, Any]) -> None:
    target = task(**options)(_plain)
    assert _container_only(target)
    assert _template(target) == _through_the_hooks(target)


@pytest.mark.parametrize(
    "options",
    [
        {"pod_template": PodTemplate(primary_container_name="main")},
        {"accelerator": T4},
        {"shared_memory": "1Gi"},
    ],
)
def test_tasks_with_more_than_a_container_take_the_hooks(options: dict[str, Any]) -> None:
    target = task(**options)(_plain)
    assert not _container_only(target)


def test_an_overridden_hook_is_still_called() -> None:
    target = task(_plain)

    class Custom(type(target)):  # type: ignore[misc]
        def get_custom(self, settings: SerializationSettings) -> dict[str, Any]:
            return {"answer": 42}

    target.__class__ = Custom
    assert not _container_only(target)
    template = tasks_pb2.TaskTemplate.FromString(_template(target))
    assert template.custom["answer"] == 42
    assert template.HasField("container")


def test_a_hook_set_on_the_object_is_still_called() -> None:
    target = task(_plain)
    target.get_config = lambda settings: {"key": "value"}
    template = tasks_pb2.TaskTemplate.FromString(_template(target))
    assert dict(template.config) == {"key": "value"}
