"""Frozen dataclasses a compile makes thousands of, built at a plain class's speed.

A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__``
(the class's own ``__setattr__`` refuses every assignment). For the records made per entity
(manifest entries, bundle entities, source locations, ...) that was most of their cost:
:func:`fast_frozen` gives such a class an ``__init__`` that stores the fields in the instance's
dict directly, with the same parameters and the same result. Everything else (immutability,
equality, hashing, ordering, ``repr``) stays the dataclass's.

Imports nothing of ``compiler``, so every layer may use it.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

__all__ = ["fast_frozen"]

T = TypeVar("T")


def fast_frozen(cls: type[T]) -> type[T]:
    """Replace the ``__init__`` of the frozen dataclass ``cls`` by one that fills ``__dict__``.

    Apply it above ``@dataclass(frozen=True)``. Refuses (``TypeError``) what the new
    ``__init__`` would not reproduce: a class that is not a frozen dataclass, has slots or a
    ``__post_init__``, or has ``InitVar``, keyword-only or ``init=False`` fields.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    if "__slots__" in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has slots or __post_init__, which fast_frozen skips")
    fields = dataclasses.fields(cls)
    if len(fields) != len(getattr(cls, "__dataclass_fields__", {})):  # an InitVar or ClassVar
        raise TypeError(f"{cls.__name__} has pseudo-fields, which fast_frozen does not take")
    defaults: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    signature = []
    body = ["    fields = self.__dict__"]
    for field in fields:
        name = field.name
        if not field.init or field.kw_only:
            raise TypeError(f"{cls.__name__}.{name} is keyword-only or not in __init__")
        if field.default is not dataclasses.MISSING:
            defaults[f"_default_{name}"] = field.default
            signature.append(f"{name}=_default_{name}")
        elif field.default_factory is not dataclasses.MISSING:
            defaults[f"_factory_{name}"] = field.default_factory
            signature.append(f"{name}=_MISSING")
            body.append(f"    if {name} is _MISSING:\n        {name} = _factory_{name}()")
        else:
            signature.append(name)
        body.append(f"    fields[{name!r}] = {name}")
    source = f"def __init__(self, {', '.join(signature)}):\n" + "\n".join(body) + "\n"
    namespace: dict[str, Any] = {}
    exec(source, defaults, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[misc]
    return cls
