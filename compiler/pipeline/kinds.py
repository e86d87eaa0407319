"""The one table from entity kind to what the pipeline does with an entity of that kind.

Every stage after discovery goes through :class:`EntityHandlers`: serializing an entity
(``serialize(entity, settings) -> message``), the facts of its YAML rendering
(``facts(found) -> dict``) and the rendering itself (``render(message, facts) -> str``, found by
the message's type when the bundle writer asks). Adding a kind (workflows, launch plans) means
registering one :class:`EntityHandler` in :func:`default_handlers`; no stage is edited.

A discovered entity whose kind has no handler is a bug of compile-tasks (the set of kinds is
closed and every kind the SDK can create must be registered): it is reported as ``CT890``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flyteidl.admin import task_pb2, workflow_pb2
from google.protobuf.message import Message

from compiler.discovery import FoundEntity
from compiler.errors import InternalError, internal_error
from compiler.idl import EntityKind
from compiler.render import render_message
from compiler.serialize import serialize_task, serialize_workflow
from compiler.settings import SerializationSettings

__all__ = ["EntityHandler", "EntityHandlers", "default_handlers", "task_facts"]

Serializer = Callable[[Any, SerializationSettings], Message]
FactsOf = Callable[[FoundEntity], dict[str, Any]]
Render = Callable[[Message, Mapping[str, Any]], str]


@dataclass(frozen=True)
class EntityHandler:
    """What the pipeline does with entities of one kind.

    Attributes:
        kind: The kind handled.
        message_type: The message ``serialize`` returns (``TaskSpec``, ``WorkflowSpec``, ...).
        serialize: Entity and settings to message; raises ``CompileTasksError`` or
            ``CompileErrors`` for the user's mistakes.
        facts: The facts of the entity's YAML rendering (not part of the message).
        render: Message and facts to the canonical YAML text.
        level: The file-name prefix (dependency depth): flytectl registers files in sorted
            name order, so an entity must sort after everything it references (tasks 0,
            workflows 1: their sub-workflows are inlined, launch plans 2).
    """

    kind: EntityKind
    message_type: type[Message]
    serialize: Serializer
    facts: FactsOf
    render: Render
    level: int = 0


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
            raise _unhandled(
                f"no serializer is registered for {kind.name.lower()} entities"
            ) from None

    def render(self, message: Message, facts: Mapping[str, Any]) -> str:
        """The canonical YAML of ``message`` by its kind's renderer (the bundle's ``Renderer``)."""
        try:
            handler = self._by_message[type(message)]
        except KeyError:
            raise _unhandled(f"no renderer is registered for {type(message).__name__}") from None
        return handler.render(message, facts)


def _unhandled(what: str) -> InternalError:
    return internal_error(
        what,
        hint="register an EntityHandler for it in compiler/pipeline/kinds.py:default_handlers",
    )


def default_handlers() -> EntityHandlers:
    """Every kind compile-tasks compiles, in one table (workflows and launch plans go here too)."""
    handlers = EntityHandlers()
    handlers.register(
        EntityHandler(
            kind=EntityKind.TASK,
            message_type=task_pb2.TaskSpec,
            serialize=serialize_task,
            facts=task_facts,
            render=render_message,
        )
    )
    handlers.register(
        EntityHandler(
            kind=EntityKind.WORKFLOW,
            message_type=workflow_pb2.WorkflowSpec,
            serialize=serialize_workflow,
            facts=task_facts,
            render=render_message,
            level=1,
        )
    )
    return handlers
