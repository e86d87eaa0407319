"""``@eager``: an ``async def`` workflow whose body is plain Python awaiting tasks as it goes.

flytekit 1.16 compiles an eager workflow into four entities, and so do we:

* the eager task itself: a python task with ``metadata.is_eager`` set, a deck, and the compile
  settings in its environment (``_F_SS_C``, :mod:`compiler.workflow.transport`);
* its cleanup task ``<name>-cleanup`` (type ``eager_failure_handler_task``, found in the
  container through :data:`eager_failure_task_resolver` with the loader args
  ``eager failure handler``), taking the eager workflow's inputs;
* a workflow of the same name: one node ``n0`` running the eager task, and the cleanup task as
  its failure node ``efn``;
* that workflow's default launch plan (every input required: flytekit drops the defaults).

Running it: ``await eager_wf(x=1)`` (or ``asyncio.run(eager_wf(x=1))``) runs the body locally.
Inside the body, tasks and workflows run when called (``add_one(x=x)`` returns the value), an
inner eager workflow or an ``async def`` task is awaited, and a failure of anything it calls is
raised as :class:`EagerException` (its ``__cause__`` is the original error), as on a cluster.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from flyteidl.core import literals_pb2, tasks_pb2

from compiler.context import run_awaitable
from compiler.errors import DefinitionError, SourceLocation, WorkflowError
from compiler.idl import TaskType
from compiler.memo import cached_attribute
from compiler.sdk import (
    Interface,
    PythonAutoContainerTask,
    PythonFunctionTask,
    SerializationSettings,
    TaskMetadata,
    TaskResolverMixin,
    active_builder,
    building,
    caller_location,
    definition_context,
    function_location,
)
from compiler.workflow.imperative import Workflow
from compiler.workflow.transport import env_with_settings

__all__ = [
    "EagerException",
    "EagerFailureHandlerTask",
    "EagerTask",
    "eager",
    "eager_failure_task_resolver",
]

#: ``@eager`` options flytekit 1.16 passes on to the task (the others it drops silently).
_KEPT_OPTIONS = (
    "container_image",
    "environment",
    "requests",
    "limits",
    "resources",
    "secret_requests",
    "pod_template",
    "pod_template_name",
    "accelerator",
    "shared_memory",
    "docs",
)

#: ``@task`` options that flytekit 1.16 accepts on ``@eager`` but ignores: refused here, so
#: that nothing the author wrote is silently left out of the compiled task.
_DROPPED_OPTIONS = (
    "task_config",
    "cache",
    "cache_serialize",
    "cache_version",
    "cache_ignore_input_vars",
    "retries",
    "interruptible",
    "deprecated",
    "timeout",
    "task_resolver",
    "disable_deck",
    "enable_deck",
    "labels",
    "annotations",
)


class EagerException(Exception):
    """Raised in an eager workflow when a task or workflow it called failed.

    ``__cause__`` holds the original error (locally; on a cluster the failure is remote).
    """


class _EagerRunner:
    """Where calls made in a running eager body go: each runs at once, outside any builder.

    A failure becomes :class:`EagerException`. An inner eager workflow and an ``async def``
    task are returned as coroutines to await, as flytekit's are.
    """

    def add_call(self, entity: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if isinstance(entity, EagerTask):
            return _guarded(entity, entity.run_locally, args, kwargs)
        if inspect.iscoroutinefunction(getattr(entity, "task_function", None)):
            return _later(entity, args, kwargs)  # an ``async def`` task is awaited too
        return _run_guarded(entity, args, kwargs)


async def _later(entity: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    return _run_guarded(entity, args, kwargs)


def _run_guarded(entity: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    with building(None):  # type: ignore[arg-type]  # the entity runs locally, not as a node
        try:
            return entity(*args, **kwargs)
        except Exception as exc:
            raise _eager_error(entity, exc) from exc


async def _guarded(
    entity: Any, run: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    try:
        return await run(*args, **kwargs)
    except Exception as exc:
        raise _eager_error(entity, exc) from exc


def _eager_error(entity: Any, exc: Exception) -> EagerException:
    if isinstance(exc, EagerException):
        return exc
    name = getattr(entity, "name", repr(entity))
    return EagerException(f"{name} failed: {type(exc).__name__}: {exc}")


class EagerFailureTaskResolver(TaskResolverMixin):
    """Finds the cleanup task of an eager workflow in its container (``eager failure handler``).

    The container does not know which eager workflow failed; the cleanup task echoes its inputs.
    """

    def loader_args(self, settings: SerializationSettings, task: Any) -> list[str]:
        return ["eager", "failure", "handler"]

    def load_task(self, loader_args: Sequence[str]) -> Any:
        return EagerFailureHandlerTask("no_input_default_cleanup_task", None, {}, None)

    def __repr__(self) -> str:
        return "EagerFailureTaskResolver()"


#: The resolver written into every cleanup task (``--resolver`` names this attribute).
eager_failure_task_resolver = EagerFailureTaskResolver()


class EagerFailureHandlerTask(PythonAutoContainerTask[Any]):
    """The cleanup task of an eager workflow: its failure node.

    On a cluster an eager workflow's tasks run in-process here (see ``docs/workflows.md``), so
    there is nothing left running to stop: it returns its inputs, as flytekit's does.

    Args:
        name: ``<eager workflow name>-cleanup``.
        container_image: The eager workflow's image.
        inputs: The eager workflow's inputs.
        eager_task: The eager task it belongs to (``None`` when loaded in a container).
    """

    def __init__(
        self,
        name: str,
        container_image: str | None,
        inputs: dict[str, Any],
        eager_task: EagerTask | None,
    ) -> None:
        if eager_task is not None:
            self._location = eager_task.location
            self.instantiated_in = eager_task.instantiated_in
        else:
            self._location = SourceLocation("<container>")
            self.instantiated_in = __name__
        super().__init__(
            name=name,
            task_type=TaskType.EAGER_FAILURE_HANDLER.value,
            container_image=container_image,
            interface=Interface(inputs=inputs),
            task_resolver=eager_failure_task_resolver,
        )

    def dispatch_execute(
        self, input_literal_map: literals_pb2.LiteralMap
    ) -> literals_pb2.LiteralMap:
        """Echo the inputs (their types are not known in the container, nor needed)."""
        echoed = literals_pb2.LiteralMap()
        echoed.CopyFrom(input_literal_map)
        return echoed

    def execute(self, **kwargs: Any) -> Any:
        """Nothing to do locally: an eager workflow's failure raised where it happened."""
        return None


