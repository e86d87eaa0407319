"""SQLTask: query normalisation, generic config, hooks (WIRE-FORMAT 9)."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from flyteidl.core import tasks_pb2
from google.protobuf.json_format import MessageToDict

from compiler import SerializationSettings, SQLTask, StructuredDataset, TaskMetadata, kwtypes
from compiler.errors import DefinitionError


@dataclass
class LedgerConfig:
    account: str
    database: str
    schema: str = "public"


class LedgerQueryTask(SQLTask[LedgerConfig]):
    """A plugin task type: overrides get_sql and get_custom."""

    def __init__(self, name: str, query_template: str, task_config: LedgerConfig, **kwargs: Any):
        super().__init__(
            name=name,
            query_template=query_template,
            task_config=task_config,
            task_type="ledger_query",
            **kwargs,
        )

    def get_custom(self, settings: SerializationSettings) -> dict[str, Any]:
        cfg = self.task_config
        return {"account": cfg.account, "database": cfg.database, "schema": cfg.schema}

    def get_sql(self, settings: SerializationSettings) -> tasks_pb2.Sql:
        return tasks_pb2.Sql(statement=self.query_template, dialect=tasks_pb2.Sql.ANSI)


daily = LedgerQueryTask(
    name="shop.ledger.daily_totals",
    query_template="""
      SELECT id, total
      FROM orders\tWHERE day = '{{ .inputs.day }}'
    """,
    task_config=LedgerConfig(account="shop-prod", database="SALES"),
    inputs=kwtypes(day=datetime.datetime),
    outputs=kwtypes(results=StructuredDataset),
    metadata=TaskMetadata(retries=1),
)

SETTINGS = SerializationSettings()


def test_plugin_subclass_hooks():
    assert daily.name == "shop.ledger.daily_totals"
    assert daily.task_type == "ledger_query"
    assert daily.query_template == "SELECT id, total FROM orders WHERE day = '{{ .inputs.day }}'"
    assert MessageToDict(daily.get_sql(SETTINGS), preserving_proto_field_name=True) == {
        "statement": "SELECT id, total FROM orders WHERE day = '{{ .inputs.day }}'",
        "dialect": "ANSI",
    }
    assert daily.get_custom(SETTINGS) == {
        "account": "shop-prod",
        "database": "SALES",
        "schema": "public",
    }
    assert daily.get_container(SETTINGS) is None
    assert daily.get_k8s_pod(SETTINGS) is None
    assert daily.get_config(SETTINGS) is None
    assert daily.docs is None
    assert daily.metadata.retries == 1
    assert daily.python_interface.outputs == {"results": StructuredDataset}
    assert daily.instantiated_in == "test_sql_task"


def test_base_class_has_no_target():
    t = SQLTask(name="raw", query_template="select 1")
    assert t.task_type == "sql_task"
    assert t.get_sql(SETTINGS) is None
    assert t.get_container(SETTINGS) is None
    assert t.get_custom(SETTINGS) is None
    assert "get_sql" not in SQLTask.__dict__


def test_generic_subscription():
    assert SQLTask[LedgerConfig] is not SQLTask
    assert daily.task_config == LedgerConfig(account="shop-prod", database="SALES")


def test_interpolate_query():
    t = SQLTask(
        name="q",
        query_template="select * from t where d = '{{ .Inputs.day }}'",
        inputs=kwtypes(day=str),
    )
    assert t.get_query(day="2024-05-01") == "select * from t where d = '2024-05-01'"
    with pytest.raises(DefinitionError) as info:
        t.get_query()
    assert (info.value.code, info.value.param) == ("CT171", "day")


def test_query_must_be_a_string():
    with pytest.raises(DefinitionError) as info:
        SQLTask(name="q", query_template=None)
    assert (info.value.code, info.value.task) == ("CT170", "q")
