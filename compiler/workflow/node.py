"""One node of a workflow: the entity it runs, its bindings, its order and its overrides."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import SourceLocation
from compiler.workflow.promise import VoidPromise, promise_error

__all__ = ["Node"]

#: ``with_overrides`` keywords this compiler writes.
OVERRIDES = frozenset({"name", "node_name", "retries", "timeout", "interruptible"})


def dns_name(text: str) -> str:
    """A node name as a node id: lower case, runs of other characters as ``-``."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


class Node:
    """A call of a task or sub-workflow inside a workflow body.

    Attributes:
        id: ``n0``, ``n1``, ... in call order (or the ``node_name`` override).
        entity: The task or workflow called.
        bindings: Input name -> binding data (every input of the entity).
        values: Input name -> the call-site value or default (for local execution).
        promises: Output name -> the promise of that output.
        upstream: The nodes this one runs after (data dependencies and ``>>``).
        location: The line of the call.
        name: ``NodeMetadata.name`` (the entity's short name unless overridden).
        retries: Retries override, or ``None`` for the entity's.
        timeout: Timeout override, or ``None`` for the entity's.
        interruptible: Interruptible override, or ``None`` for the entity's.
    """

    def __init__(self, builder: Any, node_id: str, entity: Any, location: SourceLocation) -> None:
        self.builder = builder
        self.id = node_id
        self.entity = entity
        self.location = location
        self.bindings: dict[str, literals_pb2.BindingData] = {}
        self.values: dict[str, Any] = {}
        self.promises: dict[str, Any] = {}
        self.upstream: list[Node] = []
        self.name = entity.name.rsplit(".", 1)[-1]
        self.retries: int | None = None
        self.timeout: timedelta | None = None
        self.interruptible: bool | None = None

    @property
    def output_types(self) -> dict[str, Any]:
        """The entity's output names and types."""
        return dict(self.entity.python_interface.outputs)

    @property
    def outputs(self) -> dict[str, Any]:
        """Output name -> the promise of that output (flytekit's ``node.outputs``)."""
        return dict(self.promises)

    def __getattr__(self, name: str) -> Any:
        """``node.o0``, ``node.head``: the promise of the output called ``name``."""
        promises = self.__dict__.get("promises")
        if promises is not None and name in promises:
            return promises[name]
        raise AttributeError(f"{self!r} has no output {name!r}")

    def __rshift__(self, other: Any) -> Any:
        """``a >> b`` for nodes made by ``create_node`` / ``Workflow.add_entity``."""
        return VoidPromise(self) >> other

    def _ordered_node(self) -> Node:
        return self

    @property
    def output_tuple_name(self) -> str | None:
        """The entity's NamedTuple name, if its outputs are one."""
        return self.entity.python_interface.output_tuple_name

    def run_after(self, other: Node) -> None:
        """Order this node after ``other`` (``other >> self``)."""
        if other is not self and other not in self.upstream:
            self.upstream.append(other)

    def with_overrides(self, **overrides: Any) -> Node:
        """Change this node: ``name``, ``node_name``, ``retries``, ``timeout``, ``interruptible``.

        Raises:
            WorkflowError: CT910 for an option this compiler does not support or a bad value.
        """
        unknown = sorted(set(overrides) - OVERRIDES)
        if unknown:
            raise self._error(
                f"with_overrides() option {unknown[0]!r} is not supported",
                f"supported options: {', '.join(sorted(OVERRIDES))}",
            )
        if "name" in overrides:
            self.name = self._checked(overrides["name"], str, "name")
        if "node_name" in overrides:
            self.id = dns_name(self._checked(overrides["node_name"], str, "node_name"))
        if "retries" in overrides:
            retries = overrides["retries"]
            if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
                raise self._error(f"retries must be a non-negative int, got {retries!r}", "")
            self.retries = retries
        if "timeout" in overrides:
            timeout = overrides["timeout"]
            if isinstance(timeout, int) and not isinstance(timeout, bool):
                timeout = timedelta(seconds=timeout)
            self.timeout = self._checked(timeout, timedelta, "timeout")
        if "interruptible" in overrides:
            self.interruptible = self._checked(overrides["interruptible"], bool, "interruptible")
        return self

    def _checked(self, value: Any, kind: type, option: str) -> Any:
        if not isinstance(value, kind):
            raise self._error(
                f"with_overrides({option}=...) must be a {kind.__name__}, got {value!r}", ""
            )
        return value

    def _error(self, message: str, hint: str) -> Exception:
        return promise_error(self.builder, message, "CT910", hint or "fix the value", node=self.id)

    def __repr__(self) -> str:
        return f"Node({self.id}: {self.entity.name})"
