"""Task-template tasks: tasks that run from their ``TaskTemplate`` alone, no user code needed.

A ``PythonCustomizedContainerTask`` writes everything its executor needs into
``TaskTemplate.custom`` (``get_custom``). Its container args end with
``--resolver compiler.sdk.template_task.default_task_template_resolver -- {{.taskTemplatePath}}
pkg.module.Executor``: at run time propeller fills in the path of the template, the resolver
reads it, and the task is rebuilt as an :class:`ExecutableTemplateShimTask` whose interface
comes from the template's literal types and whose ``execute`` calls
``Executor().execute_from_model(template, **inputs)``. The image therefore needs only
compile-tasks and the executor's module, never the package that declared the task.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from flyteidl.core import identifier_pb2, interface_pb2, tasks_pb2, types_pb2
from google.protobuf import json_format, struct_pb2

from compiler.context import storage
from compiler.errors import CompileTasksError, DefinitionError, ExecutionError, SourceLocation
from compiler.idl import TaskType
from compiler.proto import (
    build_container,
    build_resources,
    merge_env,
    python_task_args,
)
from compiler.sdk.base import Task
from compiler.sdk.image_spec import ImageSpec, task_image_name
from compiler.sdk.interface import Interface
from compiler.sdk.location import caller_location, definition_context
from compiler.sdk.python_task import PythonTask
from compiler.sdk.resolver import TaskResolverMixin
from compiler.sdk.resources import Resources, resolve_resources
from compiler.settings import SerializationSettings
from compiler.types import (
    FlyteDirectory,
    FlyteFile,
    FlyteSchema,
    StructuredDataset,
    default_engine,
)

__all__ = [
    "ExecutableTemplateShimTask",
    "PythonCustomizedContainerTask",
    "ShimTaskExecutor",
    "TaskTemplateResolver",
    "default_task_template_resolver",
    "guess_python_type",
]

T = TypeVar("T")
#: What propeller replaces with the path of the task's template.
TEMPLATE_PATH = "{{.taskTemplatePath}}"
#: The image used when rebuilding a template locally (never written to a bundle).
_LOCAL_IMAGE = "local/placeholder:image"


class ShimTaskExecutor(Generic[T]):
    """The business logic of a task-template task: subclass it, implement
    ``execute_from_model(tt, **inputs)``, and pass the class as ``executor_type``."""

    def execute_from_model(self, tt: tasks_pb2.TaskTemplate, **kwargs: Any) -> Any:
        """Run the task from its template; ``tt.custom`` holds what ``get_custom`` wrote."""
        raise NotImplementedError(f"{type(self).__name__} must implement execute_from_model")


class PythonCustomizedContainerTask(PythonTask[T]):
    """A task run by an executor class from its template, in a prebuilt image.

    Args:
        name: The entity name, written verbatim.
        task_config: The plugin's configuration.
        container_image: The image that runs the executor (a URI, template or ``ImageSpec``).
        executor_type: A :class:`ShimTaskExecutor` subclass, importable in that image.
        task_resolver: The resolver (the task-template resolver when ``None``).
        task_type: The ``TaskTemplate.type``.
        requests: Resource requests. limits: Resource limits.
        environment: Environment variables. secret_requests: Secrets the task needs.
        **kwargs: Passed to :class:`PythonTask` (``interface``, ``metadata``, ...).
    """

    def __init__(
        self,
        name: str,
        task_config: T | None,
        container_image: str | ImageSpec | None,
        executor_type: type[ShimTaskExecutor[Any]],
        task_resolver: TaskResolverMixin | None = None,
        task_type: str = TaskType.PYTHON.value,
        requests: Resources | None = None,
        limits: Resources | None = None,
        environment: Mapping[str, str] | None = None,
        secret_requests: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if not hasattr(self, "_location"):
            location, module = caller_location(self)
            self._location = location or SourceLocation("<unknown>")
            self.instantiated_in = module
        with definition_context(name, lambda: self._location):
            _check_executor(executor_type)
            self.container_image = container_image
            self.executor_type = executor_type
            self.task_resolver = task_resolver or default_task_template_resolver
            self.resources = resolve_resources(requests, limits, None)
            super().__init__(
                task_type=task_type,
                name=name,
                task_config=task_config,
                environment=environment,
                secret_requests=secret_requests,
                **kwargs,
            )

    def get_custom(self, settings: SerializationSettings) -> dict[str, Any] | None:
        """Everything the executor needs; subclasses must implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement get_custom")

    def get_command(self, settings: SerializationSettings) -> list[str]:
        """The container args (no checkpoint flags, as flytekit writes them)."""
        loader_args = self.task_resolver.loader_args(settings, self)
        return python_task_args(self.task_resolver.location, loader_args, checkpoints=False)

    def get_image(self, settings: SerializationSettings) -> str:
        """The executor's image: an ``ImageSpec``'s name, a template resolved, or the default."""
        try:
            return task_image_name(self.container_image, settings.image_config)
        except CompileTasksError as err:
            raise err.with_context(location=self.location, task=self.name) from None

    def get_container(self, settings: SerializationSettings) -> tasks_pb2.Container | None:
        return build_container(
            image=self.get_image(settings),
            args=self.get_command(settings),
            resources=build_resources(*self.resources),
            env=merge_env(settings.env, self.environment),
        )

    def task_template(self) -> tasks_pb2.TaskTemplate:
        """The template the executor sees, built for a local run (placeholder image)."""
        settings = SerializationSettings.for_image(_LOCAL_IMAGE)
        template = tasks_pb2.TaskTemplate(type=self.task_type)
        template.id.CopyFrom(
            identifier_pb2.Identifier(resource_type=identifier_pb2.TASK, name=self.name)
        )
        template.interface.CopyFrom(_typed_interface(self.python_interface))
        custom = self.get_custom(settings)
        if custom is not None:
            template.custom.CopyFrom(json_format.ParseDict(custom, struct_pb2.Struct()))
        template.container.CopyFrom(self.get_container(settings))
        return template

    def execute(self, **kwargs: Any) -> Any:
        """Run the executor on this task's template (a local call)."""
        return self.executor_type().execute_from_model(self.task_template(), **kwargs)


