"""``@workflow``: a function whose body, run once with promises, defines a graph of nodes.

The body runs when the decorator is applied (at import). Every task or sub-workflow called in
it becomes a node (``n0``, ``n1``, ... in call order); what it returns becomes the workflow's
output bindings. Problems of the body are collected and raised together as ``CT9xx`` errors.
Calling the workflow outside a body runs it locally (:mod:`compiler.workflow.local`).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import Any, TypeVar, overload

from flyteidl.core import literals_pb2

from compiler.errors import CompileErrors, DefinitionError, SourceLocation, WorkflowError
from compiler.idl import EntityKind
from compiler.sdk import (
    Documentation,
    Interface,
    active_builder,
    building,
    definition_context,
    function_location,
    interface_from_function,
)
from compiler.workflow.builder import WorkflowBuilder
from compiler.workflow.launch_plan import LaunchPlan
from compiler.workflow.node import Node

__all__ = ["PythonFunctionWorkflow", "WorkflowFailurePolicy", "workflow"]

F = TypeVar("F", bound=Callable[..., Any])


class WorkflowFailurePolicy(enum.IntEnum):
    """What a workflow does when a node fails (``WorkflowMetadata.on_failure``)."""

    FAIL_IMMEDIATELY = 0
    FAIL_AFTER_EXECUTABLE_NODES_COMPLETE = 1


class PythonFunctionWorkflow:
    """A workflow defined by a decorated function.

    Attributes:
        name: ``module.function``.
        python_interface: Inputs (with defaults), outputs and docstring of the function.
        nodes: The nodes in call order.
        output_bindings: Output name -> binding data.
        failure_policy: The ``on_failure`` policy.
        interruptible: ``metadata_defaults.interruptible`` (``None``: not set).
    """

    entity_kind = EntityKind.WORKFLOW

    def __init__(
        self,
        workflow_function: Callable[..., Any],
        *,
        failure_policy: WorkflowFailurePolicy | None = None,
        interruptible: bool | None = None,
        docs: Documentation | None = None,
    ) -> None:
        if not callable(workflow_function) or not hasattr(workflow_function, "__code__"):
            raise DefinitionError(
                f"@workflow needs a function, got {workflow_function!r}",
                code="CT912",
                hint="decorate a 'def' function",
            )
        self._function = workflow_function
        self.name = f"{workflow_function.__module__}.{workflow_function.__name__}"
        self.instantiated_in = workflow_function.__module__
        self._location = function_location(workflow_function.__code__)
        with definition_context(self.name, lambda: self._location):
            self.failure_policy = _checked_policy(failure_policy)
            if interruptible is not None and type(interruptible) is not bool:
                raise DefinitionError(
                    f"interruptible must be True, False or None, got {interruptible!r}",
                    code="CT912",
                    param="interruptible",
                    param_kind="option",
                    hint="write interruptible=True",
                )
            self.interruptible = interruptible
            self.python_interface: Interface = interface_from_function(workflow_function)
        self._user_docs = docs
        self.nodes: list[Node] = []
        self.output_bindings: dict[str, literals_pb2.BindingData] = {}
        self._output_values: Any = None
        #: Named launch plans created for this workflow (``LaunchPlan.create`` adds them).
        self.named_launch_plans: list[LaunchPlan] = []
        self._compile()
        functools.update_wrapper(self, workflow_function)  # type: ignore[arg-type]

    @property
    def location(self) -> SourceLocation:
        """The ``def`` line of the function."""
        return self._location

    @property
    def workflow_function(self) -> Callable[..., Any]:
        """The decorated function."""
        return self._function

    @functools.cached_property
    def docs(self) -> Documentation:
        """The docstring's summary and body; ``docs=`` fills what the docstring lacks."""
        parsed = self.python_interface.parsed_docstring
        given = self._user_docs or Documentation()
        return Documentation(
            short_description=parsed.short_description or given.short_description,
            long_description=parsed.long_description or given.long_description,
        )

    @functools.cached_property
    def default_launch_plan(self) -> LaunchPlan:
        """The launch plan with the workflow's name and its defaults (one per workflow)."""
        return LaunchPlan(self.name, self, is_default=True)

    def companion_entities(self) -> list[LaunchPlan]:
        """What is compiled with the workflow: its default and its named launch plans."""
        return [self.default_launch_plan, *self.named_launch_plans]

    def referenced_entities(self) -> list[Any]:
        """The entities its nodes run, sub-workflows replaced by theirs (they are inlined)."""
        found: list[Any] = []
        for node in self.nodes:
            entity = node.entity
            if isinstance(entity, PythonFunctionWorkflow):
                found.extend(entity.referenced_entities())
            else:
                found.append(entity)
        return found

    def sub_workflows(self) -> list[PythonFunctionWorkflow]:
        """Every workflow called by a node, directly or below, once each, sorted by name."""
        found: dict[str, PythonFunctionWorkflow] = {}
        for node in self.nodes:
            if isinstance(node.entity, PythonFunctionWorkflow):
                found.setdefault(node.entity.name, node.entity)
                for sub in node.entity.sub_workflows():
                    found.setdefault(sub.name, sub)
        return [found[name] for name in sorted(found)]

    def _compile(self) -> None:
        builder = WorkflowBuilder(self.name, self.python_interface.inputs)
        with building(builder):
            try:
                result = self._function(**builder.inputs)
            except WorkflowError as err:
                builder.errors.append(err)
                result = None
                failed = True
            else:
                failed = False
        if not failed:
            self.output_bindings = builder.bind_outputs(
                result, self.python_interface.outputs, self._location
            )
            self._output_values = result
        builder.check_node_ids()
        self.nodes = builder.nodes
        if len(builder.errors) == 1:
            raise builder.errors[0]
        if builder.errors:
            raise CompileErrors(builder.errors)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """A node of the enclosing workflow inside a body; else run locally."""
        builder = active_builder()
        if builder is not None:
            return builder.add_call(self, args, kwargs)
        from compiler.workflow.local import run_workflow

        return run_workflow(self, args, kwargs)

    def __repr__(self) -> str:
        return f"PythonFunctionWorkflow(name={self.name!r})"


