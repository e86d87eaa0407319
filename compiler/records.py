"""Frozen dataclasses made cheaply: cheap to create as classes, and cheap to instantiate.

:func:`frozen_record` is ``@dataclass(frozen=True)`` for the tool's own value records. On
Python 3.11 the dataclass decorator compiles each generated method from source on its own
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``):
about 0.3 ms a class, most of the time the command line takes to create the tool's classes. A
record compiles ``__init__``, ``__eq__`` and ``__hash__`` from one source (they run for every
object made and every memo lookup); ``__repr__`` and the refusals of ``__setattr__`` and
``__delattr__`` are generic functions, which nothing calls often. The class is the dataclass
it replaces: the same fields, parameters and ``__match_args__``, the same answers from ``==``,
``hash``, ``repr``, ``replace`` and ``asdict`` (and ``<`` with ``order=True``), the same
``FrozenInstanceError`` (tested against ``@dataclass(frozen=True)``).

A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__``
(the class's own ``__setattr__`` refuses every assignment). A record's stores the fields in the
instance's dict directly, with the same parameters and the same result: for the records made
per entity (manifest entries, bundle entities, source locations, ...) that was most of their
cost (``@frozen_record(into_dict=True)``).

Imports nothing of ``compiler``, so every layer may use it.
"""

from __future__ import annotations

import dataclasses
import reprlib
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, get_origin, overload

__all__ = ["frozen_record"]

T = TypeVar("T")

#: The default a field with a factory shows in the signature: the dataclass's own marker
#: (its repr is ``<factory>``) where this Python has it, else ``dataclasses.MISSING``.
_FACTORY_MARK = getattr(dataclasses, "_HAS_DEFAULT_FACTORY", dataclasses.MISSING)

_GENERATED = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
#: ``order=True``: each comparison and the tuple operator it compares the fields with.
_ORDER = (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">="))


@overload
def frozen_record(cls: type[T], /) -> type[T]: ...


@overload
def frozen_record(
    *, into_dict: bool = False, order: bool = False
) -> Callable[[type[T]], type[T]]: ...


def frozen_record(
    cls: type[T] | None = None, /, *, into_dict: bool = False, order: bool = False
) -> Any:
    """``@dataclass(frozen=True)``, with one compiled source for the methods that run often.

    ``@frozen_record(into_dict=True)`` gives the class an ``__init__`` that stores the fields
    in the instance's ``__dict__``: for records made by the thousand and read little.
    ``order=True`` adds the dataclass's ``<``, ``<=``, ``>``, ``>=`` (compiled with the rest).
    A ``__post_init__`` is called last, as the dataclass's
    ``__init__`` calls it. Refuses (``TypeError``) what a record would not reproduce exactly,
    for which ``@dataclass(frozen=True)`` is the decorator to use: slots, ``InitVar``,
    keyword-only or ``init=False`` fields, a dataclass base class, and a class body that
    defines one of the methods the dataclass would write.
    """
    if cls is None:
        return lambda each: _record(each, into_dict, order)
    return _record(cls, into_dict, order)


