"""Import, serialize, render and write a large package with several worker processes.

The parent lists the modules (``plan_discovery``) and forks ``jobs`` workers before importing
any user code. Worker ``k`` imports modules ``k, k+jobs, ...`` of the sorted list (and whatever
they import), finds the entities whose home module is in its share, serializes each one with its
kind's handler and writes (or links, see ``compiler.bundle.reuse``) its ``.pb`` and YAML into the
bundle's temporary folder. It records the entities it found, its import problems, manifest
entries, serialization problems and what it compiled in a hidden result file there. The parent
merges them exactly as one process would (duplicate names are checked across all shares;
discovery problems win over serialization problems), sorts, and finishes the bundle, so the
bytes and messages do not depend on the number of workers. Interrupts kill the workers; the
temporary folder is then removed as for any failed compile.

Each worker imports only its share, so a module must import what it uses instead of relying on
a sibling module having been imported before it (the same rule pytest-xdist imposes).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import itertools
import marshal
import os
import select
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler import errors as error_classes
from compiler.bundle import (
    ArchiveMember,
    BundleResult,
    EntityWriter,
    KeepOld,
    ManifestEntry,
    PendingArchive,
    PreviousBundle,
    bundle_write_error,
    finish_archive,
    finish_bundle,
    keep_or_link,
    prepare_folder,
    replace_dir,
    replace_file,
    start_archive,
    write_entities,
)
from compiler.discovery import (
    Discovery,
    DiscoveryPlan,
    EntitySite,
    SourceCompiler,
    discover_share,
    discovery_problems,
    first_per_name,
    precompiled_imports,
)
from compiler.errors import (
    CompileErrors,
    CompileTasksError,
    DiscoveryError,
    InternalError,
    SourceLocation,
    internal_error,
)
from compiler.idl import EntityKind
from compiler.lifetime import defer, ends_with_command
from compiler.pipeline.cache import ModuleCache
from compiler.pipeline.compilation import Compilation
from compiler.pipeline.kinds import RENDER_MODULE, EntityHandlers
from compiler.pipeline.model import CompiledEntity, Progress
from compiler.pipeline.share_cache import ShareCache
from compiler.records import frozen_record
from compiler.settings import SerializationSettings
from compiler.signals import STOP_SIGNALS, signals_blocked

__all__ = [
    "ParallelJob",
    "WorkerOutcome",
    "auto_jobs",
    "list_parallel",
    "user_code_forked",
    "write_archive_parallel",
    "write_parallel",
]

#: ``[True]`` once this process has run the user's code in forked workers (see
#: :func:`user_code_forked`).
_FORKED = [False]

#: Below these per worker, a second process costs more than it saves.
MIN_MODULES_PER_JOB = 4
MIN_SOURCE_BYTES_PER_JOB = 64 * 1024


def auto_jobs(requested: int, plan: DiscoveryPlan) -> int:
    """The number of workers: ``requested`` if positive, else one per core (at most 4).

    Automatic mode stays in one process for small packages (judged by module count and
    source size, since nothing is imported yet) and when threads are running (forking a
    process with running threads is unsafe).
    """
    modules = len(plan.sources)
    if requested > 0:
        return max(1, min(requested, modules))
    if threading.active_count() > 1:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    size = 0
    for source in plan.sources:
        with contextlib.suppress(OSError):
            size += source.file.stat().st_size
    by_size = size // MIN_SOURCE_BYTES_PER_JOB
    return max(1, min(cores or 1, 4, modules // MIN_MODULES_PER_JOB, by_size))


@dataclass
class ParallelJob:
    """Everything a worker needs besides its index (shared with the workers by ``fork``)."""

    plan: DiscoveryPlan
    settings: SerializationSettings
    handlers: EntityHandlers
    import_timeout: float | None = None
    progress: Progress | None = None
    debug: bool = False
    render: bool = False
    loose: bool = True
    previous: PreviousBundle | None = field(default=None, repr=False)
    cache: ModuleCache | None = field(default=None, repr=False)
    #: The helper compiling the package's sources ahead of the workers' imports, if started.
    precompiled: SourceCompiler | None = field(default=None, repr=False)


#: The attributes every error has; a subclass's own (a workflow error's ``workflow`` and
#: ``node``, a launch plan error's ``launch_plan``) travel in ``extra``.
_BASE_FIELDS = frozenset(
    {"message", "code", "hint", "location", "task", "param", "param_kind", "args"}
)


def _extra_fields(error: CompileTasksError) -> dict[str, str | int | None]:
    return {
        name: value
        for name, value in vars(error).items()
        if name not in _BASE_FIELDS
        and not name.startswith("_")
        and (value is None or isinstance(value, (str, int)))
    }


def _encode_error(error: CompileTasksError) -> dict[str, Any]:
    loc = error.location
    return {
        "extra": _extra_fields(error),
        "type": type(error).__name__,
        "message": error.message,
        "code": error.code,
        "hint": error.hint,
        "file": loc.file if loc else None,
        "line": loc.line if loc else 0,
        "task": error.task,
        "param": error.param,
        "param_kind": error.param_kind,
    }


def _decode_error(data: Mapping[str, Any]) -> CompileTasksError:
    cls = getattr(error_classes, str(data["type"]), CompileTasksError)
    if not (isinstance(cls, type) and issubclass(cls, CompileTasksError)):
        cls = CompileTasksError
    location = SourceLocation(data["file"], data["line"]) if data["file"] else None
    error = cls(
        data["message"],
        code=data["code"],
        hint=data["hint"],
        location=location,
        task=data["task"],
        param=data["param"],
        param_kind=data["param_kind"],
    )
    for name, value in dict(data.get("extra") or {}).items():
        setattr(error, name, value)
    return error


#: Seconds between two progress messages of a worker (the terminal shows ten a second).
PROGRESS_INTERVAL = 0.05


def _scaled(progress: Progress | None, jobs: int) -> Progress | None:
    """Worker 0's progress, scaled up to the whole package (the workers advance together).

    Sent at most every ``PROGRESS_INTERVAL`` (and at the end of each stage): a message per
    entity cost the worker a system call each and the parent a wake-up.
    """
    if progress is None:
        return None
    last = [0.0]

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        progress(stage, min(done * jobs, total * jobs), total * jobs)

    return report


def _work(index: int, jobs: int, folder: Path, job: ParallelJob, channel: _Channel) -> None:
    """A worker's share; its outcome goes to its result file (``marshal``: fast, plain data).

    Before each import the worker tells the parent which module it enters (``channel``), so
    that the parent can stop it when the import outlives ``--import-timeout`` and name the
    module when the import ends the process. With a compile cache, the modules whose entries
    still hold are not imported: their stored entities are written instead, and the modules
    compiled afresh are stored (``compiler.pipeline.cache``).
    """
    progress = None
    if index == 0 and job.progress is not None:  # reported by the parent, which owns the TTY
        progress = _scaled(lambda *step: channel.send(("progress", *step)), jobs)
    on_import = (lambda done, total: progress("importing", done, total)) if progress else None
    share = job.plan.sources[index::jobs]
    cache = ShareCache(job.cache, share, job.plan.roots)
    if job.precompiled is not None:  # reused from the cache: not imported, not to compile
        job.precompiled.not_needed(s.file for s in share if s.name in cache.reused)
    entries: list[Any] = []
    written: list[Any] = []
    errors: list[dict[str, Any]] = []
    compiled: list[tuple[Any, ...]] = []
    cache.start()
    try:
        with precompiled_imports(job.precompiled):
            found = discover_share(
                job.plan,
                cache.fresh,
                import_timeout=job.import_timeout,
                progress=on_import,
                on_start=lambda source: channel.send(("start", source.name, str(source.file))),
            )
        # Never closed: restoring ``sys.path`` and ``sys.modules`` is for a process that goes on.
        _KEPT_UNTIL_EXIT.append(found)
        channel.send(("imported",))
        for warning in found.warnings:  # sent now: they survive whatever happens later
            channel.send(("warning", _encode_error(warning)))
        sites = cache.sites(
            [(int(t.kind), t.name, t.location.file, t.location.line) for t in found.found]
        )
        import_errors = [_encode_error(problem) for problem in found.errors]
        if not found.errors:  # else the compile fails on these; serializing adds noise
            # The user's code has run (it imports with the collector on). What is left is
            # serializing and writing, then the process ends: tens of thousands of
            # short-lived objects, freed by reference counting, whose collections (a few
            # milliseconds each) found nothing to free.
            gc.disable()
            entities = first_per_name(found.found)
            discovery = Discovery(entities, [s.name for s in cache.fresh], job.plan.roots)
            compilation = Compilation(
                discovery, job.settings, job.handlers, progress, job.debug, job.render
            )
            keep = cache.watch(compilation, found.found)
            render = job.handlers.render if job.render else None
            # An archive alone, nothing rendered, no compile cache: members laid out in one
            # loop, without the bundle entities and records the general path makes and drops.
            members_only = not job.loose and job.cache is None and render is None
            rows: dict[str, Any] = {}
            with EntityWriter(
                folder, render, job.previous, index, job.loose, keep, defer=True
            ) as writer:
                try:
                    if members_only:
                        entries, rows = compilation.archive_members(writer)
                    else:
                        produced = itertools.chain(compilation.entities(), cache.entities(entities))
                        written = write_entities(writer, produced)
                        encode = _encode_entry if job.loose else _encode_member
                        entries = [encode(entry) for entry in written]
                except CompileErrors as exc:
                    errors = [_encode_error(problem) for problem in exc.errors]
            if members_only:
                encoded = rows
            else:
                encoded = {c.file: _encode_compiled(c) for c in compilation.compiled.values()}
            compiled = [*encoded.values(), *cache.compiled()]
            warned = {str(w.location.file) for w in found.warnings if w.location}
            records = compilation.compiled.values()
            cache.finish(warned, bool(errors), records, lambda c: encoded[c.file], writer.side_file)
            _KEPT_UNTIL_EXIT.append((entities, discovery, compilation, written, encoded))
    finally:
        cache.stop()
    notes = sorted(cache.notes.items())
    outcome = (sites, import_errors, entries, errors, compiled, cache.reused, notes)
    (folder / _result_name(index)).write_bytes(marshal.dumps(outcome))
    channel.send(("written",))  # the parent may decode it while this process is torn down
    _KEPT_UNTIL_EXIT.append(outcome)


#: What a worker made (the user's modules and entities, their bytes, what it reports) stays
#: referenced until the process ends (``os._exit`` in :func:`_child`): freeing it object by
#: object once the result is written, and restoring ``sys.modules``, was about 5 ms of each
#: worker's end at 5,000 tasks (of 11-14 ms), work that the ending process throws away.
_KEPT_UNTIL_EXIT: list[Any] = []


def _result_name(index: int) -> str:
    return f".worker-{index}.result"


class _Channel:
    """The worker's end of its status pipe: length-prefixed ``marshal`` messages."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, message: tuple[Any, ...]) -> None:
        data = marshal.dumps(message)
        os.write(self.fd, len(data).to_bytes(4, "little") + data)


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when the compile process dies (even by SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(70)


def _child(index: int, jobs: int, run: Callable[[int, int, _Channel], None], fd: int) -> None:
    """Body of a forked worker: never returns, never runs the parent's cleanup.

    The worker leads its own process group (so that stopping it also stops what its user
    code started, e.g. ``os.system``), reads no terminal input (standard input is
    ``/dev/null``: an ``input()`` at import fails instead of waiting) and dies with the
    parent. An ``OSError`` (disk full, permissions) is sent to the parent, which reports it
    as one process would.
    """
    code = 0
    channel = _Channel(fd)
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        _die_with_parent(_PARENT[0])
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        gc.set_threshold(*WORKER_GC_THRESHOLDS)
        gc.enable()  # off in the parent while it joins (see _collector_held)
        run(index, jobs, channel)
    except OSError as exc:
        with contextlib.suppress(BaseException):
            channel.send(("oserror", exc.errno or 0, exc.strerror or str(exc), _name(exc)))
        code = 75
    except BaseException:
        traceback.print_exc()
        code = 70
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _name(exc: OSError) -> str | None:
    return exc.filename if isinstance(exc.filename, str) else None


#: A worker allocates a module's worth of objects at a time and frees most of them by
#: reference counting; the collector's default (a young collection every 700 allocations)
#: spent about 5% of a compile's CPU finding no cycles, and one every 10,000 still 5-9 ms of
#: each worker at 5,000 tasks (each pass walks every young object). Every 100,000: about 1 ms,
#: and the same peak memory at 20,000 tasks (the imports make little cyclic garbage).
WORKER_GC_THRESHOLDS = (100_000, 10, 10)
_PARENT = [0]
#: How long past ``--import-timeout`` the parent waits for the worker's own timer.
GRACE_SECONDS = 0.5
#: How often the parent looks for workers whose pipes are closed but which have not ended.
EXIT_POLL_SECONDS = 0.002


@dataclass
class _Watched:
    """What the parent knows of one worker: the module it is importing, how it ended."""

    index: int
    pid: int
    fd: int
    buffer: bytearray = field(default_factory=bytearray)
    module: tuple[str, str] | None = None
    since: float = 0.0
    timed_out: tuple[str, str] | None = None
    os_error: tuple[int, str, str | None] | None = None
    status: int | None = None
    eof: bool = False
    progress: Progress | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)
    share: _Share | None = None
    written: bool = False  # the worker has written its result file
    handed: bool = False  # the worker was passed to ``_watch``'s ``on_result``

    def read(self) -> None:
        """Take what the worker sent (non-blocking); mark the end of the pipe."""
        try:
            data = os.read(self.fd, 1 << 16)
        except BlockingIOError:
            return
        if not data:
            self.eof = True
            return
        self.buffer += data
        while len(self.buffer) >= 4:
            size = int.from_bytes(self.buffer[:4], "little")
            if len(self.buffer) < 4 + size:
                break
            message = marshal.loads(bytes(self.buffer[4 : 4 + size]))
            del self.buffer[: 4 + size]
            self._apply(message)

    def _apply(self, message: tuple[Any, ...]) -> None:
        if message[0] == "start":
            self.module, self.since = (message[1], message[2]), time.monotonic()
        elif message[0] == "imported":
            self.module = None
        elif message[0] == "written":
            self.written = True
        elif message[0] == "progress" and self.progress is not None:
            self.progress(*message[1:])
        elif message[0] == "oserror":
            self.os_error = (message[1], message[2], message[3])
        elif message[0] == "warning":
            self.warnings.append(message[1])

    def overdue(self, limit: float | None, now: float) -> bool:
        return bool(limit) and self.module is not None and now >= self.since + limit + GRACE_SECONDS


