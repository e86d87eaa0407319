"""``Workflow(name=...)``: a workflow built call by call instead of from a function body.

``add_workflow_input`` gives a promise, ``add_entity`` adds a node (returning it: its outputs
are ``node.outputs[name]`` or ``node.name``), ``add_workflow_output`` binds an output,
``add_on_failure_handler`` sets the failure node (``efn``). Each
call reports its problems at once (the same ``CT9xx`` errors as a function body). The result
compiles like a ``@workflow``: ``WorkflowSpec`` (without a description) and default launch
plan, and runs locally when called outside a workflow body.
"""

from __future__ import annotations

from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import CompileErrors, DefinitionError, SourceLocation, WorkflowError
from compiler.idl import EntityKind
from compiler.sdk import Interface, active_builder, building, caller_location
from compiler.workflow.bindings import BindingProblem, binding_data
from compiler.workflow.builder import WorkflowBuilder, collect_sub_workflows
from compiler.workflow.launchable import Launchable
from compiler.workflow.node import Node
from compiler.workflow.promise import Promise, node_result
from compiler.workflow.workflow import WorkflowFailurePolicy, checked_policy

__all__ = ["Workflow", "create_node"]


class Workflow(Launchable):
    """An imperative workflow (flytekit's ``Workflow`` / ``ImperativeWorkflow``).

    Args:
        name: The entity name, verbatim.
        failure_policy: ``WorkflowFailurePolicy`` (default ``FAIL_IMMEDIATELY``).
        interruptible: Default ``interruptible`` of its nodes.
    """

    entity_kind = EntityKind.WORKFLOW

    def __init__(
        self,
        name: str,
        failure_policy: WorkflowFailurePolicy | None = None,
        interruptible: bool = False,
    ) -> None:
        location, module = caller_location()
        self._location = location or SourceLocation("<unknown>")
        if not isinstance(name, str) or not name:
            raise DefinitionError(
                f"Workflow(name=...) needs a non-empty str, got {name!r}",
                code="CT912",
                param="name",
                param_kind="option",
                location=self._location,
                hint='write Workflow(name="my_project.flows.nightly")',
            )
        if type(interruptible) is not bool:
            raise DefinitionError(
                f"interruptible must be True or False, got {interruptible!r}",
                code="CT912",
                param="interruptible",
                param_kind="option",
                location=self._location,
                hint="write interruptible=True",
            )
        self.name = name
        self.instantiated_in = module
        self.failure_policy = checked_policy(failure_policy)
        self.interruptible: bool | None = interruptible or None
        self.python_interface = Interface()
        self.docs = None
        self.failure_node: Node | None = None
        self.output_bindings: dict[str, literals_pb2.BindingData] = {}
        self._builder = WorkflowBuilder(name, {})
        self._outputs: list[Any] = []

    @property
    def location(self) -> SourceLocation:
        """The line of the ``Workflow(...)`` call."""
        return self._location

    @property
    def nodes(self) -> list[Any]:
        """The nodes in the order they were added."""
        return self._builder.nodes

    @property
    def _output_values(self) -> Any:
        """What the outputs are bound to (the local runner reads it like a body's return)."""
        return self._outputs[0] if len(self._outputs) == 1 else tuple(self._outputs)

    def sub_workflows(self) -> list[Any]:
        """Every workflow its nodes call, directly or below, once each, sorted by name."""
        return collect_sub_workflows(self.nodes, self.failure_node)

    def _raise_kept(self) -> None:
        errors, self._builder.errors = self._builder.errors, []
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise CompileErrors(errors)

    def add_workflow_input(self, input_name: str, python_type: Any) -> Promise:
        """Declare an input; returns the promise of its value."""
        if input_name in self.python_interface.inputs:
            raise self._error(
                f"input {input_name!r} is declared twice", "CT919", input_name, "input"
            )
        self.python_interface.inputs[input_name] = python_type
        promise = Promise(self._builder, None, input_name, python_type)
        self._builder.inputs[input_name] = promise
        return promise

    def add_entity(self, entity: Any, **kwargs: Any) -> Node:
        """Add a node calling ``entity`` (task, workflow or launch plan) with ``kwargs``."""
        count = len(self.nodes)
        with building(self._builder):
            result = self._builder.add_call(entity, (), kwargs)
        if self._builder.errors:
            del self.nodes[count:]  # a refused call adds no node
            self._raise_kept()
        return node_result(result)  # type: ignore[no-any-return]

    add_task = add_subwf = add_launch_plan = add_entity

    def add_on_failure_handler(self, entity: Any) -> Node:
        """Run ``entity`` (a task or workflow) when the workflow fails: the failure node ``efn``.

        It takes the workflow's inputs of the same names (declare them first); further inputs
        must be ``Optional`` (CT918 otherwise), as flytekit requires.
        """
        location = caller_location()[0] or self._location
        node = self._builder.failure_node(entity, location)
        self._raise_kept()
        assert node is not None  # refused handlers raised above
        node.id = "efn"  # flytekit's id for an imperative workflow's failure node
        self.failure_node = node
        return node

    def add_workflow_output(self, output_name: str, p: Any, python_type: Any | None = None) -> None:
        """Bind output ``output_name`` to ``p`` (a promise, or lists/dicts of them).

        ``python_type`` is required unless ``p`` is one promise (its type is used).
        """
        if output_name in self.python_interface.outputs:
            raise self._error(
                f"output {output_name!r} is declared twice", "CT919", output_name, "output"
            )
        if python_type is None:
            if not isinstance(p, Promise):
                raise self._error(
                    f"output {output_name!r} needs python_type= (it is not one promise)",
                    "CT919",
                    output_name,
                    "output",
                )
            python_type = p.hint
        try:
            data = binding_data(p, python_type, self._builder)
        except BindingProblem as problem:
            raise WorkflowError(
                problem.message,
                code="CT903",
                hint=problem.hint,
                location=caller_location()[0],
                workflow=self.name,
                param=output_name,
                param_kind="output",
            ) from None
        self.python_interface.outputs[output_name] = python_type
        self.output_bindings[output_name] = data
        self._outputs.append(p)

    def _error(self, message: str, code: str, param: str, kind: str) -> WorkflowError:
        return WorkflowError(
            message,
            code=code,
            hint="give every input and output its own name; pass python_type= for a list "
            "or dict of promises",
            location=caller_location()[0],
            workflow=self.name,
            param=param,
            param_kind=kind,
        )

    def __repr__(self) -> str:
        return f"Workflow(name={self.name!r})"


def create_node(entity: Any, *args: Any, **kwargs: Any) -> Node:
    """Call ``entity`` inside a workflow body and return its node (not its promises).

    The node's outputs are ``node.outputs["o0"]`` or ``node.o0``; ``a >> b`` orders nodes.
    """
    builder = active_builder()
    if builder is None:
        location = caller_location()[0]
        raise WorkflowError(
            f"create_node({getattr(entity, 'name', entity)!r}) outside a workflow body",
            code="CT917",
            hint="call create_node inside an @workflow function (or use Workflow.add_entity)",
            location=location,
        )
    return node_result(builder.add_call(entity, args, kwargs))  # type: ignore[no-any-return]