def _check_executor(executor_type: Any) -> None:
    if not (isinstance(executor_type, type) and issubclass(executor_type, ShimTaskExecutor)):
        raise DefinitionError(
            f"executor_type must be a ShimTaskExecutor subclass, got {executor_type!r}",
            code="CT184",
            param="executor_type",
            param_kind="option",
            hint="subclass compiler.extend.ShimTaskExecutor and pass the class",
        )


def _typed_interface(interface: Interface) -> interface_pb2.TypedInterface:
    engine = default_engine()
    typed = interface_pb2.TypedInterface()
    for target, hints in ((typed.inputs, interface.inputs), (typed.outputs, interface.outputs)):
        for name, hint in hints.items():
            target.variables[name].type.CopyFrom(engine.to_literal_type(hint))
            target.variables[name].description = name
    return typed


_SIMPLE: dict[int, Any] = {
    types_pb2.INTEGER: int,
    types_pb2.FLOAT: float,
    types_pb2.STRING: str,
    types_pb2.BOOLEAN: bool,
    types_pb2.DATETIME: datetime.datetime,
    types_pb2.DURATION: datetime.timedelta,
}


_COLUMN_TYPES: dict[int, Any] = {
    types_pb2.SchemaType.SchemaColumn.INTEGER: int,
    types_pb2.SchemaType.SchemaColumn.FLOAT: float,
    types_pb2.SchemaType.SchemaColumn.STRING: str,
    types_pb2.SchemaType.SchemaColumn.BOOLEAN: bool,
    types_pb2.SchemaType.SchemaColumn.DATETIME: datetime.datetime,
    types_pb2.SchemaType.SchemaColumn.DURATION: datetime.timedelta,
}


def _schema_type(schema: types_pb2.SchemaType) -> Any:
    """``FlyteSchema[columns]`` of a schema literal type (plain ``FlyteSchema`` without any)."""
    columns = {c.name: _COLUMN_TYPES[c.type] for c in schema.columns if c.type in _COLUMN_TYPES}
    return FlyteSchema[columns] if columns else FlyteSchema


