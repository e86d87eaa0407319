# ruff: noqa: UP006, UP035, UP045  (typing spellings are what is under test)
"""value -> literal -> value for every type issue 15 added, alone and nested in lists, dicts,
Optional and dataclasses (hypothesis): dataframes (pandas, pyarrow, polars), pydantic models
(with file fields), numpy arrays, typed and JSON iterators, a flytekit-shaped custom type."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any, Dict, Iterator, List, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.models.literals import Literal, Primitive, Scalar
from compiler.models.types import LiteralType, SimpleType
from compiler.types import JSON, FlyteFile, TypeEngine, TypeTransformer

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")
pydantic = pytest.importorskip("pydantic")

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# --- the base types: hint, value strategy, comparable form of a value read back ------------------


class Money:
    def __init__(self, cents: int, currency: str) -> None:
        self.cents, self.currency = cents, currency


class MoneyTransformer(TypeTransformer[Money]):
    def __init__(self) -> None:
        super().__init__(name="Money", t=Money)

    def get_literal_type(self, t: Any) -> LiteralType:
        return LiteralType(simple=SimpleType.STRING)

    def to_literal(self, ctx: Any, python_val: Money, python_type: Any, expected: Any) -> Literal:
        text = f"{python_val.cents} {python_val.currency}"
        return Literal(scalar=Scalar(primitive=Primitive(string_value=text)))

    def to_python_value(self, ctx: Any, lv: Literal, expected_python_type: Any) -> Money:
        cents, currency = lv.scalar.primitive.string_value.split()
        return Money(int(cents), currency)


class Line(pydantic.BaseModel):
    sku: str
    qty: int = 1


class Order(pydantic.BaseModel):
    order_id: str
    lines: List[Line] = []
    notes: Optional[str] = None
    tags: Dict[str, float] = {}
    receipt: Optional[FlyteFile] = None


_text = st.text(alphabet="abcdefghij _-é", max_size=8)
_floats = st.floats(allow_nan=False, allow_infinity=False, width=32)
_rows = st.lists(st.tuples(_text, st.integers(-(2**40), 2**40), _floats), max_size=6)
_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _floats | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)


def _pandas(rows: list[tuple]) -> Any:
    return pd.DataFrame(
        {
            "sku": pd.Series([r[0] for r in rows], dtype=object),
            "qty": pd.Series([r[1] for r in rows], dtype="int64"),
            "price": pd.Series([r[2] for r in rows], dtype="float64"),
        }
    )


def _frame_rows(frame: Any) -> list[tuple]:
    if not isinstance(frame, pd.DataFrame):  # arrow and polars
        frame = frame.to_pandas()
    return [(s, int(q), float(p)) for s, q, p in frame[["sku", "qty", "price"]].itertuples(False)]


def _order(data: dict) -> Order:
    return Order(**data)


_orders = st.builds(
    dict,
    order_id=_text,
    lines=st.lists(st.builds(Line, sku=_text, qty=st.integers(0, 99)), max_size=3),
    notes=st.none() | _text,
    tags=st.dictionaries(_text, _floats, max_size=2),
    receipt=st.none() | st.sampled_from(["/data/r.pdf", "s3://bucket/r.pdf"]).map(FlyteFile),
).map(_order)


def _order_form(order: Order) -> Any:
    data = order.model_dump()
    if order.receipt is not None:
        data["receipt"] = order.receipt.path
    return data


#: name -> (hint, strategy of values, the comparable form of a value)
BASES: dict[str, tuple[Any, st.SearchStrategy[Any], Callable[[Any], Any]]] = {
    "pandas": (pd.DataFrame, _rows.map(_pandas), _frame_rows),
    "arrow": (
        pa.Table,
        _rows.map(lambda rows: pa.Table.from_pandas(_pandas(rows), preserve_index=False)),
        _frame_rows,
    ),
    "model": (Order, _orders, _order_form),
    "ndarray": (
        np.ndarray,
        st.lists(_floats, max_size=6).map(lambda xs: np.array(xs, dtype=np.float64)),
        lambda a: [float(x) for x in a],
    ),
    "iterator": (Iterator[int], st.lists(st.integers(-5, 5), max_size=5).map(iter), list),
    "json-iterator": (
        typing.Iterator[JSON],
        st.lists(_json, min_size=1, max_size=4).map(iter),
        list,
    ),
    "money": (
        Money,
        st.builds(Money, st.integers(-(10**9), 10**9), st.sampled_from(["EUR", "USD"])),
        lambda m: (m.cents, m.currency),
    ),
}
try:
    import polars as pl

    _polars = _rows.map(lambda rows: pl.from_pandas(_pandas(rows)))
    BASES["polars"] = (pl.DataFrame, _polars, _frame_rows)
except ImportError:  # the polars extra is optional
    pass

#: Values that are consumed by reading (iterators) are generated afresh for each wrapping.
_HOLDERS: dict[str, type] = {
    name: dataclasses.make_dataclass(f"Holder_{name.replace('-', '_')}", [("item", hint)])
    for name, (hint, _, _) in BASES.items()
}


def _wrap(kind: str, name: str, hint: Any, value: Any) -> tuple[Any, Any]:
    if kind == "list":
        return List[hint], [value]
    if kind == "dict":
        return Dict[str, hint], {"k": value}
    if kind == "optional":
        return Optional[hint], value
    if kind == "dataclass":
        holder = _HOLDERS[name]
        return holder, holder(item=value)
    return hint, value


def _unwrap(kind: str, value: Any) -> Any:
    if kind == "list":
        assert isinstance(value, list) and len(value) == 1
        return value[0]
    if kind == "dict":
        assert list(value) == ["k"]
        return value["k"]
    if kind == "dataclass":
        return value.item
    return value


@pytest.fixture(scope="module")
def engine() -> TypeEngine:
    engine = TypeEngine()
    engine.register(MoneyTransformer())
    return engine


KINDS = ["plain", "list", "dict", "optional", "dataclass"]


#: Every base in every wrapping, except iterators as dataclass fields (flytekit has no value
#: form for them: mashumaro cannot serialise an iterator).
CASES = [
    (name, kind)
    for name in sorted(BASES)
    for kind in KINDS
    if not (kind == "dataclass" and name in ("iterator", "json-iterator"))
]


@pytest.mark.parametrize(("name", "kind"), CASES)
@SETTINGS
@given(data=st.data())
def test_value_literal_value(engine: TypeEngine, name: str, kind: str, data: Any) -> None:
    base_hint, values, form = BASES[name]
    value = data.draw(values)
    expected = form(value) if name not in ("iterator", "json-iterator") else None
    if expected is None:  # an iterator is consumed by writing: compare with a fresh copy
        items = list(value)
        value, expected = iter(items), items
    hint, wrapped = _wrap(kind, name, base_hint, value)
    literal = engine.to_literal(wrapped, hint)
    back = _unwrap(kind, engine.to_python(literal, hint))
    assert form(back) == expected


@pytest.mark.parametrize("name", sorted(BASES))
def test_optional_none_round_trips(engine: TypeEngine, name: str) -> None:
    hint = Optional[BASES[name][0]]
    assert engine.to_python(engine.to_literal(None, hint), hint) is None
