"""Built-in describers: one function per kind of hint, turning it into a ``TypeDesc``.

Each describer takes the hint and a ``DescribeContext`` (to describe nested hints through the
engine, so user transformers apply at every depth) and returns a description or raises
``TypeMappingError``. ``BUILTIN_EXACT``, ``BUILTIN_PREDICATES`` and ``BUILTIN_LAST`` at the
bottom are the table the engine is built from.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime
import enum
import os
import types
import typing
from collections.abc import Callable
from typing import Any

from compiler.errors import TypeMappingError
from compiler.types.annotation import FlyteAnnotation
from compiler.types.arrays import NumpyArrayTransformer, is_numpy_array
from compiler.types.context import (
    PICKLE_HINT,
    DescribeContext,
    Describer,
    dataclass_hints,
    mapping_error,
    type_name,
)
from compiler.types.desc import (
    Annotated,
    BlobOf,
    Custom,
    DataclassField,
    DataclassOf,
    DictOf,
    EnumOf,
    Kind,
    ListOf,
    LiteralOf,
    PickleOf,
    Simple,
    TypeDesc,
    UnionOf,
    UntypedDict,
)
from compiler.types.describe_datasets import (
    describe_annotated_dataset,
    describe_dataset,
    describe_schema,
)
from compiler.types.files import FlyteDirectory, FlyteFile
from compiler.types.frames import is_dataframe_type
from compiler.types.iterators import JSON, JSONIterator, JSONIteratorTransformer
from compiler.types.models import describe_model, is_pydantic_model
from compiler.types.tabular import FlyteSchema, StructuredDataset
from compiler.types.transformer import TypeTransformer

__all__ = [
    "BUILTIN_EXACT",
    "BUILTIN_LAST",
    "BUILTIN_PREDICATES",
    "describe_unknown",
    "is_dataset_hint",
]

# --- scalars and containers -------------------------------------------------------------------


def _simple(kind: Kind, py: type) -> Describer:
    desc = Simple(kind, py)
    return lambda hint, ctx: desc


def _refuse_untyped_container(hint: Any, ctx: DescribeContext) -> TypeDesc:
    raise mapping_error(
        f"'{type_name(hint)}' has no item type",
        "CT202",
        "write List[T] (e.g. List[int]); for several values of different types use a dataclass",
    )


def _refuse_tuple(hint: Any, ctx: DescribeContext) -> TypeDesc:
    raise mapping_error(
        f"tuple types are not supported ('{type_name(hint)}')",
        "CT202",
        "use a dataclass or List[T]; a task returning several values writes -> Tuple[...] "
        "only as its return annotation",
    )


def _describe_list(hint: Any, ctx: DescribeContext) -> TypeDesc:
    args = typing.get_args(hint)
    if len(args) != 1:
        return _refuse_untyped_container(hint, ctx)
    return ListOf(ctx.sub(args[0]))


def _describe_iterator(hint: Any, ctx: DescribeContext) -> TypeDesc:
    args = typing.get_args(hint)
    if len(args) != 1:
        return _refuse_untyped_container(hint, ctx)
    return ListOf(ctx.sub(args[0]), iterator=True)


def _describe_dict(hint: Any, ctx: DescribeContext) -> TypeDesc:
    args = typing.get_args(hint)
    if len(args) == 2 and args[0] is str:
        return DictOf(ctx.sub(args[1]))
    return UntypedDict(hint)


def _describe_union(hint: Any, ctx: DescribeContext) -> TypeDesc:
    # typing has already flattened nested unions and removed duplicate hints; flytekit keeps
    # what is left, even two spellings of one type (List[int] | list[int] gives two variants).
    return UnionOf(tuple(ctx.sub(arg) for arg in typing.get_args(hint)))


# --- enums and literals -----------------------------------------------------------------------


def _describe_enum(hint: Any, ctx: DescribeContext) -> TypeDesc:
    values = tuple(member.value for member in hint)
    bad = [v for v in values if not isinstance(v, str)]
    if not values or bad:
        what = f"non-string value {bad[0]!r}" if bad else "no members"
        raise mapping_error(
            f"enum '{type_name(hint)}' has {what}",
            "CT203",
            "Flyte enums carry strings: give every member a str value",
        )
    return EnumOf(hint, values)


_LITERAL_KINDS = {str: Kind.STRING, int: Kind.INTEGER, float: Kind.FLOAT, bool: Kind.BOOLEAN}


def _describe_literal(hint: Any, ctx: DescribeContext) -> TypeDesc:
    values = typing.get_args(hint)
    value_types = {type(v) for v in values}
    if len(value_types) != 1 or next(iter(value_types)) not in _LITERAL_KINDS:
        raise mapping_error(
            f"'{type_name(hint)}' must have values of one type among str, int, float, bool",
            "CT204",
            "split the Literal, or use an Enum with string values",
        )
    return LiteralOf(values, _LITERAL_KINDS[next(iter(value_types))])


# --- Annotated --------------------------------------------------------------------------------


def _describe_annotated(hint: Any, ctx: DescribeContext) -> TypeDesc:
    inner_hint, metadata = hint.__origin__, hint.__metadata__
    for item in metadata:  # Annotated[T, SomeTransformer()] picks the transformer for T
        if isinstance(item, TypeTransformer):
            return Custom(inner_hint, item)
    if is_dataset_hint(inner_hint):
        return describe_annotated_dataset(inner_hint, metadata, ctx)
    annotations = [m for m in metadata if isinstance(m, FlyteAnnotation)]
    inner = ctx.sub(inner_hint)
    if not annotations:
        return inner
    if len(annotations) > 1:
        raise mapping_error(
            f"'{type_name(inner_hint)}' has {len(annotations)} FlyteAnnotations",
            "CT205",
            "merge them into one FlyteAnnotation({...})",
        )
    if isinstance(inner, (DataclassOf, DictOf, UntypedDict, LiteralOf, EnumOf)):
        # flytekit 1.16 refuses these: dataclasses, untyped dicts and Literals carry an
        # annotation of their own, and its dict and enum transformers refuse annotations.
        raise mapping_error(
            f"a FlyteAnnotation cannot annotate '{type_name(inner_hint)}' "
            "(a dataclass, dict, Literal or Enum)",
            "CT205",
            "remove the FlyteAnnotation",
        )
    data = annotations[0].data
    try:
        if not isinstance(data, dict):
            raise TypeError(f"a {type(data).__name__}, not a dict")
        _check_str_keys(data)
        return Annotated.of(inner, data)
    except (TypeError, ValueError) as exc:
        raise mapping_error(
            f"FlyteAnnotation {data!r} is not JSON-compatible ({exc})",
            "CT205",
            "use only str, int, float, bool, None, lists and dicts with str keys",
        ) from None


def _check_str_keys(data: Any) -> None:
    """Struct keys are strings; json.dumps would silently turn ``{1: ...}`` into ``{"1": ...}``."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                raise TypeError(f"key {key!r} is not a string")
            _check_str_keys(value)
    elif isinstance(data, list | tuple):
        for value in data:
            _check_str_keys(value)


