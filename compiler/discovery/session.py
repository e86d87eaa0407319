"""``discover(paths)``: import a package and return the tasks defined in it.

The result is a context manager: the imported modules stay in ``sys.modules`` until it is
closed (serialization may still need them, e.g. to resolve string annotations), then
``sys.path`` and ``sys.modules`` are restored.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from compiler.discovery.collect import FoundTask, collect_tasks
from compiler.discovery.importer import Progress, import_modules, isolated_imports
from compiler.discovery.modules import ModuleSource, list_modules
from compiler.errors import CompileErrors, CompileTasksError, DiscoveryError, SourceLocation
from compiler.sdk import Task

__all__ = ["Discovery", "discover"]


@dataclass
class Discovery:
    """The outcome of importing PATHs: tasks sorted by name, modules in import order.

    Use as a context manager; closing it restores ``sys.path`` and ``sys.modules``.
    """

    tasks: list[FoundTask]
    modules: list[str]
    roots: list[Path]
    _stack: ExitStack = field(repr=False, default_factory=ExitStack)

    def close(self) -> None:
        """Forget the imported modules and restore ``sys.path``."""
        self._stack.close()

    def __enter__(self) -> Discovery:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _gather_sources(
    paths: Sequence[str | os.PathLike[str]], source_root: str | os.PathLike[str] | None
) -> tuple[list[ModuleSource], list[CompileTasksError]]:
    sources: dict[str, ModuleSource] = {}
    errors: list[CompileTasksError] = []
    for path in paths:
        try:
            found = list_modules(Path(path), Path(source_root) if source_root else None)
        except CompileTasksError as exc:
            errors.append(exc)
            continue
        for source in found:
            sources.setdefault(source.name, source)
        if not found:
            errors.append(
                DiscoveryError(
                    f"'{path}' holds no Python modules",
                    code="CT406",
                    hint="point compile-tasks at the package folder that defines your tasks",
                    location=SourceLocation(os.path.abspath(path)),
                )
            )
    return list(sources.values()), errors


def discover(
    paths: Sequence[str | os.PathLike[str]],
    *,
    import_timeout: float | None = None,
    source_root: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    task_type: type | None = None,
) -> Discovery:
    """Import every module below ``paths`` and collect the tasks defined there.

    Args:
        paths: Package folders, folders of modules, or ``.py`` files.
        import_timeout: Seconds one module may take to import.
        source_root: Override the detected source root.
        progress: Called with ``(modules done, total)`` while importing.
        task_type: The task base class; defaults to ``compiler.sdk.Task``.

    Returns:
        The discovery, to be closed (or used in ``with``) after serialization.

    Raises:
        CompileErrors: Every problem found (bad paths, failed imports, duplicate names, no
            tasks), sorted by location; ``sys.path``/``sys.modules`` are already restored.
    """
    sources, errors = _gather_sources(paths, source_root)
    if errors:
        raise CompileErrors(errors)
    roots = sorted({s.root for s in sources})
    user_dirs = sorted({os.path.abspath(p) for p in paths})
    stack = ExitStack()
    stack.enter_context(isolated_imports(roots))
    try:
        report = import_modules(
            sources, [Path(d) for d in user_dirs], timeout=import_timeout, progress=progress
        )
        errors = _unique(report.errors)
        root_of = {s.name: s.root for s in sources}
        tasks, duplicates = collect_tasks(
            report.modules, root_of, task_type or Task, cwd=os.getcwd()
        )
        errors += duplicates
        if not errors and not tasks:
            errors.append(_no_tasks(paths, len(sources)))
        if errors:
            raise CompileErrors(errors)
    except BaseException:
        stack.close()
        raise
    return Discovery(tasks=tasks, modules=[s.name for s in sources], roots=roots, _stack=stack)


def _unique(errors: list[CompileTasksError]) -> list[CompileTasksError]:
    """Drop repeats (a broken module imported by several others fails once per importer)."""
    seen: set[tuple[str, int, str]] = set()
    out = []
    for error in errors:
        loc = error.location or SourceLocation("")
        key = (loc.file, loc.line, error.code)
        if key not in seen:
            seen.add(key)
            out.append(error)
    return out


def _no_tasks(paths: Sequence[str | os.PathLike[str]], modules: int) -> DiscoveryError:
    shown = ", ".join(str(p) for p in paths)
    return DiscoveryError(
        f"no tasks found in {shown} ({modules} module(s) imported)",
        code="CT406",
        hint="define tasks with @task (or a task class) at module level in these files",
        location=SourceLocation(os.path.abspath(paths[0])) if paths else None,
    )
