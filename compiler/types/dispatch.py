"""One table per converter: ``TypeDesc`` class -> the function that handles it.

Every converter that walks type descriptions (literal types, union tags, readable names, JSON
schemas, the plain form, values both ways) finds a description's handler by its exact class in
one :class:`DescTable`, written as one readable literal next to the functions it names (the
shape of cattrs' ``register_func_list`` in ``BaseConverter``). No converter tells the classes
apart with ``isinstance`` ladders, so a new ``TypeDesc`` class is one row per table; tables are
registered here by name, and ``tests/types/test_dispatch.py`` checks that each table has a row
for every class defined in ``compiler/types/desc.py``.

A table is a plain ``dict`` (the lookup is ``table[type(desc)]``, as cheap as before), with a
name for messages and for :func:`tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

__all__ = ["DescTable", "tables"]

F = TypeVar("F")

#: name -> table, in the order the converter modules were imported.
_TABLES: dict[str, DescTable[Any]] = {}


class DescTable(dict[type, F], Generic[F]):
    """A converter's table from ``TypeDesc`` classes to functions, registered under a name.

    Args:
        name: A unique name of the converter (``"literal_type"``, ``"to_plain"``, ...).
        entries: One row per ``TypeDesc`` class.

    Raises:
        ValueError: A table of that name already exists.
    """

    def __init__(self, name: str, entries: Mapping[type, F]) -> None:
        super().__init__(entries)
        if name in _TABLES:
            raise ValueError(f"a TypeDesc table named {name!r} is already registered")
        self.name = name
        _TABLES[name] = self

    def __repr__(self) -> str:
        return f"<DescTable {self.name!r}: {len(self)} classes>"


def tables() -> dict[str, DescTable[Any]]:
    """Every table made so far (those of the converter modules imported), by name."""
    return dict(_TABLES)
