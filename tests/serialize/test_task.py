"""serialize_task assembles the TaskSpec from the task's hooks (fake tasks, exact dicts)."""

from __future__ import annotations

import pytest
from flyteidl.core import security_pb2, tasks_pb2
from google.protobuf import json_format

from compiler.errors import CompileErrors, SerializationError, SourceLocation
from compiler.idl import TaskType
from compiler.serialize import serialize_task
from compiler.settings import SerializationSettings
from tests.serialize.fakes import RUNTIME, FakeTask, interface

SETTINGS = SerializationSettings.for_image("registry.example.com/team/app:2.0")
BASE_METADATA = {"generates_deck": False, "metadata": {}, "retries": {}, "runtime": RUNTIME}


def as_dict(message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def test_minimal_task_has_name_only_id_and_empty_interface_sides() -> None:
    spec = serialize_task(FakeTask(), SETTINGS)
    assert as_dict(spec) == {
        "template": {
            "id": {"resource_type": "TASK", "name": "shop.orders.load"},
            "type": "python-task",
            "metadata": BASE_METADATA,
            "interface": {"inputs": {}, "outputs": {}},
        }
    }


def test_project_domain_version_only_when_set() -> None:
    settings = SerializationSettings(project="shop", domain="", version="v7")
    spec = serialize_task(FakeTask(), settings)
    assert as_dict(spec.template.id) == {
        "resource_type": "TASK",
        "project": "shop",
        "name": "shop.orders.load",
        "version": "v7",
    }


def test_enum_task_type_is_written_as_its_string() -> None:
    spec = serialize_task(FakeTask(task_type=TaskType.SQL, task_type_version=2), SETTINGS)
    assert (spec.template.type, spec.template.task_type_version) == ("sql_task", 2)


def test_every_hook_goes_to_its_field() -> None:
    container = tasks_pb2.Container(image="registry.example.com/team/app:2.0", args=["run"])
    container.resources.SetInParent()
    extended = tasks_pb2.ExtendedResources()
    extended.gpu_accelerator.device = "nvidia-tesla-t4"
    secrets = security_pb2.SecurityContext(secrets=[security_pb2.Secret(group="db", key="pw")])
    task = FakeTask(
        container=container,
        custom={"b": 1, "a": [True, None, "x"], "c": {"d": 2.5}},
        config={"z": "1", "primary_container_name": "app"},
        extended=extended,
        security_ctx=secrets,
    )
    template = as_dict(serialize_task(task, SETTINGS).template)
    assert template == {
        "id": {"resource_type": "TASK", "name": "shop.orders.load"},
        "type": "python-task",
        "metadata": BASE_METADATA,
        "interface": {"inputs": {}, "outputs": {}},
        "container": {
            "image": "registry.example.com/team/app:2.0",
            "args": ["run"],
            "resources": {},
        },
        "custom": {"a": [True, None, "x"], "b": 1.0, "c": {"d": 2.5}},
        "config": {"primary_container_name": "app", "z": "1"},
        "extended_resources": {"gpu_accelerator": {"device": "nvidia-tesla-t4"}},
        "security_context": {"secrets": [{"group": "db", "key": "pw"}]},
    }


def test_sql_hook() -> None:
    template = as_dict(serialize_task(FakeTask(sql=tasks_pb2.Sql(statement="SELECT 1")), SETTINGS))
    assert template["template"]["sql"] == {"statement": "SELECT 1"}


def test_two_targets_are_ct313() -> None:
    task = FakeTask(container=tasks_pb2.Container(image="a:1"), sql=tasks_pb2.Sql(statement="S"))
    with pytest.raises(SerializationError) as info:
        serialize_task(task, SETTINGS)
    assert (info.value.code, info.value.param) == ("CT313", "get_sql")
    assert "several targets (get_container(), get_sql())" in info.value.message


def test_k8s_pod_hook() -> None:
    pod = tasks_pb2.K8sPod()
    pod.metadata.SetInParent()
    pod.pod_spec.update({"containers": [{"name": "primary"}]})
    template = as_dict(serialize_task(FakeTask(k8s_pod=pod), SETTINGS).template)
    assert template["k8s_pod"] == {
        "metadata": {},
        "pod_spec": {"containers": [{"name": "primary"}]},
    }
    assert "container" not in template


@pytest.mark.parametrize(
    "task",
    [
        FakeTask(custom={}, config={}, extended=tasks_pb2.ExtendedResources()),
        FakeTask(security_ctx=security_pb2.SecurityContext()),
    ],
)
def test_empty_optional_parts_are_absent(task: FakeTask) -> None:
    assert set(as_dict(serialize_task(task, SETTINGS))["template"]) == {
        "id",
        "type",
        "metadata",
        "interface",
    }


def test_hook_returning_wrong_type_is_ct310() -> None:
    with pytest.raises(SerializationError) as info:
        serialize_task(FakeTask(container={"image": "x"}), SETTINGS)
    err = info.value
    assert (err.code, err.task, err.param, err.location) == (
        "CT310",
        "shop.orders.load",
        "get_container",
        SourceLocation("shop/orders.py", 12),
    )
    assert "get_container() returned dict, expected Container or None" in err.message


def test_custom_that_is_not_json_is_ct311() -> None:
    with pytest.raises(SerializationError) as info:
        serialize_task(FakeTask(custom={"when": object()}), SETTINGS)
    assert info.value.code == "CT311"
    assert "custom.when is a object" in info.value.message


@pytest.mark.parametrize("config", [{"a": 1}, {1: "a"}])
def test_config_must_be_strings_ct312(config: dict) -> None:
    with pytest.raises(SerializationError) as info:
        serialize_task(FakeTask(config=config), SETTINGS)
    assert info.value.code == "CT312"


def test_hook_errors_get_task_and_location() -> None:
    missing = SerializationError("no image", code="CT301", hint="pass --image")
    with pytest.raises(SerializationError) as info:
        serialize_task(FakeTask(container=missing), SETTINGS)
    assert info.value.render() == (
        "shop/orders.py:12: error CT301: task 'shop.orders.load': no image. hint: pass --image"
    )


def test_several_problems_are_collected_sorted() -> None:
    task = FakeTask(
        python_interface=interface({"basket": object, "ok": int}, {"o0": set}),
        container=SerializationError("no image", code="CT301"),
        config={"a": 2},
    )
    with pytest.raises(CompileErrors) as info:
        serialize_task(task, SETTINGS)
    assert info.value.render().splitlines() == [
        "shop/orders.py:12: error CT201: task 'shop.orders.load', input 'basket': no type "
        "transformer for 'object'. hint: make it a dataclass, register a transformer, or allow "
        "pickling",
        "shop/orders.py:12: error CT201: task 'shop.orders.load', output 'o0': no type "
        "transformer for 'set'. hint: make it a dataclass, register a transformer, or allow "
        "pickling",
        "shop/orders.py:12: error CT301: task 'shop.orders.load': no image",
        "shop/orders.py:12: error CT312: task 'shop.orders.load', hook 'get_config': "
        "get_config() entry 'a': 2 is not a string pair. hint: TaskTemplate.config is a map of "
        "strings; convert the values with str()",
    ]


def test_serialization_is_pure_and_repeatable() -> None:
    task = FakeTask(python_interface=interface({"b": int, "a": str}, {"o0": float}))
    first = serialize_task(task, SETTINGS)
    second = serialize_task(task, SETTINGS)
    assert first == second
    assert first is not second
    assert task.calls == 2 * [
        "metadata_proto",
        "get_container",
        "get_k8s_pod",
        "get_sql",
        "get_extended_resources",
        "get_custom",
        "get_config",
    ]
