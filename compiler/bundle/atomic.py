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
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Generic, TypeVar

from compiler.bundle.manifest import is_bundle_dir
from compiler.errors import BundleError, OutputDirError, SourceLocation
from compiler.records import frozen_record
from compiler.signals import signals_blocked, sigterm_as_interrupt

__all__ = [
    "KeepOld",
    "bundle_write_error",
    "check_output_dir",
    "check_removable",
    "discard_dir",
    "folder_lock",
    "replace_dir",
    "replace_file",
    "signals_blocked",
    "sigterm_as_interrupt",
    "swap_dir",
]

T = TypeVar("T")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_LIBC = ctypes.CDLL(None, use_errno=True)
_RENAMEAT2 = getattr(_LIBC, "renameat2", None)


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


def swap_dir(new: Path, target: Path, *, retired_prefix: str | None = None) -> Path | None:
    """Put the folder ``new`` at ``target``; return where the previous ``target`` now is.

    With ``renameat2(RENAME_EXCHANGE)`` the two folders trade places in one step (the old
    content ends up at ``new``); elsewhere the old folder is renamed aside first and renamed
    back if the second rename fails for any reason, ``KeyboardInterrupt`` included. Either
    way ``target`` holds the old or the new folder, never nothing. The caller deletes the
    returned folder (:func:`discard_dir`) once it no longer needs it; ``None`` means there was
    no previous ``target``.

    Args:
        new: The complete new folder, beside ``target``.
        target: The folder to replace (not a symbolic link: callers resolve or refuse those).
        retired_prefix: Name prefix of the aside folder in the two-rename case
            (default ``.<target name>.old-``, which :func:`replace_dir` recovers after a kill).
    """
    if not os.path.lexists(target):
        os.replace(new, target)
        return None
    if _exchange(new, target):
        return new
    prefix = retired_prefix or f".{target.name}.old-"
    old = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    os.rmdir(old)
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    return old


def discard_dir(folder: Path | None) -> None:
    """Delete a retired folder, best effort: the swap has succeeded whatever happens here.

    Read-only sub-folders are made writable first (they are ours to delete once retired);
    what still cannot be removed is left for the next compile's leftover cleanup.
    """
    if folder is None:
        return
    with signals_blocked():  # a Ctrl-C now would leave the folder half deleted beside --out
        try:
            shutil.rmtree(folder)
        except OSError:
            for path, _dirs, _files in os.walk(folder):
                with contextlib.suppress(OSError):
                    os.chmod(path, 0o700)
            shutil.rmtree(folder, ignore_errors=True)


def check_removable(old: Path) -> None:
    """Refuse, before the swap, an old folder whose folders we may not change.

    Replacing ``--out`` needs no write access to it, but deleting the old content afterwards
    does; failing then would report an error for a run that has already replaced the folder.
    So a folder of the old bundle that is not writable stops the compile first (CT507 naming
    it), and ``--out`` stays as it was.
    """
    with os.scandir(old) as entries:  # d_type: no stat per file of a large bundle
        folders = [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    for folder in [old, *folders]:
        if not os.access(folder, os.W_OK | os.X_OK, effective_ids=_EFFECTIVE_IDS):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))


_EFFECTIVE_IDS = os.access in os.supports_effective_ids


