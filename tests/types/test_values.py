"""Values <-> literals: exact shapes (flytekit 1.16's) and hypothesis round trips."""

from __future__ import annotations

import base64
import datetime
import enum
import typing
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import msgpack
import pytest
from flyteidl.core import literals_pb2
from google.protobuf import json_format, struct_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.errors import TypeMappingError
from compiler.types import FlyteAnnotation, FlyteDirectory, FlyteFile, StructuredDataset
from compiler.types.engine import TypeEngine

ENGINE = TypeEngine()


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
    endpoints: list[Endpoint] = field(default_factory=list)
    channel: Channel = Channel.WEB
    since: Optional[datetime.datetime] = None  # noqa: UP045
    day: datetime.date = datetime.date(2024, 5, 1)
    every: datetime.timedelta = datetime.timedelta(seconds=90)
    tags: dict[str, float] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    choice: Union[int, str] = 0  # noqa: UP007


def as_dict(value: Any, hint: Any) -> dict[str, Any]:
    return json_format.MessageToDict(
        ENGINE.to_literal(value, hint), preserving_proto_field_name=True
    )


def roundtrip(value: Any, hint: Any) -> Any:
    literal = ENGINE.to_literal(value, hint)
    again = literals_pb2.Literal.FromString(literal.SerializeToString())
    return ENGINE.to_python(again, hint)


# --- exact shapes ---------------------------------------------------------------------------------

NONE_UNION = {
    "scalar": {
        "union": {
            "type": {"simple": "NONE", "structure": {"tag": "none"}},
            "value": {"scalar": {"none_type": {}}},
        }
    }
}


@pytest.mark.parametrize(
    ("value", "hint", "expected"),
    [
        (24, int, {"scalar": {"primitive": {"integer": "24"}}}),
        (1.5, float, {"scalar": {"primitive": {"float_value": 1.5}}}),
        (2, float, {"scalar": {"primitive": {"float_value": 2.0}}}),
        ("x", str, {"scalar": {"primitive": {"string_value": "x"}}}),
        (True, bool, {"scalar": {"primitive": {"boolean": True}}}),
        (None, type(None), {"scalar": {"none_type": {}}}),
        (
            datetime.datetime(2024, 5, 1),
            datetime.datetime,
            {"scalar": {"primitive": {"datetime": "2024-05-01T00:00:00Z"}}},
        ),
        (
            datetime.date(2024, 5, 1),
            datetime.date,
            {"scalar": {"primitive": {"datetime": "2024-05-01T00:00:00Z"}}},
        ),
        (
            datetime.timedelta(minutes=90),
            datetime.timedelta,
            {"scalar": {"primitive": {"duration": "5400s"}}},
        ),
        (
            [1],
            list[int],
            {"collection": {"literals": [{"scalar": {"primitive": {"integer": "1"}}}]}},
        ),
        (
            {"a": "b"},
            dict[str, str],
            {"map": {"literals": {"a": {"scalar": {"primitive": {"string_value": "b"}}}}}},
        ),
        (
            7,
            Optional[int],  # noqa: UP045
            {
                "scalar": {
                    "union": {
                        "type": {"simple": "INTEGER", "structure": {"tag": "int"}},
                        "value": {"scalar": {"primitive": {"integer": "7"}}},
                    }
                }
            },
        ),
        (None, Optional[int], NONE_UNION),  # noqa: UP045
        (None, list[str] | None, NONE_UNION),
        (Channel.STORE, Channel, {"scalar": {"primitive": {"string_value": "store"}}}),
        ("b", typing.Literal["a", "b"], {"scalar": {"primitive": {"string_value": "b"}}}),
        (
            FlyteFile("s3://bucket/a.csv"),
            FlyteFile["csv"],
            {
                "scalar": {
                    "blob": {"metadata": {"type": {"format": "csv"}}, "uri": "s3://bucket/a.csv"}
                }
            },
        ),
        (
            "/data/dir",
            FlyteDirectory,
            {
                "scalar": {
                    "blob": {
                        "metadata": {"type": {"dimensionality": "MULTIPART"}},
                        "uri": "/data/dir",
                    }
                }
            },
        ),
        (
            StructuredDataset(uri="s3://b/t", file_format="csv"),  # the declared format wins
            typing.Annotated[StructuredDataset, "parquet"],
            {
                "scalar": {
                    "structured_dataset": {
                        "uri": "s3://b/t",
                        "metadata": {"structured_dataset_type": {"format": "parquet"}},
                    }
                }
            },
        ),
    ],
)
def test_literal_shapes(value: Any, hint: Any, expected: dict[str, Any]) -> None:
    assert as_dict(value, hint) == expected


