"""A discovered package whose entities are serialized one by one, each by its kind's handler.

Serialization is lazy (:meth:`Compilation.entities` is a generator) so that the bundle writer
can write and free each message before the next one is built; the generator raises every
collected problem at its end. The same class serves the in-process compile, the listing and
every worker of a parallel compile (``compiler.pipeline.workers``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import DecodeError

from compiler.bundle import BundleEntity, pb_file_name
from compiler.discovery import Discovery, DiscoveryPlan, FoundEntity, discover
from compiler.errors import (
    BundleError,
    CompileErrors,
    CompileTasksError,
    DefinitionError,
    internal_error,
)
from compiler.idl import EntityKind
from compiler.pipeline.kinds import EntityHandlers, dependency_level
from compiler.pipeline.model import CompiledEntity, CompileOptions, Progress
from compiler.settings import SerializationSettings

__all__ = ["Compilation", "open_compilation"]


def _compiled_entity(found: FoundEntity, file: str) -> CompiledEntity:
    """The description of a compiled entity that a result lists."""
    task_type = getattr(found.entity, "task_type", None) if found.kind is EntityKind.TASK else None
    return CompiledEntity(
        name=found.name,
        kind=found.kind,
        file=file,
        source=str(found.relative_location),
        module=found.module,
        task_type=None if task_type is None else str(task_type),
    )


@dataclass
class Compilation:
    """A discovered package whose entities are serialized on demand.

    The discovered modules stay imported until :meth:`close` (or the end of a ``with``).

    Attributes:
        discovery: What was found.
        settings: The serialization settings.
        handlers: The kind-to-handler table.
        progress: Called with ``("compiling", done, total)``.
        debug: Let unexpected exceptions propagate instead of reporting ``CT890``.
        renderings: Compute the rendering facts of each entity (``False`` when no
            renderings are written: they cost time per entity).
        compiled: Every entity yielded so far, by ``.pb`` file name.
    """

    discovery: Discovery
    settings: SerializationSettings
    handlers: EntityHandlers
    progress: Progress | None = None
    debug: bool = False
    renderings: bool = True
    compiled: dict[str, CompiledEntity] = field(default_factory=dict)
    #: Wraps the serialization of each entity (the compile cache attributes what it reads).
    around: Callable[[FoundEntity], AbstractContextManager[Any]] | None = None

    @property
    def found(self) -> list[FoundEntity]:
        """The discovered entities, sorted by name."""
        return self.discovery.entities

    def _serialize(self, found: FoundEntity) -> tuple[Any, list[CompileTasksError]]:
        """The entity's message, or its bytes where no rendering needs the message and its
        kind's handler encodes; or ``None`` and the problems found."""
        try:
            handler = self.handlers.for_kind(found.kind)
            if handler.encode is not None and not self.renderings:
                return handler.encode(found.entity, self.settings), []
            return handler.serialize(found.entity, self.settings), []
        except CompileErrors as exc:
            return None, [
                e.with_context(location=found.location, task=found.name) for e in exc.errors
            ]
        except CompileTasksError as exc:
            return None, [exc.with_context(location=found.location, task=found.name)]
        except (DecodeError, RecursionError) as exc:
            if "MaxDepth" not in str(exc) and not isinstance(exc, RecursionError):
                raise
            return None, [_too_deep(found)]
        except Exception as exc:
            if self.debug:
                raise
            error = internal_error(
                exc, during="while serializing", location=found.location, task=found.name
            )
            return None, [error]

    def entity(self, found: FoundEntity) -> tuple[BundleEntity | None, list[CompileTasksError]]:
        """Serialize one entity: its bundle entity, or the problems found."""
        if self.around is None:
            return self._entity(found)
        with self.around(found):
            return self._entity(found)

    def _entity(self, found: FoundEntity) -> tuple[BundleEntity | None, list[CompileTasksError]]:
        message, problems = self._serialize(found)
        if message is None:
            return None, problems
        facts = self.handlers.for_kind(found.kind).facts(found) if self.renderings else {}
        data = message if type(message) is bytes else None
        entity = BundleEntity(
            name=found.name,
            kind=found.kind,
            level=dependency_level(found.entity),
            message=None if data is not None else message,
            source=found.relative_location,
            facts=facts,
            data=data,
        )
        return entity, problems

    def entities(self) -> Iterator[BundleEntity]:
        """Serialize each entity and yield it; raise ``CompileErrors`` at the end if any failed."""
        errors: list[CompileTasksError] = []
        total = len(self.found)
        for index, found in enumerate(self.found, 1):
            entity, problems = self.entity(found)
            errors.extend(problems)
            if entity is not None:
                self._record(found, entity)
                yield entity
            if self.progress is not None:
                self.progress("compiling", index, total)
        if errors:
            raise CompileErrors(errors)

    def _record(self, found: FoundEntity, entity: BundleEntity) -> None:
        try:
            file = pb_file_name(entity.name, entity.kind, entity.level)
        except BundleError:
            return  # the bundle writer reports the name (CT503); nothing is written
        self.compiled[file] = _compiled_entity(found, file)

    def close(self) -> None:
        """Forget the imported modules."""
        self.discovery.close()

    def __enter__(self) -> Compilation:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_compilation(
    paths: Sequence[str],
    settings: SerializationSettings,
    handlers: EntityHandlers,
    options: CompileOptions,
    *,
    plan: DiscoveryPlan | None = None,
) -> Compilation:
    """Discover the entities under ``paths``; serialization happens in ``entities()``.

    Raises:
        CompileErrors: Every discovery problem, sorted by location.
    """
    progress = options.progress
    on_import = (lambda done, total: progress("importing", done, total)) if progress else None
    found = discover(
        paths,
        import_timeout=options.import_timeout,
        source_root=options.source_root,
        progress=on_import,
        plan=plan,
    )
    return Compilation(
        found, settings, handlers, progress, options.debug, renderings=options.render
    )


#: The nesting limit of the protobuf decoders (upb and C++: 100 message levels).
PROTOBUF_MAX_DEPTH = 100


def _too_deep(found: FoundEntity) -> DefinitionError:
    """CT125: the entity's types nest deeper than a protobuf decoder accepts."""
    return DefinitionError(
        f"its types nest too deeply: the message would be more than {PROTOBUF_MAX_DEPTH} "
        "levels deep, which protobuf decoders (flytekit, flyteadmin) refuse to read",
        code="CT125",
        hint="flatten the nested dataclasses (each level adds several message levels; about "
        "15 levels of dataclasses fit), or pass the deep part as a JSON str or a FlyteFile",
        location=found.location,
        task=found.name,
    )