def _stop(pid: int) -> None:
    """Kill a worker and everything in its process group."""
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        with contextlib.suppress(OSError):
            kill()


def _watch(
    workers: list[_Watched],
    limit: float | None,
    on_result: Callable[[_Watched], None] | None = None,
) -> None:
    """Wait for every worker; kill one whose import outlives ``limit`` (the root timeout).

    The worker's own timer stops ordinary slow code with a located CT407; this watchdog
    stops what that timer cannot (code that catches the exception and retries, blocks
    signals, or waits in a C call), ``GRACE_SECONDS`` later. ``on_result`` is called once
    with each worker (while the others may still run), as soon as it has written its result
    or has ended: a worker's process takes milliseconds more to free its memory and end.
    """
    live = {w.pid: w for w in workers}
    while live:
        now = time.monotonic()
        wait = 0.1
        for w in live.values():
            if limit and w.module is not None:
                wait = min(wait, max(0.0, w.since + limit + GRACE_SECONDS - now))
        fds = [w.fd for w in live.values() if not w.eof]
        if len(fds) < len(live):  # a closed pipe: that worker is exiting, poll it closely
            wait = min(wait, EXIT_POLL_SECONDS)
        ready = select.select(fds, [], [], wait)[0] if fds else []
        if not fds:
            time.sleep(wait)
        for w in live.values():
            if w.fd in ready:
                w.read()
            if w.written and not w.handed:
                _hand(w, on_result)
        now = time.monotonic()
        for pid, w in list(live.items()):
            if w.timed_out is None and w.overdue(limit, now):
                w.timed_out = w.module
                _stop(pid)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                while not w.eof and w.fd in select.select([w.fd], [], [], 0)[0]:
                    w.read()
                w.status = status
                del live[pid]
                if not w.handed:
                    _hand(w, on_result)


