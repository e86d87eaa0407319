"""Rewriting a golden directory from a compiled bundle, atomically.

The new golden directory is built completely in a temporary sibling directory
(``.NAME.new-*``), then swapped in by the bundle package's one folder swap
(:func:`compiler.bundle.swap_dir`) with two renames: the old directory to ``.NAME.old-*``, the
new one to ``NAME``. The two renames run with ``SIGINT`` and ``SIGTERM`` blocked (in the main
thread), and any exception between them, ``KeyboardInterrupt`` included, renames the old
directory back; so on an error or interruption the golden directory holds either the old or
the new goldens, never nothing. Only a hard kill (``SIGKILL``, power loss) can leave the old
directory at ``.NAME.old-*``: the next update, holding a lock on the parent directory, renames
it back before reading, and removes other leftovers. Updating is refused when the caller says it
runs under CI: CI checks goldens, it never writes them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from compiler.bundle import check_removable, discard_dir, folder_lock, signals_blocked, swap_dir
from compiler.errors import GoldenError, GoldenUsageError
from compiler.golden.check import compare
from compiler.golden.layout import (
    CHECKSUMS_FILE,
    GoldenSet,
    format_checksums,
    read_bundle,
    read_golden_dir,
)
from compiler.golden.model import GoldenReport

__all__ = ["ci_refusal", "update_goldens", "write_golden_dir"]

#: The random part of a ``tempfile.mkdtemp`` name (8 characters), so that ``.g.old-*`` of a
#: golden directory ``g`` never matches the leftovers of a sibling named ``g.old-x``.
_RANDOM = "?" * 8


def ci_refusal() -> GoldenUsageError:
    """The CT603 error: goldens are never written under CI (checked before compiling, too)."""
    return GoldenUsageError(
        "refusing to update goldens under CI (the CI environment variable is set)",
        code="CT603",
        hint="run the update locally and commit the golden files; CI only checks them",
    )


def update_goldens(bundle_dir: Path, golden_dir: Path, *, ci: bool) -> GoldenReport:
    """Make ``golden_dir`` mirror the bundle; return what changed (computed before writing).

    Args:
        bundle_dir: The compiled bundle (``*.pb`` and ``yaml/``).
        golden_dir: The golden directory; created when missing (its parent must exist).
        ci: True when running under CI (the CLI reads the ``CI`` variable); refuses to write.

    Raises:
        GoldenError: CT603 under CI; layout errors of the bundle or existing goldens.
    """
    if ci:
        raise ci_refusal()
    bundle = read_bundle(bundle_dir)
    lock = contextlib.ExitStack()
    try:
        lock.enter_context(_locked(golden_dir.parent))
    except OSError as exc:
        raise _unwritable(golden_dir, exc) from exc
    with lock:
        _recover_leftovers(golden_dir)
        if golden_dir.exists() or golden_dir.is_symlink():
            golden = read_golden_dir(golden_dir)
        else:
            golden = GoldenSet(entities={}, checksums={})
        report = compare(golden, bundle, str(golden_dir))
        if report.has_changes or not golden_dir.is_dir():
            write_golden_dir(bundle, golden_dir)
    return report


def write_golden_dir(bundle: GoldenSet, golden_dir: Path) -> None:
    """Replace ``golden_dir`` by the renderings and checksums of ``bundle`` (atomic swap)."""
    if golden_dir.is_symlink():
        raise GoldenError(
            f"'{golden_dir}' is a symbolic link",
            code="CT612",
            hint="point --golden at the real directory; an update replaces the directory",
        )
    parent = golden_dir.parent
    if not parent.is_dir():
        raise GoldenError(
            f"cannot create '{golden_dir}': its parent directory does not exist",
            code="CT604",
            hint=f"create '{parent}' first",
        )
    try:
        if golden_dir.is_dir():
            check_removable(golden_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{golden_dir.name}.new-", dir=parent))
    except OSError as exc:
        raise _unwritable(golden_dir, exc) from exc
    # mkdtemp makes a private (0700) directory; keep the mode the goldens had, or a normal one.
    mode = golden_dir.stat().st_mode & 0o777 if golden_dir.is_dir() else 0o755
    try:
        for stem, entity in bundle.entities.items():
            _write(staging / f"{stem}.yaml", entity.text)
        _write(staging / CHECKSUMS_FILE, format_checksums(bundle.checksums))
        staging.chmod(mode)
        _swap(staging, golden_dir)
    except OSError as exc:
        raise _unwritable(golden_dir, exc, staging) from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _unwritable(golden_dir: Path, exc: OSError, staging: Path | None = None) -> GoldenError:
    """CT640: the golden directory cannot be written; names the path refused and the cause."""
    culprit = Path(exc.filename) if isinstance(exc.filename, str) else golden_dir
    if culprit.name.startswith(f".{golden_dir.name}.new-"):
        culprit = golden_dir.parent  # creating our staging folder beside it failed
    elif staging is not None and staging in (culprit, *culprit.parents):
        culprit = golden_dir  # a file of the new goldens: the directory is what matters
    where = "" if culprit == golden_dir else f" ('{culprit}')"
    return GoldenError(
        f"cannot write the golden directory '{golden_dir}'{where}: {exc.strerror or exc}",
        code="CT640",
        hint=f"make '{culprit}' writable by the user running compile-tasks, or free disk space",
    )


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _swap(staging: Path, golden_dir: Path) -> None:
    """Put ``staging`` at ``golden_dir`` (``compiler.bundle.atomic``); then drop the old one.

    The swap runs with ``SIGINT``/``SIGTERM`` held back; a signal that arrived meanwhile is
    raised when the mask is restored, after the swap, and the old directory is deleted anyway.
    """
    retired = None
    try:
        with signals_blocked():
            retired = swap_dir(staging, golden_dir, retired_prefix=f".{golden_dir.name}.old-")
    finally:
        discard_dir(retired)


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """Serialise updates of golden directories in ``parent`` (no lock if it does not exist)."""
    if not parent.is_dir():
        yield  # write_golden_dir reports the missing parent (CT604)
        return
    with folder_lock(parent):
        yield


def _recover_leftovers(golden_dir: Path) -> None:
    """Undo what a killed update left beside ``golden_dir`` (the caller holds the lock).

    An update killed between its two renames left the old goldens at ``.NAME.old-*`` and no
    ``NAME``: rename them back. Any other ``.NAME.old-*`` or ``.NAME.new-*`` is a half-deleted
    or half-written copy and is removed.
    """
    parent, name = golden_dir.parent, glob.escape(golden_dir.name)
    if not parent.is_dir():
        return
    retired = sorted(p for p in parent.glob(f".{name}.old-{_RANDOM}") if _is_plain_dir(p))
    if retired and not os.path.lexists(golden_dir):
        os.replace(retired.pop(), golden_dir)
    staging = [p for p in parent.glob(f".{name}.new-{_RANDOM}") if _is_plain_dir(p)]
    for stale in sorted([*retired, *staging]):
        shutil.rmtree(stale, ignore_errors=True)


def _is_plain_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()
