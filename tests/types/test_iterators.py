"""Iterators as flytekit maps them: Iterator[T] collections, Iterator[JSON] files, BatchSize."""

import collections.abc
import json
import typing
from typing import Annotated, Iterator, Optional  # noqa: UP035  # the spellings under test

import pytest

from compiler.errors import TypeMappingError
from compiler.types import JSON, BatchSize, FlyteDirectory, FlyteIterator, JSONIterator, TypeEngine


@pytest.fixture
def engine() -> TypeEngine:
    return TypeEngine()


def test_a_generator_output_is_written_as_a_collection(engine):
    lit = engine.to_literal((i * i for i in range(4)), Iterator[int])
    assert [item.scalar.primitive.integer for item in lit.collection.literals] == [0, 1, 4, 9]


def test_an_iterator_input_converts_items_lazily_and_restarts(engine):
    lit = engine.to_literal([1, 2, 3], collections.abc.Iterator[int])
    value = engine.to_python(lit, Iterator[int])
    assert isinstance(value, FlyteIterator)
    assert len(value) == 3
    assert next(iter(value)) == 1
    assert list(value) == [1, 2, 3]
    assert list(value) == [1, 2, 3]  # iterating again starts over, as flytekit's


def test_an_iterator_item_of_the_wrong_type_names_the_item(engine):
    with pytest.raises(TypeMappingError) as info:
        engine.to_literal(iter([1, "two"]), Iterator[int])
    assert info.value.code == "CT701"
    assert "item 1" in str(info.value)


@pytest.mark.parametrize("value", ["abc", {"a": 1}, 3])
def test_strings_mappings_and_scalars_are_not_iterators(engine, value):
    with pytest.raises(TypeMappingError) as info:
        engine.to_literal(value, Iterator[str])
    assert "Iterator[str]" in str(info.value)


def test_an_optional_iterator_takes_a_generator(engine):
    hint = Optional[Iterator[int]]  # noqa: UP045
    lit = engine.to_literal((x for x in [5]), hint)
    assert lit.scalar.union.type.structure.tag == "Typed Iterator"
    assert list(engine.to_python(lit, hint)) == [5]
    assert engine.to_python(engine.to_literal(None, hint), hint) is None


def test_json_iterator_is_a_jsonl_file(engine):
    rows = [{"id": 1, "tags": ["a"]}, [1, 2], "é", 2.5, True]
    lit = engine.to_literal(iter(rows), Iterator[JSON])
    blob = lit.scalar.blob
    assert blob.metadata.type.format == "jsonl"
    with open(blob.uri, encoding="utf-8") as src:
        assert [json.loads(line) for line in src] == rows
    value = engine.to_python(lit, Iterator[JSON])
    assert isinstance(value, JSONIterator)
    assert list(value) == rows


def test_json_iterator_literal_type_and_guess(engine):
    lt = engine.to_literal_type(Iterator[JSON])
    assert lt.blob.format == "jsonl"
    assert dict(lt.metadata) == {"format": "json iterator"}
    transformer = engine.describe(Iterator[JSON]).transformer
    assert transformer.guess_python_type(lt) == typing.Iterator[JSON]
    assert engine.to_literal_type(JSONIterator) == lt


def test_an_empty_or_non_json_iterator_is_refused(engine):
    with pytest.raises(TypeMappingError, match="empty"):
        engine.to_literal(iter([]), Iterator[JSON])
    with pytest.raises(TypeMappingError, match="item 1 is not a JSON value"):
        engine.to_literal([1, object()], Iterator[JSON])


def test_batch_size_leaves_the_directory_type_alone(engine):
    plain = engine.to_literal_type(FlyteDirectory)
    assert engine.to_literal_type(Annotated[FlyteDirectory, BatchSize(10)]) == plain
    assert BatchSize(10).val == 10


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_batch_size_needs_a_positive_int(bad):
    with pytest.raises(TypeMappingError) as info:
        BatchSize(bad)
    assert info.value.code == "CT215"