def _hand(watched: _Watched, on_result: Callable[[_Watched], None] | None) -> None:
    watched.handed = True
    if on_result is not None:
        on_result(watched)


#: An entity's site as a worker reports it: ``(int(kind), name, file, line)``.
_RawSite = tuple[int, str, str, int]


@dataclass
class _Results:
    """What all workers reported."""

    #: ``(kind, name, file, line)`` of every entity found (:func:`_entity_sites`).
    sites: list[_RawSite] = field(default_factory=list)
    import_errors: list[CompileTasksError] = field(default_factory=list)
    #: Manifest entries; an archive-only compile's workers send members (all it needs).
    entries: list[Any] = field(default_factory=list)
    errors: list[CompileTasksError] = field(default_factory=list)
    compiled: dict[str, CompiledEntity] = field(default_factory=dict)
    warnings: list[CompileTasksError] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    cache_notes: list[tuple[str, str]] = field(default_factory=list)


@frozen_record
class WorkerOutcome:
    """What a parallel compile gives back besides the bundle: entities, warnings, and the
    modules reused from the compile cache (not imported)."""

    compiled: dict[str, CompiledEntity]
    warnings: list[CompileTasksError]
    reused: list[str] = field(default_factory=list)
    cache_notes: list[tuple[str, str]] = field(default_factory=list)


