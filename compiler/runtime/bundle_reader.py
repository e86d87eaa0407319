"""Reading task specs from a bundle directory or archive, without trusting the archive.

An archive is never extracted to disk: ``.pb`` members are read into memory, and every member
is checked first. Empty names, absolute names, ``..`` components, links, devices, FIFOs,
oversized members and archives with too many members are refused with CT721, naming the member.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path, PurePosixPath

from flyteidl.admin import task_pb2

from compiler.bundle.archive import ArchiveLimitError, open_bounded_tar
from compiler.errors import ExecutionError, RunTargetError

__all__ = ["MAX_MEMBERS", "MAX_MEMBER_BYTES", "find_task", "read_task_specs"]

MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 10_000
TASK_SUFFIX = "_1.pb"


def _unsafe(name: str, why: str) -> ExecutionError:
    return RunTargetError(
        f"archive member {name!r} {why}",
        code="CT721",
        hint="a bundle archive holds only regular .pb files; rebuild it with compile-tasks",
    )


def _check_member(member: tarfile.TarInfo) -> None:
    """Refuse a member that could be unsafe to read or that no bundle holds (CT721).

    A directory entry naming the archive root (``.`` or ``./``, as ``tar -C out .`` writes)
    has no path parts; it is accepted and, being a directory, never read.
    """
    path = PurePosixPath(member.name)
    if not member.name:  # tarfile reads '/' (and '//') back as ''
        raise _unsafe(member.name, "has an empty name")
    if not path.parts:
        if member.isdir():
            return
        raise _unsafe(member.name, "has no file name")
    if member.name.startswith(("/", "\\")) or path.is_absolute() or ":" in path.parts[0]:
        raise _unsafe(member.name, "has an absolute path")
    if ".." in path.parts:
        raise _unsafe(member.name, "escapes the archive with '..'")
    if member.issym() or member.islnk():
        raise _unsafe(member.name, "is a link")
    if member.isdev() or member.isfifo():
        raise _unsafe(member.name, "is a device or FIFO")
    if not (member.isreg() or member.isdir()):
        raise _unsafe(member.name, "is not a regular file")
    if member.size > MAX_MEMBER_BYTES:
        raise _unsafe(member.name, f"is larger than {MAX_MEMBER_BYTES} bytes")


def _parse(name: str, data: bytes) -> task_pb2.TaskSpec:
    try:
        return task_pb2.TaskSpec.FromString(data)
    except Exception as exc:  # protobuf's DecodeError
        raise RunTargetError(
            f"{name} is not a TaskSpec ({exc})",
            code="CT720",
            hint="files ending in _1.pb must be TaskSpec messages",
        ) from None


def _read_archive(path: Path) -> dict[str, task_pb2.TaskSpec]:
    specs: dict[str, task_pb2.TaskSpec] = {}
    try:
        with open_bounded_tar(path) as tar:  # stops at MAX_ARCHIVE_BYTES uncompressed (CT521)
            for count, member in enumerate(tar, start=1):
                if count > MAX_MEMBERS:
                    raise _unsafe(member.name, f"is past the limit of {MAX_MEMBERS} members")
                _check_member(member)
                if member.isreg() and member.name.endswith(TASK_SUFFIX):
                    source = tar.extractfile(member)
                    data = source.read(MAX_MEMBER_BYTES + 1) if source else b""
                    specs[member.name] = _parse(member.name, data)
    except ArchiveLimitError as exc:  # a decompression bomb: refused like any unsafe member
        raise RunTargetError(exc.message, code="CT721", hint=exc.hint) from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        why = str(exc).splitlines()[0].rstrip(":") if str(exc) else type(exc).__name__
        raise RunTargetError(
            f"cannot read archive {path} ({why})",
            code="CT720",
            hint="pass the bundle directory or the .tgz compile-tasks wrote",
        ) from None
    return specs


def read_task_specs(bundle: str | os.PathLike[str]) -> dict[str, task_pb2.TaskSpec]:
    """Task specs of a bundle directory (top-level ``*_1.pb``) or archive, by file name.

    Raises:
        ExecutionError: CT720 when the bundle is missing or unreadable, CT721 for an unsafe
            archive member.
    """
    path = Path(bundle)
    if path.is_dir():
        return {
            p.name: _parse(p.name, p.read_bytes())
            for p in sorted(path.iterdir())
            if p.name.endswith(TASK_SUFFIX) and p.is_file() and not p.is_symlink()
        }
    if path.is_file():
        return _read_archive(path)
    raise RunTargetError(
        f"bundle {bundle} does not exist",
        code="CT720",
        hint="pass the --out directory of compile-tasks, or its .tgz",
    )


def find_task(specs: dict[str, task_pb2.TaskSpec], name: str) -> task_pb2.TaskSpec:
    """The spec whose task name is ``name``, or the only one whose name ends in ``.name``.

    Raises:
        ExecutionError: CT722 when no task, or more than one, matches.
    """
    by_name = {spec.template.id.name: spec for spec in specs.values()}
    if name in by_name:
        return by_name[name]
    matches = sorted(n for n in by_name if n.endswith(f".{name}"))
    if len(matches) == 1:
        return by_name[matches[0]]
    known = ", ".join(sorted(by_name)) or "(none)"
    what = f"is ambiguous ({', '.join(matches)})" if matches else "is not in the bundle"
    raise RunTargetError(
        f"task {name!r} {what}", code="CT722", hint=f"the bundle's tasks are: {known}"
    )
