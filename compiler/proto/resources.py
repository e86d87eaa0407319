"""Resource quantities: validation, canonical strings, and the two wire shapes.

A task's requests and limits reach this module as plain mappings from a :class:`ResourceName`
to an already canonical quantity string (see :func:`canonical_quantity`). Two shapes come out:
``tasks_pb2.Resources`` for a container (entries in the fixed order EPHEMERAL_STORAGE, CPU, GPU,
MEMORY, WIRE-FORMAT 4.5) and the Kubernetes ``{"limits": {...}, "requests": {...}}`` dict written
into a pod template's primary container (WIRE-FORMAT 7).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping

from flyteidl.core import tasks_pb2

from compiler.errors import DefinitionError

__all__ = [
    "WIRE_ORDER",
    "ResourceName",
    "build_resources",
    "canonical_quantity",
    "pod_resources",
]


class ResourceName(enum.Enum):
    """The resources a task may ask for; the value is the ``Resources`` field name."""

    CPU = "cpu"
    MEMORY = "mem"
    GPU = "gpu"
    EPHEMERAL_STORAGE = "ephemeral_storage"

    @property
    def proto(self) -> int:
        """The ``tasks_pb2.Resources.ResourceName`` number."""
        return _PROTO_NAMES[self]

    @property
    def pod_key(self) -> str:
        """The key in a Kubernetes container's ``resources`` (flytekit writes ``gpu``)."""
        return _POD_KEYS[self]


_PROTO_NAMES = {
    ResourceName.CPU: tasks_pb2.Resources.CPU,
    ResourceName.MEMORY: tasks_pb2.Resources.MEMORY,
    ResourceName.GPU: tasks_pb2.Resources.GPU,
    ResourceName.EPHEMERAL_STORAGE: tasks_pb2.Resources.EPHEMERAL_STORAGE,
}
_POD_KEYS = {
    ResourceName.CPU: "cpu",
    ResourceName.MEMORY: "memory",
    ResourceName.GPU: "gpu",
    ResourceName.EPHEMERAL_STORAGE: "ephemeral-storage",
}

#: The order flytekit writes entries in, whatever the keyword order was.
WIRE_ORDER: tuple[ResourceName, ...] = (
    ResourceName.EPHEMERAL_STORAGE,
    ResourceName.CPU,
    ResourceName.GPU,
    ResourceName.MEMORY,
)

# A Kubernetes quantity: a non-negative decimal number and an optional binary-SI, decimal-SI
# or decimal-exponent suffix (k8s.io/apimachinery/pkg/api/resource).
_QUANTITY = re.compile(
    r"^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$"
)


def canonical_quantity(value: object, name: ResourceName) -> str | None:
    """The quantity string written for ``value``, or ``None`` when the entry is skipped.

    Args:
        value: What the user wrote: ``None``, a string, an ``int``, or (for CPU) a ``float``.
        name: Which resource the value is for (floats are allowed for CPU only).

    Returns:
        ``None`` for ``None``, ``""`` and numeric zero (flytekit skips falsy values); a string
        passes through unchanged after validation; numbers become their canonical string.

    Raises:
        DefinitionError: CT120 for a string that is not a Kubernetes quantity, CT121 for a
            bool, a negative, NaN or infinite number, a float outside CPU, or a CPU float that
            is not a whole number of millicores.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if value == "":
            return None
        if not _QUANTITY.match(value):
            raise DefinitionError(
                f"resource {name.value}={value!r} is not a Kubernetes quantity",
                code="CT120",
                param=name.value,
                param_kind="resource",
                hint="write a number with an optional unit, e.g. '2', '500m', '4Gi', '512Mi'",
            )
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad_number(name, value, "must be a string, an int or a float")
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad_number(name, value, "must be a finite number")
    if value < 0:
        raise _bad_number(name, value, "must not be negative")
    if value == 0:
        return None
    if isinstance(value, int):
        return str(value)
    return _float_quantity(value, name)


def _float_quantity(value: float, name: ResourceName) -> str:
    if name is not ResourceName.CPU:
        raise _bad_number(name, value, "may be a float for cpu only")
    if value.is_integer():
        return str(int(value))
    millis = value * 1000
    if not math.isclose(millis, round(millis), rel_tol=0.0, abs_tol=1e-9):
        raise _bad_number(name, value, "is not a whole number of millicores")
    return f"{round(millis)}m"


def _bad_number(name: ResourceName, value: object, why: str) -> DefinitionError:
    return DefinitionError(
        f"resource {name.value}={value!r} {why}",
        code="CT121",
        param=name.value,
        param_kind="resource",
        hint="use a non-negative int, a cpu float like 0.5, or a quantity string like '4Gi'",
    )


def build_resources(
    requests: Mapping[ResourceName, str], limits: Mapping[ResourceName, str]
) -> tasks_pb2.Resources:
    """``container.resources``: both sides in the fixed wire order (possibly empty)."""
    resources = tasks_pb2.Resources()
    for side, values in ((resources.requests, requests), (resources.limits, limits)):
        if values:  # most tasks ask for nothing: skip the lookups
            for name in WIRE_ORDER:
                if name in values:
                    side.add(name=name.proto, value=values[name])
    return resources


def pod_resources(
    requests: Mapping[ResourceName, str], limits: Mapping[ResourceName, str]
) -> dict[str, dict[str, str]]:
    """The primary pod container's ``resources``: both keys, lower-case Kubernetes names."""
    return {
        "limits": {name.pod_key: limits[name] for name in WIRE_ORDER if name in limits},
        "requests": {name.pod_key: requests[name] for name in WIRE_ORDER if name in requests},
    }