#: ``EntityKind`` by value: a dict lookup is several times cheaper than the enum's call.
_KINDS = {int(kind): kind for kind in EntityKind}


@frozen_record
class _Report:
    """What a worker reports besides its entries, decoded."""

    #: ``(kind, name, file, line)`` of each entity found, as the worker sent them.
    sites: list[_RawSite]
    import_errors: list[CompileTasksError]
    errors: list[CompileTasksError]
    compiled: list[CompiledEntity]
    reused: list[str]
    notes: list[tuple[str, str]]


@frozen_record
class _Share:
    """One worker's result file: its entries decoded; the rest decoded, or as it was read
    until it is needed (:func:`_report_of`)."""

    entries: list[ManifestEntry] | list[ArchiveMember]
    rest: _Report | tuple[Any, ...]


def _load_share(path: Path, loose: bool, *, rest: bool = True) -> _Share:
    """Read, decode and remove a worker's result file (``loose``: as ``ParallelJob.loose``);
    without ``rest``, only its entries are decoded yet."""
    sites, import_errors, entries, errors, compiled, reused, notes = marshal.loads(
        path.read_bytes()
    )
    path.unlink()
    undecoded = (sites, import_errors, errors, compiled, reused, notes)
    return _Share(
        [_decode_entry(data) for data in entries]
        if loose
        else [*map(ArchiveMember._make, entries)],
        _decode_report(*undecoded) if rest else undecoded,
    )


