"""Bindings: a call-site value (promise, constant, nested list/dict) as ``BindingData``.

Constants go through the type engine to their literal, then the literal becomes binding data
the way flytekit writes it: a scalar stays a scalar, a collection and a map become binding
collections and maps. A promise becomes an ``OutputReference`` (no ``node_id`` for a workflow
input), after a check that its literal type can flow into the input's (CT903).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

from flyteidl.core import literals_pb2, types_pb2

from compiler.errors import CompileTasksError
from compiler.memo import cached
from compiler.types import default_engine
from compiler.workflow.promise import Promise, VoidPromise, promise_error

__all__ = ["BindingProblem", "binding_data", "literal_to_binding", "promises_in"]


class BindingProblem(Exception):
    """A value that cannot be bound; ``message`` and ``hint`` become a CT903 error."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def promises_in(value: Any) -> list[Promise]:
    """Every promise inside ``value`` (lists, tuples and dict values searched)."""
    if isinstance(value, Promise):
        return [value]
    if isinstance(value, list | tuple):
        return [p for item in value for p in promises_in(item)]
    if isinstance(value, Mapping):
        return [p for item in value.values() for p in promises_in(item)]
    return []


def literal_to_binding(literal: literals_pb2.Literal) -> literals_pb2.BindingData:
    """The binding data flytekit writes for a constant's literal."""
    data = literals_pb2.BindingData()
    kind = literal.WhichOneof("value")
    if kind == "collection":
        data.collection.SetInParent()
        for item in literal.collection.literals:
            data.collection.bindings.append(literal_to_binding(item))
    elif kind == "map":
        data.map.SetInParent()
        for key, item in literal.map.literals.items():
            data.map.bindings[key].CopyFrom(literal_to_binding(item))
    else:
        data.scalar.CopyFrom(literal.scalar)
    return data


def _shape(literal_type: types_pb2.LiteralType) -> str | None:
    return literal_type.WhichOneof("type")


def can_flow(source: types_pb2.LiteralType, target: types_pb2.LiteralType) -> bool:
    """Whether a value of ``source`` may bind to an input of ``target`` (lenient on details)."""
    if _shape(target) == "union_type":
        variants = target.union_type.variants
        if _shape(source) == "union_type":
            return all(any(can_flow(s, v) for v in variants) for s in source.union_type.variants)
        return any(can_flow(source, v) for v in variants)
    if _shape(source) == "union_type":
        return all(can_flow(s, target) for s in source.union_type.variants)
    if _shape(source) != _shape(target):
        return False
    if _shape(target) == "simple":
        return source.simple == target.simple
    if _shape(target) == "collection_type":
        return can_flow(source.collection_type, target.collection_type)
    if _shape(target) == "map_value_type":
        return can_flow(source.map_value_type, target.map_value_type)
    return True  # blobs, enums, datasets, schemas: same kind (details checked at run time)


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


@cached("workflow.flows", maxsize=4096)
def _flows(source: bytes, target: bytes) -> bool:
    """:func:`can_flow` of two literal types given as their (memoised) wire bytes.

    A workflow checks every promise it binds; a package binds the same few pairs of types
    thousands of times, and a dataclass's literal type (its JSON schema) is costly to copy.
    """
    parse = types_pb2.LiteralType.FromString
    return can_flow(parse(source), parse(target))


def _same_hint(first: Any, second: Any) -> bool:
    """Whether two hints are one type (``list[str]`` written twice is): it flows into itself."""
    if first is second:
        return True
    try:
        return (first == second) is True  # a user's __eq__ may answer anything
    except Exception:  # an __eq__ that fails says nothing about the types
        return False


def _check_flow(promise: Promise, hint: Any) -> None:
    if _same_hint(promise.hint, hint):  # most bindings: nothing to look up
        return
    engine = default_engine()
    try:
        source = engine.literal_type_bytes(promise.hint)
        target = engine.literal_type_bytes(hint)
    except CompileTasksError:
        return  # the interface error is reported when the entity is serialized
    if not _flows(source, target):
        raise BindingProblem(
            f"{promise!r} of type {_type_name(promise.hint)} "
            f"cannot bind to type {_type_name(hint)}",
            "pass a value of the input's type, or convert it in a task first",
        )


def _promise_binding(promise: Promise, hint: Any, builder: Any) -> literals_pb2.BindingData:
    if promise.builder is not builder:
        raise promise_error(
            builder,
            f"{promise!r} belongs to workflow {getattr(promise.builder, 'name', '?')!r}",
            "CT908",
            "pass values between workflows through the sub-workflow's inputs and outputs",
        )
    _check_flow(promise, hint)
    data = literals_pb2.BindingData()
    data.promise.var = promise.var
    if promise.node is not None:
        data.promise.node_id = promise.node.id
    for key in promise.attr_path:
        attr = data.promise.attr_path.add()
        if isinstance(key, int):
            attr.int_value = key
        else:
            attr.string_value = key
    return data


def _strip_optional(hint: Any) -> Any:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return hint


def binding_data(value: Any, hint: Any, builder: Any) -> literals_pb2.BindingData:
    """The binding of ``value`` to an input of type ``hint``.

    Raises:
        BindingProblem: The value does not fit the type.
        WorkflowError: A promise of another workflow (CT908); a conditional without its
            else (CT913).
    """
    if getattr(type(value), "unfinished_conditional", False):
        value.section.reported = True
        raise promise_error(
            builder,
            f"{value!r} is used as a value",
            "CT913",
            "a conditional has a value only once it ends with .else_().then(...) "
            'or .else_().fail("message")',
        )
    if isinstance(value, VoidPromise):
        raise BindingProblem(
            f"{value!r} is the result of a call without outputs",
            "bind an output, or order the nodes with a >> b",
        )
    if isinstance(value, Promise):
        return _promise_binding(value, hint, builder)
    if promises_in(value):
        return _nested_binding(value, _strip_optional(hint), builder)
    try:
        literal = default_engine().to_literal(value, hint)
    except CompileTasksError as err:
        raise BindingProblem(err.message, err.hint or "pass a value of the input's type") from None
    return literal_to_binding(literal)


def _nested_binding(value: Any, hint: Any, builder: Any) -> literals_pb2.BindingData:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    data = literals_pb2.BindingData()
    if isinstance(value, list | tuple) and origin is list and args:
        data.collection.SetInParent()
        for item in value:
            data.collection.bindings.append(binding_data(item, args[0], builder))
        return data
    if isinstance(value, Mapping) and origin is dict and len(args) == 2:
        data.map.SetInParent()
        for key, item in value.items():
            data.map.bindings[str(key)].CopyFrom(binding_data(item, args[1], builder))
        return data
    raise BindingProblem(
        f"a {type(value).__name__} holding promises cannot bind to type {_type_name(hint)}",
        "only lists and dicts may mix promises and constants",
    )
