"""The workflow being defined: turns entity calls into nodes and keeps every problem found.

``Task.__call__`` (and a workflow's) hands calls made inside a body to :meth:`add_call`
(see ``compiler.sdk.compose``). Problems of one call site (unknown or missing inputs,
bindings of the wrong type) are collected, so one import reports all of them.
"""

from __future__ import annotations

from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import CompileTasksError, SourceLocation, WorkflowError
from compiler.idl import EntityKind
from compiler.sdk import caller_location
from compiler.workflow.bindings import BindingProblem, binding_data, promises_in
from compiler.workflow.node import Node
from compiler.workflow.promise import Promise, VoidPromise, node_outputs

__all__ = ["WorkflowBuilder"]

_CALLABLE_KINDS = (EntityKind.TASK, EntityKind.WORKFLOW)


class WorkflowBuilder:
    """Collects the nodes, input promises and errors of one workflow body.

    Args:
        name: The workflow's name (used in errors).
        inputs: The workflow's input name -> type hint.
    """

    def __init__(self, name: str, inputs: dict[str, Any]) -> None:
        self.name = name
        self.nodes: list[Node] = []
        self.errors: list[CompileTasksError] = []
        self.inputs = {var: Promise(self, None, var, hint) for var, hint in inputs.items()}

    def error(
        self, message: str, code: str, hint: str, location: SourceLocation | None, **kw: Any
    ) -> None:
        """Keep a problem of this body (raised together when the body ends)."""
        self.errors.append(
            WorkflowError(
                message, code=code, hint=hint, location=location, workflow=self.name, **kw
            )
        )

    def add_call(self, entity: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Add a node calling ``entity`` with ``kwargs``; return its promises."""
        location = caller_location()[0] or SourceLocation("<unknown>")
        if getattr(entity, "entity_kind", None) not in _CALLABLE_KINDS:
            raise WorkflowError(
                f"{entity!r} is not a task or workflow and cannot be a node",
                code="CT911",
                hint="call tasks (@task) and workflows (@workflow) inside a workflow body",
                location=location,
                workflow=self.name,
            )
        node = Node(self, f"n{len(self.nodes)}", entity, location)
        self.nodes.append(node)
        where = {"location": location, "node": node.id, "task": entity.name}
        if args:
            self.error(
                f"{len(args)} positional argument(s) in a workflow call",
                "CT901",
                "pass every input by name, e.g. t(x=x)",
                **where,
            )
        self._bind(node, kwargs, where)
        return self._outputs(node)

    def _bind(self, node: Node, kwargs: dict[str, Any], where: dict[str, Any]) -> None:
        interface = node.entity.python_interface
        for name in kwargs:
            if name not in interface.inputs:
                self.error(
                    "unknown input",
                    "CT901",
                    f"the inputs are: {', '.join(interface.inputs) or '(none)'}",
                    param=name,
                    **where,
                )
        for name, hint in interface.inputs.items():
            if name in kwargs:
                value = kwargs[name]
            elif name in interface.defaults:
                value = interface.defaults[name]
            else:
                self.error("missing input", "CT902", f"pass {name}=...", param=name, **where)
                continue
            try:
                node.bindings[name] = binding_data(value, hint, self)
            except BindingProblem as problem:
                self.error(problem.message, "CT903", problem.hint, param=name, **where)
                continue
            node.values[name] = value
            for promise in promises_in(value):
                if promise.node is not None:
                    node.run_after(promise.node)

    def _outputs(self, node: Node) -> Any:
        interface = node.entity.python_interface
        if not interface.outputs:
            return VoidPromise(node)
        promises = [Promise(self, node, var, hint) for var, hint in interface.outputs.items()]
        return node_outputs(promises, interface.output_tuple_name)

    def bind_outputs(
        self, result: Any, outputs: dict[str, Any], location: SourceLocation
    ) -> dict[str, literals_pb2.BindingData]:
        """The workflow's output bindings from what its body returned (problems kept)."""
        if not outputs:
            if result is not None and not isinstance(result, VoidPromise):
                self.error(
                    f"the workflow declares no outputs but returned {result!r}",
                    "CT906",
                    "add a return type hint, or return nothing",
                    location,
                )
            return {}
        values = (result,) if len(outputs) == 1 else result
        if not isinstance(values, tuple) or len(values) != len(outputs):
            self.error(
                f"the workflow declares {len(outputs)} output(s) but returned {result!r}",
                "CT906",
                "return one value (promise or constant) per declared output",
                location,
            )
            return {}
        bindings = {}
        for (var, hint), value in zip(outputs.items(), values, strict=True):
            try:
                bindings[var] = binding_data(value, hint, self)
            except BindingProblem as problem:
                self.error(
                    problem.message,
                    "CT903",
                    problem.hint,
                    location,
                    param=var,
                    param_kind="output",
                )
        return bindings

    def check_node_ids(self) -> None:
        """Two nodes with the same id (a ``node_name`` override) are an error (CT909)."""
        seen: dict[str, Node] = {}
        for node in self.nodes:
            if node.id in seen:
                self.error(
                    f"two nodes have the id {node.id!r}",
                    "CT909",
                    "give each node_name override a different name",
                    node.location,
                    node=node.id,
                )
            seen[node.id] = node
