"""Task plugins selected by the type of ``task_config``."""

from dataclasses import dataclass
from typing import Any

import pytest

from compiler import PythonFunctionTask, SerializationSettings, task
from compiler.errors import DefinitionError
from compiler.sdk.plugins import PluginRegistry, TaskPlugins, task_plugins


@dataclass
class Spark:
    executors: int = 2


class SparkFunctionTask(PythonFunctionTask[Spark]):
    def __init__(self, task_config: Spark, task_function, **kwargs: Any):
        super().__init__(
            task_config=task_config, task_function=task_function, task_type="spark", **kwargs
        )

    def get_custom(self, settings: SerializationSettings) -> dict[str, Any]:
        return {"executors": self.task_config.executors}


TaskPlugins.register_pythontask_plugin(Spark, SparkFunctionTask)


@task(task_config=Spark(executors=4), retries=1)
def crunch(n: int) -> int:
    return n * 2


def test_plugin_is_chosen_by_config_type():
    assert type(crunch) is SparkFunctionTask
    assert crunch.task_type == "spark"
    assert crunch.get_custom(SerializationSettings()) == {"executors": 4}
    assert crunch.metadata.retries == 1
    assert crunch(n=2) == 4
    assert TaskPlugins.find_pythontask_plugin(Spark) is SparkFunctionTask
    assert task_plugins.find(int) is PythonFunctionTask


def test_unregistered_config_is_stored_on_a_plain_function_task():
    @task(task_config={"x": 1})
    def f() -> None: ...

    assert type(f) is PythonFunctionTask
    assert f.task_config == {"x": 1}


def test_registry_errors():
    registry = PluginRegistry()
    registry.register(Spark, SparkFunctionTask)
    registry.register(Spark, SparkFunctionTask)  # idempotent

    class Other(PythonFunctionTask):
        pass

    with pytest.raises(DefinitionError) as info:
        registry.register(Spark, Other)
    assert info.value.code == "CT163"
    with pytest.raises(DefinitionError) as info:
        registry.register(int, dict)
    assert info.value.code == "CT163"
