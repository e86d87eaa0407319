"""Replace an output folder atomically, under a lock, refusing folders that are not ours.

The new content is built in a hidden temporary folder beside the target and swapped in with
``renameat2(RENAME_EXCHANGE)`` (or two renames where that is unavailable). A lock on the parent
folder serialises concurrent compiles into it. On any error, ``SIGINT`` or ``SIGTERM`` the
temporary folder is removed and the previous target stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from compiler.bundle.manifest import is_bundle_dir
from compiler.errors import BundleError, OutputDirError, SourceLocation

__all__ = [
    "check_output_dir",
    "folder_lock",
    "replace_dir",
    "signals_blocked",
    "sigterm_as_interrupt",
    "swap_dir",
]

T = TypeVar("T")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_LIBC = ctypes.CDLL(None, use_errno=True)
_RENAMEAT2 = getattr(_LIBC, "renameat2", None)
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def check_output_dir(out: Path, *, force: bool, protect: Sequence[Path] = ()) -> None:
    """Refuse output folders that must not be replaced.

    Args:
        out: The absolute output folder.
        force: Allow replacing a non-empty folder that is not a compile-tasks bundle.
        protect: Paths that must survive (the sources, the working folder): ``out`` may not
            be one of them nor contain one, even with ``force``.

    Raises:
        BundleError: ``out`` is a file (CT501), a foreign non-empty folder (CT502), or would
            delete a protected path (CT504).
    """
    where = SourceLocation(str(out))
    if out.exists() and not out.is_dir():
        raise OutputDirError(
            f"--out '{out}' is a file, not a folder",
            code="CT501",
            hint="give a folder path for the bundle",
            location=where,
        )
    for kept in protect:
        kept = Path(os.path.abspath(kept))
        if kept == out or out in kept.parents:
            raise OutputDirError(
                f"--out '{out}' contains '{kept}', which replacing it would delete",
                code="CT504",
                hint="write the bundle to a separate folder, e.g. --out bundle/",
                location=where,
            )
    if out.is_dir() and any(out.iterdir()) and not is_bundle_dir(out) and not force:
        raise OutputDirError(
            f"--out '{out}' is a non-empty folder that was not written by compile-tasks",
            code="CT502",
            hint="choose another folder, empty it, or pass --force to replace it",
            location=where,
        )


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` (serialises writers of its children)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so cleanup code runs."""


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C (a ``KeyboardInterrupt``): cleanup code runs.

    Main thread only (signals are delivered there); the previous handler is restored after.
    The CLI wraps every command in it (exit 130), and :func:`replace_dir` too, for callers of
    the library that have no such wrapper.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: object) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM (main thread only: signals are delivered there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False when the platform cannot."""
    if _RENAMEAT2 is None:
        return False
    rc = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_dir(new: Path, out: Path, *, exchange: bool = True) -> None:
    """Put the folder ``new`` at ``out`` with ``SIGINT``/``SIGTERM`` held back; delete the old one.

    The one folder swap of compile-tasks (bundles and golden directories). With ``exchange``,
    one ``renameat2(RENAME_EXCHANGE)`` where the platform has it. Otherwise two renames: ``out``
    to a hidden ``.NAME.old-XXXXXXXX`` beside it, then ``new`` to ``out``; any exception between
    them, ``KeyboardInterrupt`` included, renames the old folder back, so ``out`` holds the old
    or the new content, never nothing (only a hard kill can leave the old folder at
    ``.NAME.old-*``, which the next writer, holding the lock, renames back). A signal that
    arrived during the swap is raised when the mask is restored, after it. The old folder is
    deleted in any case once the new one is in (errors ignored: the swap is done), but kept
    when the rollback itself failed.
    """
    if not os.path.lexists(out):
        os.replace(new, out)
        return
    retired: Path | None = None
    try:
        with signals_blocked():
            if exchange and _exchange(new, out):
                retired = new  # the old content is at ``new`` now
                return
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            retired.rmdir()
            os.replace(out, retired)
            try:
                os.replace(new, out)
            except BaseException:
                os.replace(retired, out)
                raise
    finally:
        if retired is not None and retired.is_dir() and out.is_dir():
            shutil.rmtree(retired, ignore_errors=True)


def _remove_leftovers(out: Path) -> None:
    """Delete temporary folders a killed compile left beside ``out`` (we hold the lock)."""
    for prefix in (f".{out.name}.tmp-", f".{out.name}.old-"):
        for stale in out.parent.glob(f"{prefix}*"):
            if prefix.endswith(".old-") and not out.exists():
                os.rename(stale, out)  # killed between the two renames: restore the old folder
            else:
                shutil.rmtree(stale, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_dir(
    out: Path,
    build: Callable[[Path, Path | None], T],
    *,
    force: bool = False,
    protect: Sequence[Path] = (),
) -> T:
    """Build new content with ``build(tmp)`` and swap it in at ``out`` atomically.

    Args:
        out: The output folder (made absolute; its parent is created).
        build: ``build(tmp, old)`` writes the content into the empty folder ``tmp``; ``old``
            is the folder being replaced (``None`` if there is none), readable until the
            swap. Its result is returned.
        force: Replace a foreign non-empty folder.
        protect: Paths ``out`` must not contain (see :func:`check_output_dir`).

    Raises:
        BundleError: The folder is refused, or cannot be written.
    """
    out = Path(os.path.abspath(out))
    if out.is_symlink() and out.is_dir():
        out = Path(os.path.realpath(out))  # replace the folder the link points to, keep the link
    check_output_dir(out, force=force, protect=protect)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(out, exc) from exc
    with folder_lock(out.parent), sigterm_as_interrupt():
        check_output_dir(out, force=force, protect=protect)
        try:
            _remove_leftovers(out)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        except OSError as exc:
            raise _write_error(out, exc) from exc
        try:
            result = build(tmp, out if out.is_dir() else None)
            os.chmod(tmp, 0o777 & ~_umask())
            swap_dir(tmp, out)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise _write_error(out, exc) from exc
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return result


def _write_error(out: Path, exc: OSError) -> BundleError:
    return BundleError(
        f"cannot write the bundle to '{out}': {exc.strerror or exc}",
        code="CT507",
        hint="check that the folder's parent is writable and the disk is not full",
        location=SourceLocation(str(out)),
    )
