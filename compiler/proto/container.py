"""``tasks_pb2.Container`` and the python-task args (WIRE-FORMAT 4 and 8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flyteidl.core import tasks_pb2

from compiler.idl import ENTRYPOINT
from compiler.proto.env import env_pairs

__all__ = ["EXECUTE_FLAGS", "build_container", "python_task_args"]

#: Flyte's templated flags, in flytekit's order; propeller substitutes the templates.
EXECUTE_FLAGS: tuple[tuple[str, str], ...] = (
    ("--inputs", "{{.input}}"),
    ("--output-prefix", "{{.outputPrefix}}"),
    ("--raw-output-data-prefix", "{{.rawOutputDataPrefix}}"),
    ("--checkpoint-path", "{{.checkpointOutputPrefix}}"),
    ("--prev-checkpoint", "{{.prevCheckpointPrefix}}"),
)


#: Everything before ``--resolver``: the same for every python task.
_ARGS_PREFIX: tuple[str, ...] = (*ENTRYPOINT, *(part for pair in EXECUTE_FLAGS for part in pair))


#: A task-template task (no user code, no checkpoints) passes only the first three flags.
_TEMPLATE_ARGS_PREFIX: tuple[str, ...] = (
    *ENTRYPOINT,
    *(part for pair in EXECUTE_FLAGS[:3] for part in pair),
)


def python_task_args(
    resolver: str, loader_args: Sequence[str], *, checkpoints: bool = True
) -> list[str]:
    """``[entrypoint, flags..., --resolver, R, --, loader args...]``.

    ``checkpoints=False`` leaves out the two checkpoint flags, as flytekit writes the args of
    a task rebuilt from its template (``PythonCustomizedContainerTask``).
    """
    prefix = _ARGS_PREFIX if checkpoints else _TEMPLATE_ARGS_PREFIX
    return [*prefix, "--resolver", resolver, "--", *loader_args]


def build_container(
    *,
    image: str,
    resources: tasks_pb2.Resources,
    env: Mapping[str, str],
    args: Sequence[str] = (),
    command: Sequence[str] = (),
    data_config: tasks_pb2.DataLoadingConfig | None = None,
) -> tasks_pb2.Container:
    """A container with ``resources`` always set and ``env`` only when non-empty."""
    container = tasks_pb2.Container(image=image, args=args)
    if command:
        container.command.extend(command)
    container.resources.CopyFrom(resources)
    container.resources.SetInParent()
    if env:
        container.env.extend(env_pairs(env))
    if data_config is not None:
        container.data_config.CopyFrom(data_config)
    return container
