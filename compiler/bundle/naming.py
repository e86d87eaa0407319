"""Stable bundle file names: ``{level:02d}_{entity name}_{kind}.pb`` (WIRE-FORMAT 2.3).

No positional index, so adding or removing an entity never renames another file, and byte-wise
sorting (flytectl's registration order) still puts dependencies first.
"""

from __future__ import annotations

from compiler.errors import BundleError
from compiler.idl import EntityKind
from compiler.memo import cached

__all__ = ["MAX_FILE_NAME_BYTES", "entity_file_stem", "pb_file_name", "yaml_file_name"]

MAX_FILE_NAME_BYTES = 255


@cached("bundle.file_stems", maxsize=256)
def entity_file_stem(name: str, kind: EntityKind, level: int = 0) -> str:
    """``00_shop.orders.load_1``: the file name without extension.

    Memoised (a few recent names): the compilation lists each entity's file name and the
    bundle writer names its file right after.

    Raises:
        BundleError: ``name`` cannot be part of a file name (empty, ``/``, NUL, leading ``.``,
            or too long).
    """
    problem = None
    if not name:
        problem = "is empty"
    elif "/" in name or "\\" in name:
        problem = "contains a path separator"
    elif "\x00" in name:
        problem = "contains a NUL character"
    elif name.startswith("."):
        problem = "starts with '.'"
    # The length without encoding an ASCII stem: this runs for every entity compiled.
    stem = f"{level:02d}_{name}{kind.stem_suffix}"
    size = len(stem) if stem.isascii() else len(stem.encode())
    if problem is None and size + len(".yaml") > MAX_FILE_NAME_BYTES:
        problem = f"makes a file name longer than {MAX_FILE_NAME_BYTES} bytes"
    if problem is not None:
        raise BundleError(
            f"entity name {name!r} {problem}, so it cannot be a bundle file name",
            code="CT503",
            hint="choose a name made of letters, digits, '.', '_' and '-'",
            task=name or None,
        )
    return stem


def pb_file_name(name: str, kind: EntityKind, level: int = 0) -> str:
    """The ``.pb`` file name of an entity."""
    return f"{entity_file_stem(name, kind, level)}.pb"


def yaml_file_name(name: str, kind: EntityKind, level: int = 0) -> str:
    """The YAML rendering's file name (inside the bundle's ``yaml/`` folder)."""
    return f"{entity_file_stem(name, kind, level)}.yaml"
