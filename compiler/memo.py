"""The memo caches of the compile, registered in one place.

Serialization is a pure function of its inputs, so several stages memoise what they compute
(literal types per hint, interface bytes per content, parsed docstrings per text, ...). Every
such cache is made here, under a name, so that it can be listed (:func:`registered`) and
emptied in one call (:func:`clear_all`, used by the tests and by long-lived processes that
re-import user code). Keys are hashable value objects (frozen dataclasses, tuples of them),
never tuples that mirror an object's fields by hand.

Three shapes:

* :class:`Memo`, a dict-like cache a caller fills itself (``get`` then ``put``), for memos
  whose key is not the function's arguments;
* :func:`cached`, a decorator for a function whose arguments are its key (a registered
  ``functools.lru_cache``);
* :class:`cached_attribute`, a per-object value computed on first access and kept in the
  object's ``__dict__`` (not registered: it lives and dies with its object).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, overload

__all__ = ["Memo", "cached", "cached_attribute", "clear_all", "registered"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
F = TypeVar("F", bound=Callable[..., Any])

#: name -> (owner, function that empties the cache of that name). The owner is the dotted
#: name of a cached function, or ``""`` for a :class:`Memo`.
_CLEARERS: dict[str, tuple[str, Callable[[], None]]] = {}


def _register(name: str, clear: Callable[[], None], owner: str = "") -> None:
    """Register the cache ``name``; a second cache of that name is refused.

    A module imported again (``importlib.reload``, or popped from ``sys.modules`` to be loaded
    lazily once more) defines its cached functions again: the same owner then takes the name
    over, since the old function is no longer the module's.
    """
    known = _CLEARERS.get(name)
    if known is not None and not (owner and known[0] == owner):
        raise ValueError(f"a memo cache named {name!r} is already registered")
    _CLEARERS[name] = (owner, clear)


class Memo(Generic[K, V]):
    """A named, registered, unbounded dict cache.

    Args:
        name: A unique dotted name (``"types.describe"``), listed by :func:`registered`.
    """

    __slots__ = ("_data", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._data: dict[K, V] = {}
        _register(name, self._data.clear)

    def get(self, key: K) -> V | None:
        """The value stored for ``key``, or ``None``."""
        return self._data.get(key)

    def put(self, key: K, value: V) -> V:
        """Store ``value`` for ``key`` and return it."""
        self._data[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        """Forget every stored value."""
        self._data.clear()


def cached(name: str, maxsize: int | None = 1024) -> Callable[[F], F]:
    """Memoise a function on its (hashable) arguments, as a registered ``lru_cache``."""

    def decorate(func: F) -> F:
        wrapped = functools.lru_cache(maxsize=maxsize)(func)
        _register(name, wrapped.cache_clear, f"{func.__module__}.{func.__qualname__}")
        return wrapped  # type: ignore[return-value]

    return decorate


class cached_attribute(Generic[V]):  # lower case: used like ``functools.cached_property``
    """A property computed once per object, then read from the object's ``__dict__``.

    What ``functools.cached_property`` does without its per-access lock (Python 3.11 takes an
    ``RLock`` on every first access, which cost more than most of the values computed here).
    A non-data descriptor: once the value is stored, attribute lookup finds it in the instance
    ``__dict__`` and never calls this class again; assigning or deleting the attribute works
    as for a plain attribute. Objects are not shared between threads while being built.
    """

    def __init__(self, func: Callable[[Any], V]) -> None:
        self._func = func
        self._name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> cached_attribute[V]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> V: ...

    def __get__(self, obj: object, owner: type | None = None) -> V | cached_attribute[V]:
        if obj is None:
            return self
        value = self._func(obj)
        obj.__dict__[self._name] = value
        return value


def registered() -> list[str]:
    """The names of every memo cache made so far, sorted."""
    return sorted(_CLEARERS)


def clear_all() -> None:
    """Empty every registered memo cache."""
    for _owner, clear in _CLEARERS.values():
        clear()
