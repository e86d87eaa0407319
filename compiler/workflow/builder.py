"""The workflow being defined: turns entity calls into nodes and keeps every problem found.

``Task.__call__`` (and a workflow's) hands calls made inside a body to :meth:`add_call`
(see ``compiler.sdk.compose``). Problems of one call site (unknown or missing inputs,
bindings of the wrong type) are collected, so one import reports all of them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import CompileTasksError, SourceLocation, WorkflowError
from compiler.idl import EntityKind
from compiler.sdk import caller_location
from compiler.workflow.bindings import BindingProblem, binding_data, promises_in
from compiler.workflow.node import Node
from compiler.workflow.promise import Promise, VoidPromise, node_outputs

__all__ = [
    "Scope",
    "WorkflowBuilder",
    "body_error",
    "collect_sub_workflows",
    "walk_nodes",
]

_CALLABLE_KINDS = (EntityKind.TASK, EntityKind.WORKFLOW, EntityKind.LAUNCH_PLAN)
#: What ``on_failure=`` may run (flytekit has no launch-plan failure nodes).
_FAILURE_KINDS = (EntityKind.TASK, EntityKind.WORKFLOW)


@dataclass
class Scope:
    """Where new nodes go: the workflow itself, or the conditional being written.

    Each scope numbers its own nodes ``n0``, ``n1``, ... (flytekit's ids inside a branch node
    start again at ``n0``; they only need to be unique among their siblings).

    Attributes:
        nodes: Its nodes, in call order.
        owner: The conditional section (``None`` for the workflow).
    """

    nodes: list[Any] = field(default_factory=list)
    owner: Any = None


def walk_nodes(nodes: list[Any]) -> list[Any]:
    """``nodes`` and, depth first, every node inside their branches."""
    found = []
    for node in nodes:
        found.append(node)
        # Asked of the class: a plain ``Node`` answers a missing attribute with its output
        # promises, and builds an error message (with its repr) for every name it lacks.
        inner = getattr(type(node), "inner_nodes", None)
        if inner is not None:
            found += walk_nodes(inner(node))
    return found


def _is_optional(hint: Any) -> bool:
    """Whether ``hint`` is ``Optional[...]`` / ``X | None``."""
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in (
        typing.get_args(hint)
    )


def _callable_kind(entity: Any) -> Any:
    """The kind of a callable entity: its ``entity_kind``, or a reference's ``reference_kind``."""
    kind = getattr(type(entity), "entity_kind", None)
    return kind if kind is not None else getattr(type(entity), "reference_kind", None)


def collect_sub_workflows(nodes: list[Any], failure_node: Any = None) -> list[Any]:
    """Every local workflow the nodes (and the failure node) call, at any depth, by name.

    Reference workflows are not inlined (they have no nodes here).
    """
    found: dict[str, Any] = {}
    extra = [failure_node] if failure_node is not None else []
    for node in walk_nodes(nodes) + extra:
        entity = getattr(node, "entity", None)
        if entity is None or getattr(entity, "entity_kind", None) != EntityKind.WORKFLOW:
            continue
        if not hasattr(type(entity), "sub_workflows"):
            continue
        found.setdefault(entity.name, entity)
        for sub in entity.sub_workflows():
            found.setdefault(sub.name, sub)
    return [found[name] for name in sorted(found)]


def body_error(workflow: str, exc: BaseException, fallback: SourceLocation) -> WorkflowError:
    """CT923: the body raised a plain exception (a helper that cannot take promises, ...).

    The location is the deepest frame of the traceback in the workflow's own file, so the
    message points at the line of the body that failed.
    """
    location = fallback
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == fallback.file:
            location = SourceLocation(fallback.file, tb.tb_lineno)
        tb = tb.tb_next
    return WorkflowError(
        f"the body raised {type(exc).__name__}: {exc}",
        code="CT923",
        hint="a workflow body runs once, at import, with promises in place of values: call "
        "tasks, workflows and launch plans with keyword arguments there, and compute on "
        "values inside a task",
        location=location,
        workflow=workflow,
    )


def _returns_several(result: Any) -> bool:
    """A plain tuple of results (``return a, b``), not one tuple-typed value."""
    return type(result) is tuple and len(result) > 1 and bool(promises_in(result))


def _is_optional(hint: Any) -> bool:
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    origin = typing.get_origin(hint)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def _failure_inputs_problem(handler: dict[str, Any], workflow: dict[str, Any]) -> str | None:
    """Why a failure handler's inputs do not fit the workflow's, or ``None``."""
    missing = [name for name in workflow if name not in handler]
    if missing:
        return f"does not take the workflow input(s) {', '.join(missing)}"
    for name, promise in workflow.items():
        if handler[name] != promise.hint:
            return f"takes input {name!r} as {handler[name]!r}, the workflow as {promise.hint!r}"
    extra = [name for name in handler if name not in workflow and not _is_optional(handler[name])]
    if extra:
        return f"has input(s) {', '.join(extra)} that the workflow lacks and that are not Optional"
    return None


