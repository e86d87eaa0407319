"""``compile_package`` and ``list_package``: the whole compile as one library call.

``compile_package(paths, settings, out=DIR)`` lists the modules below ``paths`` without
importing any, then either compiles in this process (discover, serialize entity by entity,
write each into the bundle's temporary folder) or, for a large package, forks worker processes
that share the modules (``compiler.pipeline.workers``); both give the same bytes and messages.
``list_package`` (or ``compile_package`` without ``out``) compiles and writes nothing.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from compiler.bundle import (
    BundleResult,
    EntityWriter,
    finish_archive,
    pb_file_name,
    replace_file,
    write_bundle,
    write_entities,
)
from compiler.discovery import DiscoveryPlan, plan_discovery
from compiler.errors import CompileTasksError
from compiler.pipeline.cache import ModuleCache, run_key
from compiler.pipeline.compilation import open_compilation
from compiler.pipeline.kinds import EntityHandlers, default_handlers
from compiler.pipeline.model import CompileOptions, CompileResult
from compiler.pipeline.workers import (
    ParallelJob,
    WorkerOutcome,
    auto_jobs,
    list_parallel,
    write_archive_parallel,
    write_parallel,
)
from compiler.settings import SerializationSettings

__all__ = ["ARCHIVE_SUFFIXES", "compile_package", "is_archive_path", "list_package"]

_DEFAULT = CompileOptions()
PathLike = str | os.PathLike[str]

#: ``--out`` names ending so (and not an existing folder) get the archive alone.
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")


def is_archive_path(out: PathLike) -> bool:
    """True when ``out`` asks for an archive-only compile: ``FILE.tgz`` / ``FILE.tar.gz``
    that is not an existing folder (a folder keeps the folder layout, whatever its name)."""
    return str(out).endswith(ARCHIVE_SUFFIXES) and not os.path.isdir(out)


def _sorted_warnings(warnings: list[CompileTasksError]) -> list[CompileTasksError]:
    return sorted(warnings, key=CompileTasksError.sort_key)


def list_package(
    paths: Sequence[PathLike],
    settings: SerializationSettings,
    *,
    options: CompileOptions = _DEFAULT,
    handlers: EntityHandlers | None = None,
) -> CompileResult:
    """Compile the entities under ``paths`` and describe them; write nothing (a dry run).

    In watched worker processes (``options.jobs`` of them) where ``fork`` exists, so that
    hostile user code is stopped as in a compile; they write into a private temporary folder.

    Raises:
        CompileErrors: Every discovery problem, else every serialization problem.
        BundleError: An entity name cannot be a bundle file name (CT503).
    """
    names = [str(p) for p in paths]
    table = handlers or default_handlers()
    if hasattr(os, "fork"):  # user code runs in watched workers, as for a compile
        plan = _plan(names, options)
        job = _job(plan, settings, table, dataclasses.replace(options, render=False))
        outcome = list_parallel(job, auto_jobs(options.jobs, plan))
        listed = sorted(outcome.compiled.values(), key=lambda e: e.file)
        modules = [source.name for source in plan.sources]
        return CompileResult(
            listed,
            modules,
            warnings=outcome.warnings,
            reused=outcome.reused,
            cache_notes=outcome.cache_notes,
        )
    with open_compilation(
        names, settings, table, options, plan=_plan(names, options)
    ) as compilation:
        entities = []
        for entity in compilation.entities():
            file = pb_file_name(entity.name, entity.kind, entity.level)
            entities.append(compilation.compiled[file])
        modules = list(compilation.discovery.modules)
        warnings = _sorted_warnings(compilation.discovery.warnings)
    return CompileResult(sorted(entities, key=lambda e: e.file), modules, warnings=warnings)


def compile_package(
    paths: Sequence[PathLike],
    settings: SerializationSettings,
    *,
    out: PathLike | None = None,
    options: CompileOptions = _DEFAULT,
    handlers: EntityHandlers | None = None,
) -> CompileResult:
    """Compile the entities under ``paths`` into the bundle folder ``out``, atomically.

    Args:
        paths: Package folders, folders of packages, or ``.py`` files.
        settings: Images, environment and ids written into every entity.
        out: The bundle folder (replaced as a whole), or an archive path ``FILE.tgz`` /
            ``FILE.tar.gz`` (:func:`is_archive_path`: only the archive is written, renamed
            into place); ``None`` writes nothing, as :func:`list_package`.
        options: Workers, import timeout, source root, reuse, ... (:class:`CompileOptions`).
        handlers: The kind-to-handler table (default: :func:`default_handlers`).

    Returns:
        The compiled entities, the modules imported, and what was written.

    Raises:
        CompileErrors: Every discovery problem if there is one, else every serialization
            problem, sorted by location; nothing was written.
        BundleError: The folder is refused or cannot be written; nothing was changed.
    """
    if out is None:
        return list_package(paths, settings, options=options, handlers=handlers)
    names = [str(p) for p in paths]
    table = handlers or default_handlers()
    plan = _plan(names, options)
    protect = [Path.cwd(), *(Path(p) for p in names), *plan.roots, *options.protect]
    modules = [source.name for source in plan.sources]
    if is_archive_path(out):
        members, outcome = _write_archive(plan, settings, table, Path(out), options, protect)
        return CompileResult(
            entities=[outcome.compiled[file] for file in members],
            modules=modules,
            files=members,
            archive=Path(out),
            warnings=outcome.warnings,
            reused=outcome.reused,
            cache_notes=outcome.cache_notes,
        )
    bundle, outcome = _write(plan, settings, table, Path(out), options, protect)
    return CompileResult(
        entities=[outcome.compiled[file] for file in bundle.files],
        modules=modules,
        out_dir=bundle.out_dir,
        files=bundle.files,
        manifest=bundle.manifest,
        warnings=outcome.warnings,
        reused=outcome.reused,
        cache_notes=outcome.cache_notes,
    )


def _plan(names: list[str], options: CompileOptions) -> DiscoveryPlan:
    """The caller's listing of ``names`` (``options.plan``) if it lists them, else a new one."""
    given = options.plan
    if given is not None and given.paths == tuple(names):
        return given
    return plan_discovery(names, options.source_root)