def _decode_report(
    sites: list[Any],
    import_errors: list[Any],
    errors: list[Any],
    compiled: list[Any],
    reused: list[str],
    notes: list[Any],
) -> _Report:
    return _Report(
        sites,
        [_decode_error(data) for data in import_errors],
        [_decode_error(data) for data in errors],
        [_decode_compiled(data) for data in compiled],
        reused,
        [tuple(note) for note in notes],
    )


def _report_of(share: _Share) -> _Report:
    rest = share.rest
    return rest if isinstance(rest, _Report) else _decode_report(*rest)


def _encode_entry(entry: ManifestEntry) -> dict[str, Any]:
    return {**entry.__dict__, "kind": int(entry.kind)}


def _encode_member(entry: ManifestEntry | ArchiveMember) -> tuple[str, Any]:
    """An archive-only compile's entry: its file and side-file place, nothing the parent would
    decode for nothing (the manifest fields; a dict per entity made decoding a share the
    slowest step between the last worker's end and the archive)."""
    return (entry.file, entry.blob)


def _decode_entry(data: dict[str, Any]) -> ManifestEntry:
    """The entry :func:`_encode_entry` sent."""
    data["kind"] = _KINDS[data["kind"]]
    return ManifestEntry(**data)


def _preload(folder: Path, watched: _Watched, loose: bool, *, rest: bool = True) -> None:
    """Decode the result of a worker as soon as it has written it (without ``rest``: its
    entries only, the rest when :func:`_collect` needs it).

    The workers seldom end together: the parent decodes the first one's share while the
    last one still works (and the last one's while its process is torn down), instead of
    decoding every share after the last has ended. Anything unusual (a timeout, an error, a
    failed exit) is left to :func:`_collect`, which also judges the exit status of a worker
    whose share was decoded before it ended.
    """
    if watched.status is not None and os.waitstatus_to_exitcode(watched.status) != 0:
        return
    path = folder / _result_name(watched.index)
    if watched.os_error is None and watched.timed_out is None and path.exists():
        watched.share = _load_share(path, loose, rest=rest)


