# ruff: noqa: UP006, UP007, UP035, UP045  (typing spellings are what is under test)
"""Hints -> TypeDesc (compared with ==), and every CT2xx error with its exact text."""

from __future__ import annotations

import datetime
import enum
import os
import typing
from dataclasses import dataclass, field
from typing import Annotated, Any, Dict, List, Literal, NewType, Optional, Tuple, TypeVar, Union

import pytest

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
from compiler.types.desc import (
    Annotated as AnnotatedDesc,
)
from compiler.types.desc import (
    BlobOf,
    Column,
    DataclassField,
    DataclassOf,
    DictOf,
    EnumOf,
    Kind,
    ListOf,
    LiteralOf,
    PickleOf,
    SchemaOf,
    Simple,
    StructuredDatasetOf,
    UnionOf,
    UntypedDict,
)

INT = Simple(Kind.INTEGER, int)
STR = Simple(Kind.STRING, str)
NONE = Simple(Kind.NONE, type(None))
PICKLE_HINT = "make it a dataclass, register a transformer, or allow pickling"


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass
class Point:
    x: int
    y: int = 0
    tags: List[str] = field(default_factory=list)


UserId = NewType("UserId", int)

DESCRIPTIONS = [
    (int, INT),
    (datetime.date, Simple(Kind.DATETIME, datetime.date)),
    (datetime.datetime, Simple(Kind.DATETIME, datetime.datetime)),
    (List[int], ListOf(INT)),
    (list[int], ListOf(INT)),
    (typing.Iterator[int], ListOf(INT, iterator=True)),
    (Dict[str, List[str]], DictOf(ListOf(STR))),
    (dict, UntypedDict(dict)),
    (Dict[int, str], UntypedDict(Dict[int, str])),
    (Optional[int], UnionOf((INT, NONE))),
    (Union[None, int, str], UnionOf((NONE, INT, STR))),
    # typing keeps both spellings, and so does flytekit: two variants.
    (Union[List[int], list[int]], UnionOf((ListOf(INT), ListOf(INT)))),
    (Union[int, Union[str, None], Optional[int]], UnionOf((INT, STR, NONE))),
    (Color, EnumOf(Color, ("red", "blue"))),
    (Literal["a", "b"], LiteralOf(("a", "b"), Kind.STRING)),
    (os.PathLike, BlobOf("", False, FlyteFile)),
    (Annotated[int, "ignored"], INT),
    (
        Annotated[int, FlyteAnnotation({"b": 1, "a": [2]})],
        AnnotatedDesc(INT, '{"a": [2], "b": 1}'),
    ),
    (FlyteFile, BlobOf("", False, FlyteFile)),
    (CSVFile, BlobOf("csv", False, CSVFile)),
    (FlyteDirectory, BlobOf("", True, FlyteDirectory)),
    (StructuredDataset, StructuredDatasetOf("", (), StructuredDataset)),
    (Annotated[StructuredDataset, 3], StructuredDatasetOf("", (), StructuredDataset)),
    (
        Annotated[StructuredDataset, "csv", kwtypes(a=int)],
        StructuredDatasetOf("csv", (Column("a", INT),), StructuredDataset),
    ),
    (
        FlyteSchema[kwtypes(a=int)],
        SchemaOf((Column("a", INT),), FlyteSchema[kwtypes(a=int)]),
    ),
    (
        Point,
        DataclassOf(
            Point,
            (
                DataclassField("x", INT),
                DataclassField("y", INT, has_default=True, default=0),
                DataclassField("tags", ListOf(STR), has_factory=True),
            ),
        ),
    ),
]


@pytest.mark.parametrize(("hint", "expected"), DESCRIPTIONS, ids=[str(h) for h, _ in DESCRIPTIONS])
def test_describe(hint: Any, expected: Any) -> None:
    assert TypeEngine().describe(hint) == expected


def test_descriptions_are_hashable_and_annotations_round_trip() -> None:
    desc = TypeEngine().describe(Annotated[int, FlyteAnnotation({"k": {"n": 1}})])
    assert isinstance(desc, AnnotatedDesc)
    assert hash(desc) == hash(AnnotatedDesc.of(INT, {"k": {"n": 1}}))
    assert desc.annotation == {"k": {"n": 1}}
    assert desc.inner == INT
    point = TypeEngine().describe(Point)
    assert isinstance(point, DataclassOf)
    assert [f.required for f in point.fields] == [True, False, False]
    assert {point: 1}[point] == 1


def test_files_and_folders_are_found_by_their_bases_as_flytekit_finds_them() -> None:
    """A class deriving from a file or folder class is that class's blob; one merely
    registered as a virtual subclass of ``FlyteFile`` is not (flytekit walks the bases, and
    pickles it)."""

    class Report(CSVFile):
        pass

    class Virtual:
        pass

    FlyteFile.register(Virtual)
    assert issubclass(Virtual, FlyteFile)  # what the check does not go by
    engine = TypeEngine()
    assert engine.describe(Report) == BlobOf("csv", False, Report)
    assert engine.describe(Virtual, allow_pickle=True) == PickleOf(Virtual)
    with pytest.raises(TypeMappingError):
        engine.describe(Virtual)


