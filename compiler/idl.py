"""Strings of the Flyte IDL and of our own wire contract, defined once.

Task type strings, the container entrypoint and resolver written into every python task, and
the file-name suffixes flytectl uses to pick a message type.
"""

from __future__ import annotations

import enum

__all__ = [
    "DEFAULT_RESOLVER",
    "ENTRYPOINT",
    "RUNTIME_FLAVOR",
    "EntityKind",
    "TaskType",
]


class TaskType(enum.StrEnum):
    """The ``TaskTemplate.type`` strings of the task kinds we ship."""

    PYTHON = "python-task"
    RAW_CONTAINER = "raw-container"
    SQL = "sql_task"


class EntityKind(enum.IntEnum):
    """``ResourceType`` numbers: the ``_N.pb`` suffix of a bundle file."""

    TASK = 1
    WORKFLOW = 2
    LAUNCH_PLAN = 3


#: The console script that runs a compiled task in its container (see ``compiler.runtime``).
#: It never contains a bare ``--`` nor a ``{{...}}`` template.
ENTRYPOINT: tuple[str, ...] = ("compile-tasks-execute",)

#: Import path of the default task resolver, written after ``--resolver``.
DEFAULT_RESOLVER = "compiler.sdk.resolver.default_task_resolver"

#: ``metadata.runtime.flavor``.
RUNTIME_FLAVOR = "python"
