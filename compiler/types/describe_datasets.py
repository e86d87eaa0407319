"""Describers of tabular types: ``StructuredDataset`` (with its ``Annotated`` format and
columns) and ``FlyteSchema[kwtypes(...)]``.

Column rules follow flytekit 1.16: nested dicts and dataclasses flatten to dotted names; a
dataset column is int, float, bool, str, datetime, timedelta or a List/Dict of those; a schema
column is one of the scalars.
"""

from __future__ import annotations

import dataclasses
import datetime
import typing
from typing import Any

from compiler.types.annotation import FlyteAnnotation
from compiler.types.context import DescribeContext, dataclass_hints, mapping_error, type_name
from compiler.types.desc import Column, DictOf, ListOf, SchemaOf, StructuredDatasetOf, TypeDesc

__all__ = ["describe_annotated_dataset", "describe_dataset", "describe_schema"]

_DATASET_COLUMN_TYPES = (int, float, bool, str, datetime.datetime, datetime.timedelta)


def _dataset_column(name: str, hint: Any, ctx: DescribeContext) -> list[Column]:
    if isinstance(hint, dict):
        return [c for k, v in hint.items() for c in _dataset_column(f"{name}.{k}", v, ctx)]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = dataclass_hints(hint)
        return [
            c
            for f in dataclasses.fields(hint)
            for c in _dataset_column(f"{name}.{f.name}", hints[f.name], ctx)
        ]
    return [Column(name, _dataset_column_desc(name, hint, ctx))]


def _dataset_column_desc(name: str, hint: Any, ctx: DescribeContext) -> TypeDesc:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in _DATASET_COLUMN_TYPES:
        return ctx.sub(hint)
    if origin is list and len(args) == 1:
        return ListOf(_dataset_column_desc(name, args[0], ctx))
    if origin is dict and len(args) == 2:
        return DictOf(_dataset_column_desc(name, args[1], ctx))
    raise mapping_error(
        f"column '{name}' has type '{type_name(hint)}', which a StructuredDataset cannot hold",
        "CT208",
        "use int, float, bool, str, datetime, timedelta, List[...] or Dict[str, ...]",
    )


def _dataset_columns(columns: Any, ctx: DescribeContext) -> tuple[Column, ...]:
    if dataclasses.is_dataclass(columns):
        hints = dataclass_hints(columns)
        columns = {f.name: hints[f.name] for f in dataclasses.fields(columns)}
    return tuple(c for k, v in columns.items() for c in _dataset_column(k, v, ctx))


def describe_annotated_dataset(
    hint: Any, metadata: tuple[Any, ...], ctx: DescribeContext
) -> TypeDesc:
    """``Annotated[StructuredDataset, "fmt", kwtypes(...)]``: format and flattened columns."""
    fmt, columns = "", None
    for item in metadata:
        if isinstance(item, dict) or (dataclasses.is_dataclass(item) and isinstance(item, type)):
            if columns is not None:
                raise mapping_error(
                    "StructuredDataset columns are given twice",
                    "CT208",
                    "give one kwtypes(...) (or dataclass) of columns",
                )
            columns = _dataset_columns(item, ctx)
        elif isinstance(item, str):
            if fmt:
                raise mapping_error(
                    "StructuredDataset format is given twice",
                    "CT208",
                    'give one format string, e.g. "parquet"',
                )
            fmt = item
        elif isinstance(item, FlyteAnnotation):
            raise mapping_error(
                "a StructuredDataset cannot carry a FlyteAnnotation",
                "CT208",
                "annotate it with a format string and/or kwtypes(...) columns",
            )
        # Any other metadata is ignored, as flytekit does.
    return StructuredDatasetOf(fmt, columns or (), hint)


def describe_dataset(hint: Any, ctx: DescribeContext) -> TypeDesc:
    """A plain ``StructuredDataset`` (subclass) or dataframe class: no format, no columns."""
    return StructuredDatasetOf("", (), hint)


_SCHEMA_COLUMN_TYPES = (int, float, str, bool, datetime.datetime, datetime.timedelta)


def describe_schema(hint: Any, ctx: DescribeContext) -> TypeDesc:
    """``FlyteSchema`` / ``FlyteSchema[kwtypes(...)]``."""
    columns = []
    for name, column_hint in hint.columns().items():
        if column_hint not in _SCHEMA_COLUMN_TYPES:
            raise mapping_error(
                f"FlyteSchema column '{name}' has type '{type_name(column_hint)}'",
                "CT209",
                "schema columns are int, float, str, bool, datetime or timedelta",
            )
        columns.append(Column(name, ctx.sub(column_hint)))
    return SchemaOf(tuple(columns), hint)