def test_list_variant_of_union_carries_its_tag() -> None:
    assert as_dict(["a"], list[str] | None) == {
        "scalar": {
            "union": {
                "type": {
                    "collection_type": {"simple": "STRING"},
                    "structure": {"tag": "Typed List"},
                },
                "value": {
                    "collection": {"literals": [{"scalar": {"primitive": {"string_value": "a"}}}]}
                },
            }
        }
    }


def test_dataclass_is_msgpack_test_vector() -> None:
    """WIRE-FORMAT 17: Endpoint(host="api.shop.example", port=8443)."""
    literal = as_dict(Endpoint(host="api.shop.example", port=8443), Endpoint)
    assert literal == {
        "scalar": {
            "binary": {
                "tag": "msgpack",
                "value": "g6Rob3N0sGFwaS5zaG9wLmV4YW1wbGWkcG9ydM0g+6N0bHPD",
            }
        }
    }


def test_dataclass_payload_order_nesting_enums_datetimes() -> None:
    batch = Batch(
        "b",
        [Endpoint("h", 1, False)],
        Channel.STORE,
        since=datetime.datetime(2024, 5, 1, 6, 0),
        tags={"x": 1.5},
        extra={"k": [1, None]},
        choice="s",
    )
    payload = ENGINE.to_literal(batch, Batch).scalar.binary.value
    assert payload[:1] == b"\x89"  # fixmap of 9 fields: the smallest encoding
    assert list(msgpack.unpackb(payload).items()) == [
        ("name", "b"),
        ("endpoints", [{"host": "h", "port": 1, "tls": False}]),
        ("channel", "store"),
        ("since", "2024-05-01T06:00:00"),
        ("day", "2024-05-01"),
        ("every", 90.0),
        ("tags", {"x": 1.5}),
        ("extra", {"k": [1, None]}),
        ("choice", "s"),
    ]
    assert payload.endswith(b"\xa6choice\xa1s")


def test_dataclass_reads_the_old_generic_struct_form() -> None:
    struct = struct_pb2.Struct()
    struct.update({"host": "h", "port": 8443, "tls": False})  # numbers become doubles
    literal = literals_pb2.Literal(scalar=literals_pb2.Scalar(generic=struct))
    assert ENGINE.to_python(literal, Endpoint) == Endpoint("h", 8443, False)


def test_untyped_dict_is_msgpack_and_reads_struct() -> None:
    assert as_dict({"a": 1}, dict) == {
        "scalar": {
            "binary": {"tag": "msgpack", "value": base64.b64encode(b"\x81\xa1a\x01").decode()}
        }
    }
    struct = struct_pb2.Struct()
    struct.update({"a": "b"})
    literal = literals_pb2.Literal(scalar=literals_pb2.Scalar(generic=struct))
    assert ENGINE.to_python(literal, dict) == {"a": "b"}


def test_datetime_reads_back_as_utc() -> None:
    literal = ENGINE.to_literal(datetime.datetime(2024, 5, 1, 6), datetime.datetime)
    assert ENGINE.to_python(literal, datetime.datetime) == datetime.datetime(
        2024, 5, 1, 6, tzinfo=datetime.UTC
    )


def test_union_reads_plain_literal_and_picks_by_tag() -> None:
    plain = ENGINE.to_literal(5, int)
    assert ENGINE.to_python(plain, Optional[int]) == 5  # noqa: UP045
    as_str = ENGINE.to_literal("5", Union[int, str])  # noqa: UP007
    assert as_str.scalar.union.type.structure.tag == "str"
    assert ENGINE.to_python(as_str, Union[int, str]) == "5"  # noqa: UP007


@pytest.mark.parametrize(
    ("value", "hint", "message"),
    [
        ("x", int, "expected a value of type int, got str 'x'"),
        (True, int, "expected a value of type int, got bool True"),
        ([1, "a"], list[int], "expected a value of type int, got str 'a'"),
        ({1: "a"}, dict[str, str], "key 1 is not a str"),
        ("red", Channel, "expected a value of type Channel, got str 'red'"),
        (1.5, Optional[int], "expected a value of type Optional[int], got float 1.5"),  # noqa: UP045
        (Endpoint("h"), Batch, "expected a value of type Batch, got Endpoint"),
        (3, FlyteFile, "expected a value of type FlyteFile, got int 3"),
    ],
)
def test_conversion_errors_name_both_types(value: Any, hint: Any, message: str) -> None:
    with pytest.raises(TypeMappingError) as info:
        ENGINE.to_literal(value, hint)
    assert info.value.code == "CT701"
    assert message in info.value.message


def test_literal_of_wrong_kind_is_ct702() -> None:
    with pytest.raises(TypeMappingError) as info:
        ENGINE.to_python(ENGINE.to_literal("x", str), int)
    assert info.value.code == "CT702"
    assert info.value.message == "expected a literal of type int, got primitive string_value"


