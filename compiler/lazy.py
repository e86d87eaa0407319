"""Names a package exports but imports on first use, so that ``import compiler`` stays fast.

A package lists ``name -> module`` and sets ``__getattr__ = lazy_exports(__name__, table,
globals())``: the first ``package.name`` imports the module, keeps the value in the package's
namespace (later lookups are plain attribute reads) and returns it; ``__dir__ =
lazy_dir(table, globals())`` lists the names not loaded yet too. Imports nothing of
``compiler``, so every layer may use it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see compiler/__init__)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["lazy_dir", "lazy_exports"]


def lazy_exports(
    package: str, table: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` that loads ``table[name]`` the first time it is asked for.

    Args:
        package: The package's ``__name__`` (for the error message).
        table: Exported name -> the module that defines it.
        namespace: The package's ``globals()``, where a loaded value is kept.
    """

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # import_module, not ``from package import``: ``compiler.workflow`` the attribute is the
        # decorator, not the package.
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__


def lazy_dir(table: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[], list[str]]:
    """A module-level ``__dir__``: the package's names, loaded or not (``table``'s keys)."""

    def __dir__() -> list[str]:
        return sorted({*namespace, *table})

    return __dir__
