"""Values whose literals are compared with flytekit's (``fixtures/flytekit_literals.json``).

The same module builds the cases with flytekit's classes (``make_oracle_literals.py``, run in the
oracle venv) and with ours (``test_literal_oracle.py``), so both sides convert equal values
declared with equal types. No ``from __future__ import annotations``: mashumaro needs real hints.
"""

import datetime
import enum
import typing
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union  # noqa: UP035 - spelled as users do


class Channel(enum.Enum):
    WEB = "web"
    STORE = "store"


@dataclass
class Endpoint:
    host: str
    port: int = 443
    tls: bool = True


@dataclass
class Batch:
    name: str
    endpoints: List[Endpoint] = field(default_factory=list)  # noqa: UP006
    channel: Channel = Channel.WEB
    since: Optional[datetime.datetime] = None  # noqa: UP045
    every: datetime.timedelta = datetime.timedelta(seconds=90)
    tags: Dict[str, float] = field(default_factory=dict)  # noqa: UP006
    extra: dict = field(default_factory=dict)
    choice: Union[int, str] = 0  # noqa: UP007
    ratio: float = 0.5


def build_cases(
    flyte_file: Any, flyte_directory: Any, structured_dataset: Any
) -> list[tuple[str, Any, Any]]:
    """``(case name, hint, value)`` for the given file/directory/dataset classes."""

    @dataclass
    class Shipment:
        label: flyte_file
        parts: List[Endpoint]  # noqa: UP006

    globals()["Shipment"] = Shipment  # type hints must resolve from the module
    batch = Batch(
        "eu",
        [Endpoint("a", 1, False), Endpoint("b")],
        Channel.STORE,
        since=datetime.datetime(2024, 5, 1, 6, 30),
        tags={"x": 1.5, "y": -2.0},
        extra={"k": [1, None, "s"], "n": {"m": True}},
        choice="seven",
        ratio=2.0,
    )
    return [
        ("int", int, 24),
        ("float", float, 1.5),
        ("str", str, "shop"),
        ("bool", bool, True),
        ("datetime", datetime.datetime, datetime.datetime(2024, 5, 1, 6, 30, 15)),
        ("date", datetime.date, datetime.date(2024, 5, 1)),
        ("timedelta", datetime.timedelta, datetime.timedelta(minutes=90, milliseconds=5)),
        ("none", type(None), None),
        ("list_int", List[int], [1, 2, 3]),  # noqa: UP006
        ("dict_float", Dict[str, float], {"a": 1.5, "b": 2.0}),  # noqa: UP006
        ("nested", List[Dict[str, List[int]]], [{"a": [1]}, {}]),  # noqa: UP006
        ("optional_int", Optional[int], 7),  # noqa: UP045
        ("optional_none", Optional[int], None),  # noqa: UP045
        ("union_str", Union[int, str], "x"),  # noqa: UP007
        ("optional_list", Optional[List[str]], ["a"]),  # noqa: UP006, UP045
        ("enum", Channel, Channel.STORE),
        ("optional_enum", Optional[Channel], Channel.WEB),  # noqa: UP045
        ("literal", typing.Literal["a", "b"], "b"),
        ("untyped_dict", dict, {"a": 1, "b": [1, 2.5], "c": {"d": None}}),
        ("endpoint", Endpoint, Endpoint(host="api.shop.example", port=8443)),
        ("batch", Batch, batch),
        ("optional_endpoint", Optional[Endpoint], Endpoint("h")),  # noqa: UP045
        ("list_endpoint", List[Endpoint], [Endpoint("h", 2)]),  # noqa: UP006
        ("file", flyte_file["csv"], flyte_file("s3://bucket/a.csv")),
        ("directory", flyte_directory, flyte_directory("s3://bucket/dir")),
        ("optional_file", Optional[flyte_file], flyte_file("s3://bucket/b")),  # noqa: UP045
        ("dataset", structured_dataset, structured_dataset(uri="s3://bucket/table")),
        (
            "shipment",
            Shipment,
            Shipment(flyte_file("s3://bucket/label.pdf"), [Endpoint("p", 1)]),
        ),
    ]
