"""``FlyteContext`` / ``FlyteContextManager``: the parts of flytekit's context user code touches.

Task code ported from flytekit reaches the running execution through
``FlyteContextManager.current_context()`` (or ``FlyteContext.current_context()``) and reads
``user_space_params`` (the same object as ``current_context()``), ``execution_state``
(``working_dir``, ``mode``) and ``file_access`` (random local paths, ``get_data`` /
``put_data`` between local paths and URIs). ``new_context()`` and
``FlyteContextManager.with_context(ctx.new_builder())`` give a nested context with a fresh
local execution, as tests do. Nothing else of flytekit's context (serialization settings,
compilation state, the global stack) exists here: compiling never reads a context.
"""

from __future__ import annotations

import enum
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from compiler.context import storage
from compiler.context.params import (
    _CURRENT,
    ExecutionParameters,
    current_context,
    execution_scope,
    local_parameters,
)
from compiler.records import frozen_record

__all__ = [
    "ExecutionState",
    "FileAccessProvider",
    "FlyteContext",
    "FlyteContextManager",
    "new_context",
]


class FileAccessProvider:
    """Moves data between local paths and URIs (``file://``, ``s3://``, ``gs://``, ...)."""

    def __init__(self, local_sandbox_dir: str, raw_output_prefix: str) -> None:
        self.local_sandbox_dir = local_sandbox_dir
        self.raw_output_prefix = raw_output_prefix

    def get_random_local_path(self, file_path_or_file_name: str | None = None) -> str:
        """A new path under the sandbox, ending in the given file name when there is one."""
        key = uuid.uuid4().hex
        tail = os.path.basename(file_path_or_file_name) if file_path_or_file_name else ""
        return (
            os.path.join(self.local_sandbox_dir, key, tail)
            if tail
            else os.path.join(self.local_sandbox_dir, key)
        )

    def get_random_local_directory(self) -> str:
        """A new, existing folder under the sandbox."""
        path = self.get_random_local_path()
        os.makedirs(path, exist_ok=True)
        return path

    def get_random_remote_path(self, file_path_or_file_name: str | None = None) -> str:
        """A new location under the raw output prefix."""
        tail = os.path.basename(file_path_or_file_name) if file_path_or_file_name else ""
        return storage.join(self.raw_output_prefix, uuid.uuid4().hex, *([tail] if tail else []))

    def exists(self, path: str) -> bool:
        """Whether ``path`` (local or remote) exists."""
        return storage.exists(path)

    def get_data(self, remote_path: str, local_path: str, is_multipart: bool = False) -> str:
        """Copy ``remote_path`` to ``local_path`` (a folder when ``is_multipart``)."""
        return storage.download(remote_path, local_path, directory=is_multipart)

    def put_data(self, local_path: str, remote_path: str, is_multipart: bool = False) -> str:
        """Copy ``local_path`` to ``remote_path``; returns where it went."""
        return storage.upload(local_path, remote_path, directory=is_multipart)

    download = get_data
    upload = put_data


class _Mode(enum.Enum):
    TASK_EXECUTION = 1
    LOCAL_WORKFLOW_EXECUTION = 2
    LOCAL_TASK_EXECUTION = 3


@frozen_record
class ExecutionState:
    """Where the code runs: ``mode`` (``None`` outside a task), ``working_dir`` and the
    execution's ``user_space_params``."""

    Mode = _Mode

    mode: _Mode | None
    working_dir: str
    user_space_params: ExecutionParameters


@frozen_record
class FlyteContext:
    """The current execution as flytekit's context object."""

    user_space_params: ExecutionParameters
    mode: _Mode | None = None

    @property
    def execution_state(self) -> ExecutionState:
        """Where the context was taken: ``mode`` is ``None`` outside a running task."""
        params = self.user_space_params
        return ExecutionState(self.mode, params.working_directory, params)

    @property
    def file_access(self) -> FileAccessProvider:
        params = self.user_space_params
        return FileAccessProvider(params.working_directory, params.raw_output_prefix)

    @classmethod
    def current_context(cls) -> FlyteContext:
        """The context of the running task (a local one, ``mode`` ``None``, outside any task)."""
        params = current_context()
        mode: _Mode | None = None
        if _CURRENT.get() is params:
            mode = _Mode.LOCAL_TASK_EXECUTION if params.is_local else _Mode.TASK_EXECUTION
        return cls(params, mode)

    def new_builder(self) -> _Builder:
        """A builder of a nested context (flytekit's spelling); ``build()`` makes it."""
        return _Builder()

    def new_execution_state(self) -> ExecutionState:
        """The execution state of this context."""
        return self.execution_state


class _Builder:
    def build(self) -> FlyteContext:
        return FlyteContext(local_parameters())


class FlyteContextManager:
    """flytekit's access point to the current context."""

    @staticmethod
    def current_context() -> FlyteContext:
        """The context of the running task (a local one outside any task)."""
        return FlyteContext.current_context()

    @staticmethod
    @contextmanager
    def with_context(builder: _Builder | FlyteContext) -> Iterator[FlyteContext]:
        """Make a new context current for the ``with`` block."""
        context = builder.build() if isinstance(builder, _Builder) else builder
        with execution_scope(context.user_space_params):
            yield context


@contextmanager
def new_context() -> Iterator[FlyteContext]:
    """A nested context with a fresh local execution, current for the ``with`` block."""
    with FlyteContextManager.with_context(_Builder()) as context:
        yield context
