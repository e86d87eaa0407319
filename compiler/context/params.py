"""``current_context()``: what a running task can ask about its execution.

One :class:`ExecutionParameters` is current while a task runs, wherever it runs: the container
entrypoint makes one from the container arguments and Flyte's environment variables
(:func:`container_parameters`), a local call makes one with a fresh sandbox folder
(:func:`local_parameters`); both enter it with :func:`execution_scope` around the same
``dispatch_execute``. Outside any task, ``current_context()`` returns a process-wide local one,
as flytekit does, so code that reads the context also runs in a plain script or a test.
"""

from __future__ import annotations

import contextvars
import datetime
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from compiler.context.deck import DECK_FILE_NAME, INPUT, OUTPUT, Deck, render_page, value_html
from compiler.context.secrets import SecretsManager
from compiler.errors import ExecutionError

if TYPE_CHECKING:
    import logging

    from compiler.context.checkpoint import Checkpoint

__all__ = [
    "ExecutionParameters",
    "add_io_decks",
    "attach_output_metadata",
    "container_parameters",
    "current_context",
    "execution_scope",
    "local_parameters",
    "write_decks",
]

_CURRENT: contextvars.ContextVar[ExecutionParameters | None] = contextvars.ContextVar(
    "compile_tasks_execution", default=None
)
_DEFAULT: list[ExecutionParameters] = []

#: The logger tasks get as ``current_context().logging`` (flytekit's name for it).
USER_LOGGER = "user_space"


class ExecutionParameters:
    """The execution a task runs in (flytekit's names and meanings).

    Args:
        execution_id: The workflow execution (``project``, ``domain``, ``name``).
        task_id: The task's identifier (``project``, ``domain``, ``name``, ``version``).
        execution_date: When this execution started (UTC).
        working_directory: A local folder the task may write scratch files to.
        raw_output_prefix: Where offloaded data (files, directories) goes.
        output_metadata_prefix: Where ``outputs.pb`` and ``deck.html`` go.
        checkpoint: The attempt's checkpoint, or ``None`` when the platform gave no prefix.
        enable_deck: The task was declared with ``enable_deck=True``.
        local: A local run (secrets are also read without the ``_FSEC_`` prefix).
    """

    def __init__(
        self,
        *,
        execution_id: Any,
        task_id: Any,
        execution_date: datetime.datetime,
        working_directory: str,
        raw_output_prefix: str,
        output_metadata_prefix: str,
        checkpoint: Checkpoint | None,
        enable_deck: bool = False,
        local: bool = False,
    ) -> None:
        self._execution_id = execution_id
        self._task_id = task_id
        self._execution_date = execution_date
        self._working_directory = working_directory
        self._raw_output_prefix = raw_output_prefix
        self._output_metadata_prefix = output_metadata_prefix
        self._checkpoint = checkpoint
        self._enable_deck = enable_deck
        self._local = local
        self._secrets = SecretsManager(local=local)
        self._decks: list[Deck] = []
        self._default_deck: Deck | None = None
        self._sources: dict[str, str] = {}
        self._output_metadata: dict[int, Any] = {}

    @property
    def execution_id(self) -> Any:
        """The workflow execution identifier (``.project``, ``.domain``, ``.name``)."""
        return self._execution_id

    @property
    def task_id(self) -> Any:
        """The task identifier (``.project``, ``.domain``, ``.name``, ``.version``)."""
        return self._task_id

    @property
    def execution_date(self) -> datetime.datetime:
        """When the execution started (a tag for data, not for logic)."""
        return self._execution_date

    @property
    def working_directory(self) -> str:
        """A local scratch folder (created on first use)."""
        os.makedirs(self._working_directory, exist_ok=True)
        return self._working_directory

    @property
    def raw_output_prefix(self) -> str:
        """Where files and directories the task returns are uploaded."""
        return self._raw_output_prefix

    @property
    def output_metadata_prefix(self) -> str:
        """Where ``outputs.pb`` and ``deck.html`` are written."""
        return self._output_metadata_prefix

    @property
    def is_local(self) -> bool:
        """True outside Flyte's container (a local call or a script)."""
        return self._local

    @property
    def logging(self) -> logging.Logger:
        """The ``user_space`` logger."""
        import logging  # not needed by tasks that never log: keeps ``import compiler`` fast

        return logging.getLogger(USER_LOGGER)

    @property
    def secrets(self) -> SecretsManager:
        """The secrets Flyte injected (``secrets.get(group, key)``)."""
        return self._secrets

    @property
    def checkpoint(self) -> Checkpoint:
        """The attempt's checkpoint.

        Raises:
            ExecutionError: CT732 when the entrypoint got no ``--checkpoint-path``.
        """
        if self._checkpoint is None:
            raise ExecutionError(
                "checkpointing is not available: the entrypoint was given no --checkpoint-path",
                code="CT732",
                hint="run the task with the container args compile-tasks wrote (propeller "
                "fills in {{.checkpointOutputPrefix}})",
            )
        return self._checkpoint

    @property
    def has_checkpoint(self) -> bool:
        """True when the platform gave a checkpoint prefix."""
        return self._checkpoint is not None

    @property
    def enable_deck(self) -> bool:
        """True when the task writes a deck."""
        return self._enable_deck

    @property
    def decks(self) -> list[Deck]:
        """The decks rendered into ``deck.html`` after the task."""
        return self._decks

    @property
    def default_deck(self) -> Deck:
        """The ``default`` deck (one per execution, added on first use)."""
        if self._default_deck is None:
            self._default_deck = Deck("default", auto_add_to_deck=False)
            self._decks.append(self._default_deck)
        return self._default_deck

    def record_sources(self, sources: Mapping[str, str]) -> None:
        """Remember where downloaded inputs came from (local path -> URI)."""
        self._sources.update({os.path.abspath(k): v for k, v in sources.items()})

    def add_output_metadata(self, value: Any, entry: Any) -> None:
        """Remember what ``Artifact.create_from`` said about the output ``value`` (by identity,
        as flytekit does: the same object returned as an output gets it)."""
        self._output_metadata[id(value)] = (value, entry)

    def output_metadata_of(self, value: Any) -> Any:
        """The ``create_from`` entry of ``value``, or ``None``."""
        found = self._output_metadata.get(id(value))
        return found[1] if found is not None and found[0] is value else None

    @property
    def sources(self) -> dict[str, str]:
        """Every downloaded local path -> the URI it came from."""
        return dict(self._sources)

    def source_of(self, path: str) -> str | None:
        """The URI the local file or directory ``path`` was downloaded from, if it was."""
        return self._sources.get(os.path.abspath(path)) if path else None

    def __repr__(self) -> str:
        where = "local" if self._local else "container"
        return f"ExecutionParameters({where}, task={getattr(self._task_id, 'name', '')!r})"


