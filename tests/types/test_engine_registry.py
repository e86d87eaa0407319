"""The engine's registry (one transformer per type, ``replace=True``) and its memos."""

from __future__ import annotations

import gc
import importlib.metadata
from typing import Any

import pytest
from flyteidl.core import types_pb2

from compiler import memo
from compiler.errors import TypeMappingError
from compiler.types import ENTRY_POINT_GROUP, TypeEngine, TypeTransformer, default_engine
from compiler.types import engine as engine_module
from compiler.types.desc import Custom, Kind, ListOf, Simple


class Money:
    pass


class MoneyAsString(TypeTransformer):
    name = "MoneyAsString"
    python_type = Money

    def get_literal_type(self, hint: Any) -> types_pb2.LiteralType:
        return types_pb2.LiteralType(simple=types_pb2.SimpleType.STRING)


class MoneyAsFloat(MoneyAsString):
    name = "MoneyAsFloat"

    def get_literal_type(self, hint: Any) -> types_pb2.LiteralType:
        return types_pb2.LiteralType(simple=types_pb2.SimpleType.FLOAT)


def _simple(engine: TypeEngine, hint: Any) -> int:
    return engine.to_literal_type(hint).simple


def test_a_second_transformer_for_a_type_is_refused() -> None:
    engine = TypeEngine()
    first = MoneyAsString()
    engine.register(first)
    with pytest.raises(TypeMappingError) as info:
        engine.register(MoneyAsFloat())
    assert info.value.code == "CT214"
    assert info.value.message == (
        "cannot register <MoneyAsFloat 'MoneyAsFloat'> for 'Money': "
        "<MoneyAsString 'MoneyAsString'> already handles that type"
    )
    assert info.value.hint == (
        "register one transformer per type; to replace the first one, call "
        "engine.register(transformer, replace=True)"
    )
    assert engine.describe(Money) == Custom(Money, first)  # the refusal changed nothing
    assert _simple(engine, Money) == types_pb2.SimpleType.STRING


def test_replace_true_replaces_the_transformer_and_its_predicate() -> None:
    class Euro(Money):
        pass

    engine = TypeEngine()
    engine.register(MoneyAsString())
    assert _simple(engine, Euro) == types_pb2.SimpleType.STRING  # memoised, then cleared
    second = MoneyAsFloat()
    engine.register(second, replace=True)
    assert engine.describe(Money).transformer is second  # type: ignore[union-attr]
    assert engine.describe(Euro).transformer is second  # type: ignore[union-attr]
    assert _simple(engine, Money) == _simple(engine, Euro) == types_pb2.SimpleType.FLOAT
    assert "1 plugins" in repr(engine)  # the replaced transformer is gone


def test_registering_the_same_instance_again_is_allowed() -> None:
    engine = TypeEngine()
    transformer = MoneyAsString()
    engine.register(transformer)
    engine.register(transformer)
    assert engine.describe(Money) == Custom(Money, transformer)
    assert "1 plugins" in repr(engine)


def test_a_builtin_type_can_be_taken_once() -> None:
    class IntAsString(MoneyAsString):
        python_type = int

    engine = TypeEngine()
    engine.register(IntAsString())  # built-ins are not transformers: no conflict
    with pytest.raises(TypeMappingError, match="already handles") as info:
        engine.register(IntAsString())
    assert info.value.code == "CT214"


def test_predicate_only_transformers_never_conflict() -> None:
    class Matching(MoneyAsString):
        python_type = None

        def matches(self, hint: Any) -> bool:
            return hint is Money

    engine = TypeEngine()
    first, second = Matching(), Matching()
    engine.register(first)
    engine.register(second)
    assert engine.describe(Money).transformer is second  # type: ignore[union-attr]


class _EntryPoint:
    def __init__(self, name: str, obj: Any) -> None:
        self.name, self.value, self._obj = name, f"pkg:{obj.__name__}", obj

    def load(self) -> Any:
        return self._obj


def _plugins(monkeypatch: pytest.MonkeyPatch, *points: _EntryPoint) -> None:
    def entry_points(*, group: str) -> tuple[_EntryPoint, ...]:
        assert group == ENTRY_POINT_GROUP
        return points

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    # The fake entry points stand for installed plugins: the real folders declare none.
    monkeypatch.setattr(engine_module, "may_declare_entry_points", lambda group: True)


def test_an_entry_point_plugin_is_replaced_with_replace_true(
    monkeypatch: pytest.MonkeyPatch, isolated_default_engine: None
) -> None:
    _plugins(monkeypatch, _EntryPoint("money", MoneyAsString))
    try:
        engine = default_engine()
        assert _simple(engine, Money) == types_pb2.SimpleType.STRING
        with pytest.raises(TypeMappingError) as info:
            engine.register(MoneyAsFloat())
        assert info.value.code == "CT214"
        engine.register(MoneyAsFloat(), replace=True)
        assert _simple(engine, Money) == types_pb2.SimpleType.FLOAT
    finally:
        default_engine.cache_clear()


def test_two_entry_point_plugins_for_one_type_are_refused(
    monkeypatch: pytest.MonkeyPatch, isolated_default_engine: None
) -> None:
    _plugins(monkeypatch, _EntryPoint("a", MoneyAsString), _EntryPoint("b", MoneyAsFloat))
    try:
        with pytest.raises(TypeMappingError) as info:
            default_engine()
        assert info.value.code == "CT214"
        assert "<MoneyAsString 'MoneyAsString'> already handles" in info.value.message
    finally:
        default_engine.cache_clear()


# --- memos ---------------------------------------------------------------------------------------


def _memo_names(engine: TypeEngine) -> list[str]:
    prefix = engine._descs.name.rsplit(".", 1)[0]
    return [name for name in memo.registered() if name.startswith(prefix + ".")]


def test_each_engine_registers_its_own_memos() -> None:
    first, second = TypeEngine(), TypeEngine()
    names = _memo_names(first)
    assert [n.rsplit(".", 1)[1] for n in names] == [
        "describe",
        "literal_type_bytes",
        "literal_types",
    ]
    assert set(names).isdisjoint(_memo_names(second))


def test_clear_all_empties_the_engine_memos() -> None:
    engine = TypeEngine()
    described = engine.describe(list[int])
    engine.literal_type_bytes(list[int])
    assert (len(engine._descs), len(engine._literal_types), len(engine._type_bytes)) == (2, 2, 1)
    memo.clear_all()
    assert (len(engine._descs), len(engine._literal_types), len(engine._type_bytes)) == (0, 0, 0)
    again = engine.describe(list[int])
    assert again == described == ListOf(Simple(Kind.INTEGER, int)) and again is not described


def test_register_clears_only_that_engine() -> None:
    engine, other = TypeEngine(), TypeEngine()
    engine.describe(int)
    other.describe(int)
    engine.register(MoneyAsString())
    assert (len(engine._descs), len(other._descs)) == (0, 1)


def test_a_collected_engine_leaves_its_memos_empty() -> None:
    engine = TypeEngine()
    engine.describe(dict[str, int])
    kept = engine._descs
    del engine
    gc.collect()
    assert len(kept) == 0 and kept.name in memo.registered()
