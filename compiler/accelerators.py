"""Accelerator constants for ``@task(accelerator=...)`` (WIRE-FORMAT 6.1).

The names and device strings are flytekit's (``flytekit.extras.accelerators``), so a module
ports by changing its import::

    from compiler.accelerators import A100, T4, V5E

    @task(accelerator=A100.partition_3g_20gb)  # nvidia-tesla-a100, partition 3g.20gb
    @task(accelerator=V5E.slice_2x4)  # tpu-v5-lite-podslice, partition 2x4
    @task(accelerator=A100.unpartitioned)  # the whole device, unpartitioned
    @task(accelerator=GPUAccelerator("my-gpu"))  # any other device string
"""

from compiler.build.accelerators import (
    A10G,
    A100,
    A100_80GB,
    H100,
    H200,
    K80,
    L4,
    L4_VWS,
    L40S,
    M60,
    P4,
    P100,
    RTX_PRO_6000,
    T4,
    V5E,
    V5P,
    V6E,
    V100,
    BaseAccelerator,
    GPUAccelerator,
    MultiInstanceGPUAccelerator,
)

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
