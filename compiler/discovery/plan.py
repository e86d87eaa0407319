"""``plan_discovery(paths)``: the modules a discovery will import, listed without importing.

Kept apart from the importing half (``session``): the command line lists the package before it
loads anything else, to start the helper that compiles the sources
(``compiler.discovery.precompile``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from compiler.discovery.modules import ModuleSource, list_modules
from compiler.errors import CompileErrors, CompileTasksError, DiscoveryError, SourceLocation
from compiler.records import frozen_record

__all__ = ["DiscoveryPlan", "gather_sources", "plan_discovery"]


def gather_sources(
    paths: Sequence[str | os.PathLike[str]], source_root: str | os.PathLike[str] | None
) -> tuple[list[ModuleSource], list[CompileTasksError]]:
    """The modules below ``paths`` (each once, in import order), and the problems of the paths
    that cannot be listed (:func:`plan_discovery` raises them; the speculative helper of
    ``precompile`` compiles what it can)."""
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


@frozen_record
class DiscoveryPlan:
    """What a discovery will import: found without importing anything.

    Attributes:
        paths: The PATHs as given.
        sources: Every module below them, in import order.
        roots: Their source roots.
        user_dirs: The PATHs made absolute (traceback frames inside them locate errors).
    """

    paths: tuple[str, ...]
    sources: list[ModuleSource]
    roots: list[Path]
    user_dirs: list[Path]


def plan_discovery(
    paths: Sequence[str | os.PathLike[str]], source_root: str | os.PathLike[str] | None = None
) -> DiscoveryPlan:
    """List the modules below ``paths`` and their source roots.

    Raises:
        CompileErrors: Bad paths, or paths without modules.
    """
    sources, errors = gather_sources(paths, source_root)
    if errors:
        raise CompileErrors(errors)
    return DiscoveryPlan(
        paths=tuple(str(p) for p in paths),
        sources=sources,
        roots=sorted({s.root for s in sources}),
        user_dirs=[Path(d) for d in sorted({os.path.abspath(p) for p in paths})],
    )
