"""numpy arrays, tuple-literal return annotations and HashMethod."""

from __future__ import annotations

from typing import Annotated

import pytest
from google.protobuf.json_format import MessageToDict
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import HashMethod, task
from compiler.errors import TypeMappingError
from compiler.types import TypeEngine

np = pytest.importorskip("numpy")
hnp = pytest.importorskip("hypothesis.extra.numpy")


def test_literal_type_is_flytekits_numpy_blob() -> None:
    engine = TypeEngine()
    assert MessageToDict(engine.to_literal_type(np.ndarray)) == {"blob": {"format": "NumpyArray"}}
    variants = MessageToDict(engine.to_literal_type(np.ndarray | None))["unionType"]["variants"]
    assert variants[0]["structure"] == {"tag": "Numpy Array"}


def test_array_file_is_npy() -> None:
    engine = TypeEngine()
    literal = engine.to_literal(np.arange(6).reshape(2, 3), np.ndarray)
    uri = literal.scalar.blob.uri
    assert uri.endswith(".npy")
    np.testing.assert_array_equal(np.load(uri), np.arange(6).reshape(2, 3))


def test_wrong_values_are_named() -> None:
    with pytest.raises(TypeMappingError, match="expected a value of type ndarray, got list"):
        TypeEngine().to_literal([1, 2], np.ndarray)
    with pytest.raises(TypeMappingError, match="without pickling"):
        TypeEngine().to_literal(np.array([object()]), np.ndarray)


_dtypes = st.sampled_from(["int64", "int8", "float64", "float32", "bool", "U3", "complex128"])


@settings(max_examples=40, deadline=None)
@given(
    array=_dtypes.flatmap(lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=3))),
    wrap=st.sampled_from(["plain", "list", "dict", "optional"]),
)
def test_round_trip_property(array, wrap: str) -> None:
    engine = TypeEngine()
    hint, value = {
        "plain": (np.ndarray, array),
        "list": (list[np.ndarray], [array, array]),
        "dict": (dict[str, np.ndarray], {"a": array}),
        "optional": (np.ndarray | None, array),
    }[wrap]
    back = engine.to_python(engine.to_literal(value, hint), hint)
    got = back[0] if wrap == "list" else back["a"] if wrap == "dict" else back
    np.testing.assert_array_equal(got, array)
    assert got.dtype == array.dtype and got.shape == array.shape


def test_tuple_literal_return_is_several_outputs() -> None:
    @task
    def split(x: np.ndarray) -> (np.ndarray, int):
        return x, len(x)

    assert list(split.python_interface.outputs) == ["o0", "o1"]
    head, n = split(x=np.arange(3))
    assert n == 3 and head.tolist() == [0, 1, 2]


def test_hash_method_writes_the_literal_hash() -> None:
    hint = Annotated[int, HashMethod(lambda v: f"h{v}")]
    engine = TypeEngine()
    literal = engine.to_literal(7, hint)
    assert literal.hash == "h7"
    assert engine.to_literal_type(hint) == engine.to_literal_type(int)
    assert engine.to_python(literal, hint) == 7
    assert not engine.to_literal(7, int).hash
