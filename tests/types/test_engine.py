# ruff: noqa: UP006, UP007, UP035, UP045  (typing spellings are what is under test)
"""The engine: registry order, memoisation, user transformers, entry points, values."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from typing import Annotated, Any, List, Optional, Union

import pytest
from flyteidl.core import literals_pb2, types_pb2
from google.protobuf import json_format

from compiler.errors import TypeMappingError
from compiler.types import (
    ENTRY_POINT_GROUP,
    FlyteAnnotation,
    TypeEngine,
    TypeTransformer,
    default_engine,
)
from compiler.types import engine as engine_module
from compiler.types.desc import Custom, Kind, ListOf, Simple


def as_dict(msg: Any) -> dict[str, Any]:
    return json_format.MessageToDict(msg, preserving_proto_field_name=True)


class Money:
    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and other.text == self.text

    __hash__ = None  # type: ignore[assignment]


class Euro(Money):
    pass


class MoneyTransformer(TypeTransformer):
    name = "Money"
    python_type = Money

    def __init__(self) -> None:
        self.literal_type_calls = 0

    def get_literal_type(self, hint: Any) -> types_pb2.LiteralType:
        self.literal_type_calls += 1
        return types_pb2.LiteralType(simple=types_pb2.SimpleType.STRING)

    def to_literal(self, value: Any, hint: Any, engine: Any) -> literals_pb2.Literal:
        primitive = literals_pb2.Primitive(string_value=value.text)
        return literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=primitive))

    def to_python(self, literal: literals_pb2.Literal, hint: Any, engine: Any) -> Any:
        return hint(literal.scalar.primitive.string_value)

    def json_schema(self, hint: Any) -> dict[str, Any] | None:
        return {"type": "string"}


def test_exact_type_then_predicate_and_tag() -> None:
    engine = TypeEngine()
    transformer = MoneyTransformer()
    engine.register(transformer)
    assert engine.describe(Money) == Custom(Money, transformer)
    assert engine.describe(Euro) == Custom(Euro, transformer)  # default predicate: subclasses
    assert as_dict(engine.to_literal_type(Optional[List[Euro]])) == {
        "union_type": {
            "variants": [
                {"collection_type": {"simple": "STRING"}, "structure": {"tag": "Typed List"}},
                {"simple": "NONE", "structure": {"tag": "none"}},
            ]
        }
    }
    assert as_dict(engine.to_literal_type(Optional[Money]))["union_type"]["variants"][0] == {
        "simple": "STRING",
        "structure": {"tag": "Money"},
    }


def test_transformer_in_a_dataclass_field() -> None:
    @dataclass
    class Price:
        amount: Money

    engine = TypeEngine()
    engine.register(MoneyTransformer())
    assert as_dict(engine.to_literal_type(Price)) == {
        "simple": "STRUCT",
        "metadata": {
            "title": "Price",
            "type": "object",
            "additionalProperties": False,
            "properties": {"amount": {"type": "string"}},
            "required": ["amount"],
        },
        "structure": {"dataclass_type": {"amount": {"simple": "STRING"}}},
        "annotation": {"annotations": {"cache-key-metadata": {"serialization-format": "msgpack"}}},
    }


def test_user_transformer_overrides_builtin_exact_type() -> None:
    class IntAsString(MoneyTransformer):
        name = "IntAsString"
        python_type = int

    engine = TypeEngine()
    assert as_dict(engine.to_literal_type(int)) == {"simple": "INTEGER"}
    engine.register(IntAsString())
    assert as_dict(engine.to_literal_type(int)) == {"simple": "STRING"}  # cache was cleared
    assert as_dict(TypeEngine().to_literal_type(int)) == {"simple": "INTEGER"}  # per instance


def test_predicate_only_transformer_latest_first() -> None:
    class First(MoneyTransformer):
        name = "first"
        python_type = None

        def matches(self, hint: Any) -> bool:
            return hint is Money

    class Second(First):
        name = "second"

    engine = TypeEngine()
    engine.register(First())
    engine.register(Second())
    desc = engine.describe(Money)
    assert isinstance(desc, Custom)
    assert desc.transformer.name == "second"


def test_unknown_class_still_errors_after_registering_others() -> None:
    engine = TypeEngine()
    engine.register(MoneyTransformer())
    with pytest.raises(TypeMappingError, match="no type transformer for 'object'"):
        engine.to_literal_type(object)


def test_describe_is_memoised_and_cleared_on_register() -> None:
    engine = TypeEngine()
    first = engine.describe(List[int])
    assert engine.describe(List[int]) is first
    assert first == ListOf(Simple(Kind.INTEGER, int))
    engine.register(MoneyTransformer())
    assert engine.describe(List[int]) is not first


def test_literal_type_work_is_done_once_per_type() -> None:
    engine = TypeEngine()
    transformer = MoneyTransformer()
    engine.register(transformer)
    for hint in (Money, List[Money], Optional[Money], List[List[Money]], Money):
        engine.to_literal_type(hint)
    assert transformer.literal_type_calls == 1


def test_to_literal_type_returns_copies() -> None:
    engine = TypeEngine()
    first = engine.to_literal_type(List[int])
    first.collection_type.simple = types_pb2.SimpleType.STRING
    assert as_dict(engine.to_literal_type(List[int])) == {"collection_type": {"simple": "INTEGER"}}


@pytest.mark.parametrize(
    "hint", [int, List[int], Optional[Money], Annotated[int, FlyteAnnotation({"a": 1})]]
)
def test_literal_type_bytes_are_the_deterministic_bytes_of_the_literal_type(hint: Any) -> None:
    engine = TypeEngine()
    engine.register(MoneyTransformer())
    expected = engine.to_literal_type(hint).SerializeToString(deterministic=True)
    assert engine.literal_type_bytes(hint) == expected
    assert engine.literal_type_bytes(hint) == expected  # memoised (or unhashable) alike


def test_literal_type_bytes_keep_union_order_and_pickle_apart() -> None:
    engine = TypeEngine()
    int_str = engine.literal_type_bytes(Optional[int])
    assert engine.literal_type_bytes(Union[None, int]) != int_str  # equal hints, other order
    assert engine.literal_type_bytes(Optional[int]) == int_str
    with pytest.raises(TypeMappingError):
        engine.literal_type_bytes(bytes)
    assert engine.literal_type_bytes(bytes, allow_pickle=True)
    with pytest.raises(TypeMappingError):  # an error is never memoised
        engine.literal_type_bytes(bytes)


def test_literal_type_bytes_cleared_on_register() -> None:
    class IntAsString(MoneyTransformer):
        name = "IntAsString"
        python_type = int

    engine = TypeEngine()
    before = engine.literal_type_bytes(int)
    engine.register(IntAsString())
    after = engine.literal_type_bytes(int)
    assert types_pb2.LiteralType.FromString(before).simple == types_pb2.SimpleType.INTEGER
    assert types_pb2.LiteralType.FromString(after).simple == types_pb2.SimpleType.STRING


def test_unhashable_hints_are_described_without_caching() -> None:
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __repr__(self) -> str:
            return "Unhashable()"

    hint = Annotated[int, Unhashable(), FlyteAnnotation({"a": 1})]
    engine = TypeEngine()
    assert as_dict(engine.to_literal_type(hint)) == {
        "simple": "INTEGER",
        "annotation": {"annotations": {"a": 1.0}},
    }
    assert as_dict(engine.to_literal_type(List[hint])) == {
        "collection_type": {"simple": "INTEGER", "annotation": {"annotations": {"a": 1.0}}}
    }


def test_broken_transformer_is_reported() -> None:
    class Broken(MoneyTransformer):
        name = "Broken"

        def get_literal_type(self, hint: Any) -> types_pb2.LiteralType:
            raise KeyError("oops")

    class WrongType(MoneyTransformer):
        name = "WrongType"

        def get_literal_type(self, hint: Any) -> Any:
            return {"simple": "STRING"}

    engine = TypeEngine()
    engine.register(Broken())
    with pytest.raises(TypeMappingError) as info:
        engine.to_literal_type(Money)
    assert info.value.code == "CT211"
    assert info.value.message == (
        f"transformer 'Broken' failed to give a literal type for '{Money}' (KeyError: 'oops')"
    )
    engine.register(WrongType(), replace=True)
    with pytest.raises(TypeMappingError) as info:
        engine.to_literal_type(Money)
    assert info.value.message == f"transformer 'WrongType' returned dict for '{Money}'"


def test_values_round_trip_through_the_engine() -> None:
    engine = TypeEngine()
    engine.register(MoneyTransformer())
    literal = engine.to_literal(Euro("3.50"), Euro)
    assert as_dict(literal) == {"scalar": {"primitive": {"string_value": "3.50"}}}
    assert engine.to_python(literal, Euro) == Euro("3.50")
    assert as_dict(engine.to_literal(7, Optional[int])) == {
        "scalar": {
            "union": {
                "type": {"simple": "INTEGER", "structure": {"tag": "int"}},
                "value": {"scalar": {"primitive": {"integer": "7"}}},
            }
        }
    }
    assert engine.to_python(engine.to_literal([1, 2], List[int]), List[int]) == [1, 2]


class _EntryPoint:
    def __init__(self, name: str, value: str, obj: Any) -> None:
        self.name, self.value, self._obj = name, value, obj

    def load(self) -> Any:
        if isinstance(self._obj, Exception):
            raise self._obj
        return self._obj


def _fake_entry_points(monkeypatch: pytest.MonkeyPatch, points: list[_EntryPoint]) -> None:
    def entry_points(*, group: str) -> list[_EntryPoint]:
        assert group == ENTRY_POINT_GROUP == "compile_tasks.transformers"
        return points

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    # The cheap pre-check reads the real metadata folders (tests/test_installed.py): here
    # the fake entry points stand for a plugin that declares the group.
    monkeypatch.setattr(engine_module, "may_declare_entry_points", lambda group: True)


def test_entry_point_transformers(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = MoneyTransformer()
    _fake_entry_points(
        monkeypatch,
        [_EntryPoint("b", "pkg:Money", MoneyTransformer), _EntryPoint("a", "pkg:inst", instance)],
    )
    found = engine_module.load_entry_point_transformers()
    assert [type(t) for t in found] == [MoneyTransformer, MoneyTransformer]
    assert found[0] is instance  # sorted by entry-point name


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        (ImportError("no module"), "cannot be loaded (no module)"),
        (42, "gives int"),
    ],
)
def test_broken_entry_points(monkeypatch: pytest.MonkeyPatch, obj: Any, message: str) -> None:
    _fake_entry_points(monkeypatch, [_EntryPoint("money", "pkg.mod:Money", obj)])
    with pytest.raises(TypeMappingError) as info:
        engine_module.load_entry_point_transformers()
    assert info.value.code == "CT212"
    assert info.value.message == f"transformer entry point 'money = pkg.mod:Money' {message}"
    assert info.value.hint == (
        "the entry point in group 'compile_tasks.transformers' must name a TypeTransformer"
    )


def test_default_engine_is_shared_and_loads_plugins(
    monkeypatch: pytest.MonkeyPatch, isolated_default_engine: None
) -> None:
    _fake_entry_points(monkeypatch, [_EntryPoint("money", "pkg:Money", MoneyTransformer)])
    try:
        engine = default_engine()
        assert default_engine() is engine
        assert isinstance(engine.describe(Money), Custom)
    finally:
        default_engine.cache_clear()


def test_repr() -> None:
    assert repr(MoneyTransformer()) == "<MoneyTransformer 'Money'>"
    assert repr(TypeEngine()).startswith("<TypeEngine ")


def test_transformer_given_inline_in_annotated() -> None:
    transformer = MoneyTransformer()
    desc = TypeEngine().describe(Annotated[Money, transformer])
    assert desc == Custom(Money, transformer)
    assert as_dict(TypeEngine().to_literal_type(Annotated[Money, transformer])) == {
        "simple": "STRING"
    }


def test_subclasses_of_builtin_types_map_like_their_base() -> None:
    class MyInt(int):
        pass

    engine = TypeEngine()
    assert engine.describe(MyInt) == Simple(Kind.INTEGER, int)
    engine.register(MoneyTransformer())

    class Pound(Money):
        pass

    assert isinstance(engine.describe(Pound), Custom)


def test_describe_memo_keeps_declared_union_and_literal_order() -> None:
    """``typing`` treats these as equal; the engine must not reuse the first one's order."""
    from typing import Literal

    engine = TypeEngine()
    # Equal for typing (order ignored), different for Flyte.
    first = engine.to_literal_type(str | int | None)
    second = engine.to_literal_type(int | str | None)
    assert [v.structure.tag for v in first.union_type.variants] == ["str", "int", "none"]
    assert [v.structure.tag for v in second.union_type.variants] == ["int", "str", "none"]
    a = engine.to_literal_type(Literal["a", "b"])
    b = engine.to_literal_type(Literal["b", "a"])
    assert list(a.annotation.annotations["literal_values"]) == ["a", "b"]
    assert list(b.annotation.annotations["literal_values"]) == ["b", "a"]