def guess_python_type(literal_type: types_pb2.LiteralType) -> Any:
    """The Python type a literal type stands for (the reverse of the type engine).

    Raises:
        ExecutionError: CT750 for a literal type without a Python equivalent here.
    """
    kind = literal_type.WhichOneof("type")
    if kind == "simple" and literal_type.simple in _SIMPLE:
        return _SIMPLE[literal_type.simple]
    if kind == "collection_type":
        return list[guess_python_type(literal_type.collection_type)]  # type: ignore[misc]
    if kind == "map_value_type":
        return dict[str, guess_python_type(literal_type.map_value_type)]  # type: ignore[misc]
    if kind == "blob":
        multipart = literal_type.blob.dimensionality == types_pb2.BlobType.MULTIPART
        return FlyteDirectory if multipart else FlyteFile
    if kind == "schema":
        return _schema_type(literal_type.schema)
    if kind == "structured_dataset_type":
        return StructuredDataset
    raise ExecutionError(
        f"the task template has an input or output of literal type {kind!r}, which a task "
        "rebuilt from its template cannot take",
        code="CT750",
        hint="use simple types, lists, maps, files, directories or schemas",
    )


class ExecutableTemplateShimTask(Task):
    """A task rebuilt from its ``TaskTemplate`` in the container, run by its executor."""

    def __init__(self, template: tasks_pb2.TaskTemplate, executor_type: type[Any]) -> None:
        self.task_template = template
        self.executor_type = executor_type
        self._location = SourceLocation("<task template>")
        self.instantiated_in = ""
        variables = template.interface
        inputs = {n: guess_python_type(v.type) for n, v in variables.inputs.variables.items()}
        outputs = {n: guess_python_type(v.type) for n, v in variables.outputs.variables.items()}
        super().__init__(
            task_type=template.type,
            name=template.id.name or "task-template",
            interface=Interface(inputs, outputs),
        )

    def execute(self, **kwargs: Any) -> Any:
        return self.executor_type().execute_from_model(self.task_template, **kwargs)


class TaskTemplateResolver(TaskResolverMixin):
    """Rebuilds a task from its template: loader args ``{{.taskTemplatePath}} pkg.Executor``."""

    @property
    def location(self) -> str:
        return f"{__name__}.default_task_template_resolver"

    def name(self) -> str:
        return "task template resolver"

    def loader_args(self, settings: SerializationSettings, task: Any) -> list[str]:
        executor = task.executor_type
        return [TEMPLATE_PATH, f"{executor.__module__}.{executor.__qualname__}"]

    def load_task(self, loader_args: Sequence[str]) -> ExecutableTemplateShimTask:
        args = list(loader_args)
        if len(args) != 2:
            raise ExecutionError(
                f"loader args {args!r} are not 'TEMPLATE_PATH module.Executor'",
                code="CT751",
                hint="the args after '--' must come from the task-template resolver",
            )
        template = _read_template(args[0])
        return ExecutableTemplateShimTask(template, _import_executor(args[1]))

    def __repr__(self) -> str:
        return "TaskTemplateResolver()"


def _read_template(uri: str) -> tasks_pb2.TaskTemplate:
    try:
        return tasks_pb2.TaskTemplate.FromString(storage.read_bytes(uri))
    except FileNotFoundError:
        raise ExecutionError(
            f"task template {uri!r} does not exist",
            code="CT751",
            hint="propeller fills {{.taskTemplatePath}} in; pass a TaskTemplate .pb file",
        ) from None
    except Exception as exc:  # protobuf's DecodeError
        raise ExecutionError(
            f"task template {uri!r} is not a TaskTemplate ({exc})",
            code="CT751",
            hint="pass the serialized flyteidl.core.TaskTemplate of the task",
        ) from None


def _import_executor(path: str) -> type[Any]:
    module_name, _, attribute = path.rpartition(".")
    try:
        executor = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError):
        raise ExecutionError(
            f"executor {path!r} cannot be imported",
            code="CT751",
            hint="install the executor's package in the task's image",
        ) from None
    return executor


#: The resolver of every task-template task.
default_task_template_resolver = TaskTemplateResolver()
