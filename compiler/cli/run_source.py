"""Where ``compile-tasks run`` finds the task's code: the source roots of the project.

The task's container imports its module by name (``task-module shop.orders``); locally it
must be importable from the working folder. Besides the working folder, the source roots the
compile used are put on ``PYTHONPATH``: ``source_root`` and the roots of ``paths`` from the
configuration (``compile-tasks.yaml``, ``[tool.compile-tasks]``), and ``src/`` when present,
so that a ``src/`` layout runs from the project root. A module found under none of them (nor
installed) is reported before the task starts (CT728).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from flyteidl.admin import task_pb2

from compiler.cli.config import load_config
from compiler.discovery import find_source_root
from compiler.errors import CompileTasksError, RunTargetError

__all__ = ["add_source_roots", "module_problems", "source_roots"]


def source_roots(cwd: Path | None = None) -> list[Path]:
    """The working folder, the configured source roots and ``src/``, existing ones, in order."""
    here = cwd or Path.cwd()
    roots = [here]
    try:
        config = load_config({}, config_file=None, cwd=here)
    except CompileTasksError:  # a broken configuration is the compile's to report
        config = None
    if config is not None:
        if config.source_root:
            roots.append(Path(config.source_root))
        roots += [find_source_root(Path(path)) for path in config.paths if Path(path).exists()]
    roots.append(here / "src")
    unique = dict.fromkeys(Path(os.path.abspath(root)) for root in roots)
    return [root for root in unique if root.is_dir()]


def add_source_roots() -> None:
    """Put :func:`source_roots` in front of ``PYTHONPATH`` for the task's process."""
    current = os.environ.get("PYTHONPATH", "")
    paths = [str(root) for root in source_roots()] + ([current] if current else [])
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)


def _task_module(spec: task_pb2.TaskSpec) -> str | None:
    args = list(spec.template.container.args)
    if "task-module" in args and args.index("task-module") + 1 < len(args):
        return args[args.index("task-module") + 1]
    return None


def module_problems(spec: task_pb2.TaskSpec) -> list[CompileTasksError]:
    """CT728 when the task's module is under no source root and not installed."""
    module = _task_module(spec)
    if not module:
        return []
    top = module.partition(".")[0]
    for root in source_roots():
        if (root / top).is_dir() or (root / f"{top}.py").is_file():
            return []
    if importlib.util.find_spec(top) is not None:
        return []
    return [
        RunTargetError(
            f"module '{module}' cannot be found from {Path.cwd()}",
            code="CT728",
            task=spec.template.id.name,
            hint="run from the folder you compiled from (the project root), or set "
            "'source_root' (or 'paths') in compile-tasks.yaml",
        )
    ]
