"""Accelerators and shared memory -> ``TaskTemplate.extended_resources`` (WIRE-FORMAT 6)."""

from __future__ import annotations

from flyteidl.core import tasks_pb2

from compiler.records import frozen_record

__all__ = [
    "SHARED_MEMORY_MOUNT_NAME",
    "SHARED_MEMORY_MOUNT_PATH",
    "AcceleratorSpec",
    "build_extended_resources",
]

SHARED_MEMORY_MOUNT_NAME = "flyte-shared-memory"
SHARED_MEMORY_MOUNT_PATH = "/dev/shm"


@frozen_record
class AcceleratorSpec:
    """The wire fields of an accelerator: a device and at most one of the partition fields."""

    device: str
    partition_size: str | None = None
    unpartitioned: bool = False


def build_extended_resources(
    accelerator: AcceleratorSpec | None, shared_memory: bool | str | None
) -> tasks_pb2.ExtendedResources | None:
    """The extended resources, or ``None`` when neither an accelerator nor shared memory is set.

    Args:
        accelerator: The device to schedule on.
        shared_memory: ``True`` for an unbounded ``/dev/shm``, a quantity string for a bounded
            one, ``None``/``False`` for none.
    """
    if accelerator is None and not shared_memory:
        return None
    ext = tasks_pb2.ExtendedResources()
    if accelerator is not None:
        gpu = ext.gpu_accelerator
        gpu.device = accelerator.device
        if accelerator.unpartitioned:
            gpu.unpartitioned = True
        elif accelerator.partition_size is not None:
            gpu.partition_size = accelerator.partition_size
    if shared_memory:
        shm = ext.shared_memory
        shm.mount_name = SHARED_MEMORY_MOUNT_NAME
        shm.mount_path = SHARED_MEMORY_MOUNT_PATH
        if isinstance(shared_memory, str):
            shm.size_limit = shared_memory
    return ext
