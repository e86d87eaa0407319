"""Discovery (L5): import a package and collect the tasks defined in it.

``discover(paths)`` finds the source root, imports every module below the paths in sorted
order, and returns the tasks whose home module is one of them. Every problem (bad path, syntax
error, import failure, exception at import, timeout, duplicate names, no tasks) is a located
``CT4xx`` error; all of them are raised together as ``CompileErrors``.
"""

from compiler.discovery.collect import FoundTask, TaskSite, collect_tasks
from compiler.discovery.modules import ModuleSource, find_source_root, list_modules
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
    "Discovery",
    "DiscoveryPlan",
    "FoundTask",
    "ModuleSource",
    "ShareDiscovery",
    "TaskSite",
    "collect_tasks",
    "discover",
    "discover_share",
    "discovery_problems",
    "find_source_root",
    "list_modules",
    "plan_discovery",
]
