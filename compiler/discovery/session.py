"""``discover(paths)``: import a package and return the entities defined in it.

The result is a context manager: the imported modules stay in ``sys.modules`` until it is
closed (serialization may still need them, e.g. to resolve string annotations), then
``sys.path`` and ``sys.modules`` are restored.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from compiler.discovery.collect import (
    EntitySite,
    FoundEntity,
    duplicate_errors,
    find_entities,
    first_per_name,
)
from compiler.discovery.importer import Progress, import_modules, isolated_imports
from compiler.discovery.modules import ModuleSource
from compiler.discovery.plan import DiscoveryPlan, plan_discovery
from compiler.errors import CompileErrors, CompileTasksError, DiscoveryError, SourceLocation
from compiler.sdk import forget_source_lines

__all__ = [
    "Discovery",
    "ShareDiscovery",
    "discover",
    "discover_share",
    "discovery_problems",
]


@dataclass
class Discovery:
    """The outcome of importing PATHs: entities sorted by name, modules in import order.

    Use as a context manager; closing it restores ``sys.path`` and ``sys.modules``.
    """

    entities: list[FoundEntity]
    modules: list[str]
    roots: list[Path]
    _stack: ExitStack = field(repr=False, default_factory=ExitStack)
    warnings: list[CompileTasksError] = field(default_factory=list)

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


@dataclass
class ShareDiscovery:
    """Some of a plan's modules imported: every entity whose home is one of them, and problems.

    ``found`` keeps entities that share a name (sorted by name and location) so that
    :func:`discovery_problems` can check names across shares. Close it (or use ``with``) to
    restore ``sys.path`` and ``sys.modules``.
    """

    found: list[FoundEntity]
    errors: list[CompileTasksError]
    _stack: ExitStack = field(repr=False, default_factory=ExitStack)
    warnings: list[CompileTasksError] = field(default_factory=list)

    def close(self) -> None:
        """Forget the imported modules and restore ``sys.path``."""
        self._stack.close()

    def __enter__(self) -> ShareDiscovery:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def discover_share(
    plan: DiscoveryPlan,
    share: Sequence[ModuleSource],
    *,
    import_timeout: float | None = None,
    progress: Progress | None = None,
    on_start: Callable[[ModuleSource], None] | None = None,
) -> ShareDiscovery:
    """Import the modules of ``share`` (in order) and find the entities whose home is among them.

    Problems are returned, not raised: several shares (one per worker process) together make
    the discovery of the whole plan (:func:`discovery_problems`).
    """
    stack = ExitStack()
    stack.enter_context(isolated_imports(plan.roots))
    try:
        report = import_modules(
            share, plan.user_dirs, timeout=import_timeout, progress=progress, on_start=on_start
        )
        root_of = {s.name: s.root for s in share}
        found = find_entities(report.modules, root_of)
        forget_source_lines()  # every entity has its location: the lines are not needed now
    except BaseException:
        stack.close()
        raise
    return ShareDiscovery(found=found, errors=report.errors, _stack=stack, warnings=report.warnings)


def discovery_problems(
    plan: DiscoveryPlan,
    import_errors: Sequence[CompileTasksError],
    sites: Sequence[EntitySite | FoundEntity],
    cwd: str,
) -> list[CompileTasksError]:
    """Every discovery problem of a plan: import errors (each once), duplicate names, none found."""
    errors = _unique(list(import_errors))
    errors += duplicate_errors(sites, cwd)
    if not errors and not sites:
        errors.append(_no_tasks(plan.paths, len(plan.sources)))
    return errors


def discover(
    paths: Sequence[str | os.PathLike[str]],
    *,
    import_timeout: float | None = None,
    source_root: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    plan: DiscoveryPlan | None = None,
) -> Discovery:
    """Import every module below ``paths`` and collect the entities defined there.

    Args:
        paths: Package folders, folders of modules, or ``.py`` files.
        import_timeout: Seconds one module may take to import.
        source_root: Override the detected source root.
        progress: Called with ``(modules done, total)`` while importing.
        plan: The result of ``plan_discovery(paths, source_root)`` if already computed.

    Returns:
        The discovery, to be closed (or used in ``with``) after serialization.

    Raises:
        CompileErrors: Every problem found (bad paths, failed imports, duplicate names, no
            tasks), sorted by location; ``sys.path``/``sys.modules`` are already restored.
    """
    plan = plan or plan_discovery(paths, source_root)
    share = discover_share(plan, plan.sources, import_timeout=import_timeout, progress=progress)
    errors = discovery_problems(plan, share.errors, share.found, os.getcwd())
    if errors:
        share.close()
        raise CompileErrors(errors)
    return Discovery(
        entities=first_per_name(share.found),
        modules=[s.name for s in plan.sources],
        roots=plan.roots,
        _stack=share._stack,
        warnings=share.warnings,
    )


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