def test_pickle_only_when_allowed() -> None:
    class Opaque:
        def __eq__(self, other: object) -> bool:
            return isinstance(other, Opaque)

    allowing = TypeEngine(allow_pickle=True)
    literal = allowing.to_literal(b"raw", bytes)
    assert literal.scalar.blob.metadata.type.format == "PythonPickle"
    assert allowing.to_python(literal, bytes) == b"raw"
    with pytest.raises(TypeMappingError):
        ENGINE.to_literal(b"raw", bytes)


# --- round trips ----------------------------------------------------------------------------------

texts = st.text(max_size=8)
ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
floats = st.floats(allow_nan=False)
moments = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1)
).map(lambda d: d.replace(tzinfo=datetime.UTC))
durations = st.timedeltas(
    min_value=datetime.timedelta(days=-3650), max_value=datetime.timedelta(days=3650)
)
endpoints = st.builds(Endpoint, texts, st.integers(0, 65535), st.booleans())
batches = st.builds(
    Batch,
    texts,
    st.lists(endpoints, max_size=3),
    st.sampled_from(Channel),
    st.none() | moments,
    st.dates(),
    durations.map(lambda d: datetime.timedelta(seconds=round(d.total_seconds(), 3))),
    st.dictionaries(texts, floats, max_size=3),
    st.dictionaries(texts, st.none() | ints | texts, max_size=3),
    ints | texts,
)

CASES: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (int, ints),
    (float, floats),
    (str, st.text()),
    (bool, st.booleans()),
    (datetime.datetime, moments),
    (datetime.date, st.dates()),
    (datetime.timedelta, durations),
    (list[int], st.lists(ints)),
    (dict[str, list[float]], st.dictionaries(texts, st.lists(floats, max_size=3), max_size=3)),
    (list[dict[str, list[int]]], st.lists(st.dictionaries(texts, st.lists(ints, max_size=2)))),
    (Optional[int], st.none() | ints),  # noqa: UP045
    (Union[int, str, None], st.none() | ints | texts),  # noqa: UP007
    (Optional[list[Channel]], st.none() | st.lists(st.sampled_from(Channel))),  # noqa: UP045
    (Channel, st.sampled_from(Channel)),
    (typing.Literal["a", "b"], st.sampled_from(["a", "b"])),
    (dict, st.dictionaries(texts, st.none() | ints | floats | texts | st.lists(ints))),
    (Endpoint, endpoints),
    (Batch, batches),
    (list[Optional[Batch]], st.lists(st.none() | batches, max_size=3)),  # noqa: UP045
    (dict[str, Endpoint], st.dictionaries(texts, endpoints, max_size=3)),
    (FlyteFile, texts.map(lambda t: FlyteFile("s3://b/" + t))),
    (FlyteDirectory, texts.map(lambda t: FlyteDirectory("/d/" + t))),
    (Optional[FlyteFile], st.none() | texts.map(lambda t: FlyteFile("/f/" + t))),  # noqa: UP045
    (StructuredDataset, texts.map(lambda t: StructuredDataset(uri="s3://b/" + t))),
    (typing.Annotated[int, FlyteAnnotation({"min": 1})], ints),
    (
        list[typing.Annotated[str | None, FlyteAnnotation({"x": True})]],
        st.lists(st.none() | texts),
    ),
    (dict[str, Optional[Batch]], st.dictionaries(texts, st.none() | batches, max_size=2)),  # noqa: UP045
    (Union[Endpoint, Batch, None], st.none() | endpoints | batches),  # noqa: UP007
]


@pytest.mark.parametrize(("hint", "strategy"), CASES, ids=[str(c[0]) for c in CASES])
def test_roundtrip_identity(hint: Any, strategy: st.SearchStrategy[Any]) -> None:
    @settings(max_examples=40, deadline=None)
    @given(strategy)
    def check(value: Any) -> None:
        assert roundtrip(value, hint) == value

    check()


def test_int_reads_whole_float_literal_from_the_console() -> None:
    whole = literals_pb2.Literal(
        scalar=literals_pb2.Scalar(primitive=literals_pb2.Primitive(float_value=3.0))
    )
    assert ENGINE.to_python(whole, int) == 3
    whole.scalar.primitive.float_value = 3.5
    with pytest.raises(TypeMappingError) as info:
        ENGINE.to_python(whole, int)
    assert info.value.message == (
        "expected a literal of type int, got primitive float_value: 3.5 is not a whole number"
    )


