"""The execution context of a running task: ``current_context()``, secrets, checkpoints, decks,
artifacts.

What flytekit puts on ``flytekit.current_context()``, ``flytekit.Deck`` and
``flytekit.Artifact``, with the same names, for tasks that run in compile-tasks' container
entrypoint or as local calls. This package sits low in the layers (it imports only
:mod:`compiler.errors`) so the SDK, the types and the runtime can all use it; it imports nothing
heavy until a task asks for it (``fsspec`` for a URI, ``asyncio`` for an ``async def`` task).
``storage`` is the module the runtime and the file types read and write paths and URIs with.
"""

from compiler.context import storage
from compiler.context.aio import run_awaitable
from compiler.context.artifact import Artifact, Inputs, artifact_id_of
from compiler.context.deck import Deck
from compiler.context.params import (
    ExecutionParameters,
    add_io_decks,
    attach_output_metadata,
    container_parameters,
    current_context,
    execution_scope,
    local_parameters,
    write_decks,
)
from compiler.context.secrets import SecretNotFoundError, SecretsManager
from compiler.lazy import lazy_exports

__all__ = [
    "Artifact",
    "Checkpoint",
    "Deck",
    "ExecutionParameters",
    "ExecutionState",
    "FileAccessProvider",
    "FlyteContext",
    "FlyteContextManager",
    "Inputs",
    "SecretNotFoundError",
    "SecretsManager",
    "add_io_decks",
    "artifact_id_of",
    "attach_output_metadata",
    "container_parameters",
    "current_context",
    "execution_scope",
    "local_parameters",
    "new_context",
    "run_awaitable",
    "storage",
    "write_decks",
]


#: flytekit's context classes and ``Checkpoint``, loaded on first use (``import compiler``
#: stays fast).
_LAZY = {
    "Checkpoint": "compiler.context.checkpoint",
    **dict.fromkeys(
        [
            "ExecutionState",
            "FileAccessProvider",
            "FlyteContext",
            "FlyteContextManager",
            "new_context",
        ],
        "compiler.context.flyte_context",
    ),
}


__getattr__ = lazy_exports(__name__, _LAZY, globals())