def _remove_leftovers(out: Path) -> None:
    """Delete temporary folders a killed compile left beside ``out`` (we hold the lock).

    One pass over the parent folder, comparing name prefixes: ``glob`` would read it once per
    prefix, match every name against a pattern, and read a ``[`` in ``out``'s name as a set.
    """
    temporary, retired = f".{out.name}.tmp-", f".{out.name}.old-"
    with os.scandir(out.parent) as entries:
        stale = sorted(e.name for e in entries if e.name.startswith((temporary, retired)))
    for name in stale:
        path = out.parent / name
        if name.startswith(retired) and not out.exists():
            os.rename(path, out)  # killed between the two renames: restore the old folder
        else:
            shutil.rmtree(path, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _resolve_out(out: Path) -> Path:
    """``out`` made absolute; a symbolic link is followed to the folder it names (kept as is).

    A link to a folder, or a dangling link whose target's parent exists or can be created,
    is written through: the bundle goes where the link points and the link itself stays. A
    link that cannot be followed (a loop) is refused; a link is never replaced.
    """
    out = Path(os.path.abspath(out))
    if not out.is_symlink():
        return out
    target = Path(os.path.realpath(out))
    if os.path.islink(target) or target == out:
        raise OutputDirError(
            f"--out '{out}' is a symbolic link that cannot be followed (a loop)",
            code="CT520",
            hint="point the link at a folder, or give the folder itself as --out",
            location=SourceLocation(str(out)),
        )
    return target


@contextlib.contextmanager
def _locked_beside(out: Path) -> Iterator[None]:
    """Hold the lock of ``out``'s parent (created if needed), SIGTERM acting as Ctrl-C."""
    lock = contextlib.ExitStack()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock.enter_context(folder_lock(out.parent))
    except OSError as exc:
        raise bundle_write_error(out, exc) from exc
    with lock, sigterm_as_interrupt():
        yield


def _fresh_tmp(out: Path) -> Path:
    """Remove what killed runs left beside ``out``, then make the hidden folder to build in.

    Signals are held back meanwhile: an interrupt between creating the folder and the caller
    guarding it would leave it beside ``out``.
    """
    try:
        with signals_blocked():
            _remove_leftovers(out)
            return Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise bundle_write_error(out, exc) from exc


@frozen_record
class KeepOld(Generic[T]):
    """What a :func:`replace_dir` build returns when the folder being replaced already holds
    exactly the new content: it is kept as it is (no swap), and ``value`` is returned."""

    value: T


def replace_dir(
    out: Path,
    build: Callable[[Path, Path | None], T | KeepOld[T]],
    *,
    force: bool = False,
    protect: Sequence[Path] = (),
) -> T:
    """Build new content with ``build(tmp)`` and swap it in at ``out`` atomically.

    Args:
        out: The output folder (made absolute; its parent is created). A symbolic link is
            followed: the folder it points to is replaced, the link stays.
        build: ``build(tmp, old)`` writes the content into the empty folder ``tmp``; ``old``
            is the folder being replaced (``None`` if there is none), readable until the
            swap. Its result is returned; a :class:`KeepOld` result keeps ``old`` as it is.
        force: Replace a foreign non-empty folder.
        protect: Paths ``out`` must not contain (see :func:`check_output_dir`).

    Raises:
        BundleError: The folder is refused, or cannot be written (CT507, naming the path and
            the cause); ``out`` is then exactly as it was and nothing is left beside it.
    """
    out = _resolve_out(out)
    check_output_dir(out, force=force, protect=protect)
    with _locked_beside(out):
        return _replace_locked(out, build, force, protect)


def _replace_locked(
    out: Path, build: Callable[[Path, Path | None], T], force: bool, protect: Sequence[Path]
) -> T:
    check_output_dir(out, force=force, protect=protect)
    tmp = _fresh_tmp(out)
    retired: Path | None = None
    swapped = False
    try:
        old = out if out.is_dir() else None
        result = build(tmp, old)
        if isinstance(result, KeepOld):  # the old folder already is the new bundle
            discard_dir(tmp)
            return result.value  # type: ignore[no-any-return]
        if old is not None:
            check_removable(old)
        os.chmod(tmp, 0o777 & ~_umask())
        with signals_blocked():
            retired = swap_dir(tmp, out)
            swapped = True
    except OSError as exc:
        discard_dir(tmp)
        raise bundle_write_error(out, exc, tmp) from exc
    except BaseException:
        # A signal held back during the swap is raised when the mask is restored: the new
        # bundle is in by then, and the retired one must still go.
        discard_dir(retired if swapped else tmp)
        raise
    discard_dir(retired)
    return result


_HINTS = {
    errno.ENOSPC: "free space on the disk that holds '{parent}' (or write the bundle elsewhere)",
    errno.EDQUOT: "free space within your disk quota, or write the bundle elsewhere",
    errno.EACCES: "make '{path}' writable by the user running compile-tasks",
    errno.EPERM: "make '{path}' writable by the user running compile-tasks",
    errno.EROFS: "'{path}' is on a read-only file system: write the bundle elsewhere",
    errno.ENOTDIR: "choose another --out, or move the file out of the way",
    errno.EEXIST: "choose another --out, or move the file out of the way",
}


def bundle_write_error(out: Path, exc: OSError, tmp: Path | None = None) -> BundleError:
    """CT507 naming ``--out``, the path the system refused (unless a temporary one) and why."""
    path = str(out)
    culprit = exc.filename if isinstance(exc.filename, str) else None
    if culprit and tmp is not None and (culprit == str(tmp) or culprit.startswith(f"{tmp}/")):
        culprit = None  # a file of ours inside the new bundle: the folder is what matters
    if culprit and culprit != path:
        path = culprit
    cause = exc.strerror or str(exc)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocking = _file_component(Path(path))
        if blocking is not None:
            path, cause = str(blocking), f"'{blocking}' is a file, not a folder"
    where = f" ('{path}')" if path != str(out) else ""
    hint = _HINTS.get(
        exc.errno or 0, "check that the folder's parent is writable and the disk is not full"
    )
    return BundleError(
        f"cannot write the bundle to '{out}'{where}: {cause}",
        code="CT507",
        hint=hint.format(path=path, parent=out.parent),
        location=SourceLocation(str(out)),
    )


def _file_component(path: Path) -> Path | None:
    """The first existing part of ``path`` (itself or a parent) that is not a folder."""
    for part in [*reversed(path.parents), path]:
        if os.path.lexists(part) and not part.is_dir():
            return part
    return None


_GZIP_MAGIC = b"\x1f\x8b"


def _check_output_file(out: Path, *, force: bool, protect: Sequence[Path]) -> None:
    """Refuse an archive path that must not be replaced (see :func:`replace_file`)."""
    where = SourceLocation(str(out))
    for kept in protect:
        if Path(os.path.abspath(kept)) == out:
            raise OutputDirError(
                f"--out '{out}' is '{kept}', which replacing it would delete",
                code="CT504",
                hint="write the archive to a separate path, e.g. --out bundle.tgz",
                location=where,
            )
    if not os.path.lexists(out):
        return
    if not out.is_file():  # a FIFO or device: never opened, never replaced
        raise OutputDirError(
            f"--out '{out}' exists and is not a regular file",
            code="CT502",
            hint="choose another path for the archive",
            location=where,
        )
    if force:
        return
    try:
        with open(out, "rb") as file:
            head = file.read(2)
    except OSError:
        return  # the replace reports it (CT507) with the real cause
    if head and head != _GZIP_MAGIC:
        raise OutputDirError(
            f"--out '{out}' is a file that was not written by compile-tasks (not a gzip archive)",
            code="CT502",
            hint="choose another path, delete the file, or pass --force to replace it",
            location=where,
        )


def replace_file(
    out: Path,
    build: Callable[[Path], Path],
    *,
    force: bool = False,
    protect: Sequence[Path] = (),
) -> Path:
    """Build a file with ``build(tmp)`` in a hidden folder beside ``out``, rename it to ``out``.

    The archive-only compile's swap (``--out FILE.tgz``): one ``rename`` puts the complete
    file in place, under the same lock as :func:`replace_dir`; on any error or interrupt the
    temporary folder is removed and ``out`` is left as it was. A symbolic link is followed.

    Args:
        out: The file to write.
        build: ``build(tmp)`` writes into the empty folder ``tmp`` and returns the file to move.
        force: Replace an existing file that is not a gzip archive.
        protect: Paths ``out`` must not be.

    Raises:
        BundleError: ``out`` is refused (CT502, CT504) or cannot be written (CT507).
    """
    out = _resolve_out(out)
    _check_output_file(out, force=force, protect=protect)
    with _locked_beside(out):
        _check_output_file(out, force=force, protect=protect)
        tmp = _fresh_tmp(out)
        try:
            built = build(tmp)
            os.chmod(built, 0o666 & ~_umask())
            with signals_blocked():
                os.replace(built, out)
        except OSError as exc:
            raise bundle_write_error(out, exc, tmp) from exc
        finally:
            discard_dir(tmp)
    return out
