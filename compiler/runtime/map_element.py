"""One element of a map task, run in its container (the map-task resolver's side).

A map task's container args are ``... --resolver compiler.runtime.map_element.map_task_resolver
-- vars B resolver R <loader args of the mapped task>``: ``B`` is the comma-joined names of the
inputs bound with ``functools.partial`` (``""`` when none), ``R`` the mapped task's own
resolver. :data:`map_task_resolver` loads the mapped task through ``R`` and wraps it in a
:class:`MapElement`, which the entrypoint runs like any task.

Propeller runs one container per element, all with the same ``inputs.pb`` (the lists of the
whole map), and tells each its index through the environment, as flytekit reads it:
``BATCH_JOB_ARRAY_INDEX_VAR_NAME`` names the variable that holds the index (propeller sets it
to ``FLYTE_K8S_ARRAY_INDEX`` and that variable to the index), and
``BATCH_JOB_ARRAY_INDEX_OFFSET`` (default 0) is added to it. The element takes item ``index``
of every mapped input's collection, the bound inputs as they are, runs the mapped task, and its
``outputs.pb`` holds that element's output (propeller gathers the lists).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import ExecutionError
from compiler.runtime.execute import import_object
from compiler.sdk import TaskResolverMixin

__all__ = [
    "INDEX_OFFSET_ENV",
    "INDEX_VAR_NAME_ENV",
    "MapElement",
    "MapTaskResolver",
    "array_index",
    "map_task_resolver",
]

#: Names the variable that holds the element's index (propeller: ``FLYTE_K8S_ARRAY_INDEX``).
INDEX_VAR_NAME_ENV = "BATCH_JOB_ARRAY_INDEX_VAR_NAME"
#: Added to the index (when the elements run in fewer slots than the list has items).
INDEX_OFFSET_ENV = "BATCH_JOB_ARRAY_INDEX_OFFSET"


def _element_error(message: str, hint: str) -> ExecutionError:
    return ExecutionError(message, code="CT745", hint=hint)


def _int_env(name: str, default: str = "0") -> int:
    text = os.environ.get(name, default) or default
    try:
        return int(text)
    except ValueError:
        raise _element_error(
            f"environment variable {name}={text!r} is not an integer",
            "propeller sets the array index variables; set them to integers when testing",
        ) from None


def array_index() -> int:
    """This element's index: ``$BATCH_JOB_ARRAY_INDEX_OFFSET`` + the value of the variable
    named by ``$BATCH_JOB_ARRAY_INDEX_VAR_NAME`` (0 for what is not set)."""
    var_name = os.environ.get(INDEX_VAR_NAME_ENV, "")
    index = _int_env(var_name) if var_name else 0
    return _int_env(INDEX_OFFSET_ENV) + index


class MapElement:
    """The mapped task, run on one element of its lists.

    Attributes:
        task: The mapped task.
        bound_inputs: The inputs passed whole to every element.
    """

    def __init__(self, task: Any, bound_inputs: frozenset[str]) -> None:
        self.task = task
        self.bound_inputs = bound_inputs

    def __getattr__(self, name: str) -> Any:
        """``name``, ``metadata``, ``environment``, ``python_interface``: the mapped task's."""
        if name in ("task", "bound_inputs"):
            raise AttributeError(name)
        return getattr(self.task, name)

    def element_inputs(
        self, inputs: literals_pb2.LiteralMap, index: int
    ) -> literals_pb2.LiteralMap:
        """Item ``index`` of every mapped input's collection, the bound inputs whole."""
        element = literals_pb2.LiteralMap()
        for name, literal in inputs.literals.items():
            if name in self.bound_inputs:
                element.literals[name].CopyFrom(literal)
                continue
            if literal.WhichOneof("value") != "collection":
                raise _element_error(
                    f"mapped input {name!r} is not a list literal",
                    "a map task's unbound inputs are lists; bind a single value with "
                    "functools.partial",
                )
            items = literal.collection.literals
            if not 0 <= index < len(items):
                raise _element_error(
                    f"array index {index} is out of range for input {name!r} "
                    f"({len(items)} item(s))",
                    f"check {INDEX_VAR_NAME_ENV}, the variable it names and {INDEX_OFFSET_ENV}",
                )
            element.literals[name].CopyFrom(items[index])
        return element

    def dispatch_execute(self, inputs: literals_pb2.LiteralMap) -> literals_pb2.LiteralMap:
        """Run the mapped task on this container's element; return that element's outputs."""
        return self.task.dispatch_execute(self.element_inputs(inputs, array_index()))

    def __repr__(self) -> str:
        return f"MapElement({self.task!r})"


class MapTaskResolver(TaskResolverMixin):
    """Loads ``vars B resolver R <args>`` as a :class:`MapElement` of R's task."""

    def load_task(self, loader_args: Sequence[str]) -> MapElement:
        args = list(loader_args)
        if len(args) < 4 or args[0] != "vars" or args[2] != "resolver":
            raise _element_error(
                f"loader args {args!r} are not 'vars B resolver R ...'",
                "the args after '--' must come from a compiled map task",
            )
        bound = frozenset(name for name in args[1].split(",") if name)
        task = import_object(args[3]).load_task(args[4:])
        return MapElement(task, bound)

    def __repr__(self) -> str:
        return "MapTaskResolver()"


#: The resolver of every map task; its import path is ``compiler.idl.MAP_TASK_RESOLVER``.
map_task_resolver = MapTaskResolver()
