"""``Resources``: CPU, memory, GPU and ephemeral storage requests and limits (WIRE-FORMAT 4.5)."""

from __future__ import annotations

import re
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from typing import Any

from compiler.errors import DefinitionError
from compiler.proto import ResourceName, canonical_quantity
from compiler.records import frozen_record
from compiler.sdk.location import caller_location

__all__ = ["ResourceSides", "Resources", "resolve_resources"]

#: Canonical requests and limits of a task: resource -> quantity string.
ResourceSides = tuple[dict[ResourceName, str], dict[ResourceName, str]]

Quantity = str | int | float | None


@frozen_record
class Resources:
    """Resource amounts: strings (``"4Gi"``, ``"500m"``), ints, or (cpu only) floats.

    Inside ``resources=`` a field may be a ``(request, limit)`` pair; a scalar there is a
    request only (flytekit's wire behaviour). Values are validated when the object is made:
    ``Resources(cpu="2 cores")`` raises CT120 naming the value.
    """

    cpu: Quantity | tuple[Quantity, Quantity] = None
    mem: Quantity | tuple[Quantity, Quantity] = None
    gpu: Quantity | tuple[Quantity, Quantity] = None
    ephemeral_storage: Quantity | tuple[Quantity, Quantity] = None

    def __post_init__(self) -> None:
        try:
            if type(self) is Resources:  # its fields and their ResourceName, looked up once
                for name, resource in _FIELDS:
                    for value in _pair(getattr(self, name), name):
                        canonical_quantity(value, resource)
                        _check_sensible(value, resource)
                return
            for f in fields(self):
                for value in _pair(getattr(self, f.name), f.name):
                    canonical_quantity(value, ResourceName(f.name))
                    _check_sensible(value, ResourceName(f.name))
        except DefinitionError as err:
            location, _ = caller_location(self)
            raise err.with_context(location=location) from None

    def items(self) -> list[tuple[ResourceName, Any]]:
        """``(resource, value as written)`` for every field that is set."""
        if type(self) is Resources:
            values = [(resource, getattr(self, name)) for name, resource in _FIELDS]
            return [(resource, value) for resource, value in values if value is not None]
        return [
            (ResourceName(f.name), getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) is not None
        ]


#: Below this many bytes a bare number for memory or storage is surely a missing unit.
MIN_BARE_BYTES = 1024
_BYTE_RESOURCES = frozenset({ResourceName.MEMORY, ResourceName.EPHEMERAL_STORAGE})
_SUFFIXES = {
    "m": Decimal("0.001"),
    "": Decimal(1),
    "k": Decimal(10) ** 3,
    "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9,
    "T": Decimal(10) ** 12,
    "P": Decimal(10) ** 15,
    "E": Decimal(10) ** 18,
    **{f"{p}i": Decimal(1024) ** (n + 1) for n, p in enumerate("KMGTPE")},
}
_SPLIT = re.compile(r"([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)")


def _amount(value: Any) -> Decimal | None:
    """The number a quantity stands for (``"500m"`` -> 0.5), or None if it cannot tell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    match = _SPLIT.fullmatch(value) if isinstance(value, str) else None
    if match is None or match[2] not in _SUFFIXES:
        return None
    try:
        return Decimal(match[1]) * _SUFFIXES[match[2]]
    except InvalidOperation:
        return None


def _check_sensible(value: Any, resource: ResourceName) -> None:
    """Refuse quantities that are valid strings but that no cluster can honour.

    A GPU count must be whole (Kubernetes refuses fractional extended resources, CT126); a
    memory or storage amount written as a bare number is in bytes, so ``mem=4`` asks for
    four bytes (CT127): almost surely a forgotten unit.
    """
    amount = _amount(value)
    if amount is None or amount == 0:
        return
    if resource is ResourceName.GPU and amount != amount.to_integral_value():
        raise DefinitionError(
            f"resource gpu={value!r} is not a whole number of GPUs",
            code="CT126",
            param="gpu",
            param_kind="resource",
            hint="Kubernetes schedules whole GPUs only: write gpu=1 (or share a GPU with a "
            "device plugin that exposes it as its own resource)",
        )
    bare = isinstance(value, int | float) or (isinstance(value, str) and value[-1:].isdigit())
    if resource in _BYTE_RESOURCES and bare and amount < MIN_BARE_BYTES:
        raise DefinitionError(
            f"resource {resource.value}={value!r} is {value} bytes: a bare number is in bytes",
            code="CT127",
            param=resource.value,
            param_kind="resource",
            hint=f"add the unit: {resource.value}='{value}Gi' or '{value}Mi'",
        )


#: ``(field name, ResourceName)`` of every field of :class:`Resources`, in field order.
_FIELDS = tuple((f.name, ResourceName(f.name)) for f in fields(Resources))


def _pair(value: Any, name: str) -> tuple[Any, ...]:
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise DefinitionError(
                f"resource {name}={value!r} must be a (request, limit) pair",
                code="CT123",
                param=name,
                param_kind="resource",
                hint=f"write {name}=('1', '2') for request 1 and limit 2",
            )
        return tuple(value)
    return (value,)


def _scalar_side(res: Resources | None, option: str) -> dict[ResourceName, str]:
    if res is None:
        return {}
    side: dict[ResourceName, str] = {}
    for name, value in _checked(res, option).items():
        if isinstance(value, tuple | list):
            raise DefinitionError(
                f"{option}=Resources({name.value}={value!r}): a (request, limit) pair is only "
                "allowed in resources=",
                code="CT123",
                param=option,
                param_kind="option",
                hint=f"give one value in {option}=, or use resources=Resources(...) for pairs",
            )
        quantity = canonical_quantity(value, name)
        if quantity is not None:
            side[name] = quantity
    return side


def _checked(res: object, option: str) -> Resources:
    if not isinstance(res, Resources):
        raise DefinitionError(
            f"{option} must be a Resources(...), got {res!r}",
            code="CT124",
            param=option,
            param_kind="option",
            hint=f"write {option}=Resources(cpu='1', mem='2Gi')",
        )
    return res


def resolve_resources(
    requests: Resources | None, limits: Resources | None, resources: Resources | None
) -> ResourceSides:
    """The canonical ``(requests, limits)`` of a task from its three resource options.

    Raises:
        DefinitionError: CT122 when ``resources=`` is combined with ``requests=``/``limits=``,
            CT123 for a pair outside ``resources=``, CT124 for a non-``Resources`` value.
    """
    if resources is None and requests is None and limits is None:
        return {}, {}  # most tasks: no resource options at all
    if resources is not None:
        if requests is not None or limits is not None:
            raise DefinitionError(
                "resources= cannot be combined with requests= or limits=",
                code="CT122",
                param="resources",
                param_kind="option",
                hint="use resources=Resources(cpu=(request, limit), ...) alone",
            )
        req: dict[ResourceName, str] = {}
        lim: dict[ResourceName, str] = {}
        for name, value in _checked(resources, "resources").items():
            request, limit = tuple(value) if isinstance(value, tuple | list) else (value, None)
            for side, quantity in ((req, request), (lim, limit)):
                canonical = canonical_quantity(quantity, name)
                if canonical is not None:
                    side[name] = canonical
        return req, lim
    return _scalar_side(requests, "requests"), _scalar_side(limits, "limits")
