"""What a compile is asked to do (:class:`CompileOptions`) and what it gives back.

Plain frozen values: the CLI builds a ``CompileOptions`` from its flags, a Python caller builds
one directly, and both read the same :class:`CompileResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compiler.errors import CompileTasksError
from compiler.idl import EntityKind
from compiler.records import frozen_record

if TYPE_CHECKING:
    from compiler.discovery import DiscoveryPlan, SourceCompiler

__all__ = ["CompileOptions", "CompileResult", "CompiledEntity", "Progress"]

#: ``progress(stage, done, total)``: ``stage`` is ``"importing"`` or ``"compiling"``.
Progress = Callable[[str, int, int], None]


@frozen_record
class CompileOptions:
    """How to compile, besides the paths, the settings and the output folder.

    Attributes:
        jobs: Worker processes: 1 compiles in this process, N > 1 forks N workers, 0 chooses
            (one per core, at most 4, and 1 for a small package or when threads run).
        import_timeout: Seconds one module may take to import (``None``: no limit).
        source_root: Folder module names are relative to (``None``: found by walking up
            while ``__init__.py`` exists).
        force: Replace a non-empty output folder that is not a compile-tasks bundle.
        reuse: Hard-link unchanged files from the bundle being replaced (the bytes are the
            same either way); ``False`` writes every file anew.
        render: Also write the canonical YAML rendering of every entity (``yaml/``), as the
            golden step reads them; off by default (renderings cost a file per entity).
        protect: Paths the output folder must not contain (besides the working folder, the
            PATHs and their source roots, which are always protected).
        debug: Let internal errors propagate with their traceback instead of ``CT890``.
        progress: Called while importing and compiling (``None``: silent).
        cache_dir: The compile cache folder (``compiler.pipeline.cache``): modules whose
            recorded inputs are unchanged are reused from it instead of being imported; the
            output is the same bytes. ``None`` (the API's default) uses no cache.
        precompiled: A helper compiling the package's sources ahead of the workers' imports
            (``compiler.discovery.SourceCompiler``, started by the caller, which stops it);
            only the time changes.
        plan: The modules of the paths, listed by the caller
            (``plan_discovery(paths, source_root)``, as the command line does to start the
            helper): used when it lists the same paths, else they are listed again.
    """

    jobs: int = 1
    import_timeout: float | None = None
    source_root: str | None = None
    force: bool = False
    reuse: bool = True
    render: bool = False
    protect: Sequence[Path] = ()
    debug: bool = False
    progress: Progress | None = field(default=None, compare=False)
    cache_dir: Path | None = None
    precompiled: SourceCompiler | None = field(default=None, compare=False, repr=False)
    plan: DiscoveryPlan | None = field(default=None, compare=False, repr=False)


@frozen_record(into_dict=True)
class CompiledEntity:
    """One compiled entity.

    Attributes:
        name: The entity name (``template.id.name`` for a task).
        kind: Task, workflow or launch plan.
        file: Its ``.pb`` file name in the bundle.
        source: Its declaration site, ``file:line`` relative to the source root.
        module: Its home module.
        task_type: ``TaskTemplate.type`` for a task (``"python-task"``, ...), else ``None``.
    """

    name: str
    kind: EntityKind
    file: str
    source: str
    module: str
    task_type: str | None = None


@frozen_record
class CompileResult:
    """What a compile produced.

    Attributes:
        entities: Every compiled entity, sorted by file name.
        modules: The modules imported, in import order.
        out_dir: The bundle folder, or ``None`` when no folder was written (a listing, an
            archive-only compile).
        files: The ``.pb`` file names written (archive members for an archive-only compile),
            sorted; empty for a listing.
        manifest: The bundle's ``manifest.json`` as plain data (``None`` without a folder).
        archive: The archive written by an archive-only compile (``--out FILE.tgz``).
        warnings: Problems that did not stop the compile (a module left a thread running),
            each with its code and location, sorted.
        reused: The modules reused from the compile cache (not imported), sorted.
        cache_notes: ``(module, why)`` for each module compiled again although the cache had
            an entry (what changed), or not stored in the cache (what it did), sorted.
    """

    entities: list[CompiledEntity]
    modules: list[str]
    out_dir: Path | None = None
    files: list[str] = field(default_factory=list)
    manifest: dict[str, Any] | None = None
    archive: Path | None = None
    warnings: list[CompileTasksError] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    cache_notes: list[tuple[str, str]] = field(default_factory=list)
