"""The default task resolver and custom resolvers."""

import sys
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict

from compiler import SerializationSettings, TaskResolverMixin, task
from compiler.errors import ExecutionError
from compiler.idl import DEFAULT_RESOLVER
from compiler.sdk import resolver as resolver_module
from compiler.sdk.resolver import default_task_resolver

sys.path.insert(0, str(Path(__file__).parent / "data"))
import hints_module

SETTINGS = SerializationSettings.for_image("img:1")


def test_default_resolver_location_is_the_idl_constant():
    assert default_task_resolver.location == DEFAULT_RESOLVER
    module, _, attr = DEFAULT_RESOLVER.rpartition(".")
    assert module == resolver_module.__name__
    assert getattr(resolver_module, attr) is default_task_resolver


def test_loader_args_and_load_task_round_trip():
    args = default_task_resolver.loader_args(SETTINGS, hints_module.class_tuple)
    assert args == ["task-module", "hints_module", "task-name", "class_tuple"]
    assert default_task_resolver.load_task(args) is hints_module.class_tuple


@pytest.mark.parametrize(
    "args",
    [
        ["task-module", "hints_module"],
        ["module", "hints_module", "task-name", "x"],
        ["task-module", "hints_module", "task-name", "missing"],
    ],
)
def test_load_task_errors(args):
    with pytest.raises(ExecutionError) as info:
        default_task_resolver.load_task(args)
    assert info.value.code == "CT194"


class RegistryResolver(TaskResolverMixin):
    """Finds tasks by a short key."""

    def __init__(self):
        self.tasks = {}

    def loader_args(self, settings, task):
        return ["key", task.task_function.__name__]

    def load_task(self, loader_args):
        return self.tasks[loader_args[1]]


registry_resolver = RegistryResolver()


def test_custom_resolver_goes_into_args():
    @task(task_resolver=registry_resolver)
    def f() -> None: ...

    registry_resolver.tasks["f"] = f
    args = MessageToDict(f.get_container(SETTINGS))["args"]
    assert args[args.index("--resolver") + 1] == "test_resolver.registry_resolver"
    assert args[args.index("--") :] == ["--", "key", "f"]
    assert registry_resolver.load_task(["key", "f"]) is f


def test_resolver_without_module_attribute_is_an_error():
    with pytest.raises(ExecutionError) as info:
        _ = RegistryResolver().location
    assert info.value.code == "CT195"