def test_union_optional_flag() -> None:
    assert UnionOf((INT, NONE)).is_optional
    assert not UnionOf((INT, STR)).is_optional


def test_pickle_descriptions_only_when_allowed() -> None:
    engine = TypeEngine()
    assert engine.describe(bytes, allow_pickle=True) == PickleOf(bytes)
    assert engine.describe(List[Any], allow_pickle=True) == ListOf(PickleOf(Any))
    assert TypeEngine(allow_pickle=True).describe(object) == PickleOf(object)
    # flytekit pickles NewType and TypeVar annotations too.
    assert engine.describe(UserId, allow_pickle=True) == PickleOf(UserId)
    assert engine.describe(T, allow_pickle=True) == PickleOf(T)
    with pytest.raises(TypeMappingError):
        engine.describe(bytes)


class Basket:
    pass


class Mixed(enum.Enum):
    A = "a"
    B = 2


class NoMembers(enum.Enum):
    pass


@dataclass
class Node:
    value: int
    children: List[Node]


@dataclass
class HasTuple:
    pair: Tuple[int, int]


@dataclass
class Outer:
    inner: HasTuple


@dataclass
class Unresolvable:
    x: Missing  # type: ignore[name-defined]  # noqa: F821


T = TypeVar("T")
FA = FlyteAnnotation({"a": 1})

