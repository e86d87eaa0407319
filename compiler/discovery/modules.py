"""Which modules a PATH stands for: the source root, and every module below PATH in order.

A PATH is a package folder, a plain folder of modules and packages (a source root or a
namespace package), or a single ``.py`` file. The source root is found by walking up while the
folder holds an ``__init__.py``; the module names are the dotted paths below that root.
"""

from __future__ import annotations

import keyword
import os
from dataclasses import dataclass
from pathlib import Path

from compiler.errors import DiscoveryError, PackagePathError, SourceLocation

__all__ = ["ModuleSource", "find_source_root", "list_modules"]

_SKIPPED_DIRS = frozenset({"__pycache__", "site-packages", "node_modules"})


@dataclass(frozen=True, order=True)
class ModuleSource:
    """One module to import.

    Attributes:
        name: Dotted module name relative to the source root.
        file: Absolute path of the module's file (``__init__.py`` for a package).
        root: The source root the name is relative to.
    """

    name: str
    file: Path
    root: Path


def find_source_root(path: Path) -> Path:
    """The folder that must be on ``sys.path`` for ``path`` to import under its full name.

    A folder without ``__init__.py`` given as PATH is its own root (a folder of top-level
    modules and packages, e.g. ``src/``); otherwise walk up while ``__init__.py`` exists.
    """
    folder = path if path.is_dir() else path.parent
    if path.is_dir() and not (folder / "__init__.py").is_file():
        return folder
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def _is_name(part: str) -> bool:
    return part.isidentifier() and not keyword.iskeyword(part)


def _dotted(root: Path, file: Path) -> str:
    rel = file.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _walk(folder: Path, root: Path) -> list[ModuleSource]:
    """Depth-first, alphabetical: a package before its children (as ``pkgutil`` walks)."""
    found: list[ModuleSource] = []
    init = folder / "__init__.py"
    if init.is_file() and folder != root:
        found.append(ModuleSource(_dotted(root, init), init, root))
    entries = sorted(os.scandir(folder), key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            child = Path(entry.path)
            if (
                _is_name(entry.name)
                and entry.name not in _SKIPPED_DIRS
                and not (child / "pyvenv.cfg").exists()
            ):
                found.extend(_walk(child, root))
        elif entry.name.endswith(".py") and not entry.is_file() and entry.is_symlink():
            raise DiscoveryError(
                f"module file '{entry.name}' is a symbolic link to a missing file",
                code="CT410",
                hint="restore the link's target or delete the link",
                location=SourceLocation(entry.path),
            )
        elif entry.name.endswith(".py") and entry.is_file():
            stem = entry.name[:-3]
            if stem != "__init__" and _is_name(stem):
                file = Path(entry.path)
                found.append(ModuleSource(_dotted(root, file), file, root))
    return found


def list_modules(path: Path, root: Path | None = None) -> list[ModuleSource]:
    """Every module PATH stands for, in import order.

    Args:
        path: A package folder, a folder of modules, or a ``.py`` file (absolute or relative).
        root: Force the source root instead of detecting it (``--source-root``).

    Raises:
        DiscoveryError: PATH does not exist, is neither a folder nor a ``.py`` file, lies
            outside ``root``, or its name cannot be imported.
    """
    path = Path(os.path.abspath(path))
    where = SourceLocation(str(path))
    if not path.exists():
        raise PackagePathError(
            f"path '{path}' does not exist",
            code="CT401",
            hint="give a package folder or a .py file",
            location=where,
        )
    if not path.is_dir() and path.suffix != ".py":
        raise PackagePathError(
            f"path '{path}' is neither a folder nor a .py file",
            code="CT401",
            hint="give a package folder or a .py file",
            location=where,
        )
    root = Path(os.path.abspath(root)) if root is not None else find_source_root(path)
    if path != root and root not in path.parents:
        raise PackagePathError(
            f"path '{path}' is not below the source root '{root}'",
            code="CT409",
            hint="pass a --source-root that contains every PATH",
            location=where,
        )
    if path.is_dir():
        return _walk(path, root) if path == root else _walk_package(path, root)
    name = _dotted(root, path)
    if not all(_is_name(part) for part in name.split(".")):
        raise PackagePathError(
            f"'{path.relative_to(root)}' cannot be imported as a module (name '{name}')",
            code="CT409",
            hint="module and package names must be Python identifiers",
            location=where,
        )
    return [ModuleSource(name, path, root)]


def _walk_package(path: Path, root: Path) -> list[ModuleSource]:
    rel_parts = path.relative_to(root).parts
    if not all(_is_name(part) for part in rel_parts):
        raise PackagePathError(
            f"folder '{path.relative_to(root)}' cannot be imported as a package",
            code="CT409",
            hint="package names must be Python identifiers",
            location=SourceLocation(str(path)),
        )
    return _walk(path, root)