def test_nested_errors_say_where() -> None:
    bad = Batch("b", [Endpoint("h", "x")])  # type: ignore[arg-type]
    with pytest.raises(TypeMappingError) as info:
        ENGINE.to_literal(bad, Batch)
    assert info.value.message == (
        "Batch value: field 'endpoints': item 0: field 'port': expected int, got str 'x'"
    )
    with pytest.raises(TypeMappingError) as info:
        ENGINE.to_literal({"a": [1, "x"]}, dict[str, list[int]])
    assert info.value.message == "key 'a': item 1: expected a value of type int, got str 'x'"


def test_union_field_keeps_the_written_number_type() -> None:
    @dataclass
    class Mixed:
        a: Union[float, int]  # noqa: UP007
        b: float

    assert roundtrip(Mixed(1, 2), Mixed) == Mixed(1, 2.0)
    assert type(roundtrip(Mixed(1, 2), Mixed).a) is int
    assert type(roundtrip(Mixed(1.5, 2), Mixed).b) is float


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1])
def test_int_outside_int64_is_ct701(value: int) -> None:
    with pytest.raises(TypeMappingError) as info:
        ENGINE.to_literal(value, int)
    assert info.value.code == "CT701"
    assert info.value.message.endswith(": outside the 64-bit integer range")
    assert ENGINE.to_python(ENGINE.to_literal(2**63 - 1, int), int) == 2**63 - 1


@pytest.mark.parametrize(
    ("value", "hint", "says"),
    [
        ("\ud800", str, "can't encode character"),
        (["\ud800"], list[str], "item 0: expected a value of type str"),
        (datetime.timedelta.max, datetime.timedelta, "expected a value of type timedelta"),
    ],
)
def test_values_protobuf_refuses_are_ct701(value: Any, hint: Any, says: str) -> None:
    with pytest.raises(TypeMappingError) as info:
        ENGINE.to_literal(value, hint)
    assert info.value.code == "CT701" and says in info.value.message


# --- hostile literals -----------------------------------------------------------------------------

_prims = st.one_of(
    st.builds(lambda v: literals_pb2.Primitive(integer=v), ints),
    st.builds(lambda v: literals_pb2.Primitive(float_value=v), st.floats()),
    st.builds(lambda v: literals_pb2.Primitive(string_value=v), st.text(max_size=5)),
    st.builds(lambda v: literals_pb2.Primitive(boolean=v), st.booleans()),
    st.integers(-(2**63), 2**63 - 1).map(lambda s: literals_pb2.Primitive(datetime={"seconds": s})),
    st.integers(-(2**63), 2**63 - 1).map(lambda s: literals_pb2.Primitive(duration={"seconds": s})),
)
_payloads = st.one_of(
    st.binary(max_size=12),
    st.recursive(
        st.none() | st.booleans() | ints | floats | st.text(max_size=4) | st.binary(max_size=3),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=8,
    ).map(msgpack.packb),
)
_scalars = st.one_of(
    _prims.map(lambda p: literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=p))),
    st.just(literals_pb2.Literal(scalar=literals_pb2.Scalar(none_type=literals_pb2.Void()))),
    st.builds(
        lambda v, tag: literals_pb2.Literal(
            scalar=literals_pb2.Scalar(binary=literals_pb2.Binary(value=v, tag=tag))
        ),
        _payloads,
        st.sampled_from(["msgpack", "other"]),
    ),
    st.text(max_size=6).map(
        lambda u: literals_pb2.Literal(scalar=literals_pb2.Scalar(blob=literals_pb2.Blob(uri=u)))
    ),
    st.just(literals_pb2.Literal()),
)


def _wrap(children: st.SearchStrategy[literals_pb2.Literal]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=3).map(
            lambda xs: literals_pb2.Literal(collection=literals_pb2.LiteralCollection(literals=xs))
        ),
        st.dictionaries(st.text(max_size=3), children, max_size=3).map(
            lambda d: literals_pb2.Literal(map=literals_pb2.LiteralMap(literals=d))
        ),
        st.builds(
            lambda v, tag: literals_pb2.Literal(
                scalar=literals_pb2.Scalar(
                    union=literals_pb2.Union(value=v, type={"structure": {"tag": tag}})
                )
            ),
            children,
            st.sampled_from(
                ["int", "str", "none", "Typed List", "Object-Dataclass-Transformer", ""]
            ),
        ),
    )


hostile_literals = st.recursive(_scalars, _wrap, max_leaves=6)
HINTS = [hint for hint, _ in CASES]


@settings(max_examples=300, deadline=None)
@given(hostile_literals, st.sampled_from(HINTS))
def test_any_literal_converts_or_raises_ct702(literal: literals_pb2.Literal, hint: Any) -> None:
    try:
        ENGINE.to_python(literal, hint)
    except TypeMappingError as err:
        assert err.code == "CT702", err
