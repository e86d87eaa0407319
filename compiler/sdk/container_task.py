"""``ContainerTask``: run any image with a command line (``raw-container``, WIRE-FORMAT 8)."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from typing import Any

from flyteidl.core import tasks_pb2

from compiler.errors import CompileTasksError, DefinitionError, SourceLocation
from compiler.idl import TaskType
from compiler.proto import (
    PrimaryContainer,
    build_container,
    build_k8s_pod,
    build_pod_spec,
    build_resources,
    merge_env,
    resolve_image,
)
from compiler.sdk.image_spec import ImageSpec, image_uri
from compiler.sdk.interface import interface_from_types
from compiler.sdk.location import caller_location, definition_context
from compiler.sdk.metadata import TaskMetadata
from compiler.sdk.pod_template import PodTemplate, check_pod_template
from compiler.sdk.python_task import PythonTask
from compiler.sdk.resources import Resources, resolve_resources
from compiler.sdk.secrets import Secret
from compiler.settings import SerializationSettings

__all__ = ["ContainerTask"]

_Modes = tasks_pb2.IOStrategy


class _MetadataFormat(enum.Enum):
    """How inputs/outputs metadata files are written (``DataLoadingConfig.format``)."""

    JSON = tasks_pb2.DataLoadingConfig.JSON
    YAML = tasks_pb2.DataLoadingConfig.YAML
    PROTO = tasks_pb2.DataLoadingConfig.PROTO


class _IOStrategy(enum.Enum):
    """How inputs are downloaded and outputs uploaded; ``(field, mode)`` of ``IOStrategy``."""

    DOWNLOAD_EAGER = ("download_mode", _Modes.DOWNLOAD_EAGER)
    DOWNLOAD_STREAM = ("download_mode", _Modes.DOWNLOAD_STREAM)
    DO_NOT_DOWNLOAD = ("download_mode", _Modes.DO_NOT_DOWNLOAD)
    UPLOAD_EAGER = ("upload_mode", _Modes.UPLOAD_EAGER)
    UPLOAD_ON_EXIT = ("upload_mode", _Modes.UPLOAD_ON_EXIT)
    DO_NOT_UPLOAD = ("upload_mode", _Modes.DO_NOT_UPLOAD)


def _io_strategy(value: Any) -> tasks_pb2.IOStrategy | None:
    """One ``IOStrategy`` member, several (one download, one upload), or a proto."""
    if value is None or isinstance(value, tasks_pb2.IOStrategy):
        return value
    members = value if isinstance(value, list | tuple) else [value]
    strategy = tasks_pb2.IOStrategy()
    seen: set[str] = set()
    for member in members:
        if not isinstance(member, _IOStrategy) or member.value[0] in seen:
            raise DefinitionError(
                f"io_strategy {value!r} is not one download and/or one upload mode",
                code="CT161",
                param="io_strategy",
                param_kind="option",
                hint="write io_strategy=ContainerTask.IOStrategy.DOWNLOAD_STREAM, or a pair "
                "(DOWNLOAD_STREAM, UPLOAD_EAGER)",
            )
        seen.add(member.value[0])
        setattr(strategy, member.value[0], member.value[1])
    return strategy


def _check_strings(**lists: Sequence[str] | None) -> None:
    """CT164 unless each given list is a list/tuple of strings (``None`` is allowed)."""
    for option, items in lists.items():
        if items is None:
            continue
        if isinstance(items, str) or not isinstance(items, list | tuple):
            bad: Any = items
        else:
            bad = next((item for item in items if not isinstance(item, str)), None)
            if bad is None:
                continue
        raise DefinitionError(
            f"{option} must be a list of strings, got {bad!r}",
            code="CT164",
            param=option,
            param_kind="option",
            hint=f"quote every item, e.g. {option}=['resize', '--width', '{{{{.inputs.width}}}}']",
        )


class ContainerTask(PythonTask[None]):
    """A task that runs ``command`` in ``image``; inputs/outputs go through files.

    Args:
        name: The entity name, written verbatim.
        image: Image or image template.
        command: The command, verbatim (``{{.inputs.x}}`` templates are Flyte's).
        inputs: ``kwtypes(...)`` of inputs.
        metadata: Metadata options.
        arguments: Container args (only written when given).
        outputs: ``kwtypes(...)`` of outputs.
        requests: Resource requests.
        limits: Resource limits.
        input_data_dir: Where inputs are written in the container.
        output_data_dir: Where the container writes outputs.
        metadata_format: ``ContainerTask.MetadataFormat.JSON`` (default), ``YAML`` or ``PROTO``.
        io_strategy: ``ContainerTask.IOStrategy`` member(s).
        secret_requests: Secrets the task needs.
        pod_template: Run in a pod built from this template.
        pod_template_name: Name of a cluster-side PodTemplate.
        resources: Requests and limits in one object.
        local_logs: Accepted for porting; it changes nothing in the compiled task.
        **kwargs: Passed to :class:`PythonTask` (``environment``, ...).
    """

    MetadataFormat = _MetadataFormat
    IOStrategy = _IOStrategy

    def __init__(
        self,
        name: str,
        image: str | ImageSpec,
        command: Sequence[str],
        inputs: Mapping[str, Any] | None = None,
        metadata: TaskMetadata | None = None,
        arguments: Sequence[str] | None = None,
        outputs: Mapping[str, Any] | None = None,
        requests: Resources | None = None,
        limits: Resources | None = None,
        input_data_dir: str | None = None,
        output_data_dir: str | None = None,
        metadata_format: _MetadataFormat = _MetadataFormat.JSON,
        io_strategy: Any = None,
        secret_requests: Sequence[Secret] | None = None,
        pod_template: PodTemplate | None = None,
        pod_template_name: str | None = None,
        resources: Resources | None = None,
        local_logs: bool = False,
        **kwargs: Any,
    ) -> None:
        self.local_logs = local_logs  # flytekit streams local docker logs; nothing on the wire
        location, module = caller_location(self)
        self._location = location or SourceLocation("<unknown>")
        self.instantiated_in = module
        with definition_context(str(name), lambda: location):
            if not isinstance(name, str) or not name:
                raise DefinitionError(
                    f"name must be a non-empty string, got {name!r}",
                    code="CT164",
                    param="name",
                    param_kind="option",
                    hint="write name='resize_images' (the task's registered name)",
                )
            self._init(
                image,
                command,
                arguments,
                requests,
                limits,
                resources,
                input_data_dir,
                output_data_dir,
                metadata_format,
                io_strategy,
                pod_template,
            )
            metadata = metadata or TaskMetadata()
            if metadata.pod_template_name and not pod_template_name:
                # flytekit silently drops it (its own argument always overwrites the metadata);
                # we refuse rather than write a template that ignores what the user asked for.
                raise DefinitionError(
                    "pod_template_name set in metadata=TaskMetadata(...) of a ContainerTask",
                    code="CT118",
                    param="pod_template_name",
                    param_kind="option",
                    hint=f"pass ContainerTask(..., pod_template_name="
                    f"{metadata.pod_template_name!r}) instead",
                )
            if pod_template_name:
                metadata = dataclasses.replace(metadata, pod_template_name=pod_template_name)
            super().__init__(
                task_type=TaskType.RAW_CONTAINER.value,
                name=name,
                interface=interface_from_types(inputs, outputs),
                metadata=metadata,
                secret_requests=secret_requests,
                **kwargs,
            )

    def _init(
        self,
        image: str | ImageSpec,
        command: Sequence[str],
        arguments: Sequence[str] | None,
        requests: Resources | None,
        limits: Resources | None,
        resources: Resources | None,
        input_data_dir: str | None,
        output_data_dir: str | None,
        metadata_format: Any,
        io_strategy: Any,
        pod_template: PodTemplate | None,
    ) -> None:
        if not isinstance(metadata_format, _MetadataFormat):
            raise DefinitionError(
                f"metadata_format must be a ContainerTask.MetadataFormat, got {metadata_format!r}",
                code="CT161",
                param="metadata_format",
                param_kind="option",
                hint="write metadata_format=ContainerTask.MetadataFormat.YAML",
            )
        _check_strings(command=command, arguments=arguments)
        for option, value in (
            ("input_data_dir", input_data_dir),
            ("output_data_dir", output_data_dir),
        ):
            if value is not None and not isinstance(value, str):
                raise DefinitionError(
                    f"{option} must be a path string, got {value!r}",
                    code="CT164",
                    param=option,
                    param_kind="option",
                    hint=f"write {option}='/var/inputs' (a path inside the container)",
                )
        if not isinstance(image, ImageSpec) and (not isinstance(image, str) or not image):
            raise DefinitionError(
                f"image must be a non-empty string or an ImageSpec, got {image!r}",
                code="CT162",
                param="image",
                param_kind="option",
                hint="write image='registry/repo:tag' or image='{{.image.NAME}}'",
            )
        check_pod_template(pod_template)
        self.image = image
        self.command = list(command)
        self.arguments = None if arguments is None else list(arguments)
        self.resources = resolve_resources(requests, limits, resources)
        self.input_data_dir = input_data_dir
        self.output_data_dir = output_data_dir
        self.metadata_format = metadata_format
        self.io_strategy = _io_strategy(io_strategy)
        self.pod_template = pod_template

    def _data_config(self) -> tasks_pb2.DataLoadingConfig:
        config = tasks_pb2.DataLoadingConfig(
            enabled=True,
            input_path=self.input_data_dir or "",
            output_path=self.output_data_dir or "",
            format=self.metadata_format.value,
        )
        if self.io_strategy is not None:
            config.io_strategy.CopyFrom(self.io_strategy)
        return config

    def _image(self, settings: SerializationSettings) -> str:
        try:
            if isinstance(self.image, ImageSpec):
                return image_uri(self.image)
            return resolve_image(self.image, settings.image_config, what="image")
        except CompileTasksError as err:
            raise err.with_context(location=self.location, task=self.name) from None

    def get_container(self, settings: SerializationSettings) -> tasks_pb2.Container | None:
        if self.pod_template is not None:
            return None
        return build_container(
            image=self._image(settings),
            command=self.command,
            args=self.arguments or (),
            resources=build_resources(*self.resources),
            env=merge_env(settings.env, self.environment),
            data_config=self._data_config(),
        )

    def get_k8s_pod(self, settings: SerializationSettings) -> tasks_pb2.K8sPod | None:
        template = self.pod_template
        if template is None:
            return None
        requests, limits = self.resources
        primary = PrimaryContainer(
            image=self._image(settings),
            command=self.command,
            args=self.arguments,
            env=merge_env(settings.env, self.environment),
            requests=requests,
            limits=limits,
        )
        try:
            spec = build_pod_spec(
                template.pod_spec_dict,
                template.primary_container_name,
                primary,
                settings.image_config,
            )
        except CompileTasksError as err:
            raise err.with_context(location=self.location, task=self.name) from None
        return build_k8s_pod(spec, template.labels, template.annotations, self._data_config())

    def get_config(self, settings: SerializationSettings) -> dict[str, str] | None:
        if self.pod_template is None:
            return None
        return {"primary_container_name": self.pod_template.primary_container_name}
