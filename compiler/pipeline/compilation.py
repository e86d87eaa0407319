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

from compiler.bundle import Blob, BundleEntity, EntityWriter, FileNames, pb_file_name
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
from compiler.serialize import spec_bytes
from compiler.settings import SerializationSettings

__all__ = ["Compilation", "CompiledRow", "compiled_row", "open_compilation"]


#: A compiled entity as a worker reports it: ``(name, int(kind), file, source, module,
#: task_type)``, the fields of :class:`CompiledEntity` in order.
CompiledRow = tuple[str, int, str, str, str, str | None]


def compiled_row(found: FoundEntity, file: str) -> CompiledRow:
    """The fields of the :class:`CompiledEntity` a result lists for ``found`` written to
    ``file``, as the tuple a worker sends (:func:`_compiled_entity` makes the object)."""
    kind = found.kind
    task_type = getattr(found.entity, "task_type", None) if kind is EntityKind.TASK else None
    return (
        found.name,
        int(kind),
        file,
        str(found.relative_location),
        found.module,
        None if task_type is None else str(task_type),
    )


def _compiled_entity(found: FoundEntity, file: str) -> CompiledEntity:
    """The description of a compiled entity that a result lists."""
    name, _, file, source, module, task_type = compiled_row(found, file)
    return CompiledEntity(name, found.kind, file, source, module, task_type)


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

    def archive_members(
        self, writer: EntityWriter
    ) -> tuple[list[tuple[str, Blob]], dict[str, CompiledRow]]:
        """Serialize each entity and lay it out as an archive member: what :meth:`entities`
        and ``write_entities`` give an archive-only compile that renders nothing and keeps no
        compile cache (``writer`` is such a compile's), in one loop.

        Returns each member as ``(file, place in the side file)`` and each entity's
        :func:`compiled_row` by file, in the entities' order. The bundle entity, the
        compiled-entity object and the archive-member record that the general path makes and
        drops for each entity, with the calls between them, were about a tenth of an
        archive-only worker's time (the results are tested equal).

        Raises:
            CompileErrors: As the general path: every serialization problem, then every
                file-name problem (CT503, CT506).
        """
        if self.renderings or self.around is not None:
            raise ValueError("archive_members() is for a compile that renders and records nothing")
        names = FileNames()
        members: list[tuple[str, Blob]] = []
        rows: dict[str, CompiledRow] = {}
        errors: list[CompileTasksError] = []
        progress, total = self.progress, len(self.found)
        for index, found in enumerate(self.found, 1):
            message, problems = self._serialize(found)
            if message is None:
                errors.extend(problems)
            else:
                level = dependency_level(found.entity)
                stem = names.stem(found.name, found.kind, level, found.relative_location)
                if stem is not None:
                    file = f"{stem}.pb"
                    data = message if type(message) is bytes else spec_bytes(message)
                    members.append((file, writer.member(file, data)))
                    rows[file] = compiled_row(found, file)
            if progress is not None:
                progress("compiling", index, total)
        if errors or names.errors:
            raise CompileErrors([*errors, *names.errors])
        return members, rows

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
