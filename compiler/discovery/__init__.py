"""Discovery (L5): import a package and collect the tasks defined in it.

``discover(paths)`` finds the source root, imports every module below the paths in sorted
order, and returns the tasks whose home module is one of them. Every problem (bad path, syntax
error, import failure, exception at import, timeout, duplicate names, no tasks) is a located
``CT4xx`` error; all of them are raised together as ``CompileErrors``.
"""

from compiler.discovery.collect import FoundTask, collect_tasks
from compiler.discovery.modules import ModuleSource, find_source_root, list_modules
from compiler.discovery.session import Discovery, discover

__all__ = [
    "Discovery",
    "FoundTask",
    "ModuleSource",
    "collect_tasks",
    "discover",
    "find_source_root",
    "list_modules",
]