def _collect(
    folder: Path, watched: _Watched, limit: float | None, into: _Results, loose: bool
) -> None:
    index, status = watched.index, watched.status or 0
    into.warnings += [_decode_error(data) for data in watched.warnings]
    path = folder / _result_name(index)
    code = os.waitstatus_to_exitcode(status)
    if watched.os_error is not None:
        number, reason, name = watched.os_error
        raise OSError(number, reason, name)
    if watched.timed_out is not None:
        into.import_errors.append(_timed_out(*watched.timed_out, float(limit or 0)))
        return
    reported = watched.share is not None or path.exists()
    if (code != 0 or not reported) and watched.module is not None:
        into.import_errors.append(_ended_process(*watched.module, code))
        return
    if code != 0 or not reported:
        into.errors.append(
            internal_error(
                f"compile worker {index} failed (exit status {code})",
                hint="this is a bug in compile-tasks; rerun with --jobs 1 --debug and report it",
            )
        )
    if not reported:
        return
    share = watched.share or _load_share(path, loose)
    report = _report_of(share)
    into.reused += report.reused
    into.cache_notes += report.notes
    # An entity without a home module of its own (a map task, compiled with each workflow that
    # uses it) is reported by every worker that imported such a workflow: the same site and the
    # same file from another worker is that one entity, kept once (its lowest module, as the
    # in-process discovery would record it). Two sites from one worker stay a duplicate.
    earlier = set(into.sites)
    into.sites += [site for site in report.sites if site not in earlier]
    into.import_errors += report.import_errors
    _add_entries(into.entries, share.entries)
    into.errors += report.errors
    for entity in report.compiled:
        known = into.compiled.get(entity.file)
        if known is None or entity.module < known.module:
            into.compiled[entity.file] = entity


def _add_entries(entries: list[Any], more: Sequence[Any]) -> None:
    """Add a share's entries: a file another share already wrote (the same map task, found
    by each worker that imported a workflow using it) is kept once, from the lower worker."""
    written = {entry.file for entry in entries}
    entries += [entry for entry in more if entry.file not in written]


def _timed_out(module: str, file: str, limit: float) -> DiscoveryError:
    return DiscoveryError(
        f"importing module '{module}' took longer than {limit:g} s (stopped from outside: "
        "it did not give way to the timer)",
        code="CT407",
        hint="a module must not block at import (network, input(), loops); "
        "raise --import-timeout if it is merely slow",
        location=SourceLocation(file, 0),
    )


def _ended_process(module: str, file: str, code: int) -> DiscoveryError:
    how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
    return DiscoveryError(
        f"module '{module}' ended the compile process at import ({how}; os._exit or a "
        "signal), so nothing was compiled",
        code="CT420",
        hint="importing a module must not end the process; move that code under "
        "`if __name__ == '__main__':`",
        location=SourceLocation(file, 0),
    )


