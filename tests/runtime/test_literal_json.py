"""JSON values <-> literals by literal type (what ``compile-tasks run`` reads and prints)."""

from __future__ import annotations

import datetime
import enum
import json
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pytest
from google.protobuf import json_format
from hypothesis import given, settings

from compiler.runtime.literal_json import json_to_literal, literal_to_json
from compiler.types import FlyteDirectory, FlyteFile, StructuredDataset
from compiler.types.engine import default_engine


class Channel(enum.Enum):
    WEB = "web"
    STORE = "store"


@dataclass
class Endpoint:
    host: str
    port: int = 443
    tls: bool = True


@dataclass
class Service:
    name: str
    endpoints: list[Endpoint] = field(default_factory=list)
    channel: Channel = Channel.WEB
    timeout: datetime.timedelta = datetime.timedelta(seconds=5)
    owner: Optional[str] = None  # noqa: UP045


sys.path.insert(0, str(Path(__file__).parents[1] / "types"))


def _lt(hint: Any) -> Any:
    return default_engine().to_literal_type(hint)


def _d(literal: Any) -> dict[str, Any]:
    return json_format.MessageToDict(literal, preserving_proto_field_name=True)


@pytest.mark.parametrize(
    ("hint", "value"),
    [
        (int, 3),
        (float, 2.5),
        (str, "x"),
        (bool, False),
        (datetime.timedelta, datetime.timedelta(seconds=90)),
        (datetime.datetime, datetime.datetime(2024, 5, 1, 6, tzinfo=datetime.UTC)),
        (list[int], [1, 2]),
        (dict[str, list[float]], {"a": [1.5]}),
        (Optional[int], None),  # noqa: UP045
        (Optional[int], 4),  # noqa: UP045
        (typing.Union[int, str], "5"),  # noqa: UP007
        (Channel, Channel.STORE),
        (typing.Literal["a", "b"], "a"),
        (dict, {"k": [1, None, "x"]}),
        (Endpoint, Endpoint("api.shop.example", 8443)),
        (Service, Service("s", [Endpoint("h", 1)], Channel.STORE, owner="me")),
        (Optional[Service], Service("t")),  # noqa: UP045
        (FlyteFile, FlyteFile("s3://b/f.csv")),
        (FlyteDirectory, FlyteDirectory("s3://b/d")),
        (StructuredDataset, StructuredDataset(uri="s3://b/t")),
    ],
)
def test_json_literal_matches_the_engine(hint: Any, value: Any) -> None:
    """What ``run`` builds from JSON is what the type engine writes for the Python value."""
    engine = default_engine()
    expected = engine.to_literal(value, hint)
    as_json = literal_to_json(expected)
    built = json_to_literal(_lt(hint), as_json)
    assert engine.to_python(built, hint) == engine.to_python(expected, hint)
    if not isinstance(value, Service):  # field order of a JSON object may differ
        assert _d(built) == _d(expected)


@pytest.mark.parametrize(
    ("hint", "value", "expected"),
    [
        (
            datetime.datetime,
            "2024-05-01",
            {"scalar": {"primitive": {"datetime": "2024-05-01T00:00:00Z"}}},
        ),
        (datetime.timedelta, 5400, {"scalar": {"primitive": {"duration": "5400s"}}}),
        (datetime.timedelta, "1.5s", {"scalar": {"primitive": {"duration": "1.500s"}}}),
        (float, 2, {"scalar": {"primitive": {"float_value": 2.0}}}),
        (
            FlyteFile["csv"],
            "s3://b/x.csv",
            {"scalar": {"blob": {"metadata": {"type": {"format": "csv"}}, "uri": "s3://b/x.csv"}}},
        ),
    ],
)
def test_loose_json_inputs(hint: Any, value: Any, expected: dict[str, Any]) -> None:
    assert _d(json_to_literal(_lt(hint), value)) == expected


def test_local_paths_become_absolute(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    literal = json_to_literal(_lt(FlyteFile), "data/x.txt")
    assert literal.scalar.blob.uri == str(tmp_path / "data" / "x.txt")


@pytest.mark.parametrize(
    ("hint", "value", "message"),
    [
        (int, "3", "'3' is not an integer"),
        (int, True, "True is not an integer"),
        (list[int], {"a": 1}, "{'a': 1} is not a list"),
        (Channel, "red", "'red' is not one of ['web', 'store']"),
        (Endpoint, {"host": "h", "nope": 1}, "unknown field(s) nope"),
        (Optional[int], "x", "fits no variant of the union"),  # noqa: UP045
    ],
)
def test_bad_json_values(hint: Any, value: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        json_to_literal(_lt(hint), value)
    assert message in str(info.value)


def test_literal_to_json_decodes_everything() -> None:
    engine = default_engine()
    value = Service("s", [Endpoint("h", 1)], Channel.STORE, owner=None)
    assert literal_to_json(engine.to_literal(value, Service)) == {
        "name": "s",
        "endpoints": [{"host": "h", "port": 1, "tls": True}],
        "channel": "store",
        "timeout": 5.0,
        "owner": None,
    }
    assert literal_to_json(engine.to_literal({"b": b"\x00"}, dict)) == {"b": "AA=="}
    moment = datetime.datetime(2024, 5, 1)
    assert literal_to_json(engine.to_literal([moment], list[datetime.datetime])) == [
        "2024-05-01T00:00:00Z"
    ]


# --- what run prints can be fed back as its input -------------------------------------------------

from test_values import CASES  # noqa: E402 - the round-trip strategies of tests/types

#: Every round-trip case but files (whose local paths ``run`` makes absolute, tested above).
PRINTABLE = [(h, s) for h, s in CASES if "Flyte" not in str(h) and "Dataset" not in str(h)]


@pytest.mark.parametrize(("hint", "strategy"), PRINTABLE, ids=[str(h) for h, _ in PRINTABLE])
def test_printed_json_reads_back(hint: Any, strategy: Any) -> None:
    engine = default_engine()
    literal_type = engine.to_literal_type(hint)

    @settings(max_examples=25, deadline=None)
    @given(strategy)
    def check(value: Any) -> None:
        printed = json.loads(json.dumps(literal_to_json(engine.to_literal(value, hint))))
        assert engine.to_python(json_to_literal(literal_type, printed), hint) == value

    check()
