"""Strings of the Flyte IDL and of our own wire contract, defined once.

Task type strings, the entity kinds (with every spelling of a kind and the file-name suffixes
flytectl uses to pick a message type), and the container entrypoint and resolver written into
every python task.
"""

from __future__ import annotations

import enum

__all__ = [
    "DEFAULT_RESOLVER",
    "ENTRYPOINT",
    "MAP_TASK_RESOLVER",
    "RUNTIME_FLAVOR",
    "EntityKind",
    "TaskType",
]


class TaskType(enum.StrEnum):
    """The ``TaskTemplate.type`` strings of the task kinds we ship."""

    PYTHON = "python-task"
    RAW_CONTAINER = "raw-container"
    SQL = "sql_task"
    EAGER_FAILURE_HANDLER = "eager_failure_handler_task"
    ECHO = "echo"
    SQLITE = "sqlite"


class EntityKind(enum.IntEnum):
    """``ResourceType`` numbers: the ``_N.pb`` suffix of a bundle file.

    Every spelling of a kind is derived here, so that a kind is named one way everywhere: its
    :attr:`label` (manifest and listing), its :attr:`noun` and :attr:`plural` (messages and
    golden reports) and its file-name suffixes (:attr:`stem_suffix`, :attr:`pb_suffix`).
    """

    TASK = 1
    WORKFLOW = 2
    LAUNCH_PLAN = 3

    @property
    def label(self) -> str:
        """The kind in the manifest and ``--list``: ``task``, ``workflow``, ``launch_plan``."""
        return _LABELS[self]

    @property
    def noun(self) -> str:
        """The kind in prose (messages, golden reports): ``task``, ..., ``launch plan``."""
        return self.name.lower().replace("_", " ")

    @property
    def plural(self) -> str:
        """Several entities of the kind in prose: ``tasks``, ..., ``launch plans``."""
        return f"{self.noun}s"

    @property
    def stem_suffix(self) -> str:
        """The end of a bundle file stem: ``_1`` for a task."""
        return _STEM_SUFFIXES[self]

    @property
    def pb_suffix(self) -> str:
        """The end of a bundle ``.pb`` file name: ``_1.pb`` for a task."""
        return f"{self.stem_suffix}.pb"

    @classmethod
    def of_stem(cls, stem: str) -> EntityKind | None:
        """The kind a bundle file stem ends with (``00_a.b_1`` -> ``TASK``), or ``None``."""
        return next((kind for kind in cls if stem.endswith(kind.stem_suffix)), None)


#: The spellings read for every entity compiled, computed once: an enum member's ``name`` is a
#: Python-level descriptor, so deriving them on each access cost two Python calls.
_LABELS = {kind: kind.name.lower() for kind in EntityKind}
_STEM_SUFFIXES = {kind: f"_{int(kind)}" for kind in EntityKind}


#: The console script that runs a compiled task in its container (see ``compiler.runtime``).
#: It never contains a bare ``--`` nor a ``{{...}}`` template.
ENTRYPOINT: tuple[str, ...] = ("compile-tasks-execute",)

#: Import path of the default task resolver, written after ``--resolver``.
DEFAULT_RESOLVER = "compiler.sdk.resolver.default_task_resolver"

#: Import path of the resolver of a mapped task (``map_task``), written after ``--resolver``;
#: its loader args are ``vars B resolver R <the mapped task's loader args>``.
MAP_TASK_RESOLVER = "compiler.runtime.map_element.map_task_resolver"

#: ``metadata.runtime.flavor``.
RUNTIME_FLAVOR = "python"
