"""Fuzzing the runtime's literal conversion (``TypeEngine.to_literal`` / ``to_python``).

* Random values of random types survive ``value -> Literal -> value`` unchanged.
* Random values that need not fit the type, and random (garbage) literals read as random
  types, either convert or raise our documented ``CompileTasksError``; never another exception.
* A task's ``dispatch_execute`` given a garbage input ``LiteralMap`` fails with our error.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import math
from typing import Any

import pytest
from flyteidl.admin import task_pb2
from flyteidl.core import literals_pb2, types_pb2
from google.protobuf import struct_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import documented_codes, examples

from compiler import task
from compiler.errors import CompileTasksError
from compiler.runtime.literal_json import json_to_literal, literal_to_json
from compiler.runtime.local_run import build_inputs
from compiler.types import default_engine

ENGINE = default_engine()
CODES = documented_codes()
FUZZ = settings(
    max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclasses.dataclass
class Point:
    x: int
    y: float
    tags: list[str]


@dataclasses.dataclass
class Shape:
    name: str
    points: list[Point]
    color: str | None = None


_UTC = datetime.UTC
_INT64 = st.integers(-(2**63), 2**63 - 1)
_FLOAT = st.floats(allow_nan=False)
_TEXT = st.text(max_size=20)
_POINT = st.builds(
    Point, x=st.integers(-(2**31), 2**31), y=_FLOAT, tags=st.lists(_TEXT, max_size=3)
)

#: (hint, strategy of values of that hint) leaves.
LEAVES: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (int, _INT64),
    (float, _FLOAT),
    (str, _TEXT),
    (bool, st.booleans()),
    (
        datetime.datetime,
        st.datetimes(
            min_value=datetime.datetime(1, 1, 2),
            max_value=datetime.datetime(9999, 12, 30),
            timezones=st.just(_UTC),
        ),
    ),
    (
        datetime.timedelta,
        # Within a century: ``run`` prints durations as float seconds (docs/runtime.md), which
        # keep microseconds exact only up to ~2**52 us; a literal's own range is far wider.
        st.timedeltas(-datetime.timedelta(days=36_500), datetime.timedelta(days=36_500)),
    ),
    (Color, st.sampled_from(Color)),
    (Point, _POINT),
    (
        Shape,
        st.builds(Shape, name=_TEXT, points=st.lists(_POINT, max_size=2), color=st.none() | _TEXT),
    ),
]


def _extend(
    inner: st.SearchStrategy[tuple[Any, st.SearchStrategy[Any]]],
) -> st.SearchStrategy[tuple[Any, st.SearchStrategy[Any]]]:
    return st.one_of(
        inner.map(lambda p: (list[p[0]], st.lists(p[1], max_size=3))),
        inner.map(lambda p: (dict[str, p[0]], st.dictionaries(_TEXT, p[1], max_size=3))),
        inner.map(lambda p: (p[0] | None, st.none() | p[1])),
    )


typed = st.recursive(st.sampled_from(LEAVES), _extend, max_leaves=3)
hints = typed.map(lambda p: p[0])


def _same(a: Any, b: Any) -> bool:
    """Equality that treats -0.0 and 0.0 as floats do and compares containers deeply."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b and type(a) is type(b)


def _check_error(exc: CompileTasksError) -> None:
    assert exc.code in CODES, exc.render()
    assert exc.hint, exc.render()


@FUZZ
@given(data=st.data(), pair=typed)
def test_value_literal_value_round_trip(data: st.DataObject, pair: tuple[Any, Any]) -> None:
    hint, values = pair
    value = data.draw(values)
    literal = ENGINE.to_literal(value, hint)
    assert isinstance(literal, literals_pb2.Literal)
    back = ENGINE.to_python(literal, hint)
    assert _same(back, value), (hint, value, back)
    # The wire form is stable: converting the result again gives the same bytes.
    again = ENGINE.to_literal(back, hint)
    assert again.SerializeToString(deterministic=True) == literal.SerializeToString(
        deterministic=True
    )


_ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | _INT64
    | st.floats()
    | _TEXT
    | st.binary(max_size=8)
    | st.sampled_from(Color)
    | _POINT
    | st.just(object()),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(_TEXT | st.integers(), inner, max_size=3)
        | st.tuples(inner, inner)
    ),
    max_leaves=6,
)


@FUZZ
@given(hint=hints, value=_ANY_VALUE)
def test_any_value_converts_or_raises_our_error(hint: Any, value: Any) -> None:
    try:
        literal = ENGINE.to_literal(value, hint)
    except CompileTasksError as exc:
        _check_error(exc)
        return
    ENGINE.to_python(literal, hint)  # what was accepted must read back


def _primitive() -> st.SearchStrategy[literals_pb2.Literal]:
    kinds = st.one_of(
        _INT64.map(lambda v: literals_pb2.Primitive(integer=v)),
        st.floats().map(lambda v: literals_pb2.Primitive(float_value=v)),
        _TEXT.map(lambda v: literals_pb2.Primitive(string_value=v)),
        st.booleans().map(lambda v: literals_pb2.Primitive(boolean=v)),
        st.integers(-(2**40), 2**40).map(
            lambda s: literals_pb2.Primitive(datetime={"seconds": s, "nanos": 0})
        ),
        st.integers(-(2**40), 2**40).map(lambda s: literals_pb2.Primitive(duration={"seconds": s})),
    )
    return kinds.map(lambda p: literals_pb2.Literal(scalar=literals_pb2.Scalar(primitive=p)))


