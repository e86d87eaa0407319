"""``serialize_task``: assemble the ``TaskSpec`` of one task (WIRE-FORMAT 3).

:func:`task_spec_bytes` gives its wire bytes. For the common task (a plain container, the
stock ``TaskMetadata``, no pod, custom or config) it writes them field by field from the
memoised bytes of the parts, without the message: merging those bytes into a template and
serializing it again was about a sixth of a warm task's serialization. The bytes are the message
path's (tested equal, field order included); any other task, and any task with a problem,
goes through :func:`serialize_task`.
"""

from __future__ import annotations

import enum
from typing import Any

from flyteidl.admin import task_pb2
from flyteidl.core import identifier_pb2, security_pb2, tasks_pb2

from compiler.errors import CompileErrors, CompileTasksError, SerializationError
from compiler.idl import EntityKind
from compiler.memo import cached
from compiler.sdk import Task, TaskMetadata
from compiler.serialize.description import description_bytes, fill_description
from compiler.serialize.interface import fill_interface, interface_bytes
from compiler.serialize.targets import apply_targets, container_only_bytes
from compiler.serialize.wire import (
    field_key,
    length_delimited,
    spec_bytes,
    split_before_field,
    varint,
)
from compiler.serialize.workflow import entity_identifier
from compiler.settings import SerializationSettings

__all__ = ["serialize_task", "task_spec_bytes"]


def _type_string(task_type: Any) -> str:
    return str(task_type.value) if isinstance(task_type, enum.Enum) else str(task_type)


def _plain_metadata(task: Any) -> TaskMetadata | None:
    """The task's metadata when its bytes are :meth:`TaskMetadata.wire_bytes` (the stock
    class, and a task class that does not override ``metadata_proto``)."""
    metadata = getattr(task, "metadata", None)
    if type(metadata) is TaskMetadata and type(task).metadata_proto is Task.metadata_proto:
        return metadata
    return None


def _apply_metadata(
    template: tasks_pb2.TaskTemplate, task: Any, errors: list[CompileTasksError]
) -> None:
    plain = _plain_metadata(task)
    if plain is not None:
        # What the hook returns, merged as bytes: the hook's message is parsed from these
        # bytes and copied, which cost more than the rest of the metadata.
        template.metadata.MergeFromString(plain.wire_bytes())
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


_Template = tasks_pb2.TaskTemplate
_TEMPLATE_KEY = field_key(task_pb2.TaskSpec.TEMPLATE_FIELD_NUMBER)
_DESCRIPTION_KEY = field_key(task_pb2.TaskSpec.DESCRIPTION_FIELD_NUMBER)
_ID_KEY = field_key(_Template.ID_FIELD_NUMBER)
_TYPE_KEY = field_key(_Template.TYPE_FIELD_NUMBER)
_METADATA_KEY = field_key(_Template.METADATA_FIELD_NUMBER)
_INTERFACE_KEY = field_key(_Template.INTERFACE_FIELD_NUMBER)
_CONTAINER_KEY = field_key(_Template.CONTAINER_FIELD_NUMBER)
_SECURITY_KEY = field_key(_Template.SECURITY_CONTEXT_FIELD_NUMBER)
_VERSION_KEY = field_key(_Template.TASK_TYPE_VERSION_FIELD_NUMBER, 0)  # an int32: a varint
_INT32 = range(-(1 << 31), 1 << 31)
_NAME_FIELD = identifier_pb2.Identifier.NAME_FIELD_NUMBER
_NAME_KEY = field_key(_NAME_FIELD)


@cached("serialize.task_id_around_name", maxsize=64)
def _id_around_name(project: str, domain: str, version: str) -> tuple[bytes, bytes]:
    """The bytes of a task's id (:func:`entity_identifier`'s, under these settings) before its
    name and after it."""
    settings = SerializationSettings(project=project, domain=domain, version=version)
    identifier = identifier_pb2.Identifier()
    entity_identifier(identifier, EntityKind.TASK, "", settings)
    return split_before_field(identifier.SerializeToString(deterministic=True), _NAME_FIELD)


def _plain_template(task: Any, settings: SerializationSettings) -> bytes | None:
    """The template's bytes, or ``None`` when the task is not plain or has a problem."""
    metadata = _plain_metadata(task)
    context = getattr(task, "security_ctx", None)
    if metadata is None or not (context is None or type(context) is security_pb2.SecurityContext):
        return None
    container = container_only_bytes(task, settings)
    if container is None:
        return None
    errors: list[CompileTasksError] = []
    interface = interface_bytes(task, settings, errors)
    version = int(getattr(task, "task_type_version", 0) or 0)
    if errors or version not in _INT32:
        return None
    head, tail = _id_around_name(settings.project, settings.domain, settings.version)
    name = task.name.encode()
    identifier = head + length_delimited(_NAME_KEY, name) + tail if name else head + tail
    task_type = _type_string(task.task_type).encode()
    fields = [
        length_delimited(_ID_KEY, identifier),
        length_delimited(_TYPE_KEY, task_type) if task_type else b"",
        length_delimited(_METADATA_KEY, metadata.wire_bytes()),
        length_delimited(_INTERFACE_KEY, interface),
        length_delimited(_CONTAINER_KEY, container),
    ]
    if version:
        fields.append(_VERSION_KEY + varint(version))
    if context is not None and context.ByteSize():
        secure = context.SerializeToString(deterministic=True)
        fields.append(length_delimited(_SECURITY_KEY, secure))
    return b"".join(fields)


def task_spec_bytes(task: Any, settings: SerializationSettings) -> bytes:
    """The wire bytes of :func:`serialize_task` (``spec_bytes`` of its message).

    Raises:
        CompileTasksError: The single problem found (as :func:`serialize_task`).
        CompileErrors: Several problems of this task, sorted by location.
    """
    try:
        template = _plain_template(task, settings)
    except Exception:  # the message path reports every problem as it always has
        template = None
    if template is None:
        return spec_bytes(serialize_task(task, settings))
    docs = getattr(task, "docs", None)
    if docs is None:
        return length_delimited(_TEMPLATE_KEY, template)
    description = length_delimited(_DESCRIPTION_KEY, description_bytes(docs))
    return length_delimited(_TEMPLATE_KEY, template) + description
