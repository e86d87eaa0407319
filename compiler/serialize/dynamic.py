"""``compile_dynamic_job``: the ``DynamicJobSpec`` a dynamic task writes when it runs.

The body of a ``@dynamic`` task runs in its container with Python values as inputs
(:meth:`compiler.workflow.DynamicTask.build_job`); its nodes become a workflow that Flyte runs
next, written as ``futures.pb`` the way flytekit 1.16's entrypoint writes it:

* ``nodes``: the body's nodes, their ids prefixed with ``d`` (``dn0``, ``dn1``, ...; flytekit
  compiles a dynamic body under the node prefix ``d``);
* ``outputs``: the output bindings; ``min_successes``: the number of nodes;
* ``tasks``: the template of every task the nodes run, at any depth (inside sub-workflows,
  branches and the workflows of launch plans), each once, in the order flytekit meets them
  (depth first, in node order);
* ``subworkflows``: the template of every local workflow the nodes call, at any depth, sorted
  by name, with their node ids prefixed too (flytekit compiles them inside the dynamic body).

Ids carry the project, domain and version of the running execution. A body that calls nothing
has no workflow to run: its outputs are written as a ``LiteralMap`` (``outputs.pb``) instead.
"""

from __future__ import annotations

import re
from typing import Any

from flyteidl.core import dynamic_job_pb2, literals_pb2
from flyteidl.core import workflow_pb2 as core_workflow_pb2

from compiler.errors import CompileErrors, CompileTasksError, ExecutionError, internal_error
from compiler.idl import EntityKind
from compiler.serialize.task import serialize_task
from compiler.serialize.workflow import _fill_node, _fill_template
from compiler.settings import SerializationSettings
from compiler.workflow import BranchNode

__all__ = ["DYNAMIC_NODE_PREFIX", "binding_literal", "compile_dynamic_job"]

#: The prefix flytekit gives node ids compiled inside a dynamic task.
DYNAMIC_NODE_PREFIX = "d"

#: Node ids the builder makes (``n3``, failure node ``fn0``): the ones that take the prefix.
#: A ``node_name`` override keeps its own id, as in flytekit.
_GENERATED_ID = re.compile(r"f?n\d+")


def binding_literal(data: literals_pb2.BindingData) -> literals_pb2.Literal:
    """The literal of a constant binding (a scalar, or collections and maps of them).

    Raises:
        CompileTasksError: CT890 for a promise (a body without nodes has none to return).
    """
    literal = literals_pb2.Literal()
    kind = data.WhichOneof("value")
    if kind == "scalar":
        literal.scalar.CopyFrom(data.scalar)
    elif kind == "collection":
        literal.collection.SetInParent()
        for item in data.collection.bindings:
            literal.collection.literals.append(binding_literal(item))
    elif kind == "map":
        literal.map.SetInParent()
        for key, item in data.map.bindings.items():
            literal.map.literals[key].CopyFrom(binding_literal(item))
    else:  # a promise: impossible without nodes (every input is a value)
        raise internal_error(f"a dynamic body without nodes returned a {kind} binding")
    return literal


def _tasks_of(nodes: list[Any], found: dict[str, Any], failure: Any = None) -> None:
    """Every task the nodes run, at any depth, first meeting first (flytekit's order)."""
    for node in [*nodes, *([failure] if failure is not None else [])]:
        if isinstance(node, BranchNode):
            _tasks_of(node.inner_nodes(), found)
            continue
        entity = node.entity
        kind = getattr(type(entity), "entity_kind", None)
        if kind is None and not hasattr(entity, "reference"):
            continue  # a gate: it runs no task
        if hasattr(entity, "reference"):
            if entity.reference_kind == EntityKind.TASK:
                raise ExecutionError(
                    f"the reference task {entity.name!r} is called in a dynamic body",
                    code="CT754",
                    hint="flytekit cannot embed a reference task in a dynamic workflow either: "
                    "call a reference launch plan, or a local task",
                )
            continue
        if kind == EntityKind.TASK:  # a map task's node runs its template: one task too
            found.setdefault(entity.name, entity)
        elif kind == EntityKind.WORKFLOW:
            _tasks_of(entity.nodes, found, getattr(entity, "failure_node", None))
        elif kind == EntityKind.LAUNCH_PLAN:
            workflow = entity.workflow
            _tasks_of(workflow.nodes, found, getattr(workflow, "failure_node", None))


def _prefixed(node_id: str, prefix: str) -> str:
    return prefix + node_id if _GENERATED_ID.fullmatch(node_id) else node_id


