"""The authoring SDK: ``@task``, task classes, options and the default resolver.

Authoring is cheap and inert: decorating a function validates its options and reads its type
hints; it does not serialize, parse docstrings, or touch the filesystem or the network.
"""

from compiler.sdk.auto_container import PythonAutoContainerTask
from compiler.sdk.base import Description, Documentation, IgnoreOutputs, Task
from compiler.sdk.container_task import ContainerTask
from compiler.sdk.decorator import task
from compiler.sdk.function_task import PythonFunctionTask
from compiler.sdk.interface import Interface
from compiler.sdk.metadata import Cache, TaskMetadata
from compiler.sdk.plugins import TaskPlugins
from compiler.sdk.pod_template import PodTemplate
from compiler.sdk.python_task import PythonTask
from compiler.sdk.resolver import DefaultTaskResolver, TaskResolverMixin, default_task_resolver
from compiler.sdk.resources import Resources
from compiler.sdk.secrets import Secret
from compiler.sdk.sql import SQLTask
from compiler.settings import SerializationSettings
from compiler.types import kwtypes

__all__ = [
    "Cache",
    "ContainerTask",
    "DefaultTaskResolver",
    "Description",
    "Documentation",
    "IgnoreOutputs",
    "Interface",
    "PodTemplate",
    "PythonAutoContainerTask",
    "PythonFunctionTask",
    "PythonTask",
    "Resources",
    "SQLTask",
    "Secret",
    "SerializationSettings",
    "Task",
    "TaskMetadata",
    "TaskPlugins",
    "TaskResolverMixin",
    "default_task_resolver",
    "kwtypes",
    "task",
]
