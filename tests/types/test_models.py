"""pydantic v2 models: literal types, msgpack values as flytekit writes them, round trips."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from flyteidl.core import types_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.errors import TypeMappingError
from compiler.types import TypeEngine
from compiler.types.desc import ModelOf, PickleOf

pydantic = pytest.importorskip("pydantic")
BaseModel, Field = pydantic.BaseModel, pydantic.Field


class Inner(BaseModel):
    x: int
    tags: list[str] = []


class Outer(BaseModel):
    name: str
    inner: Inner
    maybe: Inner | None = None
    many: list[Inner] = Field(default_factory=list)
    by: dict[str, Inner] = {}
    when: datetime.datetime = datetime.datetime(2024, 1, 1)
    ratio: float = 0.5


class Odd(BaseModel):
    blob: bytes = b""
    pair: tuple[int, str] = (1, "a")


@dataclasses.dataclass
class Holder:
    model: Inner
    models: list[Inner]


#: What flytekit 1.16.31 writes for ``OUTER`` (the oracle venv, ``TypeEngine.to_literal``).
FLYTEKIT_OUTER_MSGPACK = bytes.fromhex(
    "87a46e616d65a16ea5696e6e657282a17801a47461677390a56d61796265c0a46d616e799182a17802a474616773"
    "91a161a2627981a16b82a17803a47461677390a47768656eb3323032342d30312d30315430303a30303a3030a572"
    "6174696fcb3fe0000000000000"
)
OUTER = Outer(name="n", inner=Inner(x=1), many=[Inner(x=2, tags=["a"])], by={"k": Inner(x=3)})


def test_literal_type_is_a_struct_with_pydantic_schema_and_fields() -> None:
    literal_type = TypeEngine().to_literal_type(Outer)
    assert literal_type.simple == types_pb2.SimpleType.STRUCT
    metadata = dict(literal_type.metadata)
    assert metadata["title"] == "Outer" and "$defs" in metadata
    assert set(literal_type.structure.dataclass_type) == {
        "name", "inner", "maybe", "many", "by", "when", "ratio",
    }  # fmt: skip
    tag = TypeEngine().to_literal_type(Inner | None).union_type.variants[0].structure.tag
    assert tag == "Pydantic Transformer"


def test_fields_flytekit_cannot_type_are_pickled_or_left_out() -> None:
    desc = TypeEngine().describe(Odd)
    assert isinstance(desc, ModelOf)
    assert [name for name, _ in desc.fields] == ["blob"]
    assert isinstance(desc.fields[0][1], PickleOf)
    back = TypeEngine().to_python(TypeEngine().to_literal(Odd(blob=b"ab"), Odd), Odd)
    assert back == Odd(blob=b"ab")


def test_value_is_flytekits_msgpack() -> None:
    literal = TypeEngine().to_literal(OUTER, Outer)
    assert literal.scalar.binary.tag == "msgpack"
    assert literal.scalar.binary.value == FLYTEKIT_OUTER_MSGPACK
    assert TypeEngine().to_python(literal, Outer) == OUTER


def test_models_inside_containers_and_dataclasses() -> None:
    engine = TypeEngine()
    holder = Holder(Inner(x=1), [Inner(x=2, tags=["t"])])
    assert engine.to_python(engine.to_literal(holder, Holder), Holder) == holder
    assert (
        engine.to_literal_type(Holder).metadata == type(engine.to_literal_type(Holder).metadata)()
    )
    values = {"a": [OUTER], "b": []}
    hint = dict[str, list[Outer]]
    assert engine.to_python(engine.to_literal(values, hint), hint) == values


def test_wrong_value_and_invalid_data_are_named() -> None:
    engine = TypeEngine()
    with pytest.raises(TypeMappingError) as err:
        engine.to_literal({"x": 1}, Inner)
    assert err.value.code == "CT701" and "Inner" in err.value.message
    literal = engine.to_literal({"x": "not a number"}, dict)
    with pytest.raises(TypeMappingError) as err:
        engine.to_python(literal, Inner)
    assert err.value.code == "CT227" and "x" in err.value.message


def test_a_task_names_the_input_of_a_bad_model() -> None:
    from compiler import task

    @task
    def greet(who: Inner) -> str:
        return str(who.x)

    assert greet(who=Inner(x=4)) == "4"
    with pytest.raises(Exception, match=r"task '.*greet', input 'who'.*Inner"):
        greet(who={"x": 1})


_inner = st.builds(
    Inner,
    x=st.integers(-(2**63), 2**63 - 1),
    tags=st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]))),
)


@settings(max_examples=40, deadline=None)
@given(
    value=st.builds(
        Outer,
        name=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])),
        inner=_inner,
        maybe=st.none() | _inner,
        many=st.lists(_inner, max_size=3),
        by=st.dictionaries(st.text(max_size=5), _inner, max_size=3),
        when=st.datetimes(),
        ratio=st.floats(allow_nan=False, allow_infinity=False),
    ),
    wrap=st.sampled_from(["plain", "list", "optional", "dataclass"]),
)
def test_round_trip_property(value: Outer, wrap: str) -> None:
    engine = TypeEngine()
    if wrap == "list":
        hint, data = list[Outer], [value, value]
    elif wrap == "optional":
        hint, data = Outer | None, value
    elif wrap == "dataclass":
        hint, data = Holder, Holder(value.inner, value.many)
    else:
        hint, data = Outer, value
    assert engine.to_python(engine.to_literal(data, hint), hint) == data
