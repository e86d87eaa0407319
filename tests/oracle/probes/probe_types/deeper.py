"""Nested dataclasses and more docstring dialects."""

import enum
from dataclasses import dataclass, field
from typing import Literal, Optional, Union

from compiler import FlyteFile, task


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass
class Leaf:
    name: str
    weight: float = 1


@dataclass
class Tree:
    root: Leaf
    leaves: list[Leaf] = field(default_factory=list)
    by_name: dict[str, Leaf] = field(default_factory=dict)
    maybe: Optional[Leaf] = None  # noqa: UP045
    ids: Optional[list[int]] = None  # noqa: UP045
    either: Union[int, str] = 0  # noqa: UP007
    colors: dict[str, Color] = field(default_factory=dict)
    mode: Literal["fast", "slow"] = "fast"
    blob: Optional[FlyteFile] = None  # noqa: UP045


@task
def grow(tree: Tree, extra: Optional[Leaf] = None) -> dict[str, Optional[int]]:  # noqa: UP045
    """Grow a tree.

    @param tree: The tree.
    @param extra: One more leaf.
    @return: Counts.
    """
    return {}


@task
def rtype_sphinx(x: int) -> Optional[int]:  # noqa: UP045
    """Sphinx with a return type.

    :param x: In.
    :type x: int
    :return: Out.
    :rtype: int
    """
    return x


@task
def numpy_single(x: int) -> int:
    """NumPy with one return.

    Parameters
    ----------
    x : int
        In.

    Returns
    -------
    int
        Out.
    """
    return x


@task
def union_with_literal(x: Union[Literal["a", "b"], Color, int]) -> Union[Leaf, None]:  # noqa: UP007
    return None