class EagerTask(PythonFunctionTask[Any]):
    """An eager workflow (flytekit's ``EagerAsyncPythonFunctionTask``)."""

    def __init__(self, task_function: Callable[..., Any], **kwargs: Any) -> None:
        kwargs["enable_deck"] = True  # flytekit forces the deck of an eager workflow
        super().__init__(None, task_function, **kwargs)
        self._as_workflow: Workflow | None = None

    def metadata_proto(self) -> tasks_pb2.TaskMetadata:
        """The task's metadata with ``is_eager`` set."""
        metadata = super().metadata_proto()
        metadata.is_eager = True
        return metadata

    def _env(self, settings: SerializationSettings) -> dict[str, str]:
        """The compile's env, the transported settings, then the task's own (flytekit's order)."""
        return env_with_settings(settings, self.environment)

    @cached_attribute
    def cleanup_task(self) -> EagerFailureHandlerTask:
        """The failure node's task, ``<name>-cleanup``."""
        return EagerFailureHandlerTask(
            f"{self.name}-cleanup",
            self.container_image,
            dict(self.python_interface.inputs),
            self,
        )

    def get_as_workflow(self) -> Workflow:
        """The workflow flytekit registers for the eager task: ``n0`` and failure node ``efn``.

        Built once, on first use (not at import).
        """
        if self._as_workflow is None:
            self._as_workflow = self._build_workflow()
        return self._as_workflow

    def _build_workflow(self) -> Workflow:
        built = Workflow(name=self.name)
        built._location = self.location
        built.instantiated_in = self.instantiated_in
        inputs = {name: built.add_workflow_input(name, hint) for name, hint in self._inputs()}
        node = built.add_entity(self, **inputs)
        for name in self.python_interface.outputs:
            built.add_workflow_output(name, node.outputs[name])
        built.add_on_failure_handler(self.cleanup_task)
        return built

    def _inputs(self) -> list[tuple[str, Any]]:
        return list(self.python_interface.inputs.items())

    def companion_entities(self) -> list[Any]:
        """The cleanup task and the workflow (whose default launch plan comes with it)."""
        return [self.cleanup_task, self.get_as_workflow()]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """A coroutine running the workflow locally (await it), or a node of ``workflow``."""
        builder = active_builder()
        if builder is None:
            return self.run_locally(*args, **kwargs)
        if isinstance(builder, _EagerRunner):
            return builder.add_call(self, args, kwargs)
        raise WorkflowError(
            f"the eager workflow {self.name!r} is called inside a workflow body",
            code="CT944",
            hint="an eager workflow runs on its own (its launch plan); call it from another "
            "@eager function with 'await', not from a @workflow or @dynamic body",
            location=caller_location()[0],
        )

    async def run_locally(self, *args: Any, **kwargs: Any) -> Any:
        """Run the workflow with Python values (inputs and outputs cross the type engine)."""
        with building(None):  # type: ignore[arg-type]  # not a node of an enclosing body
            return PythonFunctionTask.__call__(self, *args, **kwargs)

    def execute(self, **kwargs: Any) -> Any:
        """Run the body to completion; calls inside it run at once (see module docstring)."""
        return run_awaitable(self._run_body(kwargs))

    async def _run_body(self, kwargs: dict[str, Any]) -> Any:
        with building(_EagerRunner()):
            coroutine: Coroutine[Any, Any, Any] = self.task_function(**kwargs)
            return await coroutine


