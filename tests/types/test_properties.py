# ruff: noqa: UP006, UP007, UP035, UP045  (typing spellings are what is under test)
"""Generated nested hints: the engine maps them or raises TypeMappingError, nothing else."""

from __future__ import annotations

import collections
import dataclasses
import datetime
import enum
import itertools
import typing
from typing import Annotated, Any, Dict, List, Literal, Optional, Tuple, Union

import pytest
from flyteidl.core import types_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.errors import TypeMappingError
from compiler.types import (
    CSVFile,
    FlyteAnnotation,
    FlyteDirectory,
    FlyteFile,
    FlyteSchema,
    StructuredDataset,
    TypeEngine,
    kwtypes,
)
from compiler.types import schema as schema_module


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Mixed(enum.Enum):
    A = "a"
    B = 1


class Basket:
    pass


class MyInt(int):
    pass


@dataclasses.dataclass
class Node:
    value: int
    children: List[Node]


LEAVES = [
    int,
    float,
    str,
    bool,
    datetime.datetime,
    datetime.date,
    datetime.timedelta,
    type(None),
    dict,
    list,
    tuple,
    bytes,
    Any,
    Basket,
    Color,
    Mixed,
    Node,
    FlyteFile,
    CSVFile,
    FlyteDirectory,
    StructuredDataset,
    FlyteSchema[kwtypes(a=int, b=str)],
    Literal["a", "b"],
    Literal[1, 2],
    Literal["a", 1],
    Annotated[StructuredDataset, "parquet", kwtypes(x=int)],
    Annotated[StructuredDataset, FlyteAnnotation({"a": 1})],
    # Odd things users write by mistake: the engine must still answer with its own error.
    Union,
    Optional,
    Literal,
    typing.Callable[[int], int],
    typing.Iterator[int],
    collections.OrderedDict,
    MyInt,
    typing.NewType("UserId", int),
    typing.TypeVar("T"),
    "Basket",
    typing.ForwardRef("Basket"),
    3,
    Node(1, []),
]

_names = (f"Generated{i}" for i in itertools.count())


def _dataclass_of(field_types: list[Any]) -> Any:
    fields = [(f"f{i}", hint) for i, hint in enumerate(field_types)]
    try:
        return dataclasses.make_dataclass(next(_names), fields)
    except Exception:  # dataclasses refuses some field "types" (e.g. 3); not the engine's business
        return int


def _build(make: Any, *args: Any) -> Any:
    try:
        return make(*args)
    except Exception:  # typing itself refuses some combinations; not the engine's business
        return int


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    annotation = st.sampled_from(
        [FlyteAnnotation({"min": 1}), FlyteAnnotation({"k": ["v", 2.5, None]}), "meta"]
    )
    return st.one_of(
        children.map(lambda t: _build(lambda x: List[x], t)),
        children.map(lambda t: _build(lambda x: Dict[str, x], t)),
        children.map(lambda t: _build(lambda x: Dict[int, x], t)),
        children.map(lambda t: _build(lambda x: Optional[x], t)),
        st.lists(children, min_size=1, max_size=3).map(
            lambda ts: _build(lambda xs: Union[tuple(xs)], ts)
        ),
        st.tuples(children, annotation).map(
            lambda pair: _build(lambda x, a: Annotated[x, a], *pair)
        ),
        st.tuples(children, children).map(lambda pair: _build(lambda x, y: Tuple[x, y], *pair)),
        st.lists(children, max_size=3).map(_dataclass_of),
    )


HINTS = st.recursive(st.sampled_from(LEAVES), _extend, max_leaves=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hint=HINTS, allow_pickle=st.booleans())
def test_engine_maps_or_raises_its_own_error(hint: Any, allow_pickle: bool) -> None:
    engine = TypeEngine()
    try:
        result = engine.to_literal_type(hint, allow_pickle=allow_pickle)
    except TypeMappingError as err:
        assert err.code.startswith("CT2")
        assert err.hint
        return
    assert isinstance(result, types_pb2.LiteralType)
    assert result.WhichOneof("type") is not None
    # Memoised and fresh engines agree; a second call gives an equal copy.
    assert engine.to_literal_type(hint, allow_pickle=allow_pickle) == result
    assert TypeEngine().to_literal_type(hint, allow_pickle=allow_pickle) == result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hint=HINTS)
def test_allowing_pickle_only_adds_results(hint: Any) -> None:
    engine = TypeEngine()
    try:
        strict = engine.to_literal_type(hint)
    except TypeMappingError:
        return
    assert engine.to_literal_type(hint, allow_pickle=True) == strict


class _Unhashable:
    __hash__ = None  # type: ignore[assignment]


def test_a_dict_of_an_unhashable_type_has_no_schema_instead_of_a_type_error() -> None:
    """Regression: the dict-schema lookup hashed its argument types (a raw ``TypeError``)."""
    odd = Dict[str, Annotated[int, _Unhashable()]]
    with pytest.raises(schema_module._NoSchema):
        schema_module._untyped_dict(odd)
