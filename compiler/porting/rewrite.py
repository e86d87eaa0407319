"""Rewrite the flytekit imports of one module's source into compile-tasks imports.

Only import statements change; every other byte of the file is kept. ``from flytekit[.x] import
a, b as c`` becomes one ``from compiler... import`` statement per target module, in the order
the names were first given; names that have no equivalent yet stay in a flytekit import and are
reported (:class:`Unported`) with their line. ``import flytekit`` becomes
``import compiler as flytekit`` (so ``flytekit.task`` keeps working), ``import flytekit as fl``
becomes ``import compiler as fl``. Comments inside a rewritten statement are kept above it. The
rewrite is idempotent: its output contains nothing it would rewrite again.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass, field

from compiler.porting.names import MIRRORED_MODULES, compiler_module
from compiler.porting.scan import is_flytekit_module as _is_flytekit
from compiler.records import frozen_record

__all__ = ["PortResult", "Unported", "port_source"]

_LINE_LIMIT = 99


@frozen_record
class Unported:
    """A flytekit name without a compile-tasks equivalent (yet).

    Attributes:
        line: The line of the import statement.
        name: The name (``dynamic``), or the module for ``import flytekit.x``.
        module: The flytekit module it is imported from.
    """

    line: int
    name: str
    module: str


@dataclass
class PortResult:
    """What porting one source did.

    Attributes:
        text: The rewritten source (the input when nothing changed).
        changed: Whether ``text`` differs from the input.
        unported: Names left in flytekit imports, in source order.
    """

    text: str
    changed: bool = False
    unported: list[Unported] = field(default_factory=list)


def _imports_flytekit(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and _is_flytekit(node.module)
    return isinstance(node, ast.Import) and any(_is_flytekit(a.name) for a in node.names)


def _alias(name: str, asname: str | None) -> str:
    return f"{name} as {asname}" if asname and asname != name else name


def _from_statement(module: str, names: list[str], indent: str) -> str:
    one_line = f"from {module} import {', '.join(names)}"
    if len(indent) + len(one_line) <= _LINE_LIMIT:
        return one_line
    inner = "".join(f"{indent}    {name},\n" for name in names)
    return f"from {module} import (\n{inner}{indent})"


def _target(module: str, name: str) -> tuple[str, str] | None:
    """``(our module, our name)`` for ``from module import name``; ``None`` when unported."""
    mirrored = MIRRORED_MODULES.get(f"{module}.{name}")
    if mirrored is not None:
        parent, _, leaf = mirrored.rpartition(".")
        return parent, leaf
    if name == "*":
        return ("compiler", "*") if module == "flytekit" else None
    ours = compiler_module(name, module)
    return None if ours is None else (ours, name)


def _port_from(node: ast.ImportFrom, indent: str, unported: list[Unported]) -> list[str] | None:
    module = node.module or ""
    groups: dict[str, list[str]] = {}
    left: list[str] = []
    for alias in node.names:
        target = _target(module, alias.name)
        if target is None:
            left.append(_alias(alias.name, alias.asname))
            unported.append(Unported(node.lineno, alias.name, module))
            continue
        ours, name = target
        groups.setdefault(ours, []).append(_alias(name, alias.asname or alias.name))
    if not groups:
        return None
    statements = [_from_statement(ours, names, indent) for ours, names in groups.items()]
    if left:
        statements.append(_from_statement(module, left, indent))
    return statements


def _port_import(node: ast.Import, unported: list[Unported]) -> list[str] | None:
    parts: list[str] = []
    changed = False
    for alias in node.names:
        if alias.name == "flytekit":
            parts.append(f"compiler as {alias.asname or 'flytekit'}")
            changed = True
        elif alias.name in MIRRORED_MODULES and alias.asname:
            parts.append(f"{MIRRORED_MODULES[alias.name]} as {alias.asname}")
            changed = True
        else:
            if _is_flytekit(alias.name):
                unported.append(Unported(node.lineno, alias.name, alias.name))
            parts.append(_alias(alias.name, alias.asname))
    return [f"import {', '.join(parts)}"] if changed else None


def _comments(source: str) -> list[str]:
    """The ``#`` comments inside one statement's source."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [tok.string for tok in tokens if tok.type == tokenize.COMMENT]


def _offsets(data: bytes) -> list[int]:
    """The byte offset of the start of every line (``ast`` columns count UTF-8 bytes)."""
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def port_source(text: str, filename: str = "<string>") -> PortResult:
    """Rewrite the flytekit imports of ``text``.

    Raises:
        SyntaxError: ``text`` is not Python (the caller reports the file).
    """
    tree = ast.parse(text, filename=filename)
    unported: list[Unported] = []
    edits: list[tuple[int, int, bytes]] = []
    data = text.encode("utf-8")
    starts = _offsets(data)
    for node in ast.walk(tree):
        if not _imports_flytekit(node):
            continue
        assert node.end_lineno is not None and node.end_col_offset is not None
        begin = starts[node.lineno - 1] + node.col_offset
        end = starts[node.end_lineno - 1] + node.end_col_offset
        before = data[starts[node.lineno - 1] : begin].decode("utf-8")
        indent = before if not before.strip() else ""
        if isinstance(node, ast.ImportFrom):
            statements = _port_from(node, indent, unported)
        else:
            statements = _port_import(node, unported)
        if statements is None:
            continue
        comments = _comments(data[begin:end].decode("utf-8"))
        replacement = f"\n{indent}".join([*comments, *statements])
        edits.append((begin, end, replacement.encode("utf-8")))
    unported.sort(key=lambda u: u.line)
    if not edits:
        return PortResult(text, False, unported)
    for begin, end, replacement in sorted(edits, reverse=True):
        data = data[:begin] + replacement + data[end:]
    out = data.decode("utf-8")
    return PortResult(out, out != text, unported)
