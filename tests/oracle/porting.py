"""Port a package written against ``compiler`` to flytekit 1.16, for the differential oracle.

The port changes imports and nothing else that matters on the wire:

1. ``from compiler... import NAME`` (and ``from flyteidl.core.tasks_pb2 import Sql``) become
   imports of the same names from their flytekit modules (:data:`FLYTEKIT_HOME`).
2. Numbers inside ``Resources(...)`` become their canonical quantity strings. flytekit accepts
   numbers at construction but crashes while writing the ``.pb`` (WIRE-FORMAT 4.5 and 15); the
   strings are exactly what we must write for the numbers, so the expected TaskSpec is the same.
3. ``PodTemplate`` is imported from a small shim that turns a camelCase ``pod_spec`` dict into a
   ``kubernetes.client.V1PodSpec`` (flytekit only takes the object; WIRE-FORMAT 7 lets us take
   both, and the object serializes back to the same dict).
4. ``io_strategy=`` is removed from ``ContainerTask(...)`` calls: flytekit crashes on it
   (WIRE-FORMAT 15). The field we write instead is listed in :data:`EXPECTED_DIFFERENCES`.

Everything is a source-to-source edit at AST positions, so line numbers and docstrings survive.
"""

from __future__ import annotations

import ast
import math
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from compiler.porting import FLYTEKIT_HOME as PRODUCT_HOME

__all__ = [
    "EXPECTED_DIFFERENCES",
    "FLYTEKIT_HOME",
    "SHIM_MODULE",
    "canonical_quantity",
    "port_package",
    "port_source",
]

SHIM_MODULE = "_ct_oracle_shim"

#: Our public name -> the flytekit module that provides the same name: the product's map
#: (``compile-tasks port`` reads it the other way), with the two names the oracle ports its own
#: way.
FLYTEKIT_HOME: dict[str, str] = {
    **PRODUCT_HOME,
    "PodTemplate": SHIM_MODULE,
    # the Sql target of SQL plugins (flyteidl proto -> flytekit model)
    "Sql": "flytekit.models.task",
}

#: Modules whose ``from X import ...`` statements are ported.
_PORTED_MODULES = ("compiler", "flyteidl.core.tasks_pb2")

#: Task name -> ``{dotted field path: value}`` that we write and flytekit cannot (its
#: TaskSpec dict gets these fields set before comparing). Each entry names its WIRE-FORMAT section.
EXPECTED_DIFFERENCES: dict[str, dict[str, Any]] = {
    # WIRE-FORMAT 8 and 15: flytekit crashes on io_strategy=; we write the IDL's message.
    "resize_images": {
        "template.container.data_config.io_strategy": {
            "download_mode": "DOWNLOAD_STREAM",
            "upload_mode": "UPLOAD_EAGER",
        }
    },
}

_SHIM_SOURCE = '''"""Oracle shim: flytekit's PodTemplate, also taking a camelCase pod spec dict."""

from flytekit import PodTemplate as _FlytekitPodTemplate
from kubernetes.client import ApiClient


def PodTemplate(pod_spec=None, **kwargs):
    if isinstance(pod_spec, dict):
        pod_spec = ApiClient()._ApiClient__deserialize(pod_spec, "V1PodSpec")
    return _FlytekitPodTemplate(pod_spec=pod_spec, **kwargs)
'''


def canonical_quantity(value: Any) -> str:
    """The quantity string for a number (WIRE-FORMAT 4.5), independent of ``compiler``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if value.is_integer():
        return str(int(value))
    millis = value * 1000
    if not millis.is_integer():
        raise ValueError(f"{value!r} is not a whole number of millicores")
    return f"{int(millis)}m"


def _is_call_to(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == name)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
    )


def _number_constants(node: ast.AST) -> Iterable[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if not isinstance(node.value, bool):
            yield node
    elif isinstance(node, ast.Tuple | ast.List):
        for elt in node.elts:
            yield from _number_constants(elt)


def _import_text(node: ast.ImportFrom) -> str:
    by_module: dict[str, list[str]] = {}
    for alias in node.names:
        if alias.name not in FLYTEKIT_HOME:
            raise KeyError(
                f"line {node.lineno}: no flytekit home for {alias.name!r}; add it to FLYTEKIT_HOME"
            )
        text = alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
        by_module.setdefault(FLYTEKIT_HOME[alias.name], []).append(text)
    return "; ".join(f"from {mod} import {', '.join(names)}" for mod, names in by_module.items())


def _edits(tree: ast.Module) -> list[tuple[ast.AST, str]]:
    """``(node, replacement text)`` for every construct the port changes."""
    edits: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if any(node.module == m or node.module.startswith(m + ".") for m in _PORTED_MODULES):
                edits.append((node, _import_text(node)))
        elif _is_call_to(node, "Resources"):
            for kw in node.keywords:
                for const in _number_constants(kw.value):
                    edits.append((const, repr(canonical_quantity(const.value))))
        elif _is_call_to(node, "ContainerTask"):
            for kw in node.keywords:
                if kw.arg == "io_strategy":
                    edits.append((kw, "io_strategy=None"))
    return edits


def port_source(source: str) -> str:
    """The flytekit version of one module's source."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode("utf-8")))
    data = source.encode("utf-8")

    def pos(lineno: int, col: int) -> int:
        return offsets[lineno - 1] + col

    edits = sorted(
        (
            (pos(n.lineno, n.col_offset), pos(n.end_lineno, n.end_col_offset), text)
            for n, text in _edits(tree)
        ),
        reverse=True,
    )
    for start, end, text in edits:
        data = data[:start] + text.encode("utf-8") + data[end:]
    return data.decode("utf-8")


def port_package(src: Path, dest_root: Path) -> Path:
    """Copy package ``src`` into ``dest_root`` with every module ported; add the shim next to it.

    Returns:
        The ported package directory (``dest_root / src.name``).
    """
    dest = dest_root / src.name
    if dest.exists():
        shutil.rmtree(dest)
    for path in sorted(src.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(port_source(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in sorted(src.rglob("*")):  # data files (requirements, scripts) verbatim
        skipped = path.suffix in (".py", ".pyc") or "__pycache__" in path.parts
        if path.is_file() and not skipped:
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (dest_root / f"{SHIM_MODULE}.py").write_text(_SHIM_SOURCE, encoding="utf-8")
    return dest
