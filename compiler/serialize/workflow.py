"""``serialize_workflow``: the ``WorkflowSpec`` of one workflow, as flytekit 1.16 writes it.

Not a closure: nodes refer to tasks by id, and every sub-workflow reached through the nodes is
inlined once into ``sub_workflows`` (sorted by name). Node inputs are sorted by name and
``upstream_node_ids`` are sorted (flytekit's order is random).
"""

from __future__ import annotations

from typing import Any

from flyteidl.admin import workflow_pb2
from flyteidl.core import identifier_pb2
from flyteidl.core import workflow_pb2 as core_workflow_pb2

from compiler.errors import CompileErrors, CompileTasksError
from compiler.idl import EntityKind
from compiler.proto import build_extended_resources, build_resources
from compiler.serialize.composite_nodes import (
    fill_composite_metadata,
    fill_composite_node,
    is_composite,
)
from compiler.serialize.description import fill_description
from compiler.serialize.interface import fill_interface
from compiler.settings import SerializationSettings
from compiler.workflow import BranchNode, expression_proto

__all__ = ["entity_identifier", "serialize_workflow"]


def entity_identifier(
    target: identifier_pb2.Identifier,
    kind: EntityKind,
    name: str,
    settings: SerializationSettings,
) -> None:
    """Fill ``target`` with the id of an entity: name, plus what the settings give."""
    target.resource_type = int(kind)  # type: ignore[assignment]
    target.name = name
    if settings.project:
        target.project = settings.project
    if settings.domain:
        target.domain = settings.domain
    if settings.version:
        target.version = settings.version


def _node_metadata(node: Any, target: core_workflow_pb2.NodeMetadata) -> None:
    entity = node.entity
    target.name = node.name
    target.retries.SetInParent()
    if hasattr(entity, "reference"):
        interruptible = None
        retries = node.retries
        timeout = node.timeout
    elif entity.entity_kind == EntityKind.WORKFLOW:
        interruptible = bool(entity.interruptible)
        retries = node.retries
        timeout = node.timeout
    elif entity.entity_kind == EntityKind.LAUNCH_PLAN:
        interruptible = False  # flytekit writes false on every launch-plan node
        retries = node.retries
        timeout = node.timeout
    else:
        interruptible = entity.metadata.interruptible
        retries = node.retries if node.retries is not None else entity.metadata.retries
        timeout = node.timeout if node.timeout is not None else entity.metadata.timeout
    if node.interruptible is not None:
        interruptible = node.interruptible
    if retries:
        target.retries.retries = retries
    if timeout:
        target.timeout.FromTimedelta(timeout)
    if interruptible is not None:
        target.interruptible = interruptible
    if node.cacheable is not None:
        target.cacheable = node.cacheable
    if node.cache_version is not None:
        target.cache_version = node.cache_version
    if node.cache_serializable is not None:
        target.cache_serializable = node.cache_serializable


def _fill_overrides(node: Any, target: core_workflow_pb2.TaskNodeOverrides) -> None:
    """``TaskNodeOverrides``: present on every local task node, with what was overridden."""
    target.SetInParent()
    if node.resources is not None:
        target.resources.CopyFrom(build_resources(*node.resources))
    if node.accelerator is not None:
        extended = build_extended_resources(node.accelerator.to_spec(), None)
        if extended is not None:
            target.extended_resources.CopyFrom(extended)
    if node.container_image is not None:
        target.container_image = node.container_image


def _fill_branch(
    node: Any, target: core_workflow_pb2.Node, settings: SerializationSettings
) -> None:
    """A branch node: its conditions, and the node (or error) of every case."""
    target.metadata.name = node.name
    target.metadata.retries.SetInParent()
    if_else = target.branch_node.if_else
    for index, case in enumerate(node.cases):
        if case.expr is None:
            if case.error is not None:
                if_else.error.failed_node_id = node.name
                if_else.error.message = case.error
            else:
                _fill_node(case.node, if_else.else_node, settings)
            continue
        block = if_else.case if index == 0 else if_else.other.add()
        expression_proto(case.expr, block.condition)
        _fill_node(case.node, block.then_node, settings)


