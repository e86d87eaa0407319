"""Serialize, render and write a large package with several worker processes.

After discovery the process forks ``jobs`` workers (``os.fork``: they share the imported user
modules copy-on-write, nothing is re-imported). Worker ``k`` handles tasks ``k, k+jobs, ...``:
it serializes each one and writes (or links, see ``compiler.bundle.reuse``) its ``.pb`` and
YAML into the bundle's temporary folder, and records manifest entries and problems in a hidden
result file there. The parent waits, merges
(sorted, so the output is identical to a sequential run), and finishes the bundle. Interrupts
kill the workers; the temporary folder is then removed as for any failed compile.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from compiler import errors as error_classes
from compiler.bundle import (
    BundleResult,
    EntityWriter,
    ManifestEntry,
    PreviousBundle,
    Renderer,
    check_file_stems,
    finish_bundle,
    prepare_folder,
    replace_dir,
)
from compiler.cli.pipeline import Compilation
from compiler.errors import CompileErrors, CompileTasksError, SourceLocation
from compiler.idl import EntityKind

__all__ = ["auto_jobs", "write_parallel"]

#: Below this many tasks a second process costs more than it saves.
MIN_TASKS_PER_JOB = 100


def auto_jobs(requested: int, tasks: int) -> int:
    """The number of workers: ``requested`` if positive, else one per core (at most 4).

    Automatic mode stays in one process for small packages and when the user's modules started
    threads at import (forking a process with running threads is unsafe).
    """
    if requested > 0:
        return max(1, min(requested, tasks))
    if threading.active_count() > 1:
        return 1  # a module started threads at import: forking them is not safe
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 4, tasks // MIN_TASKS_PER_JOB))


def _encode_error(error: CompileTasksError) -> dict[str, Any]:
    loc = error.location
    return {
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
    return cls(
        data["message"],
        code=data["code"],
        hint=data["hint"],
        location=location,
        task=data["task"],
        param=data["param"],
        param_kind=data["param_kind"],
    )


def _work(
    index: int,
    jobs: int,
    folder: Path,
    compilation: Compilation,
    stems: Sequence[str],
    render: Renderer,
    previous: PreviousBundle | None,
) -> None:
    """A worker's share; every outcome goes to its result file, one JSON object per line."""
    tasks = compilation.tasks
    with (
        open(folder / f".worker-{index}.jsonl", "w", encoding="utf-8") as results,
        EntityWriter(folder, render, previous, part=index) as writer,
    ):
        for position in range(index, len(tasks), jobs):
            entity, problems = compilation.entity(tasks[position])
            if entity is not None:
                entry = writer.write(entity, stems[position])
                record = {**entry.__dict__, "kind": int(entry.kind)}
                results.write(json.dumps({"entry": record}) + "\n")
            for problem in problems:
                results.write(json.dumps({"error": _encode_error(problem)}) + "\n")
            if index == 0 and compilation.progress is not None:
                compilation.progress("compiling", min(position + jobs, len(tasks)), len(tasks))


def _child(index: int, jobs: int, run: Callable[[int, int], None]) -> None:
    """Body of a forked worker: never returns, never runs the parent's cleanup."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        run(index, jobs)
    except BaseException:
        traceback.print_exc()
        code = 70
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _collect(folder: Path, index: int, status: int) -> tuple[list[ManifestEntry], list[Any]]:
    path = folder / f".worker-{index}.jsonl"
    entries: list[ManifestEntry] = []
    errors: list[CompileTasksError] = []
    if os.waitstatus_to_exitcode(status) != 0 or not path.exists():
        errors.append(
            CompileTasksError(
                f"compile worker {index} failed (exit status {os.waitstatus_to_exitcode(status)})",
                code="CT890",
                hint="this is a bug in compile-tasks; rerun with --jobs 1 --debug and report it",
            )
        )
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if "entry" in record:
                data = record["entry"]
                blob = tuple(data["blob"]) if data.get("blob") else None
                entries.append(
                    ManifestEntry(**{**data, "kind": EntityKind(data["kind"]), "blob": blob})
                )
            else:
                errors.append(_decode_error(record["error"]))
        path.unlink()
    return entries, errors


def _fan_out(
    folder: Path,
    compilation: Compilation,
    stems: Sequence[str],
    render: Renderer,
    jobs: int,
    previous: PreviousBundle | None,
) -> list[ManifestEntry]:
    sys.stdout.flush()
    sys.stderr.flush()

    def run(index: int, count: int) -> None:
        _work(index, count, folder, compilation, stems, render, previous)

    # Objects that exist now are shared with the workers; keep the collector from touching
    # (and so copying) them in every worker. No collection first: a full pass over the
    # imported package costs more than the little cyclic garbage it would free.
    gc.freeze()
    pids: list[int] = []
    try:
        for index in range(jobs):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the worker
                _child(index, jobs, run)
            pids.append(pid)
        statuses = [os.waitpid(pid, 0)[1] for pid in pids]
    except BaseException:
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        raise
    finally:
        gc.unfreeze()
    if compilation.progress is not None:  # the parent owns the terminal line from here on
        compilation.progress("compiling", len(compilation.tasks), len(compilation.tasks))
    entries: list[ManifestEntry] = []
    errors: list[CompileTasksError] = []
    for index, status in enumerate(statuses):
        more_entries, more_errors = _collect(folder, index, status)
        entries += more_entries
        errors += more_errors
    if errors:
        raise CompileErrors(errors)
    return entries


def write_parallel(
    out_dir: Path,
    compilation: Compilation,
    *,
    render: Renderer,
    settings: Mapping[str, Any],
    jobs: int,
    force: bool = False,
    protect: Sequence[Path] = (),
    reuse: bool = True,
) -> BundleResult:
    """Like ``write_bundle(out_dir, compilation.entities(), ...)``, with ``jobs`` workers.

    Raises:
        CompileErrors: Every serialization problem, and entity names unusable as files.
        BundleError: The folder is refused or cannot be written; nothing was changed.
    """
    stems = check_file_stems([(t.name, EntityKind.TASK, 0) for t in compilation.tasks])

    def build(folder: Path, old: Path | None) -> dict[str, Any]:
        previous = PreviousBundle.load(old) if reuse else None
        prepare_folder(folder)
        entries = _fan_out(folder, compilation, stems, render, jobs, previous)
        return finish_bundle(folder, entries, settings, previous)

    manifest = replace_dir(Path(out_dir), build, force=force, protect=protect)
    files = [entry["file"] for entry in manifest["entities"]]
    return BundleResult(out_dir=Path(out_dir), files=files, manifest=manifest)