def _identifiers(
    execution: tuple[str, str, str], task: tuple[str, str, str, str]
) -> tuple[Any, Any]:
    from flyteidl.core import identifier_pb2

    execution_id = identifier_pb2.WorkflowExecutionIdentifier(
        project=execution[0], domain=execution[1], name=execution[2]
    )
    task_id = identifier_pb2.Identifier(
        resource_type=identifier_pb2.TASK,
        project=task[0],
        domain=task[1],
        name=task[2],
        version=task[3],
    )
    return execution_id, task_id


def _one_of(env: Mapping[str, str], *names: str) -> str:
    return next((env[n] for n in names if env.get(n)), "")


def container_parameters(
    *,
    workdir: str,
    raw_output_prefix: str,
    output_prefix: str,
    checkpoint_path: str,
    prev_checkpoint: str,
    enable_deck: bool,
    env: Mapping[str, str] | None = None,
) -> ExecutionParameters:
    """The parameters of a container execution: identifiers from the variables propeller sets
    (``FLYTE_INTERNAL_EXECUTION_ID`` or its short form ``_F_NM``, ...)."""
    from compiler.context.checkpoint import Checkpoint

    env = os.environ if env is None else env
    execution_id, task_id = _identifiers(
        (
            _one_of(env, "FLYTE_INTERNAL_EXECUTION_PROJECT", "_F_PRJ"),
            _one_of(env, "FLYTE_INTERNAL_EXECUTION_DOMAIN", "_F_DM"),
            _one_of(env, "FLYTE_INTERNAL_EXECUTION_ID", "_F_NM"),
        ),
        (
            _one_of(env, "FLYTE_INTERNAL_TASK_PROJECT", "_F_TK_PRJ"),
            _one_of(env, "FLYTE_INTERNAL_TASK_DOMAIN", "_F_TK_DM"),
            _one_of(env, "FLYTE_INTERNAL_TASK_NAME", "_F_TK_NM"),
            _one_of(env, "FLYTE_INTERNAL_TASK_VERSION", "_F_TK_V"),
        ),
    )
    return ExecutionParameters(
        execution_id=execution_id,
        task_id=task_id,
        execution_date=datetime.datetime.now(datetime.UTC),
        working_directory=os.path.join(workdir, "user"),
        raw_output_prefix=raw_output_prefix,
        output_metadata_prefix=output_prefix,
        checkpoint=Checkpoint(checkpoint_path, prev_checkpoint) if checkpoint_path else None,
        enable_deck=enable_deck,
    )


