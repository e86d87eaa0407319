"""Find the flytekit imports left in a module's source (without importing it).

The compile warns about them: a module that imports flytekit defines flytekit objects, which
compile-tasks does not compile (their tasks and workflows would be missing from the bundle
without a word). Reading the source finds them the same way whatever process imports the
module, and costs nothing for the files that do not mention flytekit at all.
"""

from __future__ import annotations

import ast

from compiler.records import frozen_record

__all__ = ["FlytekitImport", "flytekit_imports", "is_flytekit_module"]


def is_flytekit_module(module: str | None) -> bool:
    """``flytekit`` or one of its submodules."""
    return module is not None and (module == "flytekit" or module.startswith("flytekit."))


@frozen_record
class FlytekitImport:
    """One import statement that loads flytekit.

    Attributes:
        line: Its line.
        module: The flytekit module it imports (``flytekit``, ``flytekit.types.file``, ...).
    """

    line: int
    module: str


def _flytekit_module(node: ast.AST) -> str | None:
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        names = [node.module]
    elif isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        return None
    return next((name for name in names if is_flytekit_module(name)), None)


def flytekit_imports(source: str | bytes) -> list[FlytekitImport]:
    """Every statement of ``source`` that imports flytekit, in line order.

    A source that does not parse gives none (importing it reports the syntax error).
    """
    if (b"flytekit" if isinstance(source, bytes) else "flytekit") not in source:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        module = _flytekit_module(node)
        if module is not None:
            found.append(FlytekitImport(node.lineno, module))
    return sorted(found, key=lambda item: item.line)
