"""Reading task specs from a bundle directory or archive, without trusting the archive.

An archive is never extracted to disk: ``.pb`` members are read into memory by the bundle
package's one archive reader (:func:`compiler.bundle.read_members`), which checks every member
first. Empty names, absolute names, ``..`` components, links, devices, FIFOs, oversized members
and archives with too many members are refused with CT721, naming the member.
"""

from __future__ import annotations

import os
import tarfile
from contextlib import closing
from pathlib import Path

from flyteidl.admin import task_pb2

from compiler.bundle import ArchiveLimitError, read_members
from compiler.errors import ExecutionError, RunTargetError
from compiler.idl import EntityKind

__all__ = ["MAX_MEMBERS", "MAX_MEMBER_BYTES", "find_task", "read_task_specs"]

MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: More members than any bundle holds (the benchmark's largest package has 21,200 entities),
#: few enough that listing them stays in bounded memory.
MAX_MEMBERS = 100_000
TASK_SUFFIX = EntityKind.TASK.pb_suffix


def _unsafe(name: str, why: str) -> ExecutionError:
    return RunTargetError(
        f"archive member {name!r} {why}",
        code="CT721",
        hint="a bundle archive holds only regular .pb files; rebuild it with compile-tasks",
    )


def _parse(name: str, data: bytes) -> task_pb2.TaskSpec:
    try:
        return task_pb2.TaskSpec.FromString(data)
    except Exception as exc:  # protobuf's DecodeError
        raise RunTargetError(
            f"{name} is not a TaskSpec ({exc})",
            code="CT720",
            hint=f"files ending in {TASK_SUFFIX} must be TaskSpec messages",
        ) from None


def _wanted(member: tarfile.TarInfo) -> bool:
    return member.isreg() and member.name.endswith(TASK_SUFFIX)


def _read_archive(path: Path) -> dict[str, task_pb2.TaskSpec]:
    specs: dict[str, task_pb2.TaskSpec] = {}
    members = read_members(
        path, _wanted, _unsafe, max_members=MAX_MEMBERS, max_member_bytes=MAX_MEMBER_BYTES
    )
    try:
        with closing(members):  # a member that is not a TaskSpec closes the archive too
            for name, data in members:
                specs[name] = _parse(name, data)
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