def _checked_policy(policy: Any) -> WorkflowFailurePolicy:
    if policy is None:
        return WorkflowFailurePolicy.FAIL_IMMEDIATELY
    if not isinstance(policy, WorkflowFailurePolicy):
        raise DefinitionError(
            f"failure_policy must be a WorkflowFailurePolicy, got {policy!r}",
            code="CT912",
            param="failure_policy",
            param_kind="option",
            hint="write failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE",
        )
    return policy


@overload
def workflow(_workflow_function: F) -> PythonFunctionWorkflow: ...


@overload
def workflow(
    _workflow_function: None = None, **options: Any
) -> Callable[[F], PythonFunctionWorkflow]: ...


def workflow(
    _workflow_function: Callable[..., Any] | None = None,
    *,
    failure_policy: WorkflowFailurePolicy | None = None,
    interruptible: bool | None = None,
    docs: Documentation | None = None,
) -> Any:
    """Declare a workflow: bare ``@workflow`` or ``@workflow(failure_policy=..., ...)``.

    Args:
        _workflow_function: The function (bare use).
        failure_policy: ``WorkflowFailurePolicy`` (default ``FAIL_IMMEDIATELY``).
        interruptible: Default ``interruptible`` of the workflow's nodes.
        docs: A ``Documentation`` filling what the docstring does not say.

    Returns:
        The workflow, or a decorator making one.
    """

    def wrapper(fn: Callable[..., Any]) -> PythonFunctionWorkflow:
        return PythonFunctionWorkflow(
            fn, failure_policy=failure_policy, interruptible=interruptible, docs=docs
        )

    if _workflow_function is not None:
        return wrapper(_workflow_function)
    return wrapper