ERRORS = [
    (Basket, "CT201", "no type transformer for 'Basket'", PICKLE_HINT),
    (bytes, "CT201", "no type transformer for 'bytes'", PICKLE_HINT),
    (Any, "CT201", "no type transformer for 'typing.Any'", PICKLE_HINT),
    (List[Basket], "CT201", "no type transformer for 'Basket'", PICKLE_HINT),
    (Optional[Dict[str, Any]], "CT201", "no type transformer for 'typing.Any'", PICKLE_HINT),
    (UserId, "CT201", f"no type transformer for '{__name__}.UserId'", PICKLE_HINT),
    (typing.Set[int], "CT201", "no type transformer for 'Set[int]'", PICKLE_HINT),
    (
        list,
        "CT202",
        "'list' has no item type",
        "write List[T] (e.g. List[int]); for several values of different types use a dataclass",
    ),
    (
        List,
        "CT202",
        "'List' has no item type",
        "write List[T] (e.g. List[int]); for several values of different types use a dataclass",
    ),
    (
        Tuple[int, str],
        "CT202",
        "tuple types are not supported ('Tuple[int, str]')",
        "use a dataclass or List[T]; a task returning several values writes -> Tuple[...] only "
        "as its return annotation",
    ),
    (
        tuple,
        "CT202",
        "tuple types are not supported ('tuple')",
        "use a dataclass or List[T]; a task returning several values writes -> Tuple[...] only "
        "as its return annotation",
    ),
    (
        Mixed,
        "CT203",
        "enum 'Mixed' has non-string value 2",
        "Flyte enums carry strings: give every member a str value",
    ),
    (
        NoMembers,
        "CT203",
        "enum 'NoMembers' has no members",
        "Flyte enums carry strings: give every member a str value",
    ),
    (
        Literal["a", 1],
        "CT204",
        "'Literal['a', 1]' must have values of one type among str, int, float, bool",
        "split the Literal, or use an Enum with string values",
    ),
    (
        Literal[None],
        "CT204",
        "'Literal[None]' must have values of one type among str, int, float, bool",
        "split the Literal, or use an Enum with string values",
    ),
    (
        Annotated[int, FA, FlyteAnnotation({"b": 2})],
        "CT205",
        "'int' has 2 FlyteAnnotations",
        "merge them into one FlyteAnnotation({...})",
    ),
    (
        Annotated[Point, FA],
        "CT205",
        "a FlyteAnnotation cannot annotate 'Point' (a dataclass, dict, Literal or Enum)",
        "remove the FlyteAnnotation",
    ),
    (
        Annotated[dict, FA],
        "CT205",
        "a FlyteAnnotation cannot annotate 'dict' (a dataclass, dict, Literal or Enum)",
        "remove the FlyteAnnotation",
    ),
    (
        Annotated[Dict[str, int], FA],
        "CT205",
        "a FlyteAnnotation cannot annotate 'Dict[str, int]' (a dataclass, dict, Literal or Enum)",
        "remove the FlyteAnnotation",
    ),
    (
        Annotated[Color, FA],
        "CT205",
        "a FlyteAnnotation cannot annotate 'Color' (a dataclass, dict, Literal or Enum)",
        "remove the FlyteAnnotation",
    ),
    (
        Annotated[Literal["a"], FA],
        "CT205",
        "a FlyteAnnotation cannot annotate 'Literal['a']' (a dataclass, dict, Literal or Enum)",
        "remove the FlyteAnnotation",
    ),
    (
        Annotated[int, FlyteAnnotation({"when": datetime.date(2024, 1, 1)})],
        "CT205",
        "FlyteAnnotation {'when': datetime.date(2024, 1, 1)} is not JSON-compatible "
        "(Object of type date is not JSON serializable)",
        "use only str, int, float, bool, None, lists and dicts with str keys",
    ),
    (
        Annotated[int, FlyteAnnotation({"a": {1: "x"}})],
        "CT205",
        "FlyteAnnotation {'a': {1: 'x'}} is not JSON-compatible (key 1 is not a string)",
        "use only str, int, float, bool, None, lists and dicts with str keys",
    ),
    (
        Annotated[int, FlyteAnnotation(["a"])],  # type: ignore[arg-type]
        "CT205",
        "FlyteAnnotation ['a'] is not JSON-compatible (a list, not a dict)",
        "use only str, int, float, bool, None, lists and dicts with str keys",
    ),
    (
        Node,
        "CT206",
        "dataclass 'Node', field 'children': dataclass 'Node' refers to itself",
        "recursive dataclasses have no Flyte literal type; break the cycle",
    ),
    (
        HasTuple,
        "CT202",
        "dataclass 'HasTuple', field 'pair': tuple types are not supported ('Tuple[int, int]')",
        "use a dataclass or List[T]; a task returning several values writes -> Tuple[...] only "
        "as its return annotation",
    ),
    (
        Outer,
        "CT202",
        "dataclass 'Outer', field 'inner': dataclass 'HasTuple', field 'pair': tuple types are "
        "not supported ('Tuple[int, int]')",
        "use a dataclass or List[T]; a task returning several values writes -> Tuple[...] only "
        "as its return annotation",
    ),
    (
        Unresolvable,
        "CT207",
        "type hints of dataclass 'Unresolvable' cannot be resolved (name 'Missing' is not defined)",
        "import every type a field names at module level",
    ),
    (
        Annotated[StructuredDataset, FA],
        "CT208",
        "a StructuredDataset cannot carry a FlyteAnnotation",
        "annotate it with a format string and/or kwtypes(...) columns",
    ),
    (
        Annotated[StructuredDataset, "a", "b"],
        "CT208",
        "StructuredDataset format is given twice",
        'give one format string, e.g. "parquet"',
    ),
    (
        Annotated[StructuredDataset, kwtypes(a=int), kwtypes(b=int)],
        "CT208",
        "StructuredDataset columns are given twice",
        "give one kwtypes(...) (or dataclass) of columns",
    ),
    (
        Annotated[StructuredDataset, kwtypes(when=datetime.date)],
        "CT208",
        "column 'when' has type 'date', which a StructuredDataset cannot hold",
        "use int, float, bool, str, datetime, timedelta, List[...] or Dict[str, ...]",
    ),
    (
        Annotated[StructuredDataset, kwtypes(x={"y": List[bytes]})],
        "CT208",
        "column 'x.y' has type 'bytes', which a StructuredDataset cannot hold",
        "use int, float, bool, str, datetime, timedelta, List[...] or Dict[str, ...]",
    ),
    (
        FlyteSchema[kwtypes(a=List[int])],
        "CT209",
        "FlyteSchema column 'a' has type 'List[int]'",
        "schema columns are int, float, str, bool, datetime or timedelta",
    ),
    (
        "Basket",
        "CT210",
        "'Basket' is not a resolved type",
        "import the type at module level (no string or TypeVar annotations)",
    ),
    (
        typing.ForwardRef("Basket"),
        "CT210",
        "'ForwardRef('Basket')' is not a resolved type",
        "import the type at module level (no string or TypeVar annotations)",
    ),
    (
        T,
        "CT210",
        "'~T' is not a resolved type",
        "import the type at module level (no string or TypeVar annotations)",
    ),
]


@pytest.mark.parametrize(
    ("hint", "code", "message", "hint_text"), ERRORS, ids=[str(e[0]) for e in ERRORS]
)
def test_errors(hint: Any, code: str, message: str, hint_text: str) -> None:
    with pytest.raises(TypeMappingError) as info:
        TypeEngine().to_literal_type(hint)
    assert (info.value.code, info.value.message, info.value.hint) == (code, message, hint_text)


def test_error_renders_with_context() -> None:
    with pytest.raises(TypeMappingError) as info:
        TypeEngine().to_literal_type(Basket)
    err = info.value.with_context(task="shop.orders.load", param="cfg")
    assert str(err) == (
        "error CT201: task 'shop.orders.load', input 'cfg': no type transformer for 'Basket'. "
        "hint: make it a dataclass, register a transformer, or allow pickling"
    )
    assert isinstance(err, TypeError)
