"""A SQL plugin: queries against the ledger warehouse, declared as ``SQLTask`` subclasses."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flyteidl.core.tasks_pb2 import Sql

from compiler import SQLTask, StructuredDataset, TaskMetadata, kwtypes


@dataclass
class LedgerConfig:
    """Where a ledger query runs."""

    account: str
    database: str
    schema: str = "public"
    warehouse: str = ""


class LedgerQueryTask(SQLTask[LedgerConfig]):
    """A query run by the ledger service; the statement is sent as a ``Sql`` target."""

    _TASK_TYPE = "ledger_query"

    def __init__(
        self,
        name: str,
        query_template: str,
        task_config: LedgerConfig,
        inputs: dict[str, type] | None = None,
        outputs: dict[str, type] | None = None,
        metadata: TaskMetadata | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            name=name,
            query_template=query_template,
            task_config=task_config,
            task_type=self._TASK_TYPE,
            inputs=inputs,
            outputs=outputs,
            metadata=metadata,
            **kwargs,
        )

    def get_sql(self, settings: Any) -> Sql:
        return Sql(statement=self.query_template)

    def get_custom(self, settings: Any) -> dict[str, Any]:
        custom: dict[str, Any] = {
            "account": self.task_config.account,
            "database": self.task_config.database,
            "schema": self.task_config.schema,
        }
        if self.task_config.warehouse:
            custom["warehouse"] = self.task_config.warehouse
        return custom


class LedgerExportTask(SQLTask[LedgerConfig]):
    """An export that runs through the plugin's own service: no ``Sql`` target, only config."""

    def get_custom(self, settings: Any) -> dict[str, Any]:
        return {"account": self.task_config.account, "format": "csv", "parallelism": 4}


SALES = LedgerConfig(account="shop-prod", database="SALES")

daily_totals = LedgerQueryTask(
    name="examples.warehouse.daily_totals",
    query_template="""
        SELECT id, total
        FROM orders
        WHERE day = '{{ .inputs.day }}'
    """,
    task_config=SALES,
    inputs=kwtypes(day=datetime),
    outputs=kwtypes(results=StructuredDataset),
    metadata=TaskMetadata(retries=2, cache=True, cache_version="1"),
)

refund_ratio = LedgerQueryTask(
    name="refund_ratio",
    query_template="SELECT\tsku,\n\tcount(*) FILTER (WHERE refunded) / count(*) AS ratio\n"
    "FROM order_lines WHERE channel = '{{ .inputs.channel }}' AND\tday >= '{{ .inputs.since }}'",
    task_config=LedgerConfig(
        account="shop-prod", database="SALES", schema="returns", warehouse="XS"
    ),
    inputs=kwtypes(channel=str, since=datetime),
    outputs=kwtypes(ratios=StructuredDataset),
)

purge_staging = LedgerQueryTask(
    name="examples.warehouse.purge_staging",
    query_template="DELETE FROM staging.orders WHERE loaded_at < '{{ .inputs.before }}'",
    task_config=SALES,
    inputs=kwtypes(before=datetime),
    metadata=TaskMetadata(timeout=600, interruptible=False),
)

export_ledger = LedgerExportTask(
    name="export_ledger",
    query_template="SELECT * FROM ledger WHERE month = '{{ .inputs.month }}'",
    task_config=LedgerConfig(account="shop-finance", database="LEDGER"),
    task_type="ledger_export",
    inputs=kwtypes(month=str),
    outputs=kwtypes(rows=int),
)