# --- dataclasses ------------------------------------------------------------------------------


def _describe_dataclass(hint: Any, ctx: DescribeContext) -> TypeDesc:
    name = type_name(hint)
    if hint in ctx.stack:
        raise mapping_error(
            f"dataclass '{name}' refers to itself",
            "CT206",
            "recursive dataclasses have no Flyte literal type; break the cycle",
        )
    # Without include_extras, as flytekit: a FlyteAnnotation on a field is not written.
    hints = dataclass_hints(hint)
    inner = dataclasses.replace(ctx, stack=(*ctx.stack, hint))
    fields = []
    for f in dataclasses.fields(hint):
        try:
            desc = inner.sub(hints.get(f.name, f.type))
        except TypeMappingError as exc:
            message = f"dataclass '{name}', field '{f.name}': {exc.message}"
            raise mapping_error(message, exc.code, exc.hint) from None
        has_default = f.default is not dataclasses.MISSING
        factory = f.default_factory is not dataclasses.MISSING
        default = f.default if has_default else None
        fields.append(DataclassField(f.name, desc, has_default, default, factory, f.init))
    return DataclassOf(hint, tuple(fields))


# --- files, datasets, schemas -----------------------------------------------------------------


def _describe_blob(hint: Any, ctx: DescribeContext) -> TypeDesc:
    return BlobOf(hint.format, issubclass(hint, FlyteDirectory), hint)


def is_dataset_hint(hint: Any) -> bool:
    """A ``StructuredDataset`` (subclass) or a dataframe class (pandas, pyarrow, registered)."""
    return isinstance(hint, type) and (
        issubclass(hint, StructuredDataset) or is_dataframe_type(hint)
    )


# --- hints that are not types -----------------------------------------------------------------


