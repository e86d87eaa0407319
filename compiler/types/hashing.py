"""``HashMethod``: a user-given hash of an output value, for cache keys.

``Annotated[pd.DataFrame, HashMethod(hash_frame)]`` leaves the literal type unchanged and, when
a value of that type is converted, writes ``hash_frame(value)`` into ``Literal.hash`` (as
flytekit does), so a downstream cached task keys on the hash instead of the data's URI.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["HashMethod", "hash_method_of"]

T = TypeVar("T")


class HashMethod(Generic[T]):
    """Wraps a function that turns a value into a stable string hash.

    Args:
        function: ``value -> str``.
    """

    def __init__(self, function: Callable[[T], str]) -> None:
        self._function = function

    def calculate(self, obj: T) -> str:
        """The hash of ``obj``."""
        return self._function(obj)

    def __repr__(self) -> str:
        return f"HashMethod({getattr(self._function, '__qualname__', self._function)!r})"


def hash_method_of(hint: Any) -> HashMethod[Any] | None:
    """The ``HashMethod`` in the metadata of an ``Annotated`` hint, if there is one."""
    if typing.get_origin(hint) is not typing.Annotated:
        return None
    return next((m for m in hint.__metadata__ if isinstance(m, HashMethod)), None)
