"""``serialize_task``: assemble the ``TaskSpec`` of one task (WIRE-FORMAT 3)."""

from __future__ import annotations

import enum
from typing import Any

from flyteidl.admin import task_pb2
from flyteidl.core import security_pb2, tasks_pb2

from compiler.errors import CompileErrors, CompileTasksError, SerializationError
from compiler.idl import EntityKind
from compiler.sdk import Task, TaskMetadata
from compiler.serialize.description import fill_description
from compiler.serialize.interface import fill_interface
from compiler.serialize.targets import apply_targets
from compiler.serialize.workflow import entity_identifier
from compiler.settings import SerializationSettings

__all__ = ["serialize_task"]


def _type_string(task_type: Any) -> str:
    return str(task_type.value) if isinstance(task_type, enum.Enum) else str(task_type)


def _apply_metadata(
    template: tasks_pb2.TaskTemplate, task: Any, errors: list[CompileTasksError]
) -> None:
    metadata = getattr(task, "metadata", None)
    if type(metadata) is TaskMetadata and type(task).metadata_proto is Task.metadata_proto:
        # What the hook returns, merged as bytes: the hook's message is parsed from these
        # bytes and copied, which cost more than the rest of the metadata.
        template.metadata.MergeFromString(metadata.wire_bytes())
        return
    try:
        metadata = task.metadata_proto()
    except CompileTasksError as err:
        errors.append(err)
        return
    if not isinstance(metadata, tasks_pb2.TaskMetadata):
        errors.append(
            SerializationError(
                f"metadata_proto() returned {type(metadata).__name__}, expected TaskMetadata",
                code="CT310",
                param="metadata_proto",
                param_kind="hook",
                hint="return a flyteidl.core.tasks_pb2.TaskMetadata",
            )
        )
        return
    template.metadata.CopyFrom(metadata)


def _apply_security(template: tasks_pb2.TaskTemplate, task: Any) -> None:
    context = getattr(task, "security_ctx", None)
    if context is None:
        return
    if not isinstance(context, security_pb2.SecurityContext):
        raise SerializationError(
            f"security_ctx is a {type(context).__name__}, expected SecurityContext or None",
            code="CT310",
            param="security_ctx",
            param_kind="hook",
            hint="build it from secret_requests=[Secret(...)]",
        )
    if context.ByteSize():  # absent without secrets (WIRE-FORMAT 6.3)
        template.security_context.CopyFrom(context)


def _fill_template(
    template: tasks_pb2.TaskTemplate,
    task: Any,
    settings: SerializationSettings,
    errors: list[CompileTasksError],
) -> None:
    """Fill the (empty) template in place: building parts apart and copying them costs more."""
    entity_identifier(template.id, EntityKind.TASK, task.name, settings)
    template.type = _type_string(task.task_type)
    template.task_type_version = int(getattr(task, "task_type_version", 0) or 0)
    _apply_metadata(template, task, errors)
    fill_interface(template.interface, task, settings, errors)
    apply_targets(template, task, settings, errors)
    try:
        _apply_security(template, task)
    except CompileTasksError as err:
        errors.append(err)


def serialize_task(task: Any, settings: SerializationSettings) -> task_pb2.TaskSpec:
    """The ``TaskSpec`` of ``task`` under ``settings``.

    A pure function: it reads only its arguments and returns a new message; the same
    declaration and settings always give an equal message.

    Raises:
        CompileTasksError: The single problem found, with task name and location filled in.
        CompileErrors: Several problems of this task, sorted by location.
    """
    errors: list[CompileTasksError] = []
    spec = task_pb2.TaskSpec()
    _fill_template(spec.template, task, settings, errors)
    if errors:
        location = getattr(task, "location", None)
        for err in errors:
            err.with_context(task=task.name, location=location)
        if len(errors) == 1:
            raise errors[0]
        raise CompileErrors(errors)
    docs = getattr(task, "docs", None)
    if docs is not None:
        fill_description(spec.description, docs)
    return spec