def _prefix_var(var: str, prefix: str) -> str:
    """A branch node's ``node.var`` name, with the node's id prefixed."""
    head, dot, tail = var.partition(".")
    return _prefixed(head, prefix) + dot + tail if dot else var


def _prefix_binding(data: literals_pb2.BindingData, prefix: str) -> None:
    kind = data.WhichOneof("value")
    if kind == "promise" and data.promise.node_id:
        data.promise.node_id = _prefixed(data.promise.node_id, prefix)
    elif kind == "collection":
        for item in data.collection.bindings:
            _prefix_binding(item, prefix)
    elif kind == "map":
        for item in data.map.bindings.values():
            _prefix_binding(item, prefix)


def _prefix_expression(expression: Any, prefix: str) -> None:
    kind = expression.WhichOneof("expr")
    if kind == "comparison":
        for operand in (expression.comparison.left_value, expression.comparison.right_value):
            if operand.WhichOneof("val") == "var":
                operand.var = _prefix_var(operand.var, prefix)
    elif kind == "conjunction":
        _prefix_expression(expression.conjunction.left_expression, prefix)
        _prefix_expression(expression.conjunction.right_expression, prefix)


def prefix_node(node: core_workflow_pb2.Node, prefix: str) -> None:
    """Prefix ``node``'s id and every node id it refers to, through its branches."""
    if node.id:
        node.id = _prefixed(node.id, prefix)
    upstream = [_prefixed(up, prefix) for up in node.upstream_node_ids]
    del node.upstream_node_ids[:]
    node.upstream_node_ids.extend(upstream)
    for binding in node.inputs:
        binding.var = _prefix_var(binding.var, prefix)
        _prefix_binding(binding.binding, prefix)
    if node.WhichOneof("target") == "array_node":  # the map task's node inside
        prefix_node(node.array_node.node, prefix)
        return
    if node.WhichOneof("target") != "branch_node":
        return
    if_else = node.branch_node.if_else
    blocks = [if_else.case, *if_else.other]
    for block in blocks:
        _prefix_expression(block.condition, prefix)
        prefix_node(block.then_node, prefix)
    if if_else.HasField("else_node"):
        prefix_node(if_else.else_node, prefix)


def _prefix_template(template: core_workflow_pb2.WorkflowTemplate, prefix: str) -> None:
    for node in template.nodes:
        prefix_node(node, prefix)
    for binding in template.outputs:
        _prefix_binding(binding.binding, prefix)
    if template.HasField("failure_node"):
        prefix_node(template.failure_node, prefix)


def _raise(errors: list[CompileTasksError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise CompileErrors(errors)


def compile_dynamic_job(
    task: Any, values: dict[str, Any], settings: SerializationSettings
) -> dynamic_job_pb2.DynamicJobSpec | literals_pb2.LiteralMap:
    """Run the body of the dynamic ``task`` with ``values`` and compile what it called.

    Args:
        task: A :class:`compiler.workflow.DynamicTask`.
        values: Its inputs as Python values.
        settings: The settings of the running execution (images, env, project, domain,
            version), as :func:`compiler.workflow.settings_from_transport` gives them.

    Returns:
        The ``DynamicJobSpec`` (``futures.pb``), or the outputs (``outputs.pb``) when the body
        called nothing.

    Raises:
        CompileTasksError: A problem of the body's calls (the user's).
        Exception: Whatever the body raised.
    """
    job = task.build_job(values)
    if not job.nodes:
        outputs = literals_pb2.LiteralMap()
        for name, data in job.output_bindings.items():
            outputs.literals[name].CopyFrom(binding_literal(data))
        return outputs
    spec = dynamic_job_pb2.DynamicJobSpec(min_successes=len(job.nodes))
    for node in job.nodes:
        target = spec.nodes.add()
        _fill_node(node, target, settings)
        prefix_node(target, DYNAMIC_NODE_PREFIX)
    for name, data in job.output_bindings.items():
        binding = spec.outputs.add(var=name)
        binding.binding.CopyFrom(data)
        _prefix_binding(binding.binding, DYNAMIC_NODE_PREFIX)
    tasks: dict[str, Any] = {}
    _tasks_of(job.nodes, tasks)
    for entity in tasks.values():
        spec.tasks.append(serialize_task(entity, settings).template)
    errors: list[CompileTasksError] = []
    for sub in job.sub_workflows():
        template = spec.subworkflows.add()
        _fill_template(sub, template, settings, errors)
        _prefix_template(template, DYNAMIC_NODE_PREFIX)
    _raise(errors)
    return spec
