"""Every converter's table has a row for every ``TypeDesc`` class (and describe makes each).

The classes are enumerated from ``compiler/types/desc.py`` itself, so a new description class
fails here until the ``TypeDesc`` alias and every table handle it.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import inspect
import typing
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import pytest

from compiler.types import (
    FlyteAnnotation,
    FlyteFile,
    FlyteSchema,
    StructuredDataset,
    TypeEngine,
    TypeTransformer,
    kwtypes,
    literal_types,
    plain,
    schema,
    value_checks,
    values,
)
from compiler.types import desc as desc_module
from compiler.types.dispatch import DescTable, tables

#: Dataclasses of desc.py that are parts of a description, not descriptions.
PARTS = {desc_module.DataclassField, desc_module.Column}

DESC_CLASSES = {
    cls
    for _, cls in inspect.getmembers(desc_module, inspect.isclass)
    if cls.__module__ == desc_module.__name__ and dataclasses.is_dataclass(cls)
} - PARTS

#: The converters over descriptions, each with its one table.
CONVERTERS = {
    "literal_type": literal_types,
    "union_tag": literal_types,
    "json_schema": schema,
    "type_name": value_checks,
    "union_shape": value_checks,
    "to_plain": plain,
    "from_plain": plain,
    "to_literal": values,
    "to_python": values,
}


def test_the_alias_lists_every_description_class() -> None:
    assert len(DESC_CLASSES) == 15  # 14 + ModelOf (pydantic models)
    assert set(typing.get_args(desc_module.TypeDesc)) == DESC_CLASSES
    assert not PARTS & set(typing.get_args(desc_module.TypeDesc))


def test_every_converter_has_one_registered_table() -> None:
    assert set(tables()) == set(CONVERTERS)
    for name, module in CONVERTERS.items():
        owned = [t for t in vars(module).values() if isinstance(t, DescTable) and t.name == name]
        assert len(owned) == 1, f"{module.__name__} should hold the table {name!r}"


@pytest.mark.parametrize("name", sorted(CONVERTERS))
def test_table_covers_every_description_class(name: str) -> None:
    table = tables()[name]
    missing = sorted(c.__name__ for c in DESC_CLASSES - set(table))
    extra = sorted(c.__name__ for c in set(table) - DESC_CLASSES)
    assert (missing, extra) == ([], []), f"table {name!r}: missing {missing}, extra {extra}"
    assert all(callable(function) for function in table.values())


def test_a_table_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="'to_plain' is already registered"):
        DescTable("to_plain", {})
    assert repr(tables()["to_plain"]) == "<DescTable 'to_plain': 15 classes>"


class _Size(enum.Enum):
    S = "s"


@dataclasses.dataclass
class _Point:
    x: int


class _Money:
    pass


def _model() -> type:
    pydantic = pytest.importorskip("pydantic")

    class _Model(pydantic.BaseModel):
        x: int

    return _Model


class _MoneyTransformer(TypeTransformer):
    name = "Money"
    python_type = _Money


#: One hint per description class: describe (the hint tables of describe.py) makes each.
HINTS: dict[type, Any] = {
    desc_module.Simple: int,
    desc_module.ListOf: list[int],
    desc_module.DictOf: dict[str, int],
    desc_module.UntypedDict: dict,
    desc_module.UnionOf: int | None,
    desc_module.EnumOf: _Size,
    desc_module.LiteralOf: Literal["a", "b"],
    desc_module.DataclassOf: _Point,
    desc_module.ModelOf: None,  # a pydantic model, made in the test (pydantic is optional)
    desc_module.BlobOf: FlyteFile,
    desc_module.StructuredDatasetOf: StructuredDataset,
    desc_module.SchemaOf: FlyteSchema[kwtypes(a=int)],
    desc_module.PickleOf: bytes,
    desc_module.Custom: _Money,
    desc_module.Annotated: Annotated[datetime.date, FlyteAnnotation({"a": 1})],
}


def test_describe_makes_every_description_class() -> None:
    assert set(HINTS) == DESC_CLASSES
    engine = TypeEngine(allow_pickle=True)
    engine.register(_MoneyTransformer())
    hints = {**HINTS, desc_module.ModelOf: _model()}
    for cls, hint in hints.items():
        assert type(engine.describe(hint)) is cls, hint
    assert engine.describe(Iterator[int]) == desc_module.ListOf(
        desc_module.Simple(desc_module.Kind.INTEGER, int), iterator=True
    )
