"""Discovery (L5): import a package and collect the entities defined in it.

``discover(paths)`` finds the source root, imports every module below the paths in sorted
order, and returns the entities (objects whose class declares an ``entity_kind``: tasks today,
workflows and launch plans alike) whose home module is one of them. Every problem (bad path, syntax
error, import failure, exception at import, timeout, duplicate names, no tasks) is a located
``CT4xx`` error; all of them are raised together as ``CompileErrors``.
"""

from compiler.discovery.collect import EntitySite, FoundEntity, first_per_name
from compiler.discovery.inputs import INSTALLED, Fingerprints, InputRecorder, ModuleInputs
from compiler.discovery.modules import ModuleSource, find_source_root, list_modules
from compiler.discovery.precompile import SourceCompiler, precompiled_imports
from compiler.discovery.session import (
    Discovery,
    DiscoveryPlan,
    ShareDiscovery,
    discover,
    discover_share,
    discovery_problems,
    plan_discovery,
)

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
    "find_source_root",
    "first_per_name",
    "list_modules",
    "plan_discovery",
    "precompiled_imports",
]
