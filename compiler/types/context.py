"""The state passed to describers, and helpers every describer uses."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from compiler.errors import TypeMappingError
from compiler.records import frozen_record
from compiler.types.desc import TypeDesc
from compiler.types.hints import class_hints

__all__ = [
    "PICKLE_HINT",
    "DescribeContext",
    "Describer",
    "dataclass_hints",
    "mapping_error",
    "type_name",
]

PICKLE_HINT = "make it a dataclass, register a transformer, or allow pickling"


@frozen_record
class DescribeContext:
    """The state of one ``describe`` call, passed to every describer.

    Attributes:
        resolve: Describes a nested hint (goes through the engine's registry and cache).
        allow_pickle: Whether unknown types become ``PickleOf`` instead of an error.
        stack: The dataclasses being described (to report recursive dataclasses).
    """

    resolve: Callable[[Any, DescribeContext], TypeDesc]
    allow_pickle: bool = False
    stack: tuple[type, ...] = ()

    def sub(self, hint: Any) -> TypeDesc:
        """Describe a hint nested in the current one."""
        return self.resolve(hint, self)


Describer = Callable[[Any, DescribeContext], TypeDesc]


def type_name(hint: Any) -> str:
    """A readable name for a hint: ``Basket``, ``List[int]``, ``typing.Any``."""
    if hint is typing.Any:
        return "typing.Any"
    if isinstance(hint, type) and not typing.get_args(hint):
        return hint.__qualname__
    return str(hint).replace("typing.", "")


def mapping_error(message: str, code: str, hint: str | None = None) -> TypeMappingError:
    """A ``TypeMappingError`` with a CT2xx ``code``."""
    return TypeMappingError(message, code=code, hint=hint)


def dataclass_hints(cls: type) -> dict[str, Any]:
    """The resolved field hints of a dataclass (``get_type_hints`` without extras, as flytekit).

    Raises:
        TypeMappingError: CT207 when an annotation cannot be resolved.
    """
    try:
        return class_hints(cls)
    except Exception as exc:  # NameError, TypeError from user annotations
        raise mapping_error(
            f"type hints of dataclass '{type_name(cls)}' cannot be resolved ({exc})",
            "CT207",
            "import every type a field names at module level",
        ) from None