def _record(cls: type[T], into_dict: bool, order: bool) -> type[T]:
    if "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__} has slots, which frozen_record does not take")
    for base in cls.__mro__:
        if dataclasses.is_dataclass(base):
            raise TypeError(f"{cls.__name__} is or derives from the dataclass {base.__name__}")
    made = (*_GENERATED, *(name for name, _ in _ORDER)) if order else _GENERATED
    own = [name for name in made if name in cls.__dict__]
    if own:
        raise TypeError(f"{cls.__name__} defines {own[0]}, which frozen_record would replace")
    undocumented = cls.__doc__ is None
    # Fields, defaults, ``__match_args__`` and the parameters' record; no method compiled.
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    _check_plain(cls)
    fields = dataclasses.fields(cls)
    names = tuple(f.name for f in fields)
    shown = tuple(f.name for f in fields if f.repr)

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({values})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    generated = _compiled(cls, into_dict, order)
    for method in (*generated, __repr__, __setattr__, __delattr__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        method.__module__ = cls.__module__
        setattr(cls, method.__name__, method)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    params.init = params.repr = params.eq = params.frozen = True
    params.order = order
    if undocumented:  # as the dataclass writes it: the class's name and its signature
        import inspect

        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


def _check_plain(cls: type) -> None:
    """Refuse what the compiled ``__init__`` would not reproduce. A ``__post_init__`` is
    called last, without arguments, as the dataclass calls it; ``ClassVar`` annotations are
    no fields."""
    fields = dataclasses.fields(cls)
    names = {field.name for field in fields}
    for name, pseudo in getattr(cls, "__dataclass_fields__", {}).items():
        # An InitVar (a parameter of __init__ that is no field) or a ClassVar (none of them).
        if name not in names and not _is_class_var(pseudo.type):
            raise TypeError(f"{cls.__name__} has pseudo-fields, which a record does not take")
    for field in fields:
        if not field.init or field.kw_only:
            raise TypeError(f"{cls.__name__}.{field.name} is keyword-only or not in __init__")
        if field.name == "self" or field.name.startswith("_record_"):
            # The compiled __init__'s own names (the dataclass renames its helpers instead).
            raise TypeError(f"{cls.__name__}.{field.name} is a name the record's __init__ uses")


def _is_class_var(hint: Any) -> bool:
    """Whether a pseudo-field's annotation is ``ClassVar`` (or ``ClassVar[...]``), as text too."""
    if isinstance(hint, str):
        return hint.startswith(("ClassVar", "typing.ClassVar"))
    return hint is ClassVar or get_origin(hint) is ClassVar


def _compiled(cls: type, into_dict: bool, order: bool) -> list[Callable[..., Any]]:
    """The methods of the record ``cls`` that are worth compiling, from one source.

    ``__init__`` takes the dataclass's parameters and stores them as the dataclass does
    (``object.__setattr__``: the instance keeps Python's compact attribute storage, which the
    attribute reads of ``__eq__`` and ``__hash__`` are fastest on), or ``into_dict``, into the
    instance's ``__dict__`` (half the cost of making the object, a little more to read it).
    ``__eq__`` and ``__hash__`` (and with ``order`` the comparisons) are the dataclass's own:
    the compared fields as tuples, for an object of the same class only; the hash of the tuple
    of the hashed fields. They run on every memo lookup, so they are not generic.
    """
    fields = dataclasses.fields(cls)
    defaults: dict[str, Any] = {
        "_record_missing_": _FACTORY_MARK,
        "_record_set_": object.__setattr__,
    }
    signature = []
    lines = ["    _record_dict_ = self.__dict__"] if into_dict else []
    for field in fields:
        name = field.name
        if field.default is not dataclasses.MISSING:
            defaults[f"_record_default_{name}"] = field.default
            signature.append(f"{name}=_record_default_{name}")
        elif field.default_factory is not dataclasses.MISSING:
            defaults[f"_record_factory_{name}"] = field.default_factory
            signature.append(f"{name}=_record_missing_")
            lines.append(
                f"    if {name} is _record_missing_:\n        {name} = _record_factory_{name}()"
            )
        else:
            signature.append(name)
        if into_dict:
            lines.append(f"    _record_dict_[{name!r}] = {name}")
        else:
            lines.append(f"    _record_set_(self, {name!r}, {name})")
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    source = [f"def __init__(self, {', '.join(signature)}):", *(lines or ["    pass"])]
    compared = [f.name for f in fields if f.compare]
    hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
    mine, theirs = _as_tuple("self", compared), _as_tuple("other", compared)
    comparisons = [("__eq__", "=="), *(_ORDER if order else ())]
    for name, operator in comparisons:
        source += [
            f"def {name}(self, other):",
            "    if other.__class__ is self.__class__:",
            f"        return {mine} {operator} {theirs}",
            "    return NotImplemented",
        ]
    source += ["def __hash__(self):", f"    return hash({_as_tuple('self', hashed)})"]
    wanted = ["__init__", "__hash__", *(name for name, _ in comparisons)]
    namespace: dict[str, Any] = {}
    exec("\n".join(source) + "\n", defaults, namespace)
    methods = [namespace[name] for name in wanted]
    for method in methods:
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        method.__module__ = cls.__module__
    methods[0].__annotations__ = {field.name: field.type for field in fields}
    methods[0].__annotations__["return"] = None
    return methods


def _as_tuple(obj: str, names: list[str]) -> str:
    """Source text of the tuple of these attributes of ``obj`` (``()`` for none)."""
    return "(" + "".join(f"{obj}.{name}," for name in names) + ")"
