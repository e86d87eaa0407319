"""Discovery (L5): import a package and collect the entities defined in it.

``discover(paths)`` finds the source root, imports every module below the paths in sorted
order, and returns the entities (objects whose class declares an ``entity_kind``: tasks today,
workflows and launch plans alike) whose home module is one of them. Every problem (bad path, syntax
error, import failure, exception at import, timeout, duplicate names, no tasks) is a located
``CT4xx`` error; all of them are raised together as ``CompileErrors``.

Every name loads its module on first use: the command line lists the package
(``plan_discovery``) and starts the source-compiling helper (``SourceCompiler``) before it
loads the importing half. Type checkers read the imports under ``TYPE_CHECKING``;
``tests/test_public_api.py`` holds them equal to :data:`_EXPORTS`.
"""

from __future__ import annotations

from compiler.lazy import lazy_dir, lazy_exports

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see compiler/__init__)

if TYPE_CHECKING:
    from compiler.discovery.collect import EntitySite, FoundEntity, first_per_name
    from compiler.discovery.inputs import INSTALLED, Fingerprints, InputRecorder, ModuleInputs
    from compiler.discovery.modules import ModuleSource, find_source_root, list_modules
    from compiler.discovery.plan import DiscoveryPlan, plan_discovery
    from compiler.discovery.precompile import (
        SourceCompiler,
        end_speculation,
        precompiled_imports,
        speculate,
    )
    from compiler.discovery.session import (
        Discovery,
        ShareDiscovery,
        discover,
        discover_share,
        discovery_problems,
    )

#: Every exported name -> the module that defines it (loaded on first use).
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("EntitySite", "FoundEntity", "first_per_name"), "compiler.discovery.collect"),
    **dict.fromkeys(
        ("INSTALLED", "Fingerprints", "InputRecorder", "ModuleInputs"),
        "compiler.discovery.inputs",
    ),
    **dict.fromkeys(
        ("ModuleSource", "find_source_root", "list_modules"), "compiler.discovery.modules"
    ),
    **dict.fromkeys(("DiscoveryPlan", "plan_discovery"), "compiler.discovery.plan"),
    **dict.fromkeys(
        ("SourceCompiler", "end_speculation", "precompiled_imports", "speculate"),
        "compiler.discovery.precompile",
    ),
    **dict.fromkeys(
        ("Discovery", "ShareDiscovery", "discover", "discover_share", "discovery_problems"),
        "compiler.discovery.session",
    ),
}

__all__ = [
    "INSTALLED",
    "Discovery",
    "DiscoveryPlan",
    "EntitySite",
    "Fingerprints",
    "FoundEntity",
    "InputRecorder",
    "ModuleInputs",
    "ModuleSource",
    "ShareDiscovery",
    "SourceCompiler",
    "discover",
    "discover_share",
    "discovery_problems",
    "end_speculation",
    "find_source_root",
    "first_per_name",
    "list_modules",
    "plan_discovery",
    "precompiled_imports",
    "speculate",
]

__getattr__ = lazy_exports(__name__, _EXPORTS, globals())

__dir__ = lazy_dir(_EXPORTS, globals())