def _job(
    plan: DiscoveryPlan,
    settings: SerializationSettings,
    handlers: EntityHandlers,
    options: CompileOptions,
) -> ParallelJob:
    return ParallelJob(
        plan,
        settings,
        handlers,
        import_timeout=options.import_timeout,
        progress=options.progress,
        debug=options.debug,
        render=options.render,
        cache=_cache(plan, settings, handlers, options),
        precompiled=options.precompiled,
    )


def _cache(
    plan: DiscoveryPlan,
    settings: SerializationSettings,
    handlers: EntityHandlers,
    options: CompileOptions,
) -> ModuleCache | None:
    """The compile cache of this run, or ``None`` (none asked for, or a custom type engine)."""
    if options.cache_dir is None or settings.type_engine is not None:
        return None
    custom = [f"{type(h).__module__}.{type(h).__qualname__}" for h in handlers]
    folder = Path(options.cache_dir)
    key = run_key(folder, settings.to_dict(), f"{settings!r} {custom}", options.render, plan.roots)
    cache = ModuleCache(folder, key, plan.roots)
    cache.prepare()
    cache.prune()
    return cache


def _write_archive(
    plan: DiscoveryPlan,
    settings: SerializationSettings,
    handlers: EntityHandlers,
    out: Path,
    options: CompileOptions,
    protect: Sequence[Path],
) -> tuple[list[str], WorkerOutcome]:
    """The archive alone (``--out FILE.tgz``), from watched workers where ``fork`` exists."""
    if hasattr(os, "fork"):
        job = _job(plan, settings, handlers, options)
        jobs = auto_jobs(options.jobs, plan)
        return write_archive_parallel(out, job, jobs=jobs, force=options.force, protect=protect)
    plain = CompileOptions(**{**options.__dict__, "render": False})
    with open_compilation(list(plan.paths), settings, handlers, plain, plan=plan) as compilation:
        members: list[str] = []

        def build(folder: Path) -> Path:
            with EntityWriter(folder, None, loose=False) as writer:
                entries = write_entities(writer, compilation.entities())
            members.extend(sorted(entry.file for entry in entries))
            return finish_archive(folder, entries)

        replace_file(out, build, force=options.force, protect=protect)
        warnings = _sorted_warnings(compilation.discovery.warnings)
        return members, WorkerOutcome(compilation.compiled, warnings)


def _write(
    plan: DiscoveryPlan,
    settings: SerializationSettings,
    handlers: EntityHandlers,
    out: Path,
    options: CompileOptions,
    protect: Sequence[Path],
) -> tuple[BundleResult, WorkerOutcome]:
    """Forked workers, one for a small package: user code never runs in this process.

    A module may hang in a C call, catch every exception, end the process or leave threads
    behind; only a separate process can be stopped or outlived, so the import runs in a
    worker whatever ``jobs`` is (``compiler.pipeline.workers``). The in-process path remains
    for platforms without ``fork``.
    """
    recorded = settings.to_dict()
    jobs = auto_jobs(options.jobs, plan)
    if hasattr(os, "fork"):
        job = _job(plan, settings, handlers, options)
        return write_parallel(
            out,
            job,
            settings=recorded,
            jobs=jobs,
            force=options.force,
            protect=protect,
            reuse=options.reuse,
        )
    with open_compilation(list(plan.paths), settings, handlers, options, plan=plan) as compilation:
        bundle = write_bundle(
            out,
            compilation.entities(),
            render=handlers.render if options.render else None,
            settings=recorded,
            force=options.force,
            protect=protect,
            reuse=options.reuse,
        )
        warnings = _sorted_warnings(compilation.discovery.warnings)
        return bundle, WorkerOutcome(compilation.compiled, warnings)
