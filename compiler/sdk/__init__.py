"""The authoring SDK: ``@task``, task classes, options and the default resolver.

Authoring is cheap and inert: decorating a function validates its options and reads its type
hints; it does not serialize, parse docstrings, or touch the filesystem or the network.

``__all__`` is what other layers may use: the authoring API, and the plumbing the workflow
layer and the runtime build on (source locations, the call-composition hook, the interface of
a function, the recoverable-error marker).
"""

from typing import Any

from compiler.sdk.auto_container import PythonAutoContainerTask, check_accelerator
from compiler.sdk.base import Description, Documentation, IgnoreOutputs, Task
from compiler.sdk.compose import active_builder, building
from compiler.sdk.container_task import ContainerTask
from compiler.sdk.decorator import task
from compiler.sdk.echo import Echo
from compiler.sdk.exceptions import FlyteRecoverableException, RecoverableError, is_recoverable
from compiler.sdk.function_task import PythonFunctionTask
from compiler.sdk.interface import Interface, interface_from_function
from compiler.sdk.location import (
    caller_frame,
    caller_location,
    definition_context,
    function_location,
)
from compiler.sdk.metadata import Cache, TaskMetadata
from compiler.sdk.plugins import TaskPlugins
from compiler.sdk.pod_template import PodTemplate
from compiler.sdk.python_task import PythonTask
from compiler.sdk.resolver import DefaultTaskResolver, TaskResolverMixin, default_task_resolver
from compiler.sdk.resources import Resources, resolve_resources
from compiler.sdk.secrets import Secret
from compiler.sdk.sql import SQLTask
from compiler.settings import SerializationSettings
from compiler.types import kwtypes

#: Names loaded from compiler.sdk.cache_policy on first use (``import compiler`` stays fast).
_LAZY = frozenset({"CachePolicy", "VersionParameters"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from compiler.sdk import cache_policy

        return getattr(cache_policy, name)
    raise AttributeError(f"module 'compiler.sdk' has no attribute {name!r}")


__all__ = [
    "Cache",
    "CachePolicy",
    "ContainerTask",
    "DefaultTaskResolver",
    "Description",
    "Documentation",
    "Echo",
    "FlyteRecoverableException",
    "IgnoreOutputs",
    "Interface",
    "PodTemplate",
    "PythonAutoContainerTask",
    "PythonFunctionTask",
    "PythonTask",
    "RecoverableError",
    "Resources",
    "SQLTask",
    "Secret",
    "SerializationSettings",
    "Task",
    "TaskMetadata",
    "TaskPlugins",
    "TaskResolverMixin",
    "VersionParameters",
    "active_builder",
    "building",
    "caller_frame",
    "caller_location",
    "check_accelerator",
    "default_task_resolver",
    "definition_context",
    "function_location",
    "interface_from_function",
    "is_recoverable",
    "kwtypes",
    "resolve_resources",
    "task",
]
