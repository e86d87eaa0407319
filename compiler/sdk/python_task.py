"""``PythonTask``: a task with a Python interface, environment, task config and deck flag."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from compiler.errors import DefinitionError
from compiler.proto import build_security_context
from compiler.sdk.base import Documentation, Task
from compiler.sdk.interface import Interface
from compiler.sdk.metadata import TaskMetadata, check_string_map
from compiler.sdk.secrets import Secret

__all__ = ["PythonTask"]

T = TypeVar("T")


def _check_secrets(secret_requests: Sequence[Secret] | None) -> list[Secret]:
    secrets = list(secret_requests or [])
    for secret in secrets:
        if not isinstance(secret, Secret):
            raise DefinitionError(
                f"secret_requests must hold Secret(...) objects, got {secret!r}",
                code="CT133",
                param="secret_requests",
                param_kind="option",
                hint="write secret_requests=[Secret(group='db', key='password')]",
            )
    return secrets


class PythonTask(Task, Generic[T]):
    """A task whose interface is Python type hints, generic over its ``task_config`` type.

    Args:
        task_type: The ``TaskTemplate.type`` string.
        name: The entity name.
        task_config: Plugin configuration (``SQLTask[MyConfig]`` types it).
        interface: The Python interface.
        environment: Environment variables of the task's container.
        enable_deck: The task writes a deck (``metadata.generates_deck``).
        secret_requests: Secrets the task needs (``security_context``).
        metadata: Metadata options.
        docs: Documentation, or ``None``.
        task_type_version: ``TaskTemplate.task_type_version``.
    """

    def __init__(
        self,
        task_type: str,
        name: str,
        task_config: T | None = None,
        interface: Interface | None = None,
        environment: Mapping[str, str] | None = None,
        enable_deck: bool = False,
        secret_requests: Sequence[Secret] | None = None,
        metadata: TaskMetadata | None = None,
        docs: Documentation | None = None,
        task_type_version: int = 0,
        **kwargs: Any,
    ) -> None:
        metadata = self._set_python_options(task_config, environment, secret_requests, metadata)
        if enable_deck:
            metadata = dataclasses.replace(metadata, generates_deck=True)
        super().__init__(
            task_type=task_type,
            name=name,
            interface=interface,
            metadata=metadata,
            task_type_version=task_type_version,
            security_ctx=kwargs.pop("security_ctx", None)
            or build_security_context(self.secret_requests),
            docs=docs,
            **kwargs,
        )

    def _set_python_options(
        self,
        task_config: T | None,
        environment: Mapping[str, str] | None,
        secret_requests: Sequence[Secret] | None,
        metadata: TaskMetadata | None,
    ) -> TaskMetadata:
        """This class's part of ``__init__``: check and set its options; the metadata to use."""
        self.environment = check_string_map(environment, "environment")
        self.secret_requests = _check_secrets(secret_requests)
        self._task_config = task_config
        return metadata or TaskMetadata()

    @property
    def task_config(self) -> T | None:
        """The plugin configuration given at construction."""
        return self._task_config

    @property
    def enable_deck(self) -> bool:
        """Whether the task writes a deck."""
        return self.metadata.generates_deck
