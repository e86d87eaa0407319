"""``tasks_pb2.Container`` and the python-task args (WIRE-FORMAT 4 and 8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from flyteidl.core import tasks_pb2

from compiler.idl import ENTRYPOINT
from compiler.memo import cached
from compiler.proto.env import env_pairs
from compiler.proto.resources import ResourceName, build_resources

__all__ = [
    "EXECUTE_FLAGS",
    "ContainerBase",
    "build_container",
    "build_task_container",
    "python_task_args",
    "task_container_bytes",
]

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


class ContainerBase(NamedTuple):
    """A container without its args: image, resources and env (the memo key of its bytes).

    Tasks of a package mostly share a few of these; only their args (the task's own loader
    args) differ. Pairs keep the order they were given in.
    """

    image: str
    requests: tuple[tuple[ResourceName, str], ...]
    limits: tuple[tuple[ResourceName, str], ...]
    env: tuple[tuple[str, str], ...]


@cached("proto.container_bytes", maxsize=1024)
def _container_bytes(base: ContainerBase) -> bytes:
    container = build_container(
        image=base.image,
        resources=build_resources(dict(base.requests), dict(base.limits)),
        env=dict(base.env),
    )
    return container.SerializeToString(deterministic=True)


def task_container_bytes(
    image: str,
    requests: Mapping[ResourceName, str],
    limits: Mapping[ResourceName, str],
    env: Mapping[str, str],
) -> bytes:
    """The wire bytes of ``build_container(image=, resources=build_resources(requests, limits),
    env=)``: a task's container without its args, memoised by content."""
    base = ContainerBase(image, tuple(requests.items()), tuple(limits.items()), tuple(env.items()))
    return _container_bytes(base)


def build_task_container(
    image: str,
    requests: Mapping[ResourceName, str],
    limits: Mapping[ResourceName, str],
    env: Mapping[str, str],
    args: Sequence[str],
) -> tasks_pb2.Container:
    """``build_container(image=, resources=build_resources(requests, limits), env=, args=)``.

    The same message, parsed from memoised bytes of everything but the args: building the
    resources and env messages of every task anew cost more than the rest of the hook.
    """
    container = tasks_pb2.Container.FromString(task_container_bytes(image, requests, limits, env))
    container.args.extend(args)
    return container
