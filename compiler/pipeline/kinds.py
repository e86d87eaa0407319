"""The one table from entity kind to what the pipeline does with an entity of that kind.

Every stage after discovery goes through :class:`EntityHandlers`: serializing an entity
(``serialize(entity, settings) -> message``, or straight to its bytes with ``encode`` where a
kind has that and no rendering needs the message), the facts of its YAML rendering
(``facts(found) -> dict``) and the rendering itself (``render(message, facts) -> str``, found by
the message's type when the bundle writer asks). Adding a kind (workflows, launch plans) means
registering one :class:`EntityHandler` in :func:`default_handlers`; no stage is edited.

A discovered entity whose kind has no handler is a bug of compile-tasks (the set of kinds is
closed and every kind the SDK can create must be registered): it is reported as ``CT890``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from google.protobuf.message import Message

from compiler.discovery import FoundEntity
from compiler.errors import InternalError, internal_error
from compiler.idl import EntityKind
from compiler.records import frozen_record
from compiler.serialize import (
    serialize_launch_plan,
    serialize_task,
    serialize_workflow,
    task_spec_bytes,
)
from compiler.settings import SerializationSettings

__all__ = [
    "KIND_LEVELS",
    "RENDER_MODULE",
    "EntityHandler",
    "EntityHandlers",
    "default_handlers",
    "dependency_level",
    "render_message",
    "task_facts",
]

Serializer = Callable[[Any, SerializationSettings], Message]
Encoder = Callable[[Any, SerializationSettings], bytes]
FactsOf = Callable[[FoundEntity], dict[str, Any]]
Render = Callable[[Message, Mapping[str, Any]], str]


@frozen_record
class EntityHandler:
    """What the pipeline does with entities of one kind.

    Attributes:
        kind: The kind handled.
        message_type: The message ``serialize`` returns (``TaskSpec``, ``WorkflowSpec``, ...).
        serialize: Entity and settings to message; raises ``CompileTasksError`` or
            ``CompileErrors`` for the user's mistakes.
        facts: The facts of the entity's YAML rendering (not part of the message).
        render: Message and facts to the canonical YAML text.
        encode: Entity and settings to the deterministic bytes of ``serialize``'s message,
            sooner than building it (``None``: serialize the message).
    """

    kind: EntityKind
    message_type: type[Message]
    serialize: Serializer
    facts: FactsOf
    render: Render
    encode: Encoder | None = None


#: The least file-name prefix of each kind: a workflow without nodes still sorts after tasks.
KIND_LEVELS: Mapping[EntityKind, int] = {
    EntityKind.TASK: 0,
    EntityKind.WORKFLOW: 1,
    EntityKind.LAUNCH_PLAN: 2,
}


def dependency_level(entity: Any, _seen: frozenset[int] = frozenset()) -> int:
    """The file-name prefix of ``entity``: its dependency depth.

    flytectl registers files in sorted name order, so an entity must sort after everything it
    references: one more than the deepest entity its ``referenced_entities()`` names (a
    workflow's tasks and launch plans; sub-workflows are inlined, so a workflow references what
    they reference), and never less than its kind's least level.
    """
    kind = getattr(type(entity), "entity_kind", None)
    level = KIND_LEVELS.get(kind, 0) if isinstance(kind, EntityKind) else 0
    references = getattr(entity, "referenced_entities", None)
    if not callable(references) or id(entity) in _seen:
        return level
    seen = _seen | {id(entity)}
    return max([level, *(dependency_level(ref, seen) + 1 for ref in references())])


def task_facts(found: FoundEntity) -> dict[str, Any]:
    """The facts of a task's YAML rendering: source file, module, and inputs with defaults.

    The rendering names the file but not the line: goldens would otherwise change whenever a
    line is added above a task. The line is in ``manifest.json`` and in every error message.
    """
    interface = getattr(found.entity, "python_interface", None)
    defaults = dict(getattr(interface, "defaults", None) or {})
    return {
        "source": found.relative_location.file,
        "module": found.module,
        "defaults": defaults,
    }


class EntityHandlers:
    """A registry of :class:`EntityHandler` by kind (and by message type, for rendering)."""

    def __init__(self) -> None:
        self._by_kind: dict[EntityKind, EntityHandler] = {}
        self._by_message: dict[type[Message], EntityHandler] = {}

    def register(self, handler: EntityHandler) -> None:
        """Add (or replace) the handler of ``handler.kind``."""
        self._by_kind[handler.kind] = handler
        self._by_message = {h.message_type: h for h in self._by_kind.values()}

    def __iter__(self) -> Iterator[EntityHandler]:
        return iter(sorted(self._by_kind.values(), key=lambda h: h.kind))

    def __contains__(self, kind: object) -> bool:
        return kind in self._by_kind

    def for_kind(self, kind: EntityKind) -> EntityHandler:
        """The handler of ``kind``.

        Raises:
            InternalError: CT890 when none is registered.
        """
        try:
            return self._by_kind[kind]
        except KeyError:
            raise _unhandled(f"no serializer is registered for {kind.label} entities") from None

    def render(self, message: Message, facts: Mapping[str, Any]) -> str:
        """The canonical YAML of ``message`` by its kind's renderer (the bundle's ``Renderer``)."""
        try:
            handler = self._by_message[type(message)]
        except KeyError:
            raise _unhandled(f"no renderer is registered for {type(message).__name__}") from None
        return handler.render(message, facts)


def render_message(message: Message, facts: Mapping[str, Any]) -> str:
    """``compiler.render.render_message``, loaded on first use: only renderings need it (a
    parallel compile that renders loads it before the workers fork, see ``RENDER_MODULE``)."""
    from compiler.render import render_message as render

    return render(message, facts)


#: What :func:`render_message` loads.
RENDER_MODULE = "compiler.render"


def _unhandled(what: str) -> InternalError:
    return internal_error(
        what,
        hint="register an EntityHandler for it in compiler/pipeline/kinds.py:default_handlers",
    )


def default_handlers() -> EntityHandlers:
    """Every kind compile-tasks compiles, in one table."""
    handlers = EntityHandlers()
    for kind, message_type, serialize, encode in (
        (EntityKind.TASK, task_pb2.TaskSpec, serialize_task, task_spec_bytes),
        (EntityKind.WORKFLOW, workflow_pb2.WorkflowSpec, serialize_workflow, None),
        (EntityKind.LAUNCH_PLAN, launch_plan_pb2.LaunchPlan, serialize_launch_plan, None),
    ):
        handlers.register(
            EntityHandler(
                kind=kind,
                message_type=message_type,
                serialize=serialize,
                facts=task_facts,
                render=render_message,
                encode=encode,
            )
        )
    return handlers
