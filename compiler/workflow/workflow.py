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
from typing import TYPE_CHECKING, Any, TypeVar, overload

from flyteidl.core import literals_pb2

from compiler.errors import (
    CompileErrors,
    CompileTasksError,
    DefinitionError,
    SourceLocation,
    WorkflowError,
)
from compiler.idl import EntityKind
from compiler.memo import cached_attribute
from compiler.sdk import (
    Documentation,
    Interface,
    building,
    definition_context,
    function_location,
    interface_from_function,
)
from compiler.signals import raise_signal_interruption
from compiler.workflow.builder import WorkflowBuilder, body_error, collect_sub_workflows
from compiler.workflow.launchable import Launchable, checked_default_options
from compiler.workflow.node import Node

__all__ = ["PythonFunctionWorkflow", "WorkflowFailurePolicy", "checked_policy", "workflow"]

if TYPE_CHECKING:
    from compiler.workflow.launch_options import Options

F = TypeVar("F", bound=Callable[..., Any])


class WorkflowFailurePolicy(enum.IntEnum):
    """What a workflow does when a node fails (``WorkflowMetadata.on_failure``)."""

    FAIL_IMMEDIATELY = 0
    FAIL_AFTER_EXECUTABLE_NODES_COMPLETE = 1


class PythonFunctionWorkflow(Launchable):
    """A workflow defined by a decorated function.

    Attributes:
        name: ``module.function``.
        python_interface: Inputs (with defaults), outputs and docstring of the function.
        nodes: The nodes in call order.
        output_bindings: Output name -> binding data.
        failure_policy: The ``on_failure`` policy.
        failure_node: The node run when the workflow fails (``on_failure=``), or ``None``.
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
        on_failure: Any = None,
        default_options: Options | None = None,
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
            self.failure_policy = checked_policy(failure_policy)
            if interruptible is not None and type(interruptible) is not bool:
                raise DefinitionError(
                    f"interruptible must be True, False or None, got {interruptible!r}",
                    code="CT912",
                    param="interruptible",
                    param_kind="option",
                    hint="write interruptible=True",
                )
            self.interruptible = interruptible
            self.default_options = checked_default_options(default_options)
            self.python_interface: Interface = interface_from_function(workflow_function)
        self._user_docs = docs
        self.nodes: list[Node] = []
        self.failure_node: Node | None = None
        self.output_bindings: dict[str, literals_pb2.BindingData] = {}
        self._output_values: Any = None
        self._compile(on_failure)
        functools.update_wrapper(self, workflow_function)  # type: ignore[arg-type]

    @property
    def location(self) -> SourceLocation:
        """The ``def`` line of the function."""
        return self._location

    @property
    def workflow_function(self) -> Callable[..., Any]:
        """The decorated function."""
        return self._function

    @cached_attribute
    def docs(self) -> Documentation:
        """The docstring's summary and body; ``docs=`` fills what the docstring lacks."""
        parsed = self.python_interface.parsed_docstring
        given = self._user_docs
        if given is None:  # flytekit writes the long description's format even without text
            return Documentation(parsed.short_description, parsed.long_description or "")
        return Documentation(
            short_description=parsed.short_description or given.short_description,
            long_description=parsed.long_description or given.long_description,
            source_code=given.source_code,
        )

    def sub_workflows(self) -> list[Any]:
        """Every workflow called by a node, directly or below, once each, sorted by name."""
        return collect_sub_workflows(self.nodes, self.failure_node)

    def _compile(self, on_failure: Any) -> None:
        builder = WorkflowBuilder(self.name, self.python_interface.inputs)
        if on_failure is not None:
            self.failure_node = builder.failure_node(on_failure, self._location)
        with building(builder):
            try:
                result = self._function(**builder.inputs)
            except WorkflowError as err:
                builder.errors.append(err)
                result = None
                failed = True
            except CompileTasksError:
                raise  # a definition error of something the body created: its own report
            except Exception as exc:
                raise_signal_interruption(exc)  # a Ctrl-C Python handed on (signals)
                builder.errors.append(body_error(self.name, exc, self._location))
                result = None
                failed = True
            else:
                failed = False
        if not failed:
            try:
                self.output_bindings = builder.bind_outputs(
                    result, self.python_interface.outputs, self._location
                )
            except WorkflowError as err:
                builder.errors.append(err)
            self._output_values = result
        builder.check_finished()
        builder.check_node_ids()
        self.nodes = builder.nodes
        if len(builder.errors) == 1:
            raise builder.errors[0]
        if builder.errors:
            raise CompileErrors(builder.errors)

    def __repr__(self) -> str:
        return f"PythonFunctionWorkflow(name={self.name!r})"


def checked_policy(policy: Any) -> WorkflowFailurePolicy:
    """``policy``, or the default when ``None`` (CT912 for anything else)."""
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
    on_failure: Any = None,
    default_options: Options | None = None,
) -> Any:
    """Declare a workflow: bare ``@workflow`` or ``@workflow(failure_policy=..., ...)``.

    Args:
        _workflow_function: The function (bare use).
        failure_policy: ``WorkflowFailurePolicy`` (default ``FAIL_IMMEDIATELY``).
        interruptible: Default ``interruptible`` of the workflow's nodes.
        docs: A ``Documentation`` filling what the docstring does not say.
        on_failure: A task or workflow run when the workflow fails (the failure node), given
            the workflow's inputs of the same names.
        default_options: ``Options`` whose labels and annotations the default launch plan
            carries (flytekit applies only those two; other fields are refused, CT912).

    Returns:
        The workflow, or a decorator making one.
    """

    def wrapper(fn: Callable[..., Any]) -> PythonFunctionWorkflow:
        return PythonFunctionWorkflow(
            fn,
            failure_policy=failure_policy,
            interruptible=interruptible,
            docs=docs,
            on_failure=on_failure,
            default_options=default_options,
        )

    if _workflow_function is not None:
        return wrapper(_workflow_function)
    return wrapper
