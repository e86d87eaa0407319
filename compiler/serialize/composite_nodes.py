"""The nodes that do not simply run an entity: a map task's ``array_node`` and ``gate_node``\\ s.

As flytekit 1.16 writes them (``serialize_workflow`` calls these for the nodes whose entity is
a ``compiler.workflow`` map task template or gate):

* array node: the outer node's metadata is the map task's name only; ``array_node.node`` is a
  task node whose id is the map task's name, whose metadata is the mapped task's (retries,
  timeout, interruptible) under the map task's name, changed by the node's ``with_overrides``
  (name, retries, timeout, interruptible, cache), with the same input bindings and the node's
  resource and image overrides; then ``parallelism``, ``min_success_ratio``
  (or ``min_successes`` when no ratio was given), ``execution_mode``,
  ``is_original_sub_node_interface`` (always written: false), sorted ``bound_inputs`` and
  ``run_all_sub_nodes``.
* gate node: metadata name and timeout; ``sleep.duration``, ``approve.signal_id`` or
  ``signal`` (``signal_id``, ``type``, ``output_variable_name`` ``o0``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flyteidl.core import workflow_pb2 as core_workflow_pb2

from compiler.idl import EntityKind
from compiler.settings import SerializationSettings

__all__ = ["fill_composite_metadata", "fill_composite_node", "is_composite"]

#: ``entity_identifier(target, kind, name, settings)`` of ``compiler/serialize/workflow.py``.
Identify = Callable[[Any, EntityKind, str, SerializationSettings], None]
#: ``_fill_overrides(node, target)`` of ``compiler/serialize/workflow.py``.
Overrides = Callable[[Any, core_workflow_pb2.TaskNodeOverrides], None]
#: ``_node_metadata(node, target)`` of ``compiler/serialize/workflow.py``: a task node's
#: metadata (the task's retries, timeout and interruptible, with the node's overrides).
Metadata = Callable[[Any, core_workflow_pb2.NodeMetadata], None]


def _is_gate(entity: Any) -> bool:
    return bool(getattr(type(entity), "gate_node", False))


def _is_array(entity: Any) -> bool:
    return bool(getattr(type(entity), "array_node_template", False))


def is_composite(node: Any) -> bool:
    """Whether ``node`` is written by this module (a gate, or a map task's array node)."""
    entity = getattr(node, "entity", None)
    return _is_gate(entity) or _is_array(entity)


def fill_composite_metadata(node: Any, target: core_workflow_pb2.NodeMetadata) -> None:
    """The outer node's metadata.

    A gate's: its name, its timeout, the node's own overrides. An array node's: only the map
    task's name; flytekit puts the node's overrides on the node inside (``array_node.node``).
    """
    target.retries.SetInParent()
    if _is_array(node.entity):
        target.name = node.entity.name
        return
    target.name = node.name
    timeout = node.timeout if node.timeout is not None else node.entity.timeout
    if timeout:
        target.timeout.FromTimedelta(timeout)
    if node.retries:
        target.retries.retries = node.retries
    if node.interruptible is not None:
        target.interruptible = node.interruptible


def _fill_gate(gate: Any, target: core_workflow_pb2.GateNode) -> None:
    if gate.kind == "sleep":
        target.sleep.duration.FromTimedelta(gate.duration)
    elif gate.kind == "approve":
        target.approve.signal_id = gate.name
    else:
        target.signal.signal_id = gate.name
        target.signal.type.CopyFrom(gate.literal_type)
        target.signal.output_variable_name = "o0"


def _fill_array(
    node: Any,
    target: core_workflow_pb2.Node,
    settings: SerializationSettings,
    identify: Identify,
    overrides: Overrides,
    metadata: Metadata,
) -> None:
    template = node.entity
    array = target.array_node
    inner = array.node
    inner.id = template.name
    metadata(node, inner.metadata)
    inner.inputs.extend(target.inputs)
    identify(inner.task_node.reference_id, EntityKind.TASK, template.name, settings)
    overrides(node, inner.task_node.overrides)
    if template.concurrency is not None:
        array.parallelism = template.concurrency
    if template.min_success_ratio is not None:
        array.min_success_ratio = template.min_success_ratio
    elif template.min_successes is not None:
        array.min_successes = template.min_successes
    array.execution_mode = template.execution_mode  # type: ignore[assignment]
    array.is_original_sub_node_interface.value = False
    array.is_original_sub_node_interface.SetInParent()
    array.bound_inputs.extend(sorted(template.bound_inputs))
    if getattr(node, "run_all_sub_nodes", False):
        array.run_all_sub_nodes = True


def fill_composite_node(
    node: Any,
    target: core_workflow_pb2.Node,
    settings: SerializationSettings,
    identify: Identify,
    overrides: Overrides,
    metadata: Metadata,
) -> None:
    """The ``gate_node`` or ``array_node`` of ``node`` (id, metadata and inputs already set)."""
    if _is_gate(node.entity):
        _fill_gate(node.entity, target.gate_node)
    else:
        _fill_array(node, target, settings, identify, overrides, metadata)
