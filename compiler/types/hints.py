"""Resolving the annotations of a class, as ``typing.get_type_hints(cls)`` does, but cheaper.

``get_type_hints`` compiles every string annotation anew (``from __future__ import annotations``
makes them all strings) and wraps each in a ``ForwardRef``; for a package with a dataclass and
a NamedTuple per module that was a visible share of the compile. :func:`class_hints` takes a
fast path for the usual class (annotations only on the class itself, each evaluating to a class
or to a generic alias of classes) and evaluates each annotation exactly as ``get_type_hints``
does: the code compiled once per string (:func:`compiled_annotation`), evaluated with the
module's namespace looked up first, then the class's. Anything else (inherited annotations,
forward references left in the result, ``Annotated`` when extras are stripped, special forms,
evaluation errors) goes to ``typing.get_type_hints``, which then gives the answer (or the
error). ``tests/types/test_hints.py`` checks both paths against ``get_type_hints``.
"""

from __future__ import annotations

import sys
import types
import typing
from typing import Any

from compiler.memo import cached

__all__ = ["class_hints", "compiled_annotation"]

#: Classes ``typing`` refuses as an annotation on their own.
_REFUSED_CLASSES = (typing.Generic, typing.Protocol)
#: Special forms that may be the origin of an annotation ``get_type_hints`` returns unchanged.
_PLAIN_FORMS = (typing.Union, typing.Literal, typing.Annotated, typing.ClassVar, typing.Final)
#: Forms allowed at the top of a class's own annotation only.
_SPECIAL_FORMS = (typing.ClassVar, typing.Final)


@cached("types.annotation_code", maxsize=4096)
def compiled_annotation(annotation: str) -> types.CodeType:
    """The code of a string annotation, compiled once per process."""
    return compile(annotation, "<annotation>", "eval")


def _plain(hint: Any, extras: bool, special: bool = True) -> bool:
    """Whether ``get_type_hints`` returns ``hint`` as it is (equal to it).

    ``special``: whether ``ClassVar`` and ``Final`` are allowed at the top (they are in a
    class's own annotations, not in a ``ForwardRef`` made without ``is_class``).
    """
    if isinstance(hint, type):
        return hint not in _REFUSED_CLASSES
    args = getattr(hint, "__args__", None)
    if not isinstance(args, tuple):
        return False
    if not extras and hasattr(hint, "__metadata__"):
        return False  # Annotated: stripped without extras
    origin = typing.get_origin(hint)
    if not (isinstance(origin, type) or origin in _PLAIN_FORMS) or origin in _REFUSED_CLASSES:
        return False
    if not special and origin in _SPECIAL_FORMS:
        return False
    if origin is typing.Literal:
        return True  # its arguments are values
    return all(arg is Ellipsis or _plain(arg, extras) for arg in args)


def _evaluated(value: Any, class_namespace: dict[str, Any], module: Any) -> tuple[Any, bool]:
    """``(value evaluated, special forms allowed)``, as ``get_type_hints`` evaluates it.

    Raises:
        Exception: When the annotation cannot be evaluated here (the caller falls back).
    """
    if value is None:
        return type(None), True
    if isinstance(value, str):
        if value.startswith("*"):
            raise ValueError(value)
        return eval(compiled_annotation(value), class_namespace, vars(module)), True
    if isinstance(value, typing.ForwardRef):  # NamedTuple stores string annotations so
        arg = value.__forward_arg__
        if arg.startswith("*"):
            raise ValueError(arg)
        owner = value.__forward_module__
        namespace = vars(sys.modules[owner]) if owner is not None else class_namespace
        code = compiled_annotation(arg)
        return eval(code, namespace, vars(module)), value.__forward_is_class__
    return value, True


def _fast_class_hints(cls: type, extras: bool) -> dict[str, Any] | None:
    if any("__annotations__" in vars(base) for base in cls.__mro__[1:]):
        return None
    module = sys.modules.get(cls.__module__)
    annotations = vars(cls).get("__annotations__", {})
    if module is None or type(annotations) is not dict:
        return None
    if not annotations:
        return {}
    # ``get_type_hints`` evaluates a class's annotations with the module's namespace as the
    # locals (looked up first) and a copy of the class's namespace as the globals.
    class_namespace = dict(vars(cls))
    hints: dict[str, Any] = {}
    for name, value in annotations.items():
        try:
            value, special = _evaluated(value, class_namespace, module)
        except Exception:
            return None
        if not _plain(value, extras, special):
            return None
        hints[name] = value
    return hints


def class_hints(cls: type, *, include_extras: bool = False) -> dict[str, Any]:
    """``typing.get_type_hints(cls, include_extras=include_extras)``: the same hints.

    Raises:
        Exception: Whatever ``get_type_hints`` raises for an annotation it cannot resolve.
    """
    fast = _fast_class_hints(cls, include_extras)
    if fast is not None:
        return fast
    return typing.get_type_hints(cls, include_extras=include_extras)
