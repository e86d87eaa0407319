"""The compile pipeline the commands share: discover, then serialize task by task.

Kept apart from the click commands so that ``compile``, ``list`` and the golden step all run
exactly the same steps. Serialization is lazy (:meth:`Compilation.entities` is a generator) so
that the bundle writer can write and free each message before the next one is built; the
generator raises every collected problem at its end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from compiler.bundle import BundleEntity
from compiler.discovery import Discovery, DiscoveryPlan, FoundTask, discover
from compiler.errors import CompileErrors, CompileTasksError, SerializationError
from compiler.idl import EntityKind
from compiler.render import rendering_key
from compiler.serialize import serialize_task
from compiler.settings import SerializationSettings

__all__ = ["Compilation", "Progress", "facts_of", "open_compilation"]

Progress = Callable[[str, int, int], None]


def facts_of(found: FoundTask) -> dict[str, Any]:
    """The facts of a task's YAML rendering: source file, module, and inputs with defaults.

    The rendering names the file but not the line: goldens would otherwise change whenever a
    line is added above a task. The line is in ``manifest.json`` and in every error message.
    """
    interface = getattr(found.task, "python_interface", None)
    defaults = dict(getattr(interface, "defaults", None) or {})
    return {
        "source": found.relative_location.file,
        "module": found.module,
        "defaults": defaults,
    }


def _serialize_one(
    found: FoundTask, settings: SerializationSettings, debug: bool
) -> tuple[Any, list[CompileTasksError]]:
    try:
        return serialize_task(found.task, settings), []
    except CompileErrors as exc:
        return None, [e.with_context(location=found.location, task=found.name) for e in exc.errors]
    except CompileTasksError as exc:
        return None, [exc.with_context(location=found.location, task=found.name)]
    except Exception as exc:
        if debug:
            raise
        return None, [
            SerializationError(
                f"internal error while serializing: {type(exc).__name__}: {exc}",
                code="CT890",
                hint="this is a bug in compile-tasks; rerun with --debug and report the traceback",
                location=found.location,
                task=found.name,
            )
        ]


@dataclass
class Compilation:
    """A discovered package whose tasks are serialized on demand.

    The discovered modules stay imported until :meth:`close` (or the end of a ``with``).
    """

    discovery: Discovery
    settings: SerializationSettings
    progress: Progress | None = None
    debug: bool = False

    @property
    def tasks(self) -> list[FoundTask]:
        """The discovered tasks, sorted by name."""
        return self.discovery.tasks

    def entity(self, task: FoundTask) -> tuple[BundleEntity | None, list[CompileTasksError]]:
        """Serialize one task: its bundle entity, or the problems found."""
        spec, problems = _serialize_one(task, self.settings, self.debug)
        if spec is None:
            return None, problems
        facts = facts_of(task)
        entity = BundleEntity(
            name=task.name,
            kind=EntityKind.TASK,
            message=spec,
            source=task.relative_location,
            facts=facts,
            render_key=rendering_key(facts),
        )
        return entity, problems

    def entities(self) -> Iterator[BundleEntity]:
        """Serialize each task and yield it; raise ``CompileErrors`` at the end if any failed."""
        errors: list[CompileTasksError] = []
        total = len(self.tasks)
        for index, task in enumerate(self.tasks, 1):
            entity, problems = self.entity(task)
            errors.extend(problems)
            if entity is not None:
                yield entity
            if self.progress is not None:
                self.progress("compiling", index, total)
        if errors:
            raise CompileErrors(errors)

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
    *,
    import_timeout: float | None = None,
    source_root: str | None = None,
    progress: Progress | None = None,
    debug: bool = False,
    plan: DiscoveryPlan | None = None,
) -> Compilation:
    """Discover the tasks under ``paths``; serialization happens in ``entities()``.

    Raises:
        CompileErrors: Every discovery problem, sorted by location.
    """
    on_import = (lambda done, total: progress("importing", done, total)) if progress else None
    found = discover(
        paths,
        import_timeout=import_timeout,
        source_root=source_root,
        progress=on_import,
        plan=plan,
    )
    return Compilation(found, settings, progress, debug)