@contextlib.contextmanager
def _collector_held() -> Iterator[None]:
    """The parent's collector while it forks, waits and joins.

    What exists at the fork is frozen (shared with the workers copy-on-write: their
    collectors must not touch it), and the collector is off: decoding the workers' shares
    and finishing the bundle make tens of thousands of objects that live to the end and form
    no cycles, whose collections (12 ms at 5,000 entities into a folder) freed nothing. Both
    are undone when the block ends; in a process that ends with its command, only if it
    turns out to live on (``compiler.lifetime``).
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()

    def give_back() -> None:
        gc.unfreeze()
        if enabled:
            gc.enable()

    try:
        yield
    finally:
        if ends_with_command():  # nothing will collect again, unless the process lives on
            defer(give_back)
        else:
            give_back()


#: Modules of the tool that load on first use (so that ``import compiler`` stays small) but
#: that nearly every worker loads: the docstring parser (any task with a docstring), the
#: launch plan (every workflow's default one, any ``from compiler import LaunchPlan``) and the
#: value converters (a workflow's constant inputs, a launch plan's defaults; without the
#: dataframe types, which load with the first dataset value). Loaded once here before the
#: fork, not once per worker (about 2 ms each for the converters).
SHARED_LATE_MODULES = (
    "compiler.sdk.docstring",
    "compiler.workflow.launch_plan",
    "compiler.types.values",
)


def _fan_out(
    folder: Path,
    job: ParallelJob,
    jobs: int,
    on_entries: Callable[[list[Any]], None] | None = None,
) -> _Results:
    """Fork the workers, watch them and merge what they report. Called inside
    :func:`_collector_held` (which also covers finishing the bundle).

    ``on_entries`` is called once with every worker's entries (merged as the results will
    hold them) as soon as the last share is decoded, before the workers' processes have ended
    (they take milliseconds to free their memory) and before the problems are checked: an
    archive-only compile starts its archive then, and a compile that fails discards it with
    the temporary folder. Of the last share only the entries are decoded before that call;
    the rest is decoded by :func:`_collect`, while the archive's threads deflate.
    """
    for name in (*SHARED_LATE_MODULES, RENDER_MODULE) if job.render else SHARED_LATE_MODULES:
        importlib.import_module(name)
    importlib.import_module("compiler.sdk.docstring").compile_patterns()
    if job.precompiled is not None:  # from now on it would slow one worker down
        job.precompiled.halt()
    sys.stdout.flush()
    sys.stderr.flush()

    def run(index: int, count: int, channel: _Channel) -> None:
        _work(index, count, folder, job, channel)

    _PARENT[0] = os.getpid()
    _FORKED[0] = True
    workers: list[_Watched] = []
    try:
        for index in range(jobs):
            read_end, write_end = os.pipe()
            with signals_blocked():  # a Ctrl-C now would miss the worker being forked
                pid = os.fork()
                if pid == 0:  # pragma: no cover - runs in the worker
                    os.close(read_end)
                    _child(index, jobs, run, write_end)
                workers.append(_Watched(index, pid, read_end, progress=job.progress))
            os.close(write_end)
            os.set_blocking(read_end, False)
            with contextlib.suppress(OSError):
                os.setpgid(pid, pid)
        waiting = on_entries

        def reported(watched: _Watched) -> None:
            nonlocal waiting
            last = all(w.share is not None for w in workers if w is not watched)
            _preload(folder, watched, job.loose, rest=waiting is None or not last)
            shares = [w.share for w in workers]
            if waiting is None or any(share is None for share in shares):
                return
            entries: list[Any] = []
            for share in shares:
                assert share is not None
                _add_entries(entries, share.entries)
            call, waiting = waiting, None
            call(entries)

        _watch(workers, job.import_timeout, reported)
    except BaseException:
        for w in workers:
            _stop(w.pid)
            with contextlib.suppress(OSError):
                os.waitpid(w.pid, 0)
        raise
    finally:
        for w in workers:
            with contextlib.suppress(OSError):
                os.close(w.fd)
    results = _Results()
    for w in workers:
        _collect(folder, w, job.import_timeout, results, job.loose)
    return results


def user_code_forked() -> bool:
    """Whether the user's code ran here in forked workers (a compile or a listing with ``fork``).

    The parent imports no user module on that path, so what it holds afterwards is the tool's
    own objects, none of which needs its finalizer run by the interpreter's last collection.
    """
    return _FORKED[0]


def _raise_problems(plan: DiscoveryPlan, results: _Results) -> None:
    """Every discovery problem if there is one, else every serialization problem."""
    sites = _entity_sites(results.sites)
    problems = discovery_problems(plan, results.import_errors, sites, os.getcwd())
    if problems or results.errors:
        # Worker failures (CT890) are reported whatever else happened.
        internal = [e for e in results.errors if isinstance(e, InternalError)]
        raise CompileErrors(problems + internal if problems else results.errors)


def _entity_sites(reported: list[_RawSite]) -> list[EntitySite]:
    """The sites the discovery check needs: every one when two entities share a kind and a
    name (the check names both places), else only the first (it then reads only whether any
    entity was found). Making thousands of ``EntitySite`` objects that nothing reads was
    several milliseconds of the parent's end."""
    if len({(kind, name) for kind, name, _, _ in reported}) == len(reported):
        reported = reported[:1]
    return [EntitySite(_KINDS[k], name, SourceLocation(f, line)) for k, name, f, line in reported]


def _outcome(results: _Results) -> WorkerOutcome:
    warnings = sorted(results.warnings, key=CompileTasksError.sort_key)
    notes = sorted(results.cache_notes)
    return WorkerOutcome(results.compiled, warnings, sorted(results.reused), notes)


