"""Operational tasks that talk to databases and internal services."""

from datetime import timedelta

from compiler import Cache, Resources, Secret, task
from examples.models import Endpoint

DB_USER = Secret(group="db", key="username")
DB_PASSWORD = Secret(group="db", key="password", mount_requirement=Secret.MountType.ENV_VAR)
TLS_CERT = Secret(
    group="tls", group_version="2", key="client.pem", mount_requirement=Secret.MountType.FILE
)
PAYMENTS_TOKEN = Secret(group="payments", key="api-token", env_var="PAYMENTS_TOKEN")


@task(
    secret_requests=[DB_USER, DB_PASSWORD, TLS_CERT, PAYMENTS_TOKEN],
    environment={"REGION": "us", "DB_POOL": "8"},
    retries=3,
)
def sync_inventory(warehouse: str, endpoint: Endpoint) -> int:
    """Copy stock levels from the warehouse system.

    :param warehouse: Warehouse code.
    :param endpoint: The inventory service.
    :return: Number of SKUs updated.
    """
    return len(warehouse) + endpoint.port % 10


@task(
    cache=Cache(version="v2", serialize=True, ignored_inputs=("trace_id",)),
    timeout=900,
    interruptible=False,
)
def compact_tables(tables: list[str], trace_id: str = "") -> list[str]:
    """Compact the given warehouse tables.

    :param tables: Table names.
    :param trace_id: Correlation id for logs; not part of the cache key.
    :return: The compacted tables, sorted.
    """
    return sorted(tables)


@task(
    cache=True,
    cache_serialize=True,
    cache_version="v1",
    cache_ignore_input_vars=("verbose", "trace_id"),
    deprecated="Use examples.platform.ops.compact_tables.",
)
def vacuum_tables(tables: list[str], verbose: bool = False, trace_id: str = "") -> int:
    """Vacuum warehouse tables (superseded by compaction).

    :param tables: Table names.
    :param verbose: Log every table.
    :param trace_id: Correlation id for logs.
    :return: Number of tables vacuumed.
    """
    return len(tables)


@task(interruptible=True, timeout=timedelta(minutes=5), retries=4)
def notify_oncall(message: str, severity: int = 3) -> bool:
    """Page the on-call engineer.

    :param message: What happened.
    :param severity: 1 (highest) to 5.
    :return: Whether a page was sent.
    """
    return severity <= 2 and bool(message)


@task(
    pod_template_name="large-nodes",
    requests=Resources(mem="64Gi"),
    labels={"team": "checkout", "cost-center": "cc-204"},
    annotations={"owner.example.com/oncall": "pager-7"},
)
def rebuild_search_index(shards: int = 12) -> str:
    """Rebuild the product search index on the large-node pool.

    :param shards: Number of index shards.
    :return: Name of the new index.
    """
    return f"products-v{shards}"


@task(cache=Cache(version="2024-05", ignored_inputs="dry_run"), enable_deck=True)
def audit_permissions(groups: list[str], dry_run: bool = True) -> dict[str, list[str]]:
    """List the members of access groups.

    :param groups: Group names.
    :param dry_run: Only report.
    :return: Members per group.
    """
    return {group: [] for group in groups}
