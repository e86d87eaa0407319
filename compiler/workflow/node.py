"""One node of a workflow: the entity it runs, its bindings, its order and its overrides."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import CompileTasksError, SourceLocation
from compiler.idl import EntityKind
from compiler.sdk import Cache, check_accelerator, resolve_resources
from compiler.workflow.promise import VoidPromise, promise_error

__all__ = ["Node"]

#: ``with_overrides`` keywords this compiler writes (flytekit's names).
OVERRIDES = frozenset(
    {
        "name",
        "node_name",
        "retries",
        "timeout",
        "interruptible",
        "requests",
        "limits",
        "resources",
        "cache",
        "cache_version",
        "cache_serialize",
        "container_image",
        "accelerator",
    }
)

#: Options that change the task a node runs (not valid on a sub-workflow node).
_TASK_ONLY = ("requests", "limits", "resources", "container_image", "accelerator")


def dns_name(text: str) -> str:
    """A node name as a node id: lower case, runs of other characters as ``-``."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


def _runs_a_task(entity: Any) -> bool:
    kind = getattr(type(entity), "entity_kind", None) or getattr(entity, "reference_kind", None)
    return bool(kind == EntityKind.TASK)


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
        resources: ``(requests, limits)`` overrides (canonical quantities), or ``None``.
        container_image: The image override, or ``None``.
        accelerator: The accelerator override, or ``None``.
        cacheable: ``NodeMetadata.cacheable`` (``None``: not written).
        cache_version: ``NodeMetadata.cache_version`` (``None``: not written).
        cache_serializable: ``NodeMetadata.cache_serializable`` (``None``: not written).
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
        # A launch-plan node is named after the workflow it launches, as flytekit names it.
        self.name = getattr(entity, "workflow", entity).name.rsplit(".", 1)[-1]
        self.retries: int | None = None
        self.timeout: timedelta | None = None
        self.interruptible: bool | None = None
        self.resources: tuple[dict[Any, str], dict[Any, str]] | None = None
        self.container_image: str | None = None
        self.accelerator: Any = None
        self.cacheable: bool | None = None
        self.cache_version: str | None = None
        self.cache_serializable: bool | None = None

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
        """Change this node with flytekit's ``with_overrides`` options (see :data:`OVERRIDES`).

        Raises:
            WorkflowError: CT910 for an option this compiler does not support or a bad value.
        """
        unknown = sorted(set(overrides) - OVERRIDES)
        if unknown:
            raise self._error(
                f"with_overrides() option {unknown[0]!r} is not supported",
                f"supported options: {', '.join(sorted(OVERRIDES))}",
            )
        task_only = [k for k in _TASK_ONLY if k in overrides and overrides[k] is not None]
        if task_only and not _runs_a_task(self.entity):
            raise self._error(
                f"with_overrides({task_only[0]}=...) on a node that does not run a task",
                "resources, images and accelerators override task nodes only",
            )
        try:
            self._task_overrides(overrides)
            self._cache_overrides(overrides)
        except CompileTasksError as err:
            raise self._error(err.message, err.hint or "") from None
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

    def _task_overrides(self, overrides: dict[str, Any]) -> None:
        keys = ("requests", "limits", "resources")
        if any(overrides.get(k) is not None for k in keys):
            self.resources = resolve_resources(*(overrides.get(k) for k in keys))
        if overrides.get("container_image") is not None:
            self.container_image = self._checked(
                overrides["container_image"], str, "container_image"
            )
        if overrides.get("accelerator") is not None:
            self.accelerator = check_accelerator(overrides["accelerator"])

    def _cache_overrides(self, overrides: dict[str, Any]) -> None:
        cache = overrides.get("cache")
        if isinstance(cache, Cache):
            if not cache.version:
                raise self._error(
                    "with_overrides(cache=Cache(...)) needs a version (policies are not applied "
                    "to a node)",
                    "write with_overrides(cache=Cache(version='v1'))",
                )
            self.cacheable = True
            self.cache_version = cache.version
            self.cache_serializable = cache.serialize
        elif cache is not None:
            self.cacheable = self._checked(cache, bool, "cache")
        if overrides.get("cache_version") is not None:
            self.cache_version = self._checked(overrides["cache_version"], str, "cache_version")
        if overrides.get("cache_serialize") is not None:
            self.cache_serializable = self._checked(
                overrides["cache_serialize"], bool, "cache_serialize"
            )

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
