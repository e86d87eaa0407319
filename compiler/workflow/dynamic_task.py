"""``@dynamic``: a task whose body, run in its container, writes the workflow it runs next.

At compile time a dynamic task is a python task like any other (flytekit writes the same
``TaskTemplate``), plus the compile settings in its container environment (``_F_SS_C``, see
:mod:`compiler.workflow.transport`), so that the body can be compiled where it runs.

In the container, the entrypoint converts the inputs to Python values and runs the body once
with them, as a workflow body: calls of tasks, workflows and launch plans become nodes
(:meth:`DynamicTask.build_job`); ``compiler.serialize.compile_dynamic_job`` then writes the
``DynamicJobSpec`` (``futures.pb``) that Flyte runs. Called locally, outside any workflow body,
the function simply runs with Python values (the tasks it calls run locally).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import CompileErrors, DefinitionError
from compiler.sdk import (
    PythonFunctionTask,
    SerializationSettings,
    bind_task_options,
    building,
    caller_location,
    definition_context,
    function_location,
    function_task_decorator,
)
from compiler.workflow.builder import WorkflowBuilder, collect_sub_workflows
from compiler.workflow.local import run_nodes
from compiler.workflow.transport import env_with_settings

__all__ = ["DynamicJob", "DynamicTask", "dynamic"]


@dataclass
class DynamicJob:
    """What one run of a dynamic body built.

    Attributes:
        nodes: The nodes, in call order (ids ``n0``, ``n1``, ...; the serializer prefixes them).
        output_bindings: Output name -> binding data (promises or constants).
        returned: What the body returned (promises and values), for a local run.
    """

    nodes: list[Any] = field(default_factory=list)
    output_bindings: dict[str, literals_pb2.BindingData] = field(default_factory=dict)
    returned: Any = None

    def sub_workflows(self) -> list[Any]:
        """Every local workflow the nodes call, at any depth, sorted by name."""
        return collect_sub_workflows(self.nodes)


class DynamicTask(PythonFunctionTask[Any]):
    """A task whose body is compiled into a workflow when it runs (flytekit's ``@dynamic``).

    Args:
        task_config: ``None`` (``@dynamic`` refuses plugin configurations).
        task_function: The body: a plain ``def`` calling tasks, workflows and launch plans.
        node_dependency_hints: Tasks, workflows and launch plans the body may call that the
            compile must include even when no module of the package holds them.
        **kwargs: Passed to :class:`PythonFunctionTask`.
    """

    #: The container entrypoint compiles the body into a ``DynamicJobSpec`` when it runs.
    builds_job_at_run_time = True

    def __init__(
        self,
        task_config: Any,
        task_function: Callable[..., Any],
        node_dependency_hints: Iterable[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        code = getattr(task_function, "__code__", None)
        with definition_context(
            f"{task_function.__module__}.{getattr(task_function, '__name__', '?')}",
            lambda: function_location(code) if code is not None else None,
        ):
            if inspect.iscoroutinefunction(task_function):
                raise DefinitionError(
                    "a @dynamic body must be a plain 'def', not 'async def'",
                    code="CT941",
                    hint="write 'def' for @dynamic; use @eager for an 'async def' workflow",
                )
        super().__init__(task_config, task_function, **kwargs)
        self.node_dependency_hints = tuple(node_dependency_hints or ())

    def companion_entities(self) -> list[Any]:
        """The ``node_dependency_hints``: compiled with the task (flytekit registers them)."""
        return list(self.node_dependency_hints)

    def _env(self, settings: SerializationSettings) -> dict[str, str]:
        """The compile's env, the transported settings, then the task's own (flytekit's order)."""
        return env_with_settings(settings, self.environment)

    def build_job(self, values: dict[str, Any]) -> DynamicJob:
        """Run the body once with ``values`` (every Python input), as a workflow body.

        Raises:
            WorkflowError: The one problem of the body (a call with a wrong input, ...).
            CompileErrors: Several problems.
            Exception: Whatever the body itself raised.
        """
        builder = WorkflowBuilder(self.name, {})
        with building(builder):
            result = self.task_function(**values)
        builder.check_finished()
        builder.check_node_ids()
        bindings = builder.bind_outputs(result, self.python_interface.outputs, self.location)
        if len(builder.errors) == 1:
            raise builder.errors[0]
        if builder.errors:
            raise CompileErrors(builder.errors)
        return DynamicJob(nodes=builder.nodes, output_bindings=bindings, returned=result)

    def execute(self, **kwargs: Any) -> Any:
        """A local run: build the job as the container would, then run its nodes here.

        The nodes run with the local runner of workflows (tasks with their local cache,
        sub-workflows, launch plans), so ``with_overrides``, ``>>`` and conditionals in the body
        behave as in a workflow.
        """
        job = self.build_job(kwargs)
        return run_nodes(self, job.nodes, job.returned)


def dynamic(_task_function: Callable[..., Any] | None = None, **options: Any) -> Any:
    """Declare a dynamic task: bare ``@dynamic`` or ``@dynamic(retries=2, ...)``.

    It takes every option of ``@task`` (same names and meaning) and
    ``node_dependency_hints=[...]``.

    Raises:
        DefinitionError: CT940 for an unknown option or a plugin ``task_config``, CT941 for an
            ``async def`` body, and every error ``@task`` reports.
    """
    hints = options.pop("node_dependency_hints", None)
    try:
        bound = bind_task_options("dynamic", options)
        if bound["task_config"] is not None:
            raise DefinitionError(
                "@dynamic does not take a plugin task_config "
                f"({type(bound['task_config']).__name__})",
                code="CT940",
                param="task_config",
                param_kind="option",
                hint="call the plugin task from the dynamic body instead",
            )
    except DefinitionError as err:
        raise err.with_context(location=caller_location()[0]) from None

    def make(task_config: Any, task_function: Callable[..., Any], **kwargs: Any) -> DynamicTask:
        return DynamicTask(task_config, task_function, node_dependency_hints=hints, **kwargs)

    return function_task_decorator(make, _task_function, bound)  # type: ignore[arg-type]