def list_parallel(job: ParallelJob, jobs: int) -> WorkerOutcome:
    """Compile ``job.plan`` in watched workers and describe it; keep nothing that was written.

    The listing (``list``, ``--dry-run``) runs user code too, so it gets the same watchdog as
    a compile; the workers write into a private temporary folder, deleted afterwards.

    Raises:
        CompileErrors: As :func:`write_parallel`.
        BundleError: The temporary folder cannot be written (CT507).
    """
    job.previous, job.render, job.loose = None, False, False
    with tempfile.TemporaryDirectory(prefix="compile-tasks-list-") as tmp:
        folder = Path(tmp) / "bundle"
        try:
            folder.mkdir()
            with _collector_held():
                results = _fan_out(folder, job, jobs)
        except OSError as exc:
            raise bundle_write_error(folder, exc) from exc
    _raise_problems(job.plan, results)
    return _outcome(results)


def _progress_done(job: ParallelJob, results: _Results) -> None:
    if job.progress is not None:  # the parent owns the terminal line from here on
        job.progress("compiling", len(results.sites), len(results.sites))


def write_parallel(
    out_dir: Path,
    job: ParallelJob,
    *,
    settings: Mapping[str, Any],
    jobs: int,
    force: bool = False,
    protect: Sequence[Path] = (),
    reuse: bool = True,
) -> tuple[BundleResult, WorkerOutcome]:
    """Discover and compile ``job.plan`` into the folder ``out_dir`` with ``jobs`` workers.

    The same outcome as ``discover`` followed by ``write_bundle`` in one process.

    Returns:
        What was written, and the compiled entities (by ``.pb`` file name) and warnings.

    Raises:
        CompileErrors: Every discovery problem if there is one, else every serialization
            problem (entity names unusable as files included).
        BundleError: The folder is refused or cannot be written; nothing was changed.
    """
    outcome: list[WorkerOutcome] = []
    job.loose = True

    def build(folder: Path, old: Path | None) -> dict[str, Any] | KeepOld[dict[str, Any]]:
        job.previous = PreviousBundle.load(old) if reuse else None
        prepare_folder(folder, renderings=job.render)
        results = _fan_out(folder, job, jobs)
        _progress_done(job, results)
        _raise_problems(job.plan, results)
        outcome.append(_outcome(results))
        if job.previous is not None:  # the workers deferred linking the unchanged files
            kept = keep_or_link(folder, results.entries, settings, job.previous)
            if kept is not None:
                return KeepOld(kept)
        return finish_bundle(folder, results.entries, settings, job.previous)

    with _collector_held():
        manifest = replace_dir(Path(out_dir), build, force=force, protect=protect)
    files = [entry["file"] for entry in manifest["entities"]]
    return BundleResult(out_dir=Path(out_dir), files=files, manifest=manifest), outcome[0]


def write_archive_parallel(
    out_file: Path,
    job: ParallelJob,
    *,
    jobs: int,
    force: bool = False,
    protect: Sequence[Path] = (),
) -> tuple[list[str], WorkerOutcome]:
    """Compile ``job.plan`` into the archive ``out_file`` only (``--out FILE.tgz``).

    The workers write no files but their side files (in a hidden folder beside
    ``out_file``); the parent builds the archive from those and renames it into place.

    Returns:
        The archive's members (sorted), and the compiled entities and warnings.

    Raises:
        CompileErrors: As :func:`write_parallel`.
        BundleError: The path is refused or cannot be written; nothing was changed.
    """
    members: list[str] = []
    outcome: list[WorkerOutcome] = []
    job.previous, job.render, job.loose = None, False, False

    def build(folder: Path) -> Path:
        started: list[PendingArchive] = []
        try:
            results = _fan_out(
                folder, job, jobs, lambda entries: started.append(start_archive(folder, entries))
            )
            # The archive's threads deflate its last slices while the shares are merged and
            # checked here; a compile that fails stops them before its folder is discarded.
            _progress_done(job, results)
            _raise_problems(job.plan, results)
            outcome.append(_outcome(results))
            members.extend(sorted(entry.file for entry in results.entries))
        except BaseException:
            for archive in started:
                archive.abort()
            raise
        return started[0].finish() if started else finish_archive(folder, results.entries)

    with _collector_held():
        replace_file(Path(out_file), build, force=force, protect=protect)
    return members, outcome[0]


def _encode_compiled(entity: CompiledEntity) -> tuple[Any, ...]:
    return (
        entity.name,
        int(entity.kind),
        entity.file,
        entity.source,
        entity.module,
        entity.task_type,
    )


def _decode_compiled(data: Sequence[Any]) -> CompiledEntity:
    name, kind, file, source, module, task_type = data
    return CompiledEntity(name, _KINDS[kind], file, source, module, task_type)
