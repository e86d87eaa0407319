"""Accelerator classes and constants for ``@task(accelerator=...)`` (WIRE-FORMAT 6.1).

A layer of their own between the proto builders (which turn an :class:`AcceleratorSpec` into
``extended_resources``) and the SDK (which takes these classes in ``@task``).

The names and device strings are flytekit's (``flytekit.extras.accelerators``), so a module
ports by changing its import. A plain device writes ``{"device": ...}``; a partition or TPU
slice adds ``partition_size``; ``.unpartitioned`` adds ``unpartitioned: true``::

    from compiler.accelerators import A100, T4, V5E
    @task(accelerator=A100.partition_3g_20gb)   # device nvidia-tesla-a100, partition 3g.20gb
    @task(accelerator=V5E.slice_2x4)            # device tpu-v5-lite-podslice, partition 2x4
    @task(accelerator=GPUAccelerator("my-gpu")) # any other device string
"""

from __future__ import annotations

from compiler.proto import AcceleratorSpec

__all__ = [
    "A10G",
    "A100",
    "A100_80GB",
    "H100",
    "H200",
    "K80",
    "L4",
    "L4_VWS",
    "L40S",
    "M60",
    "P4",
    "P100",
    "RTX_PRO_6000",
    "T4",
    "V5E",
    "V5P",
    "V6E",
    "V100",
    "BaseAccelerator",
    "GPUAccelerator",
    "MultiInstanceGPUAccelerator",
]


class BaseAccelerator:
    """Something a task can be scheduled on; subclasses say how it is written."""

    def to_spec(self) -> AcceleratorSpec:
        """The wire fields of ``extended_resources.gpu_accelerator``."""
        raise NotImplementedError


class GPUAccelerator(BaseAccelerator):
    """A whole device, named by its Kubernetes device string (e.g. ``"nvidia-tesla-t4"``)."""

    def __init__(self, device: str) -> None:
        self.device = device

    def to_spec(self) -> AcceleratorSpec:
        return AcceleratorSpec(device=self.device)

    def __repr__(self) -> str:
        return f"GPUAccelerator({self.device!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_spec() == self.to_spec()

    def __hash__(self) -> int:
        return hash(self.to_spec())


class MultiInstanceGPUAccelerator(GPUAccelerator):
    """A device that can be partitioned (MIG) or sliced (TPU).

    The bare constant asks for the device only; ``.unpartitioned`` asks for a whole,
    unpartitioned device; the ``partition_*`` / ``slice_*`` attributes ask for one partition.
    """

    def __init__(
        self, device: str, partition_size: str | None = None, *, unpartitioned: bool = False
    ) -> None:
        super().__init__(device)
        self.partition_size = partition_size
        self._unpartitioned = unpartitioned

    @property
    def unpartitioned(self) -> MultiInstanceGPUAccelerator:
        """The whole device, explicitly without partitions."""
        return MultiInstanceGPUAccelerator(self.device, unpartitioned=True)

    def partitioned(self, size: str) -> MultiInstanceGPUAccelerator:
        """One partition (or slice) of this device, e.g. ``"3g.20gb"`` or ``"2x4"``."""
        return MultiInstanceGPUAccelerator(self.device, size)

    def to_spec(self) -> AcceleratorSpec:
        return AcceleratorSpec(
            device=self.device,
            partition_size=self.partition_size,
            unpartitioned=self._unpartitioned,
        )

    def __getattr__(self, name: str) -> MultiInstanceGPUAccelerator:
        # Only the bare constant has partition attributes (``A100.partition_1g_5gb``).
        if name.startswith("_") or name in ("device", "partition_size"):
            raise AttributeError(name)
        if self.partition_size is None and not self._unpartitioned:
            for prefix in ("partition_", "slice_"):
                size = _partition_size(name, prefix)
                if size in self._sizes:
                    return self.partitioned(size)
        raise AttributeError(f"{self!r} has no attribute {name!r}")

    @property
    def _sizes(self) -> tuple[str, ...]:
        return _PARTITIONS.get(self.device, ())

    def __dir__(self) -> list[str]:
        prefix = "slice_" if self.device.startswith("tpu-") else "partition_"
        names = [prefix + size.replace(".", "_") for size in self._sizes]
        return sorted({*super().__dir__(), *names})

    def __repr__(self) -> str:
        if self._unpartitioned:
            return f"MultiInstanceGPUAccelerator({self.device!r}).unpartitioned"
        size = f", {self.partition_size!r}" if self.partition_size else ""
        return f"MultiInstanceGPUAccelerator({self.device!r}{size})"


def _partition_size(attr: str, prefix: str) -> str | None:
    """``partition_3g_20gb`` -> ``3g.20gb``; ``slice_2x4`` -> ``2x4``."""
    if not attr.startswith(prefix):
        return None
    return attr.removeprefix(prefix).replace("_", ".")


_TPU_2D = ("1x1", "2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16")
_V5P_SLICES = (
    "2x2x1", "2x2x2", "2x4x4", "4x4x4", "4x4x8", "4x8x8",
    "8x8x8", "8x8x16", "8x16x16", "16x16x16", "16x16x24",
)  # fmt: skip

#: Device string -> the partitions/slices its constant offers.
_PARTITIONS: dict[str, tuple[str, ...]] = {
    "nvidia-tesla-a100": ("1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"),
    "nvidia-a100-80gb": ("1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"),
    "tpu-v5-lite-podslice": _TPU_2D,
    "tpu-v5p-slice": _V5P_SLICES,
    "tpu-v6e-slice": _TPU_2D,
}

A10G = GPUAccelerator("nvidia-a10g")
L4 = GPUAccelerator("nvidia-l4")
L4_VWS = GPUAccelerator("nvidia-l4-vws")
L40S = GPUAccelerator("nvidia-l40s")
K80 = GPUAccelerator("nvidia-tesla-k80")
M60 = GPUAccelerator("nvidia-tesla-m60")
P4 = GPUAccelerator("nvidia-tesla-p4")
P100 = GPUAccelerator("nvidia-tesla-p100")
T4 = GPUAccelerator("nvidia-tesla-t4")
V100 = GPUAccelerator("nvidia-tesla-v100")
H100 = GPUAccelerator("nvidia-h100")
H200 = GPUAccelerator("nvidia-h200")
RTX_PRO_6000 = GPUAccelerator("nvidia-rtx-pro-6000")
A100 = MultiInstanceGPUAccelerator("nvidia-tesla-a100")
A100_80GB = MultiInstanceGPUAccelerator("nvidia-a100-80gb")
V5E = MultiInstanceGPUAccelerator("tpu-v5-lite-podslice")
V5P = MultiInstanceGPUAccelerator("tpu-v5p-slice")
V6E = MultiInstanceGPUAccelerator("tpu-v6e-slice")
