"""The execution context of a running task: ``current_context()``, secrets, checkpoints, decks,
artifacts.

What flytekit puts on ``flytekit.current_context()`` and ``flytekit.Deck``, with the same names,
for tasks that run in compile-tasks' container entrypoint or as local calls. This package sits
low in the layers (it imports only :mod:`compiler.errors`) so the SDK, the types and the
runtime can all use it; it imports nothing heavy until a task asks for it.
"""

from compiler.context.artifact import Artifact, Inputs
from compiler.context.deck import Deck
from compiler.context.params import ExecutionParameters, current_context, execution_scope
from compiler.context.secrets import SecretNotFoundError, SecretsManager

__all__ = [
    "Artifact",
    "Deck",
    "ExecutionParameters",
    "Inputs",
    "SecretNotFoundError",
    "SecretsManager",
    "current_context",
    "execution_scope",
]
