"""``serialize_launch_plan``: a ``LaunchPlan`` message, default or named.

A launch plan refers to its workflow and carries every workflow input that is not fixed as a
parameter: ``required`` without a default, else the default's literal (the launch plan's
``default_inputs`` override the workflow's defaults); fixed inputs are literals of
``fixed_inputs``. Schedule and notifications go to ``entity_metadata``; labels, annotations,
raw output config, parallelism, security context, cache overwrite and concurrency to the spec.
The placeholders flytekit always writes (``entity_metadata``, ``fixed_inputs``, ``labels``,
``annotations``, ``raw_output_data_config`` and the closure's expected inputs/outputs) are set,
empty when the launch plan does not fill them. A workflow's default launch plan has its name.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from flyteidl.admin import launch_plan_pb2
from flyteidl.core import interface_pb2, literals_pb2

from compiler.errors import CompileErrors, CompileTasksError
from compiler.idl import EntityKind
from compiler.serialize.interface import fill_interface
from compiler.serialize.workflow import entity_identifier
from compiler.settings import SerializationSettings
from compiler.types import default_engine

__all__ = ["serialize_launch_plan"]


def _literal(
    engine: Any, value: Any, hint: Any, name: str, errors: list[CompileTasksError]
) -> literals_pb2.Literal | None:
    try:
        return engine.to_literal(value, hint)
    except CompileTasksError as err:
        errors.append(err.with_context(param=name, param_kind="input"))
        return None


def _is_optional(hint: Any) -> bool:
    """``Optional[T]`` / ``T | None`` (also under ``Annotated``), as flytekit tests it."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    origin = typing.get_origin(hint)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def _fill_inputs(
    spec: launch_plan_pb2.LaunchPlanSpec,
    plan: Any,
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    spec.default_inputs.SetInParent()
    spec.fixed_inputs.SetInParent()
    workflow = plan.workflow
    interface = workflow.python_interface
    if not interface.inputs:
        return
    variables = interface_pb2.TypedInterface()
    fill_interface(variables, workflow, settings, errors)
    engine = settings.type_engine if settings.type_engine is not None else default_engine()
    fixed = getattr(plan, "fixed_inputs", {})
    overridden = getattr(plan, "default_inputs", {})
    defaults = {**interface.defaults, **overridden}
    for name, hint in interface.inputs.items():
        if name not in variables.inputs.variables:
            continue  # the error is in ``errors``
        if name in fixed:
            literal = _literal(engine, fixed[name], hint, name, errors)
            if literal is not None:
                spec.fixed_inputs.literals[name].CopyFrom(literal)
            continue
        parameter = spec.default_inputs.parameters[name]
        parameter.var.CopyFrom(variables.inputs.variables[name])
        if name in overridden:
            # flytekit builds these parameters from an interface without a docstring.
            parameter.var.description = name
        if defaults.get(name) is None and _is_optional(hint):
            # An Optional input without a default, or defaulting to None: flytekit writes a
            # bare none default (not required, not the union literal a call site gets).
            parameter.default.scalar.none_type.SetInParent()
            continue
        if name not in defaults:
            parameter.required = True
            continue
        literal = _literal(engine, defaults[name], hint, name, errors)
        if literal is not None:
            parameter.default.CopyFrom(literal)


def _fill_options(spec: launch_plan_pb2.LaunchPlanSpec, options: Any) -> None:
    """Schedule, notifications and the spec's options, each only when the plan sets it."""
    if options is None:
        return
    if options.schedule is not None:
        spec.entity_metadata.schedule.CopyFrom(options.schedule.to_proto())
    for notification in options.notifications:
        spec.entity_metadata.notifications.append(notification.to_proto())
    if options.labels is not None:
        spec.labels.CopyFrom(options.labels.to_proto())
    if options.annotations is not None:
        spec.annotations.CopyFrom(options.annotations.to_proto())
    if options.raw_output_data_config is not None:
        spec.raw_output_data_config.CopyFrom(options.raw_output_data_config.to_proto())
    if options.max_parallelism:
        spec.max_parallelism = options.max_parallelism
    if options.security_context is not None:
        context = options.security_context.to_proto()
        if context is not None:
            spec.security_context.CopyFrom(context)
    if options.overwrite_cache:
        spec.overwrite_cache = True
    if options.concurrency is not None:
        spec.concurrency_policy.CopyFrom(options.concurrency.to_proto())


def serialize_launch_plan(
    entity: Any, settings: SerializationSettings
) -> launch_plan_pb2.LaunchPlan:
    """The ``LaunchPlan`` message of a launch plan (or of a workflow: its default one).

    Raises:
        CompileTasksError: A value that does not convert, or an input without a literal type.
        CompileErrors: Several such problems.
    """
    plan = getattr(entity, "default_launch_plan", entity)
    workflow = plan.workflow
    errors: list[CompileTasksError] = []
    message = launch_plan_pb2.LaunchPlan()
    entity_identifier(message.id, EntityKind.LAUNCH_PLAN, plan.name, settings)
    spec = message.spec
    entity_identifier(spec.workflow_id, EntityKind.WORKFLOW, workflow.name, settings)
    for part in (
        spec.entity_metadata,
        spec.labels,
        spec.annotations,
        spec.raw_output_data_config,
        message.closure.expected_inputs,
        message.closure.expected_outputs,
    ):
        part.SetInParent()
    _fill_inputs(spec, plan, settings, errors)
    _fill_options(spec, getattr(plan, "options", None))
    if errors:
        for err in errors:
            err.with_context(task=plan.name, location=plan.location)
        if len(errors) == 1:
            raise errors[0]
        raise CompileErrors(errors)
    return message
