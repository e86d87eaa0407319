"""Warn about compiled modules that still import flytekit.

Such a module defines flytekit objects, which compile-tasks does not compile: without a word,
its tasks and workflows would be missing from the bundle (or the compile would find none). The
sources the compile will import are read (never imported) in this process, before any worker
starts, so the warnings are the same for every ``--jobs``.
"""

from __future__ import annotations

import os
import shlex

from compiler.cli.config import CompileConfig
from compiler.cli.output import Console
from compiler.discovery import DiscoveryPlan, plan_discovery
from compiler.errors import CompileTasksError

__all__ = ["flytekit_warnings", "warn_flytekit_imports"]


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def flytekit_warnings(config: CompileConfig, plan: DiscoveryPlan | None = None) -> list[str]:
    """One ``file:line: warning: ...`` per compiled module that imports flytekit.

    ``plan`` is the configured paths' listing if the caller has it. Paths that cannot be
    listed give no warning: the compile reports them.
    """
    if plan is None:
        try:
            plan = plan_discovery(config.paths, config.source_root)
        except CompileTasksError:
            return []
    from compiler.porting import flytekit_imports  # after the command's fast start

    lines = []
    for source in plan.sources:
        try:
            found = flytekit_imports(source.file.read_bytes())
        except OSError:
            continue
        if not found:
            continue
        file = _shown(str(source.file))
        modules = ", ".join(dict.fromkeys(item.module for item in found))
        lines.append(
            f"{file}:{found[0].line}: warning: module '{source.name}' imports flytekit "
            f"({modules}); its flytekit tasks and workflows are not compiled. "
            f"hint: run 'compile-tasks port {shlex.quote(file)}' to use compile-tasks' imports"
        )
    return lines


def warn_flytekit_imports(
    config: CompileConfig, console: Console, plan: DiscoveryPlan | None = None
) -> None:
    """Print :func:`flytekit_warnings` on stderr (also with ``--quiet``: they ask for action)."""
    for line in flytekit_warnings(config, plan):
        console.warn(line)
