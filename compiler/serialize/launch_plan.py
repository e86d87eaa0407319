"""``serialize_default_launch_plan``: a workflow's default ``LaunchPlan`` (WIRE-FORMAT 17).

It has the workflow's name, refers to the workflow, and carries every workflow input as a
parameter: ``required`` without a default, else the default's literal. The placeholders
flytekit always writes (``entity_metadata``, ``fixed_inputs``, ``labels``, ``annotations``,
``raw_output_data_config`` and the closure's expected inputs/outputs) are set but empty.
"""

from __future__ import annotations

from typing import Any

from flyteidl.admin import launch_plan_pb2
from flyteidl.core import interface_pb2

from compiler.errors import CompileErrors, CompileTasksError
from compiler.idl import EntityKind
from compiler.serialize.interface import fill_interface
from compiler.serialize.workflow import entity_identifier
from compiler.settings import SerializationSettings
from compiler.types import default_engine

__all__ = ["serialize_default_launch_plan"]


def _fill_parameters(
    spec: launch_plan_pb2.LaunchPlanSpec,
    workflow: Any,
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    spec.default_inputs.SetInParent()
    interface = workflow.python_interface
    if not interface.inputs:
        return
    variables = interface_pb2.TypedInterface()
    fill_interface(variables, workflow, settings, errors)
    engine = settings.type_engine if settings.type_engine is not None else default_engine()
    for name, hint in interface.inputs.items():
        if name not in variables.inputs.variables:
            continue  # the error is in ``errors``
        parameter = spec.default_inputs.parameters[name]
        parameter.var.CopyFrom(variables.inputs.variables[name])
        if name not in interface.defaults:
            parameter.required = True
            continue
        try:
            literal = engine.to_literal(interface.defaults[name], hint)
        except CompileTasksError as err:
            errors.append(err.with_context(param=name, param_kind="input"))
            continue
        parameter.default.CopyFrom(literal)


def serialize_default_launch_plan(
    entity: Any, settings: SerializationSettings
) -> launch_plan_pb2.LaunchPlan:
    """The default ``LaunchPlan`` of a workflow (or of its ``DefaultLaunchPlan``).

    Raises:
        CompileTasksError: A default that does not convert, or an input without a literal type.
        CompileErrors: Several such problems.
    """
    workflow = getattr(entity, "workflow", entity)
    errors: list[CompileTasksError] = []
    plan = launch_plan_pb2.LaunchPlan()
    entity_identifier(plan.id, EntityKind.LAUNCH_PLAN, workflow.name, settings)
    spec = plan.spec
    entity_identifier(spec.workflow_id, EntityKind.WORKFLOW, workflow.name, settings)
    for part in (
        spec.entity_metadata,
        spec.fixed_inputs,
        spec.labels,
        spec.annotations,
        spec.raw_output_data_config,
        plan.closure.expected_inputs,
        plan.closure.expected_outputs,
    ):
        part.SetInParent()
    _fill_parameters(spec, workflow, settings, errors)
    if errors:
        for err in errors:
            err.with_context(task=workflow.name, location=workflow.location)
        if len(errors) == 1:
            raise errors[0]
        raise CompileErrors(errors)
    return plan
