"""TaskSpec.description (WIRE-FORMAT 14)."""

from __future__ import annotations

import pytest
from google.protobuf import json_format

from compiler import Documentation, task
from compiler.serialize import serialize_task
from compiler.settings import SerializationSettings
from tests.serialize.fakes import FakeTask

SETTINGS = SerializationSettings.for_image("registry.example.com/team/app:2.0")


def description(task_object) -> dict | None:
    spec = serialize_task(task_object, SETTINGS)
    if not spec.HasField("description"):
        return None
    return json_format.MessageToDict(spec.description, preserving_proto_field_name=True)


@pytest.mark.parametrize(
    ("docs", "expected"),
    [
        (None, None),
        (Documentation(), {}),
        (
            Documentation(long_description=""),
            {"long_description": {"format": "DESCRIPTION_FORMAT_RST"}},
        ),
        (
            Documentation("Load orders.", "Skips known orders.\nSafe to retry."),
            {
                "short_description": "Load orders.",
                "long_description": {
                    "format": "DESCRIPTION_FORMAT_RST",
                    "value": "Skips known orders.\nSafe to retry.",
                },
            },
        ),
        (
            Documentation("Only a summary ", None),
            {"short_description": "Only a summary "},
        ),
    ],
)
def test_description_from_docs(docs, expected) -> None:
    assert description(FakeTask(docs=docs)) == expected


@task
def load_orders(order_ids: list[str], limit: int = 100) -> int:
    """Load orders into the staging table.

    Orders already present are skipped, so the task
    can be retried safely.

    :param order_ids: Orders to load.
    :return: Number of rows written.
    """
    return len(order_ids[:limit])


@task
def undocumented(x: int) -> int:
    return x


def test_function_task_docstring() -> None:
    assert description(load_orders) == {
        "short_description": "Load orders into the staging table.",
        "long_description": {
            "format": "DESCRIPTION_FORMAT_RST",
            "value": "Orders already present are skipped, so the task\ncan be retried safely.",
        },
    }


def test_function_task_without_docstring_still_has_a_description() -> None:
    assert description(undocumented) == {"long_description": {"format": "DESCRIPTION_FORMAT_RST"}}
