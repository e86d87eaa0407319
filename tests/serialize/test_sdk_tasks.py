"""serialize_task on real SDK task objects: one of each kind, whole TaskSpec dicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from flyteidl.core.tasks_pb2 import Sql
from google.protobuf import json_format

from compiler import (
    ContainerTask,
    Resources,
    Secret,
    SQLTask,
    StructuredDataset,
    TaskMetadata,
    kwtypes,
    task,
)
from compiler.accelerators import T4
from compiler.errors import SerializationError
from compiler.idl import DEFAULT_RESOLVER, ENTRYPOINT
from compiler.serialize import serialize_task
from compiler.settings import ImageConfig, SerializationSettings
from tests.serialize.fakes import RUNTIME

SETTINGS = SerializationSettings(
    image_config=ImageConfig("registry.example.com/team/app:2.0"),
    env={"LOG_FORMAT": "json", "REGION": "eu"},
)


def spec_dict(task_object) -> dict:
    spec = serialize_task(task_object, SETTINGS)
    return json_format.MessageToDict(spec, preserving_proto_field_name=True)


@task(
    retries=3,
    timeout=900,
    requests=Resources(cpu="2", mem="4Gi", ephemeral_storage="20Gi"),
    environment={"REGION": "us", "DB_POOL": "8"},
    secret_requests=[
        Secret(group="db", key="password", mount_requirement=Secret.MountType.ENV_VAR)
    ],
    accelerator=T4,
)
def sync_stock(warehouse: str) -> int:
    """Sync stock.

    :param warehouse: Warehouse code.
    """
    return len(warehouse)


def test_python_task() -> None:
    args = [
        *ENTRYPOINT,
        "--inputs",
        "{{.input}}",
        "--output-prefix",
        "{{.outputPrefix}}",
        "--raw-output-data-prefix",
        "{{.rawOutputDataPrefix}}",
        "--checkpoint-path",
        "{{.checkpointOutputPrefix}}",
        "--prev-checkpoint",
        "{{.prevCheckpointPrefix}}",
        "--resolver",
        DEFAULT_RESOLVER,
        "--",
        "task-module",
        __name__,
        "task-name",
        "sync_stock",
    ]
    assert spec_dict(sync_stock) == {
        "template": {
            "id": {"resource_type": "TASK", "name": f"{__name__}.sync_stock"},
            "type": "python-task",
            "metadata": {
                "generates_deck": False,
                "metadata": {},
                "retries": {"retries": 3},
                "runtime": RUNTIME,
                "timeout": "900s",
            },
            "interface": {
                "inputs": {
                    "variables": {
                        "warehouse": {
                            "description": "Warehouse code.",
                            "type": {"simple": "STRING"},
                        }
                    }
                },
                "outputs": {
                    "variables": {"o0": {"description": "o0", "type": {"simple": "INTEGER"}}}
                },
            },
            "container": {
                "image": "registry.example.com/team/app:2.0",
                "args": args,
                "env": [
                    {"key": "LOG_FORMAT", "value": "json"},
                    {"key": "REGION", "value": "us"},
                    {"key": "DB_POOL", "value": "8"},
                ],
                "resources": {
                    "requests": [
                        {"name": "EPHEMERAL_STORAGE", "value": "20Gi"},
                        {"name": "CPU", "value": "2"},
                        {"name": "MEMORY", "value": "4Gi"},
                    ]
                },
            },
            "security_context": {
                "secrets": [{"group": "db", "key": "password", "mount_requirement": "ENV_VAR"}]
            },
            "extended_resources": {"gpu_accelerator": {"device": "nvidia-tesla-t4"}},
        },
        "description": {
            "short_description": "Sync stock.",
            "long_description": {"format": "DESCRIPTION_FORMAT_RST"},
        },
    }


resize = ContainerTask(
    name="resize_images",
    image="registry.example.com/tools/resizer:3.1",
    command=["resize", "--width", "{{.inputs.width}}"],
    inputs=kwtypes(width=int),
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    metadata_format=ContainerTask.MetadataFormat.YAML,
    limits=Resources(cpu="2"),
)


def test_container_task() -> None:
    assert spec_dict(resize) == {
        "template": {
            "id": {"resource_type": "TASK", "name": "resize_images"},
            "type": "raw-container",
            "metadata": {
                "generates_deck": False,
                "metadata": {},
                "retries": {},
                "runtime": RUNTIME,
            },
            "interface": {
                "inputs": {
                    "variables": {"width": {"description": "width", "type": {"simple": "INTEGER"}}}
                },
                "outputs": {},
            },
            "container": {
                "image": "registry.example.com/tools/resizer:3.1",
                "command": ["resize", "--width", "{{.inputs.width}}"],
                "env": [{"key": "LOG_FORMAT", "value": "json"}, {"key": "REGION", "value": "eu"}],
                "resources": {"limits": [{"name": "CPU", "value": "2"}]},
                "data_config": {
                    "enabled": True,
                    "format": "YAML",
                    "input_path": "/var/inputs",
                    "output_path": "/var/outputs",
                },
            },
        }
    }


class LedgerQuery(SQLTask[dict]):
    def get_sql(self, settings: Any) -> Sql:
        return Sql(statement=self.query_template)

    def get_custom(self, settings: Any) -> dict[str, Any]:
        return {"account": self.task_config["account"], "parallelism": 4}


daily_totals = LedgerQuery(
    name="shop.ledger.daily_totals",
    query_template="\n  SELECT id, total\n  FROM orders\n  WHERE day = '{{ .inputs.day }}'\n",
    task_config={"account": "shop-prod"},
    task_type="ledger_query",
    inputs=kwtypes(day=datetime),
    outputs=kwtypes(results=StructuredDataset),
    metadata=TaskMetadata(retries=1),
)


def test_sql_task() -> None:
    assert spec_dict(daily_totals) == {
        "template": {
            "id": {"resource_type": "TASK", "name": "shop.ledger.daily_totals"},
            "type": "ledger_query",
            "metadata": {
                "generates_deck": False,
                "metadata": {},
                "retries": {"retries": 1},
                "runtime": RUNTIME,
            },
            "interface": {
                "inputs": {
                    "variables": {"day": {"description": "day", "type": {"simple": "DATETIME"}}}
                },
                "outputs": {
                    "variables": {
                        "results": {
                            "description": "results",
                            "type": {"structured_dataset_type": {}},
                        }
                    }
                },
            },
            "sql": {"statement": "SELECT id, total FROM orders WHERE day = '{{ .inputs.day }}'"},
            "custom": {"account": "shop-prod", "parallelism": 4.0},
        }
    }


@task(container_image="{{.image.gpu.fqn}}:x")
def needs_gpu_image(x: int) -> int:
    return x


def test_missing_images_name_the_task_and_its_def_line() -> None:
    with pytest.raises(SerializationError) as info:
        serialize_task(needs_gpu_image, SerializationSettings())
    err = info.value
    assert (err.code, err.task) == ("CT302", f"{__name__}.needs_gpu_image")
    assert err.location is not None
    assert err.location.file == __file__
    assert err.location.line == needs_gpu_image.task_function.__code__.co_firstlineno + 1
