# ruff: noqa: UP007, UP037, UP045
"""Classes whose hints ``tests/types/test_hints.py`` resolves (string annotations, as in a user
package with ``from __future__ import annotations``)."""

from __future__ import annotations

import dataclasses
import enum
import typing
from typing import Annotated, ClassVar, Literal, NamedTuple, Optional, Union

from compiler.types import FlyteAnnotation, FlyteFile


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Inner:
    x: int
    y: str = ""


@dataclasses.dataclass
class Plain:
    a: int
    b: Optional[float]
    c: list[Inner]
    d: dict[str, list[int]]
    e: Colour
    f: Union[int, str]
    g: Literal["a", "b"]
    h: tuple[int, ...]
    i: int | None
    j: FlyteFile
    k: typing.Callable[[int], str]
    kind: ClassVar[str] = "plain"


@dataclasses.dataclass
class WithAnnotated:
    a: Annotated[int, FlyteAnnotation({"min": 1})]
    b: list[Annotated[str, "doc"]]


@dataclasses.dataclass
class Child(Inner):
    z: float = 0.0


@dataclasses.dataclass
class Nested:
    a: list["Inner"]


@dataclasses.dataclass
class Unresolvable:
    a: Missing  # noqa: F821


class Pair(NamedTuple):
    left: int
    right: Annotated[str, "right"]


class Shadowed(NamedTuple):
    # fields named like builtin types: the class's namespace is searched before the builtins
    int: int
    str: str


@dataclasses.dataclass
class Empty:
    pass


@dataclasses.dataclass
class NoneField:
    a: None
    b: typing.Any
