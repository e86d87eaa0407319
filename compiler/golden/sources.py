"""Reading either side of ``compile-tasks diff``: a bundle folder, a ``.tgz``, or goldens.

Accepted, told apart by what they hold:

* a bundle folder written by ``compile-tasks --out`` (its ``yaml/`` renderings are compared);
* a golden directory (``<stem>.yaml`` files and ``checksums.sha256``);
* a folder of ``.pb`` files only (an unpacked ``pyflyte package`` archive);
* a ``.tgz`` / ``.tar.gz`` archive of ``.pb`` files (ours, ``bundle.tgz``, or flytekit's).

``.pb`` files are decoded by their ``_1``/``_2``/``_3`` suffix (TaskSpec, WorkflowSpec,
LaunchPlan) and rendered exactly as the bundle writer renders them. They carry no facts: a
workflow's input defaults are taken from the launch plan of the same name (the default launch
plan holds them); a task's defaults are unknown, so a new task input counts as one without a
default. Archives are read in memory: only regular ``.pb`` members are read (each at most
``MAX_FILE_BYTES``), nothing is extracted to disk.
"""

from __future__ import annotations

import hashlib
import tarfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from google.protobuf.message import DecodeError, Message

from compiler.errors import GoldenError
from compiler.golden.fields import _literal_value
from compiler.golden.layout import (
    CHECKSUMS_FILE,
    MAX_FILE_BYTES,
    EntityFile,
    GoldenSet,
    read_bundle,
    read_golden_dir,
)
from compiler.render import parse_rendering, render_message

__all__ = ["read_pb_files", "read_side"]

_MESSAGES: dict[str, type[Message]] = {
    "1": task_pb2.TaskSpec,
    "2": workflow_pb2.WorkflowSpec,
    "3": launch_plan_pb2.LaunchPlan,
}
_ARCHIVE_SUFFIXES = (".tgz", ".tar.gz", ".tar")
#: Most ``.pb`` members read from one archive (a bundle of 50,000 entities is far beyond).
MAX_MEMBERS = 200_000


def _not_readable(path: Path, why: str) -> GoldenError:
    return GoldenError(
        f"'{path}' cannot be compared: {why}",
        code="CT606",
        hint="pass a bundle folder (compile-tasks --out), a golden directory, a folder of .pb "
        "files, or a .tgz archive of .pb files (pyflyte package)",
    )


def read_side(path: Path) -> GoldenSet:
    """The entities of one side of a diff (see the module docstring for what is accepted).

    Raises:
        GoldenError: CT606 when the path is none of the accepted kinds; CT607 when an archive
            or a ``.pb`` file is corrupt; the golden layout errors of a golden directory.
    """
    if not path.exists():
        raise _not_readable(path, "it does not exist")
    if path.is_file():
        if not path.name.endswith(_ARCHIVE_SUFFIXES):
            raise _not_readable(path, "it is a file but not a .tgz or .tar archive")
        return read_pb_files(_archive_members(path), str(path))
    if (path / "yaml").is_dir():
        return read_bundle(path)
    names = [p.name for p in path.iterdir()]
    if CHECKSUMS_FILE in names or any(n.endswith(".yaml") for n in names):
        return read_golden_dir(path)
    pbs = sorted(p for p in path.iterdir() if p.name.endswith(".pb") and p.is_file())
    if not pbs:
        raise _not_readable(path, "it holds no renderings, goldens or .pb files")
    return read_pb_files(((p.name, _read_pb(p)) for p in pbs), str(path))


def _read_pb(path: Path) -> bytes:
    if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
        raise _corrupt(str(path), "is a symbolic link or larger than a .pb can be")
    return path.read_bytes()


def _corrupt(where: str, why: str) -> GoldenError:
    return GoldenError(
        f"'{where}' {why}",
        code="CT607",
        hint="rebuild the bundle (compile-tasks --out, or pyflyte package)",
    )


def _archive_members(path: Path) -> list[tuple[str, bytes]]:
    members: list[tuple[str, bytes]] = []
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                name = PurePosixPath(member.name).name
                if not member.isfile() or not name.endswith(".pb"):
                    continue  # the source archive, folders, links: not entities
                if member.size > MAX_FILE_BYTES or len(members) >= MAX_MEMBERS:
                    raise _corrupt(str(path), f"member {member.name} is too large or too many")
                handle = archive.extractfile(member)
                if handle is not None:
                    members.append((name, handle.read()))
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _corrupt(str(path), f"is not a readable tar archive ({exc})") from exc
    if not members:
        raise _not_readable(path, "the archive holds no .pb files")
    return sorted(members)


def read_pb_files(files: Iterable[tuple[str, bytes]], origin: str) -> GoldenSet:
    """Decode and render ``(file name, bytes)`` pairs of ``.pb`` files into a set of entities."""
    decoded: list[tuple[str, Message, str]] = []
    for name, data in files:
        stem = name.removesuffix(".pb")
        message_type = _MESSAGES.get(stem.rsplit("_", 1)[-1])
        if message_type is None:
            continue  # not an entity file (flytectl ignores it too)
        try:
            decoded.append((stem, message_type.FromString(data), hashlib.sha256(data).hexdigest()))
        except DecodeError as exc:
            raise _corrupt(f"{origin}/{name}", f"is not a valid {message_type.__name__}") from exc
    defaults = _workflow_defaults(m for _, m, _ in decoded)
    entities: dict[str, EntityFile] = {}
    checksums: dict[str, str] = {}
    for stem, message, digest in decoded:
        facts: dict[str, Any] = {}
        if isinstance(message, workflow_pb2.WorkflowSpec):
            facts["defaults"] = defaults.get(message.template.id.name, {})
        elif isinstance(message, launch_plan_pb2.LaunchPlan):
            facts["defaults"] = _lp_defaults(message)
        text = render_message(message, facts)
        rendering = parse_rendering(text, origin=f"{origin}/{stem}.pb")
        entities[stem] = EntityFile(stem, text, rendering, digest)
        checksums[f"{stem}.pb"] = digest
    return GoldenSet(entities=entities, checksums=checksums, from_pb=True)


def _lp_defaults(plan: launch_plan_pb2.LaunchPlan) -> dict[str, Any]:
    from google.protobuf.json_format import MessageToDict

    found = {}
    for name, parameter in plan.spec.default_inputs.parameters.items():
        if parameter.HasField("default"):
            value = _literal_value(
                MessageToDict(parameter.default, preserving_proto_field_name=True)
            )
            found[name] = value if value is not None else None
    return found


def _workflow_defaults(messages: Iterable[Message]) -> dict[str, dict[str, Any]]:
    """``{workflow name: defaults}`` from the launch plans named like their workflow."""
    found = {}
    for message in messages:
        is_plan = isinstance(message, launch_plan_pb2.LaunchPlan)
        if is_plan and message.id.name == message.spec.workflow_id.name:
            found[message.id.name] = _lp_defaults(message)
    return found
