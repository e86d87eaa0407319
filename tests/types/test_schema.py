# ruff: noqa: UP006, UP007, UP035, UP042, UP045  (typing spellings are what is under test)
"""The hand-written dataclass JSON schema against mashumaro, flytekit's generator (oracle)."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field, make_dataclass
from typing import Annotated, Any, Dict, List, Literal, Optional, Union

import pytest
from google.protobuf import json_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.errors import TypeMappingError
from compiler.types import FlyteAnnotation, FlyteFile, TypeEngine
from compiler.types.desc import DataclassOf
from compiler.types.literal_types import to_struct
from compiler.types.schema import default_to_json, json_schema

mashumaro_jsonschema = pytest.importorskip("mashumaro.jsonschema")


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Size(str, enum.Enum):
    S = "s"
    L = "l"


@dataclass(frozen=True)
class Leaf:
    name: str
    weight: float = 1.0


@dataclass
class Scalars:
    i: int
    f: float
    s: str
    b: bool
    dt: datetime.datetime
    d: datetime.date
    td: datetime.timedelta


@dataclass
class Defaults:
    i: int = 3
    f: float = 2
    s: str = "x"
    b: bool = False
    dt: datetime.datetime = datetime.datetime(2024, 5, 1, 6, 0)
    d: datetime.date = datetime.date(2024, 5, 1)
    td: datetime.timedelta = datetime.timedelta(minutes=90, microseconds=500)
    color: Color = Color.BLUE
    size: Size = Size.L
    maybe: Optional[int] = None
    leaf: Leaf = Leaf("root", 2.5)
    literal: Literal["a", "b"] = "b"


@dataclass
class Containers:
    ints: List[int]
    nested: List[List[str]]
    by_name: Dict[str, float]
    leaves: Dict[str, List[Leaf]]
    untyped: dict
    int_keys: Dict[int, str]
    factory: List[int] = field(default_factory=list)
    factory_leaf: Leaf = field(default_factory=lambda: Leaf("x"))
    not_in_init: int = field(default=3, init=False)


@dataclass
class Unions:
    opt: Optional[str]
    either: Union[int, str]
    three: Union[int, Leaf, None]
    opt_list: Optional[List[Leaf]]
    pipe: int | None = None
    opt_color: Optional[Color] = Color.RED


@dataclass
class Enums:
    color: Color
    size: Size
    lit: Literal["x", "y"]
    lit_int: Literal[1, 2]
    colors: List[Color]


@dataclass
class Middle:
    leaf: Leaf
    leaves: List[Leaf]


@dataclass
class Deep:
    middle: Middle
    maybe_middle: Optional[Middle] = None


@dataclass
class Annotations:
    plain: Annotated[int, "note"]
    flyte: Annotated[int, FlyteAnnotation({"a": 1})]


@dataclass
class Empty:
    pass


@dataclass
class AllDefaults:
    x: int = 1


DATACLASSES = [
    Scalars,
    Defaults,
    Containers,
    Unions,
    Enums,
    Leaf,
    Middle,
    Deep,
    Annotations,
    Empty,
    AllDefaults,
]


def _as_struct_dict(schema: dict[str, Any]) -> dict[str, Any]:
    return json_format.MessageToDict(to_struct(schema))


@pytest.mark.parametrize("cls", DATACLASSES, ids=[c.__name__ for c in DATACLASSES])
def test_schema_matches_mashumaro(cls: type) -> None:
    desc = TypeEngine().describe(cls)
    assert isinstance(desc, DataclassOf)
    expected = mashumaro_jsonschema.build_json_schema(cls).to_dict()
    ours = json_schema(desc)
    assert ours is not None
    assert _as_struct_dict(ours) == _as_struct_dict(expected)


def test_schema_exact_for_a_small_dataclass() -> None:
    assert json_schema(TypeEngine().describe(Leaf)) == {
        "type": "object",
        "title": "Leaf",
        "additionalProperties": False,
        "properties": {"name": {"type": "string"}, "weight": {"type": "number", "default": 1.0}},
        "required": ["name"],
    }


@dataclass
class WithFile:
    f: FlyteFile


def test_schema_of_file_fields() -> None:
    schema = json_schema(TypeEngine().describe(WithFile))
    assert schema is not None
    assert schema["properties"]["f"]["title"] == "FlyteFile"
    assert list(schema["properties"]["f"]["properties"]) == ["path", "metadata"]


class Opaque:
    pass


@dataclass
class WithOpaque:
    o: Opaque


def test_no_schema_for_pickled_classes() -> None:
    engine = TypeEngine(allow_pickle=True)
    assert json_schema(engine.describe(WithOpaque)) is None
    lt = json_format.MessageToDict(
        engine.to_literal_type(WithOpaque), preserving_proto_field_name=True
    )
    assert "metadata" not in lt
    assert lt["structure"]["dataclass_type"]["o"]["blob"] == {"format": "PythonPickle"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Color.RED, "red"),
        (datetime.datetime(2024, 5, 1, 6), "2024-05-01T06:00:00"),
        (datetime.date(2024, 5, 1), "2024-05-01"),
        (datetime.timedelta(seconds=1.5), 1.5),
        ((1, (2, Color.BLUE)), [1, [2, "blue"]]),
        ({"a": Leaf("n")}, {"a": {"name": "n", "weight": 1.0}}),
        (None, None),
        (7, 7),
    ],
)
def test_default_to_json(value: Any, expected: Any) -> None:
    assert default_to_json(value) == expected


_names = iter(range(10**9))


def _dataclass_of(field_types: list[Any]) -> type:
    fields = [(f"f{i}", hint) for i, hint in enumerate(field_types)]
    return make_dataclass(f"Gen{next(_names)}", fields)


_SCHEMA_LEAVES = st.sampled_from(
    [
        int,
        float,
        str,
        bool,
        datetime.datetime,
        datetime.date,
        datetime.timedelta,
        dict,
        Color,
        Size,
        Literal["a", "b"],
        Leaf,
    ]
)


def _schema_hints(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        children.map(lambda t: List[t]),
        children.map(lambda t: Dict[str, t]),
        children.map(lambda t: Optional[t]),
        st.tuples(children, children).map(lambda p: Union[p[0], p[1]]),
        st.lists(children, min_size=1, max_size=3).map(_dataclass_of),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.recursive(_SCHEMA_LEAVES, _schema_hints, max_leaves=6), max_size=4))
def test_generated_dataclass_schemas_match_mashumaro(field_types: list[Any]) -> None:
    cls = _dataclass_of(field_types)
    desc = TypeEngine().describe(cls)
    assert isinstance(desc, DataclassOf)
    expected = mashumaro_jsonschema.build_json_schema(cls).to_dict()
    ours = json_schema(desc)
    assert ours is not None
    assert _as_struct_dict(ours) == _as_struct_dict(expected)


class Opaque2:
    def __repr__(self) -> str:
        return "Opaque2()"

    def __hash__(self) -> int:
        return 0


@dataclass
class BadDefault:
    x: int = Opaque2()  # type: ignore[assignment]


@dataclass
class FileDefault:
    f: FlyteFile = FlyteFile("s3://b/x")  # noqa: RUF009  (what is under test)


def test_file_default_is_its_path() -> None:
    """Checked against flytekit 1.16.31: the default is ``{"path": ...}``."""
    schema = json_schema(TypeEngine().describe(FileDefault))
    assert schema is not None
    assert schema["properties"]["f"]["default"] == {"path": "s3://b/x"}


def test_unserialisable_default_is_an_error() -> None:
    with pytest.raises(TypeMappingError) as info:
        TypeEngine().to_literal_type(BadDefault)
    assert (info.value.code, info.value.message, info.value.hint) == (
        "CT213",
        "dataclass 'BadDefault', field 'x': the default Opaque2() cannot be written into the JSON "
        "schema (object of type Opaque2 is not JSON serializable)",
        "use a default of a JSON-compatible type, or a default_factory",
    )
