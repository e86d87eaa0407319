"""Small stand-ins for task objects: only the attributes and hooks serialization reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from flyteidl.core import tasks_pb2

from compiler._version import __version__
from compiler.errors import SourceLocation

__all__ = ["RUNTIME", "FakeTask", "baseline_metadata", "interface"]

RUNTIME = {"flavor": "python", "type": "FLYTE_SDK", "version": __version__}


def baseline_metadata() -> tasks_pb2.TaskMetadata:
    """The metadata of a task without options (WIRE-FORMAT 5)."""
    md = tasks_pb2.TaskMetadata()
    md.runtime.type = tasks_pb2.RuntimeMetadata.FLYTE_SDK
    md.runtime.version = __version__
    md.runtime.flavor = "python"
    md.retries.SetInParent()
    md.generates_deck.SetInParent()
    md.metadata.SetInParent()
    return md


def interface(
    inputs: dict[str, Any] | None = None,
    outputs: dict[str, Any] | None = None,
    descriptions: dict[str, str] | None = None,
) -> SimpleNamespace:
    """A python interface whose descriptions default to the variable names."""
    inputs, outputs, descriptions = inputs or {}, outputs or {}, descriptions or {}
    return SimpleNamespace(
        inputs=inputs,
        outputs=outputs,
        input_descriptions={k: descriptions.get(k, k) for k in inputs},
        output_descriptions={k: descriptions.get(k, k) for k in outputs},
    )


@dataclass
class FakeTask:
    """A task object honouring the contract of docs/ARCHITECTURE.md ("The task object")."""

    name: str = "shop.orders.load"
    task_type: Any = "python-task"
    task_type_version: int = 0
    python_interface: Any = field(default_factory=interface)
    security_ctx: Any = None
    docs: Any = None
    location: SourceLocation = field(default_factory=lambda: SourceLocation("shop/orders.py", 12))
    container: Any = None
    k8s_pod: Any = None
    sql: Any = None
    custom: Any = None
    config: Any = None
    extended: Any = None
    metadata: Any = field(default_factory=baseline_metadata)
    calls: list[str] = field(default_factory=list)

    def _hook(self, name: str, value: Any) -> Any:
        self.calls.append(name)
        if isinstance(value, Exception):
            raise value
        return value

    def get_container(self, settings: Any) -> Any:
        return self._hook("get_container", self.container)

    def get_k8s_pod(self, settings: Any) -> Any:
        return self._hook("get_k8s_pod", self.k8s_pod)

    def get_sql(self, settings: Any) -> Any:
        return self._hook("get_sql", self.sql)

    def get_custom(self, settings: Any) -> Any:
        return self._hook("get_custom", self.custom)

    def get_config(self, settings: Any) -> Any:
        return self._hook("get_config", self.config)

    def get_extended_resources(self, settings: Any) -> Any:
        return self._hook("get_extended_resources", self.extended)

    def metadata_proto(self) -> Any:
        return self._hook("metadata_proto", self.metadata)
