"""``PythonAutoContainerTask``: a Python task run by our entrypoint in a container or pod.

Implements the container, pod, config and extended-resources hooks of python tasks
(WIRE-FORMAT 4, 6 and 7) on top of the pure builders in :mod:`compiler.proto`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from flyteidl.core import tasks_pb2

from compiler.accelerators import BaseAccelerator
from compiler.errors import CompileTasksError, DefinitionError
from compiler.idl import TaskType
from compiler.proto import (
    PrimaryContainer,
    ResourceName,
    build_extended_resources,
    build_k8s_pod,
    build_pod_spec,
    build_task_container,
    canonical_quantity,
    merge_env,
    python_task_args,
    task_container_bytes,
)
from compiler.sdk.image_spec import ImageSpec, runtime_packages_env, task_image_name
from compiler.sdk.pod_template import PodTemplate, check_pod_template
from compiler.sdk.python_task import PythonTask
from compiler.sdk.resolver import TaskResolverMixin, default_task_resolver
from compiler.sdk.resources import Resources, resolve_resources
from compiler.sdk.secrets import Secret
from compiler.settings import SerializationSettings

__all__ = ["PythonAutoContainerTask", "check_accelerator"]

T = TypeVar("T")


def check_accelerator(accelerator: Any) -> BaseAccelerator | None:
    """Raises CT150 unless ``accelerator`` is ``None`` or an accelerator constant."""
    if accelerator is None or isinstance(accelerator, BaseAccelerator):
        return accelerator
    raise DefinitionError(
        f"accelerator must be a constant of compiler.accelerators, got {accelerator!r}",
        code="CT150",
        param="accelerator",
        param_kind="option",
        hint="write accelerator=T4 (from compiler.accelerators import T4), "
        "or GPUAccelerator('device-name')",
    )


def _check_shared_memory(shared_memory: Any) -> bool | str | None:
    """Raises CT151 unless ``shared_memory`` is ``None``, a bool or a quantity string."""
    if shared_memory is None or isinstance(shared_memory, bool):
        return shared_memory
    if isinstance(shared_memory, str) and shared_memory:
        try:
            canonical_quantity(shared_memory, ResourceName.MEMORY)
        except DefinitionError:
            pass
        else:
            return shared_memory
    raise DefinitionError(
        f"shared_memory must be True or a size like '8Gi', got {shared_memory!r}",
        code="CT151",
        param="shared_memory",
        param_kind="option",
        hint="write shared_memory=True for no size limit, or shared_memory='8Gi'",
    )


class PythonAutoContainerTask(PythonTask[T]):
    """A Python task with an image, resources, secrets, pod template and accelerator.

    Args:
        name: The entity name.
        task_config: Plugin configuration.
        task_type: The ``TaskTemplate.type`` string (default ``"python-task"``).
        container_image: Image, image template or ``ImageSpec``; ``None``: the default image.
        requests: Resource requests.
        limits: Resource limits.
        resources: Requests and limits in one object (pairs split, scalars are requests).
        secret_requests: Secrets the task needs.
        pod_template: Run in a pod built from this template instead of a plain container.
        accelerator: A constant from :mod:`compiler.accelerators`.
        shared_memory: ``True`` or a size for ``/dev/shm``.
        task_resolver: How the entrypoint finds the task (default resolver when ``None``).
        **kwargs: Passed to :class:`PythonTask` (``interface``, ``environment``, ...).
    """

    def __init__(
        self,
        name: str,
        task_config: T | None = None,
        task_type: str = TaskType.PYTHON.value,
        container_image: str | ImageSpec | None = None,
        requests: Resources | None = None,
        limits: Resources | None = None,
        resources: Resources | None = None,
        secret_requests: Sequence[Secret] | None = None,
        pod_template: PodTemplate | None = None,
        accelerator: BaseAccelerator | None = None,
        shared_memory: bool | str | None = None,
        task_resolver: TaskResolverMixin | None = None,
        **kwargs: Any,
    ) -> None:
        self._set_container_options(
            container_image,
            requests,
            limits,
            resources,
            pod_template,
            accelerator,
            shared_memory,
            task_resolver,
        )
        super().__init__(
            task_type=task_type,
            name=name,
            task_config=task_config,
            secret_requests=secret_requests,
            **kwargs,
        )

    def _set_container_options(
        self,
        container_image: str | ImageSpec | None,
        requests: Resources | None,
        limits: Resources | None,
        resources: Resources | None,
        pod_template: PodTemplate | None,
        accelerator: BaseAccelerator | None,
        shared_memory: bool | str | None,
        task_resolver: TaskResolverMixin | None,
    ) -> None:
        """This class's part of ``__init__``: check and set its options."""
        if container_image is not None and not isinstance(container_image, (str, ImageSpec)):
            raise DefinitionError(
                f"container_image must be an image URI, template string or ImageSpec, "
                f"got {container_image!r}",
                code="CT152",
                param="container_image",
                param_kind="option",
                hint="write container_image='registry/repo:tag', '{{.image.NAME}}' "
                "or ImageSpec(name=..., packages=[...])",
            )
        self.container_image = container_image
        self.resources = resolve_resources(requests, limits, resources)
        if pod_template is not None:
            check_pod_template(pod_template)
        self.pod_template = pod_template
        self.accelerator = None if accelerator is None else check_accelerator(accelerator)
        self.shared_memory = None if shared_memory is None else _check_shared_memory(shared_memory)
        if task_resolver is not None and not isinstance(task_resolver, TaskResolverMixin):
            raise DefinitionError(
                f"task_resolver must be a TaskResolverMixin, got {task_resolver!r}",
                code="CT160",
                param="task_resolver",
                param_kind="option",
                hint="subclass compiler.TaskResolverMixin",
            )
        self.task_resolver = task_resolver or default_task_resolver

    def _located(self, err: CompileTasksError) -> CompileTasksError:
        return err.with_context(location=self.location, task=self.name)

    def get_command(self, settings: SerializationSettings) -> list[str]:
        """The container args: entrypoint, Flyte's flags, resolver and loader args."""
        loader_args = self.task_resolver.loader_args(settings, self)
        return python_task_args(self.task_resolver.location, loader_args)

    def _env(self, settings: SerializationSettings) -> dict[str, str]:
        runtime = runtime_packages_env(self.container_image)
        return {**merge_env(settings.env, self.environment), **runtime}

    def get_image(self, settings: SerializationSettings) -> str:
        """The task's image: an ``ImageSpec``'s name, a template resolved, or the default."""
        try:
            return task_image_name(self.container_image, settings.image_config)
        except CompileTasksError as err:
            raise self._located(err) from None

    def get_container(self, settings: SerializationSettings) -> tasks_pb2.Container | None:
        if self.pod_template is not None:
            return None
        image, requests, limits, env, args = self._container_inputs(settings)
        return build_task_container(image, requests, limits, env, args)

    def container_parts(self, settings: SerializationSettings) -> tuple[bytes, list[str]]:
        """The container :meth:`get_container` returns, as the wire bytes of everything but
        its args (memoised: tasks share them) and the args; serialization merges the bytes
        into the template instead of copying a message."""
        image, requests, limits, env, args = self._container_inputs(settings)
        return task_container_bytes(image, requests, limits, env), args

    def _container_inputs(self, settings: SerializationSettings) -> tuple[Any, ...]:
        """``(image, requests, limits, env, args)``: what the container is built from."""
        image = self.get_image(settings)
        args = self.get_command(settings)
        requests, limits = self.resources
        return image, requests, limits, self._env(settings), args

    def get_k8s_pod(self, settings: SerializationSettings) -> tasks_pb2.K8sPod | None:
        template = self.pod_template
        if template is None:
            return None
        requests, limits = self.resources
        try:
            primary = PrimaryContainer(
                image=self.get_image(settings),
                command=[],
                args=self.get_command(settings),
                env=self._env(settings),
                requests=requests,
                limits=limits,
            )
            spec = build_pod_spec(
                template.pod_spec_dict,
                template.primary_container_name,
                primary,
                settings.image_config,
            )
        except CompileTasksError as err:
            raise self._located(err) from None
        return build_k8s_pod(spec, template.labels, template.annotations)

    def get_config(self, settings: SerializationSettings) -> dict[str, str] | None:
        if self.pod_template is None:
            return None
        return {"primary_container_name": self.pod_template.primary_container_name}

    def get_extended_resources(
        self, settings: SerializationSettings
    ) -> tasks_pb2.ExtendedResources | None:
        spec = self.accelerator.to_spec() if self.accelerator is not None else None
        return build_extended_resources(spec, self.shared_memory)