def _other_scalars() -> st.SearchStrategy[literals_pb2.Literal]:
    def scalar(**kw: Any) -> literals_pb2.Literal:
        return literals_pb2.Literal(scalar=literals_pb2.Scalar(**kw))

    return st.one_of(
        st.just(scalar(none_type=literals_pb2.Void())),
        st.tuples(st.binary(max_size=16), st.sampled_from(["msgpack", "json", "", "x"])).map(
            lambda b: scalar(binary=literals_pb2.Binary(value=b[0], tag=b[1]))
        ),
        st.dictionaries(_TEXT, st.floats(allow_nan=False) | _TEXT, max_size=3).map(
            lambda d: scalar(generic=_struct(d))
        ),
        _TEXT.map(
            lambda uri: scalar(
                blob=literals_pb2.Blob(
                    uri=uri, metadata=literals_pb2.BlobMetadata(type=types_pb2.BlobType())
                )
            )
        ),
        _TEXT.map(lambda e: scalar(error=types_pb2.Error(failed_node_id="n", message=e))),
    )


def _struct(data: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(data)
    return out


def _nest(
    inner: st.SearchStrategy[literals_pb2.Literal],
) -> st.SearchStrategy[literals_pb2.Literal]:
    return st.one_of(
        st.lists(inner, max_size=3).map(
            lambda items: literals_pb2.Literal(
                collection=literals_pb2.LiteralCollection(literals=items)
            )
        ),
        st.dictionaries(_TEXT, inner, max_size=3).map(
            lambda items: literals_pb2.Literal(map=literals_pb2.LiteralMap(literals=items))
        ),
        inner.map(
            lambda v: literals_pb2.Literal(
                scalar=literals_pb2.Scalar(union=literals_pb2.Union(value=v))
            )
        ),
    )


garbage_literals = st.recursive(_primitive() | _other_scalars(), _nest, max_leaves=5)


@FUZZ
@given(hint=hints, literal=garbage_literals)
def test_garbage_literal_converts_or_raises_our_error(
    hint: Any, literal: literals_pb2.Literal
) -> None:
    try:
        ENGINE.to_python(literal, hint)
    except CompileTasksError as exc:
        _check_error(exc)


@FUZZ
@given(hint=hints, data=st.binary(max_size=64))
def test_random_bytes_as_literal_convert_or_raise_our_error(hint: Any, data: bytes) -> None:
    try:
        literal = literals_pb2.Literal.FromString(data)
    except Exception:  # not a Literal at all: protobuf's DecodeError, nothing of ours
        return
    try:
        ENGINE.to_python(literal, hint)
    except CompileTasksError as exc:
        _check_error(exc)


@task
def measure(shape: Shape, scale: float = 1.0, colors: list[Color] | None = None) -> int:
    """A task whose inputs get garbage."""
    return len(shape.points) + int(scale) + len(colors or [])


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=garbage_literals,
    others=st.dictionaries(st.sampled_from(["scale", "colors", "other"]), garbage_literals),
)
def test_dispatch_execute_with_garbage_inputs_raises_our_error(
    shape: literals_pb2.Literal, others: dict[str, literals_pb2.Literal]
) -> None:
    inputs = {"shape": shape, **others}
    try:
        outputs = measure.dispatch_execute(literals_pb2.LiteralMap(literals=inputs))
    except CompileTasksError as exc:
        _check_error(exc)
        assert exc.task == measure.name
        return
    assert isinstance(outputs, literals_pb2.LiteralMap)
    assert list(outputs.literals) == ["o0"]


def test_dispatch_execute_without_a_required_input_raises_our_error() -> None:
    with pytest.raises(CompileTasksError) as caught:
        measure.dispatch_execute(literals_pb2.LiteralMap())
    assert caught.value.code == "CT190"
    assert caught.value.param == "shape"


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1])
def test_int_outside_int64_raises_our_error(value: int) -> None:
    """Found by the fuzzer (protobuf's ValueError leaked); now a located CT error."""
    with pytest.raises(CompileTasksError) as caught:
        ENGINE.to_literal(value, int)
    _check_error(caught.value)


_JSON = st.recursive(
    st.none() | st.booleans() | _INT64 | st.floats() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)


@FUZZ
@given(hint=hints, value=_JSON)
def test_run_input_json_converts_or_raises_our_error(hint: Any, value: Any) -> None:
    """``compile-tasks run --input name=JSON``: any JSON fits the input's type or is CT724."""
    spec = task_pb2.TaskSpec()
    variable = spec.template.interface.inputs.variables["x"]
    variable.type.CopyFrom(ENGINE.to_literal_type(hint))
    try:
        inputs = build_inputs(spec, {"x": value})
    except CompileTasksError as exc:
        _check_error(exc)
        assert exc.code == "CT724"
        return
    # ``run`` checks the JSON against the literal type only (a dataclass is a schema-less
    # object there), so the task itself may still refuse it: with our error, in the container.
    try:
        ENGINE.to_python(inputs.literals["x"], hint)
    except CompileTasksError as exc:
        _check_error(exc)


@FUZZ
@given(data=st.data(), pair=typed)
def test_run_output_json_reads_back_as_input(data: st.DataObject, pair: tuple[Any, Any]) -> None:
    """What ``run`` prints for an output can be passed back to ``run`` as an input."""
    hint, values = pair
    value = data.draw(values)
    literal = ENGINE.to_literal(value, hint)
    back = json_to_literal(ENGINE.to_literal_type(hint), literal_to_json(literal))
    assert _same(ENGINE.to_python(back, hint), value)