class WorkflowBuilder:
    """Collects the nodes, input promises and errors of one workflow body.

    Args:
        name: The workflow's name (used in errors).
        inputs: The workflow's input name -> type hint.
    """

    def __init__(self, name: str, inputs: dict[str, Any]) -> None:
        self.name = name
        self._scopes = [Scope()]
        self.nodes: list[Any] = self._scopes[0].nodes
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
        add_to = getattr(type(entity), "add_to", None)  # a use of a map task (map_task.py)
        if add_to is not None:
            return add_to(entity, self, args, kwargs)
        location = caller_location()[0] or SourceLocation("<unknown>")
        gate = getattr(type(entity), "gate_node", False)  # compiler.workflow.gate
        if _callable_kind(entity) not in _CALLABLE_KINDS and not gate:
            raise WorkflowError(
                f"{entity!r} is not a task, workflow or launch plan and cannot be a node",
                code="CT911",
                hint="call tasks (@task), workflows (@workflow) and launch plans inside a "
                "workflow body",
                location=location,
                workflow=self.name,
            )
        if getattr(type(entity), "reference_kind", None) == EntityKind.WORKFLOW:
            raise WorkflowError(
                f"the reference workflow {entity.name!r} cannot be a node",
                code="CT921",
                hint="flytekit refuses reference sub-workflows too: call a task, a local "
                "workflow, or (on the cluster) a launch plan of the registered workflow",
                location=location,
                workflow=self.name,
            )
        scope = self._scopes[-1]
        node = Node(self, f"n{len(scope.nodes)}", entity, location)
        scope.nodes.append(node)
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

    def failure_node(self, entity: Any, location: SourceLocation) -> Node | None:
        """The ``fn0`` node running ``entity`` when the workflow fails (``None``: refused).

        It takes every input of the workflow, with the same type, and binds it to the workflow's
        input of that name; further inputs must be ``Optional`` (CT918 otherwise, as flytekit
        refuses such a handler at serialization).
        """
        if _callable_kind(entity) not in _FAILURE_KINDS:
            self.error(
                f"on_failure={entity!r} is not a task or workflow",
                "CT918",
                "pass a @task or @workflow taking (some of) the workflow's inputs by name",
                location,
                param="on_failure",
                param_kind="option",
            )
            return None
        problem = _failure_inputs_problem(entity.python_interface.inputs, self.inputs)
        if problem is not None:
            self.error(
                f"on_failure={entity.name!r} {problem}",
                "CT918",
                "a failure handler takes every input of the workflow, with the same types "
                "(and may add Optional ones), as flytekit requires",
                location,
                param="on_failure",
                param_kind="option",
            )
            return None
        node = Node(self, "fn0", entity, location)
        kwargs = {
            name: promise
            for name, promise in self.inputs.items()
            if name in entity.python_interface.inputs
        }
        self._bind(node, kwargs, {"location": location, "node": node.id, "task": entity.name})
        return node

    def open_scope(self, owner: Any) -> Scope:
        """Start the scope of a conditional: the nodes of its cases."""
        scope = Scope([], owner)
        self._scopes.append(scope)
        return scope

    def close_scope(self, owner: Any, make_node: Callable[[str], Any]) -> Any:
        """End the scope of ``owner``; add the node ``make_node(node_id)`` to the parent."""
        if self._scopes[-1].owner is not owner:
            raise WorkflowError(
                f"conditional {owner.name!r} ends while a conditional inside it is unfinished",
                code="CT913",
                hint="end every conditional with else_().then(...) or else_().fail(...)",
                location=owner.location,
                workflow=self.name,
            )
        self._scopes.pop()
        parent = self._scopes[-1]
        node = make_node(f"n{len(parent.nodes)}")
        parent.nodes.append(node)
        return node

    def check_finished(self) -> None:
        """A conditional left without its else_() is an error (CT913); its scope is closed."""
        while len(self._scopes) > 1:
            owner = self._scopes.pop().owner
            if not getattr(owner, "reported", False):
                self.error(
                    f"conditional {owner.name!r} has no else_()",
                    "CT913",
                    'end it with .else_().then(...) or .else_().fail("message")',
                    owner.location,
                    node=owner.name,
                )

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
            elif _is_optional(hint):
                value = None  # flytekit binds None to a left-out Optional input
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
        node.promises = {p.var: p for p in promises}
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
        several = len(outputs) == 1 and _returns_several(result)
        if several or not isinstance(values, tuple) or len(values) != len(outputs):
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
            except WorkflowError as err:
                # Outputs are bound after the body ended: point at the conditional's own line.
                section = getattr(value, "section", None)
                err.location = getattr(section, "location", None) or err.location
                raise
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
        """Two nodes of the workflow with the same id (``node_name`` overrides): CT909."""
        seen: dict[str, Any] = {}
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
