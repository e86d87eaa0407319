"""The authoring SDK: ``@task``, task classes, options and the default resolver.

Authoring is cheap and inert: decorating a function validates its options and reads its type
hints; it does not serialize, parse docstrings, or touch the filesystem or the network.

``__all__`` is what other layers may use: the authoring API, and the plumbing the workflow
layer and the runtime build on (source locations, the call-composition hook, the interface of
a function, the recoverable-error marker).
"""

from compiler.lazy import lazy_exports
from compiler.sdk.auto_container import PythonAutoContainerTask, check_accelerator
from compiler.sdk.base import Description, Documentation, IgnoreOutputs, SourceCode, Task
from compiler.sdk.compose import active_builder, building
from compiler.sdk.container_task import ContainerTask
from compiler.sdk.decorator import bind_task_options, function_task_decorator, task
from compiler.sdk.echo import Echo
from compiler.sdk.exceptions import FlyteRecoverableException, RecoverableError, is_recoverable
from compiler.sdk.function_task import PythonFunctionTask
from compiler.sdk.image_catalog import ImageEntry, collect_images, module_specs
from compiler.sdk.image_spec import CopyFileDetection, ImageSpec, image_uri
from compiler.sdk.instance_task import PythonInstanceTask
from compiler.sdk.interface import Interface, interface_from_function
from compiler.sdk.location import (
    caller_frame,
    caller_location,
    definition_context,
    forget_source_lines,
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

#: Task classes loaded on first use (``import compiler`` stays fast): name -> module.
LAZY_NAMES: dict[str, str] = {
    **dict.fromkeys(["CachePolicy", "VersionParameters"], "compiler.sdk.cache_policy"),
    **dict.fromkeys(
        [
            "OutputLocation",
            "ProcessResult",
            "RawShellTask",
            "ShellTask",
            "get_raw_shell_task",
            "subproc_execute",
        ],
        "compiler.sdk.shell",
    ),
    **dict.fromkeys(["SQLite3Config", "SQLite3Task", "SQLite3TaskExecutor"], "compiler.sdk.sqlite"),
    **dict.fromkeys(
        [
            "ExecutableTemplateShimTask",
            "PythonCustomizedContainerTask",
            "ShimTaskExecutor",
            "TaskTemplateResolver",
            "default_task_template_resolver",
        ],
        "compiler.sdk.template_task",
    ),
}


__getattr__ = lazy_exports(__name__, LAZY_NAMES, globals())


__all__ = [
    "Cache",
    "CachePolicy",
    "ContainerTask",
    "CopyFileDetection",
    "DefaultTaskResolver",
    "Description",
    "Documentation",
    "Echo",
    "ExecutableTemplateShimTask",
    "FlyteRecoverableException",
    "IgnoreOutputs",
    "ImageEntry",
    "ImageSpec",
    "Interface",
    "OutputLocation",
    "PodTemplate",
    "ProcessResult",
    "PythonAutoContainerTask",
    "PythonCustomizedContainerTask",
    "PythonFunctionTask",
    "PythonInstanceTask",
    "PythonTask",
    "RawShellTask",
    "RecoverableError",
    "Resources",
    "SQLTask",
    "SQLite3Config",
    "SQLite3Task",
    "SQLite3TaskExecutor",
    "Secret",
    "SerializationSettings",
    "ShellTask",
    "ShimTaskExecutor",
    "SourceCode",
    "Task",
    "TaskMetadata",
    "TaskPlugins",
    "TaskResolverMixin",
    "TaskTemplateResolver",
    "VersionParameters",
    "active_builder",
    "bind_task_options",
    "building",
    "caller_frame",
    "caller_location",
    "check_accelerator",
    "collect_images",
    "default_task_resolver",
    "default_task_template_resolver",
    "definition_context",
    "forget_source_lines",
    "function_location",
    "function_task_decorator",
    "get_raw_shell_task",
    "image_uri",
    "interface_from_function",
    "is_recoverable",
    "kwtypes",
    "module_specs",
    "resolve_resources",
    "subproc_execute",
    "task",
]
