"""The compile pipeline the commands share: discover, serialize, then hand over to the bundle.

Kept apart from the click commands so that ``compile``, ``list`` and the golden step all run
exactly the same steps. Every problem is collected; nothing is written here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from compiler.bundle import BundleEntity
from compiler.discovery import Discovery, FoundTask, discover
from compiler.errors import CompileErrors, CompileTasksError, SerializationError
from compiler.idl import EntityKind
from compiler.serialize import serialize_task
from compiler.settings import SerializationSettings

__all__ = ["Compiled", "compile_paths", "facts_of"]

Progress = Callable[[str, int, int], None]


@dataclass
class Compiled:
    """The outcome of a successful compile, before anything is written.

    ``discovery`` stays open (its modules imported) until :meth:`close`.
    """

    discovery: Discovery
    entities: list[BundleEntity]
    seconds: float
    started: float = field(repr=False, default=0.0)

    @property
    def tasks(self) -> list[FoundTask]:
        """The discovered tasks, sorted by name."""
        return self.discovery.tasks

    def close(self) -> None:
        """Forget the imported modules."""
        self.discovery.close()


def facts_of(found: FoundTask) -> dict[str, Any]:
    """The facts of a task's YAML rendering: source, module, and inputs with defaults."""
    interface = getattr(found.task, "python_interface", None)
    defaults = dict(getattr(interface, "defaults", None) or {})
    return {
        "source": str(found.relative_location),
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
                code="CT399",
                hint="this is a bug in compile-tasks; rerun with --debug and report the traceback",
                location=found.location,
                task=found.name,
            )
        ]


def compile_paths(
    paths: Sequence[str],
    settings: SerializationSettings,
    *,
    import_timeout: float | None = None,
    source_root: str | None = None,
    progress: Progress | None = None,
    debug: bool = False,
) -> Compiled:
    """Discover the tasks under ``paths`` and serialize each of them.

    Raises:
        CompileErrors: Every discovery and serialization problem, sorted by location.
    """
    started = time.perf_counter()
    on_import = (lambda done, total: progress("importing", done, total)) if progress else None
    found = discover(
        paths, import_timeout=import_timeout, source_root=source_root, progress=on_import
    )
    entities: list[BundleEntity] = []
    errors: list[CompileTasksError] = []
    try:
        for index, task in enumerate(found.tasks, 1):
            spec, problems = _serialize_one(task, settings, debug)
            errors.extend(problems)
            if spec is not None:
                entities.append(
                    BundleEntity(
                        name=task.name,
                        kind=EntityKind.TASK,
                        message=spec,
                        source=task.relative_location,
                        facts=facts_of(task),
                    )
                )
            if progress is not None:
                progress("serializing", index, len(found.tasks))
        if errors:
            raise CompileErrors(errors)
    except BaseException:
        found.close()
        raise
    return Compiled(found, entities, time.perf_counter() - started, started)
