"""Tasks running in customised pods."""

from compiler import PodTemplate, Resources, Secret, task
from compiler.accelerators import A10G

BATCH_POD = PodTemplate(
    primary_container_name="app",
    labels={"pool": "batch"},
    annotations={"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"},
    pod_spec={
        "containers": [
            {
                "name": "app",
                "env": [{"name": "CACHE_DIR", "value": "/cache"}],
                "volumeMounts": [{"mountPath": "/cache", "name": "cache"}],
            },
            {
                "name": "log-shipper",
                "image": "registry.example.com/sidecars/log-shipper:1.2",
                "args": ["--flush=5s"],
                "resources": {"requests": {"cpu": "20m", "memory": "32Mi"}},
            },
        ],
        "nodeSelector": {"pool.example.com/tier": "batch"},
        "tolerations": [{"effect": "NoSchedule", "key": "batch-only", "operator": "Exists"}],
        "volumes": [{"emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}, "name": "cache"}],
    },
)


@task(
    pod_template=BATCH_POD,
    requests=Resources(cpu="1", mem="2Gi"),
    environment={"MODE": "full"},
)
def refresh_recommendations(customer_ids: list[str]) -> int:
    """Recompute recommendations in the batch pool.

    :param customer_ids: Customers to refresh.
    :return: Number of customers refreshed.
    """
    return len(customer_ids)


@task(
    pod_template=PodTemplate(
        pod_spec={
            "containers": [],
            "securityContext": {"runAsUser": 1000, "runAsNonRoot": True},
            "priorityClassName": "low",
        }
    ),
    secret_requests=[Secret(group="search", key="admin-token")],
)
def reindex_catalog(since_hours: int = 24) -> int:
    """Re-index catalog entries changed recently.

    :param since_hours: Look-back window.
    :return: Entries re-indexed.
    """
    return since_hours * 0


@task(
    pod_template=PodTemplate(
        primary_container_name="worker",
        pod_spec={
            "containers": [
                {
                    "name": "worker",
                    "image": "{{.image.gpu.fqn}}:{{.image.gpu.version}}",
                    "ports": [{"containerPort": 8080, "name": "metrics"}],
                    "resources": {"limits": {"nvidia.com/gpu": "1"}},
                }
            ],
            "hostNetwork": False,
        },
    ),
    accelerator=A10G,
    shared_memory=True,
)
def render_banners(campaign: str) -> list[str]:
    """Render campaign banners on a GPU worker.

    :param campaign: Campaign id.
    :return: Banner names.
    """
    return [f"{campaign}-{size}" for size in ("small", "large")]
