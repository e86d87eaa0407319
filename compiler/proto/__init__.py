"""Pure proto builders used by the task hooks of :mod:`compiler.sdk`.

Each module takes plain, already validated values and returns flyteidl messages (or the dicts
that become Structs): ``resources``, ``images``, ``env``, ``security``, ``extended``, ``pod``,
``metadata``, ``container``. Nothing here knows about task objects. ``__all__`` is what the
layers above (the SDK's task hooks, the accelerators) may use.
"""

from compiler.proto.container import (
    build_container,
    build_task_container,
    python_task_args,
    task_container_bytes,
)
from compiler.proto.env import merge_env
from compiler.proto.extended import AcceleratorSpec, build_extended_resources
from compiler.proto.images import resolve_image, task_image
from compiler.proto.metadata import (
    MetadataSpec,
    build_task_metadata,
    scalar_metadata_bytes,
    task_metadata_bytes,
)
from compiler.proto.pod import PrimaryContainer, build_k8s_pod, build_pod_spec, to_pod_spec_dict
from compiler.proto.resources import ResourceName, build_resources, canonical_quantity
from compiler.proto.security import build_security_context

__all__ = [
    "AcceleratorSpec",
    "MetadataSpec",
    "PrimaryContainer",
    "ResourceName",
    "build_container",
    "build_extended_resources",
    "build_k8s_pod",
    "build_pod_spec",
    "build_resources",
    "build_security_context",
    "build_task_container",
    "build_task_metadata",
    "canonical_quantity",
    "merge_env",
    "python_task_args",
    "resolve_image",
    "scalar_metadata_bytes",
    "task_container_bytes",
    "task_image",
    "task_metadata_bytes",
    "to_pod_spec_dict",
]