def _fill_node(node: Any, target: core_workflow_pb2.Node, settings: SerializationSettings) -> None:
    target.id = node.id
    if isinstance(node, BranchNode):
        _fill_branch(node, target, settings)
    elif is_composite(node):
        fill_composite_metadata(node, target.metadata)
    else:
        _node_metadata(node, target.metadata)
    for name in sorted(node.bindings):
        binding = target.inputs.add()
        binding.var = name
        binding.binding.CopyFrom(node.bindings[name])
    target.upstream_node_ids.extend(sorted({up.id for up in node.upstream}))
    if isinstance(node, BranchNode):
        return
    if is_composite(node):  # a gate, or a map task's array node
        fill_composite_node(
            node, target, settings, entity_identifier, _fill_overrides, _node_metadata
        )
        return
    entity = node.entity
    if hasattr(entity, "reference"):  # a registered entity: its own id, no overrides
        if entity.reference_kind == EntityKind.LAUNCH_PLAN:
            target.workflow_node.launchplan_ref.CopyFrom(entity.reference.id)
        else:
            target.task_node.reference_id.CopyFrom(entity.reference.id)
    elif entity.entity_kind == EntityKind.WORKFLOW:
        ref = target.workflow_node.sub_workflow_ref
        entity_identifier(ref, EntityKind.WORKFLOW, entity.name, settings)
    elif entity.entity_kind == EntityKind.LAUNCH_PLAN:
        ref = target.workflow_node.launchplan_ref
        entity_identifier(ref, EntityKind.LAUNCH_PLAN, entity.name, settings)
    else:
        ref = target.task_node.reference_id
        entity_identifier(ref, EntityKind.TASK, entity.name, settings)
        _fill_overrides(node, target.task_node.overrides)


def _fill_template(
    workflow: Any,
    template: core_workflow_pb2.WorkflowTemplate,
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    entity_identifier(template.id, EntityKind.WORKFLOW, workflow.name, settings)
    template.metadata.SetInParent()
    if workflow.failure_policy:
        template.metadata.on_failure = int(workflow.failure_policy)  # type: ignore[assignment]
    template.metadata_defaults.SetInParent()
    if workflow.interruptible is not None:
        template.metadata_defaults.interruptible = workflow.interruptible
    fill_interface(template.interface, workflow, settings, errors)
    for node in workflow.nodes:
        _fill_node(node, template.nodes.add(), settings)
    for name, data in workflow.output_bindings.items():
        binding = template.outputs.add()
        binding.var = name
        binding.binding.CopyFrom(data)
    failure = getattr(workflow, "failure_node", None)
    if failure is not None:
        _fill_node(failure, template.failure_node, settings)


def serialize_workflow(workflow: Any, settings: SerializationSettings) -> workflow_pb2.WorkflowSpec:
    """The ``WorkflowSpec`` of ``workflow`` under ``settings`` (a pure function).

    Raises:
        CompileTasksError: The single problem found (an interface type without a literal
            type), with the workflow name and location filled in.
        CompileErrors: Several problems, sorted by location.
    """
    errors: list[CompileTasksError] = []
    spec = workflow_pb2.WorkflowSpec()
    _fill_template(workflow, spec.template, settings, errors)
    for sub in workflow.sub_workflows():
        _fill_template(sub, spec.sub_workflows.add(), settings, errors)
    if errors:
        for err in errors:
            err.with_context(task=workflow.name, location=workflow.location)
        if len(errors) == 1:
            raise errors[0]
        raise CompileErrors(errors)
    if workflow.docs is not None:  # imperative workflows have no description
        fill_description(spec.description, workflow.docs)
    return spec
