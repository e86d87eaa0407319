"""Port flytekit modules to compile-tasks by rewriting their imports.

:data:`FLYTEKIT_HOME` is the one map between the two APIs (our public name -> the flytekit
module that defines it); ``compile-tasks port`` reads it one way (flytekit imports become ours)
and the differential tests read it the other way (our examples become flytekit modules).

Every name loads its module on first use: a compile asks only for :func:`flytekit_imports`
(the warning about modules that still import flytekit), and does not load the rewriter.
Type checkers read the imports under ``TYPE_CHECKING``; ``tests/test_public_api.py`` holds
them equal to :data:`_EXPORTS`.
"""

from __future__ import annotations

from compiler.lazy import lazy_dir, lazy_exports

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see compiler/__init__)

if TYPE_CHECKING:
    from compiler.porting.names import FLYTEKIT_HOME, compiler_module
    from compiler.porting.rewrite import PortResult, Unported, port_source
    from compiler.porting.scan import FlytekitImport, flytekit_imports

#: Every exported name -> the module that defines it (loaded on first use).
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("FLYTEKIT_HOME", "compiler_module"), "compiler.porting.names"),
    **dict.fromkeys(("PortResult", "Unported", "port_source"), "compiler.porting.rewrite"),
    **dict.fromkeys(("FlytekitImport", "flytekit_imports"), "compiler.porting.scan"),
}

__all__ = [
    "FLYTEKIT_HOME",
    "FlytekitImport",
    "PortResult",
    "Unported",
    "compiler_module",
    "flytekit_imports",
    "port_source",
]

__getattr__ = lazy_exports(__name__, _EXPORTS, globals())

__dir__ = lazy_dir(_EXPORTS, globals())
