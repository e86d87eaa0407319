"""A task module written against flytekit 1.16's authoring API (ported by test_porting.py).

Only the import lines may change when it is ported to compile-tasks.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, NamedTuple

from flytekit import (
    Cache,
    ContainerTask,
    Resources,
    Secret,
    TaskMetadata,
    kwtypes,
    task,
)
from flytekit.core.annotation import FlyteAnnotation
from flytekit.core.base_sql_task import SQLTask
from flytekit.core.base_task import IgnoreOutputs
from flytekit.extras.accelerators import A100, T4
from flytekit.models.task import Sql
from flytekit.types.file import CSVFile, FlyteFile
from flytekit.types.structured import StructuredDataset


@dataclass
class WarehouseConfig:
    account: str
    database: str


class WarehouseQuery(SQLTask[WarehouseConfig]):
    """A tiny SQL plugin."""

    def __init__(self, name: str, query_template: str, task_config: WarehouseConfig, **kwargs):
        super().__init__(
            name=name,
            query_template=query_template,
            task_config=task_config,
            task_type="warehouse_query",
            **kwargs,
        )

    def get_custom(self, settings) -> dict[str, str]:
        return {"account": self.task_config.account, "database": self.task_config.database}

    def get_sql(self, settings) -> Sql | None:
        return Sql(statement=self.query_template, dialect=Sql.Dialect.HIVE)


class Summary(NamedTuple):
    rows: int
    skipped: int


@task(
    retries=3,
    cache=Cache(version="2024-05", serialize=True, ignored_inputs=("trace_id",)),
    requests=Resources(cpu="1", mem="2Gi"),
    limits=Resources(cpu="2", mem="4Gi"),
    environment={"LOG_LEVEL": "info"},
    secret_requests=[Secret(group="warehouse", key="password", env_var="WAREHOUSE_PASSWORD")],
)
def load_orders(order_ids: list[str], trace_id: str = "", limit: int = 100) -> Summary:
    """Load orders into the staging table.

    Orders already present are skipped.

    :param order_ids: Orders to load.
    :param limit: At most this many.
    :return: What happened.
    """
    loaded = order_ids[:limit]
    return Summary(rows=len(loaded), skipped=len(order_ids) - len(loaded))


@task(
    accelerator=A100.partition_2g_10gb,
    requests=Resources(gpu="1"),
    timeout=timedelta(hours=1),
    interruptible=True,
)
def train(epochs: Annotated[int, FlyteAnnotation({"min": 1})], data: CSVFile) -> FlyteFile:
    """Train the model."""
    raise IgnoreOutputs()


@task(accelerator=T4, shared_memory="1Gi", container_image="{{.image.gpu.fqn}}:latest")
def score(model: FlyteFile, since: datetime | None = None) -> tuple[float, str]:
    return 0.5, "ok"


@task
def count_rows(df: StructuredDataset) -> int:
    return 0


@task(deprecated="use load_orders", enable_deck=True)
def legacy_total(amounts: dict[str, float]) -> float:
    return sum(amounts.values())


thumbnail = ContainerTask(
    name="thumbnail",
    image="registry.example.com/tools/thumb:1.0",
    command=["thumb", "{{.inputs.size}}"],
    inputs=kwtypes(size=int),
    outputs=kwtypes(path=str),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    metadata_format=ContainerTask.MetadataFormat.YAML,
    metadata=TaskMetadata(retries=2, timeout=timedelta(minutes=5)),
)

daily_revenue = WarehouseQuery(
    name="shop.daily_revenue",
    query_template="""
        SELECT day, SUM(total)
        FROM orders
        WHERE day = '{{ .inputs.day }}'
    """,
    task_config=WarehouseConfig(account="shop", database="SALES"),
    inputs=kwtypes(day=datetime),
    outputs=kwtypes(results=StructuredDataset),
)