def _local_root() -> str:
    import tempfile

    uid = os.getuid() if hasattr(os, "getuid") else 0
    return os.environ.get("COMPILE_TASKS_LOCAL_DIR") or os.path.join(
        tempfile.gettempdir(), f"compile-tasks-local-{uid}"
    )


def local_parameters(task_name: str = "local", *, enable_deck: bool = False) -> ExecutionParameters:
    """The parameters of a local call: a new sandbox folder under the local root
    (``$COMPILE_TASKS_LOCAL_DIR`` or ``<tmp>/compile-tasks-local-<uid>``) for the working
    directory, the raw outputs, the deck and the checkpoint, each created only when used;
    identifiers are ``local``."""
    from compiler.context.checkpoint import Checkpoint

    sandbox = os.path.join(_local_root(), f"run-{os.urandom(8).hex()}")
    execution_id, task_id = _identifiers(
        ("local", "local", "local"), ("local", "local", task_name, "local")
    )
    return ExecutionParameters(
        execution_id=execution_id,
        task_id=task_id,
        execution_date=datetime.datetime.now(datetime.UTC),
        working_directory=os.path.join(sandbox, "work"),
        raw_output_prefix=os.path.join(sandbox, "raw"),
        output_metadata_prefix=sandbox,
        checkpoint=Checkpoint(os.path.join(sandbox, "checkpoint")),
        enable_deck=enable_deck,
        local=True,
    )


def current_context() -> ExecutionParameters:
    """The execution the calling code runs in (a process-wide local one outside any task)."""
    current = _CURRENT.get()
    if current is not None:
        return current
    if not _DEFAULT:
        _DEFAULT.append(local_parameters())
    return _DEFAULT[0]


@contextmanager
def execution_scope(params: ExecutionParameters) -> Iterator[ExecutionParameters]:
    """Make ``params`` the current context for the ``with`` block (nested scopes stack)."""
    token = _CURRENT.set(params)
    try:
        yield params
    finally:
        _CURRENT.reset(token)


def add_io_decks(inputs: Mapping[str, Any], outputs: Mapping[str, Any]) -> None:
    """Add the ``Input`` and ``Output`` decks of the current execution (when it has decks)."""
    params = current_context()
    if not params.enable_deck:
        return
    for name, values in ((INPUT, inputs), (OUTPUT, outputs)):
        deck = Deck(name, auto_add_to_deck=False)
        for key, value in values.items():
            deck.append(value_html(key, value))
        params.decks.append(deck)


def attach_output_metadata(literals: Any, outputs: Mapping[str, Any]) -> None:
    """Put the partitions given by ``Artifact.create_from`` on the output literals."""
    params = current_context()
    if not params._output_metadata:
        return
    from compiler.context.artifact import output_metadata

    for name, value in outputs.items():
        entry = params.output_metadata_of(value)
        if entry is not None and name in literals.literals:
            literals.literals[name].metadata.update(output_metadata(entry))


def write_decks(params: ExecutionParameters) -> str | None:
    """Write ``deck.html`` under the output metadata prefix when the task has decks; returns
    where it went."""
    if not params.enable_deck:
        return None
    from compiler.context import storage

    title = f"{getattr(params.task_id, 'name', '') or 'task'} deck"
    target = storage.join(params.output_metadata_prefix, DECK_FILE_NAME)
    storage.write_bytes(target, render_page(params.decks, title).encode("utf-8"))
    if params.is_local:  # nobody else says where a local call's deck went
        import logging

        logging.getLogger("compile_tasks").info("deck written to file://%s", target)
    return target