def eager(_fn: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Declare an eager workflow: ``@eager`` or ``@eager(container_image=..., ...)``.

    Options (those flytekit 1.16 honours): ``container_image``, ``environment``, ``requests``,
    ``limits``, ``resources``, ``secret_requests``, ``pod_template``, ``pod_template_name``,
    ``accelerator``, ``shared_memory``, ``docs``.

    Raises:
        DefinitionError: CT942 when the function is not ``async def``, CT943 for a ``@task``
            option flytekit ignores on eager workflows, CT940 for an unknown option.
    """
    location = caller_location()[0]
    for option in options:
        if option in _DROPPED_OPTIONS:
            raise DefinitionError(
                f"@eager does not take {option}=: flytekit 1.16 ignores it on an eager "
                "workflow, so the compiled task would not have it",
                code="CT943",
                param=option,
                param_kind="option",
                location=location,
                hint=f"set {option} on the tasks the eager workflow calls; @eager takes "
                + ", ".join(_KEPT_OPTIONS),
            )
        if option not in _KEPT_OPTIONS:
            raise DefinitionError(
                f"@eager has no option {option!r}",
                code="CT940",
                param=option,
                param_kind="option",
                location=location,
                hint="@eager takes " + ", ".join(_KEPT_OPTIONS),
            )

    def wrapper(fn: Callable[..., Any]) -> EagerTask:
        code = getattr(fn, "__code__", None)
        name = f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__name__', '?')}"
        with definition_context(name, lambda: function_location(code) if code else location):
            if not inspect.iscoroutinefunction(fn):
                raise DefinitionError(
                    f"@eager needs an 'async def' function, got {fn!r}",
                    code="CT942",
                    hint="write 'async def' (an eager workflow awaits what it calls); use "
                    "@workflow or @dynamic for a plain 'def'",
                )
            metadata = TaskMetadata(pod_template_name=options.get("pod_template_name"))
        kept = {k: v for k, v in options.items() if k != "pod_template_name" and v is not None}
        made = EagerTask(fn, metadata=metadata, **kept)
        functools.update_wrapper(made, fn)  # type: ignore[arg-type]
        return made

    if _fn is not None:
        return wrapper(_fn)
    return wrapper
