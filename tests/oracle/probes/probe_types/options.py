"""Task options at their edges (WIRE-FORMAT 4, 5, 6 and 7)."""

from datetime import timedelta

from compiler import Cache, PodTemplate, Resources, Secret, task
from compiler.accelerators import A100_80GB, H100, L4, V5P, GPUAccelerator


@task(
    retries=0,
    timeout=0,
    deprecated="",
    interruptible=None,
    enable_deck=False,
    requests=Resources(cpu="0", mem=""),
    limits=Resources(gpu="0"),
)
def defaults_spelled_out(x: int) -> int:
    return x


@task(resources=Resources(cpu="1", mem=("1Gi", "2Gi"), ephemeral_storage=("5Gi", "10Gi")))
def resources_mixed(x: int) -> int:
    return x


@task(cache=Cache(version="v9"), timeout=timedelta(seconds=90.5), retries=10)
def cache_object_minimal(x: int) -> int:
    return x


@task(accelerator=GPUAccelerator("custom-device"))
def custom_accelerator(x: int) -> int:
    return x


@task(accelerator=A100_80GB.partition_7g_80gb)
def a100_80_partition(x: int) -> int:
    return x


@task(accelerator=V5P.slice_2x2x1)
def tpu_v5p(x: int) -> int:
    return x


@task(accelerator=H100, shared_memory=True)
def h100_shm(x: int) -> int:
    return x


@task(accelerator=L4.unpartitioned if hasattr(L4, "unpartitioned") else L4)
def l4_plain(x: int) -> int:
    return x


@task(secret_requests=[Secret(group="only-group")])
def secret_group_only(x: int) -> int:
    return x


@task(pod_template=PodTemplate())
def pod_template_empty(x: int) -> int:
    return x


@task(
    pod_template=PodTemplate(
        primary_container_name="main",
        pod_spec={"containers": [{"name": "other", "image": "busybox:1.36"}]},
        labels={"a": "b"},
    ),
    environment={"K": "V"},
)
def pod_template_primary_appended(x: int) -> int:
    return x


@task(
    pod_template=PodTemplate(
        pod_spec={
            "containers": [
                {
                    "name": "primary",
                    "env": [{"name": "OWN", "value": "1"}],
                    "resources": {"limits": {"memory": "1Gi"}},
                }
            ]
        }
    ),
    limits=Resources(mem="3Gi"),
)
def pod_template_resources_replaced(x: int) -> int:
    return x


@task(
    pod_template=PodTemplate(pod_spec={"containers": [{"name": "primary"}]}),
    pod_template_name="also-named",
    container_image="registry.example.com/team/other:9",
)
def pod_template_and_name(x: int) -> int:
    return x


@task(
    pod_template=PodTemplate(
        pod_spec={"containers": [{"name": "primary", "image": "registry.example.com/own:1"}]}
    ),
    container_image="registry.example.com/team/other:9",
)
def pod_container_image_wins(x: int) -> int:
    return x