def _refuse_unresolved(hint: Any, ctx: DescribeContext) -> TypeDesc:
    if ctx.allow_pickle and isinstance(hint, typing.TypeVar):
        return PickleOf(hint)  # flytekit pickles a TypeVar annotation
    raise mapping_error(
        f"'{type_name(hint)}' is not a resolved type",
        "CT210",
        "import the type at module level (no string or TypeVar annotations)",
    )


def describe_unknown(hint: Any, ctx: DescribeContext) -> TypeDesc:
    """The fallback: a pickle blob when allowed, otherwise ``TypeMappingError`` CT201."""
    if ctx.allow_pickle:
        return PickleOf(hint)
    raise mapping_error(f"no type transformer for '{type_name(hint)}'", "CT201", PICKLE_HINT)


_NUMPY = NumpyArrayTransformer()
_JSON_ITERATOR = JSONIteratorTransformer()

# --- the table --------------------------------------------------------------------------------


def _origin_is(*origins: Any) -> Callable[[Any], bool]:
    return lambda hint: typing.get_origin(hint) in origins


def _subclass_of(base: type) -> Callable[[Any], bool]:
    """A class that has ``base`` among its bases: its method resolution order, as flytekit
    finds a transformer, not ``issubclass``. The file and folder classes are abstract (they
    derive from ``os.PathLike``), so ``issubclass`` would also accept a class registered
    with ``FlyteFile.register``, which flytekit pickles; and for a class it has not seen it
    walks every format subclass of ``FlyteFile`` (about 20 us a new class)."""
    return lambda hint: isinstance(hint, type) and base in hint.__mro__


BUILTIN_EXACT: dict[Any, Describer] = {
    int: _simple(Kind.INTEGER, int),
    float: _simple(Kind.FLOAT, float),
    str: _simple(Kind.STRING, str),
    bool: _simple(Kind.BOOLEAN, bool),
    datetime.datetime: _simple(Kind.DATETIME, datetime.datetime),
    datetime.date: _simple(Kind.DATETIME, datetime.date),
    datetime.timedelta: _simple(Kind.DURATION, datetime.timedelta),
    type(None): _simple(Kind.NONE, type(None)),
    None: _simple(Kind.NONE, type(None)),
    dict: lambda hint, ctx: UntypedDict(dict),
    list: _refuse_untyped_container,
    tuple: _refuse_tuple,
    # flytekit's file transformer also claims os.PathLike (values become FlyteFile).
    os.PathLike: lambda hint, ctx: BlobOf("", False, FlyteFile),
    # Exactly typing.Iterator[JSON] (collections.abc.Iterator[JSON] is a Typed Iterator of the
    # JSON union, as in flytekit).
    typing.Iterator[JSON]: lambda hint, ctx: Custom(hint, _JSON_ITERATOR),
    JSONIterator: lambda hint, ctx: Custom(hint, _JSON_ITERATOR),
}

#: Checked in order after the exact lookup (and after user predicates). Enums come before the
#: base-class lookup, so ``class Size(str, Enum)`` is an enum, not a str.
BUILTIN_PREDICATES: list[tuple[Callable[[Any], bool], Describer]] = [
    (_origin_is(typing.Annotated), _describe_annotated),
    (_origin_is(typing.Union, types.UnionType), _describe_union),
    (_origin_is(typing.Literal), _describe_literal),
    (_origin_is(list), _describe_list),
    (_origin_is(collections.abc.Iterator), _describe_iterator),
    (_origin_is(dict), _describe_dict),
    (_origin_is(tuple), _refuse_tuple),
    (_subclass_of(enum.Enum), _describe_enum),
    (_subclass_of(FlyteFile), _describe_blob),
    (_subclass_of(FlyteDirectory), _describe_blob),
    (is_dataset_hint, describe_dataset),
    (_subclass_of(FlyteSchema), describe_schema),
    (is_pydantic_model, describe_model),
    (is_numpy_array, lambda hint, ctx: Custom(hint, _NUMPY)),
    (lambda h: isinstance(h, (str, typing.ForwardRef, typing.TypeVar)), _refuse_unresolved),
]

#: Checked after the base classes of a class hint were looked up exactly (so a dataclass that
#: subclasses a known type is that type, as in flytekit).
BUILTIN_LAST: list[tuple[Callable[[Any], bool], Describer]] = [
    (lambda h: isinstance(h, type) and dataclasses.is_dataclass(h), _describe_dataclass),
]
