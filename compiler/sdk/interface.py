"""The Python interface of a task: ordered inputs, outputs, defaults and descriptions.

Type hints are read at definition time (cheap); docstrings are parsed on first access of a
description (``docstring_parser`` is not imported by ``import compiler``).
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import inspect
import keyword
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from compiler.errors import DefinitionError
from compiler.memo import cached, cached_attribute
from compiler.types import class_hints, compiled_annotation

__all__ = ["Interface", "interface_from_function", "interface_from_types", "load_docstring_module"]


@cached("sdk.docstring_module", maxsize=None)
def load_docstring_module() -> types.ModuleType:
    """``compiler.sdk.docstring``, imported on first use.

    Importing it here rather than at top level is deliberate: it pulls in ``docstring_parser``,
    which ``import compiler`` must not pay for (docs/ARCHITECTURE.md, import-time budget).
    """
    return importlib.import_module("compiler.sdk.docstring")


class Interface:
    """Inputs and outputs of a task, as Python type hints.

    Attributes:
        inputs: Input name -> hint (``include_extras=True``), in parameter order.
        outputs: Output name -> hint: ``o0``, ``o1``, ... or the NamedTuple's field names.
        defaults: Input name -> default value, for inputs that have one.
        output_tuple_name: The NamedTuple class name when the return type was one.
        docstring: The raw docstring the descriptions come from (``None`` for class tasks).
    """

    def __init__(
        self,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        *,
        defaults: Mapping[str, Any] | None = None,
        output_tuple_name: str | None = None,
        docstring: str | None = None,
    ) -> None:
        self.inputs: dict[str, Any] = dict(inputs or {})
        self.outputs: dict[str, Any] = dict(outputs or {})
        self.defaults: dict[str, Any] = dict(defaults or {})
        self.output_tuple_name = output_tuple_name
        self.docstring = docstring

    @cached_attribute
    def parsed_docstring(self) -> Any:
        """The parsed docstring (``compiler.sdk.docstring.ParsedDocstring``)."""
        return load_docstring_module().parse_docstring(self.docstring)

    @cached_attribute
    def input_descriptions(self) -> dict[str, str]:
        """Every input -> its documented text, or its own name when undocumented."""
        if not self.docstring:  # what an empty parse gives, without asking for one
            return {name: name for name in self.inputs}
        params = self.parsed_docstring.params
        return {name: params.get(name, name) for name in self.inputs}

    @cached_attribute
    def output_descriptions(self) -> dict[str, str]:
        """Every output -> its documented text, or its own name when undocumented."""
        if not self.docstring:
            return {name: name for name in self.outputs}
        return load_docstring_module().describe_outputs(self.parsed_docstring, self.outputs)

    def __repr__(self) -> str:
        return f"Interface(inputs={self.inputs!r}, outputs={self.outputs!r})"


def interface_from_types(
    inputs: Mapping[str, Any] | None, outputs: Mapping[str, Any] | None
) -> Interface:
    """The interface of a class-instantiated task (``inputs=kwtypes(...)``)."""
    return Interface(inputs, outputs)


def _is_named_tuple(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def _error(message: str, code: str, param: str | None, hint: str) -> DefinitionError:
    return DefinitionError(message, code=code, param=param, hint=hint)


_FORWARD_REF_TYPES = (str, typing.ForwardRef)
#: ``Py_TPFLAGS_IMMUTABLETYPE``: no attribute can be set on such a class.
_IMMUTABLE_TYPE = 1 << 8
#: Built-in classes that are hints on their own. Being immutable types (checked, in case a
#: pure-Python fallback module is in use), they cannot gain an ``__args__``, so they can never
#: hold a forward reference.
_PLAIN_BUILTINS = frozenset(
    cls
    for cls in (
        *(int, float, str, bool, bytes, complex, type(None)),
        *(datetime.datetime, datetime.date, datetime.timedelta, datetime.time, decimal.Decimal),
    )
    if cls.__flags__ & _IMMUTABLE_TYPE and not hasattr(cls, "__args__")
)


def _has_forward_ref(hint: Any) -> bool:
    if type(hint) is type and hint in _PLAIN_BUILTINS:
        return False
    if type(hint) is types.GenericAlias:
        # ``list[int]``, ``dict[str, X]``: a class's alias, never a Literal, always with a tuple
        # of arguments (the ``get_origin`` call below is a third of the check).
        args = hint.__args__
    else:
        if isinstance(hint, _FORWARD_REF_TYPES):
            return True
        # ``__args__`` first: most hints are plain classes without it, and ``get_origin`` is
        # only needed to skip a Literal's arguments (values, not hints).
        args = getattr(hint, "__args__", None)
        if not isinstance(args, tuple) or typing.get_origin(hint) is typing.Literal:
            return False
    # A loop rather than ``any(<generator>)``: this runs for every hint of every task.
    for arg in args:  # noqa: SIM110
        if _has_forward_ref(arg):
            return True
    return False


def _fast_hints(func: Callable[..., Any]) -> dict[str, Any] | None:
    """The hints of a plain function, compiling each annotation string once per process.

    ``typing.get_type_hints`` compiles every string annotation anew (``from __future__ import
    annotations`` makes them all strings); in a package of thousands of tasks that was a
    noticeable share of the compile. Anything unusual (wrapped functions, nested forward
    references, evaluation errors) returns ``None`` and takes the ``get_type_hints`` path.
    """
    if hasattr(func, "__wrapped__") or not isinstance(func, types.FunctionType):
        return None
    hints: dict[str, Any] = {}
    for name, annotation in func.__annotations__.items():
        if isinstance(annotation, str):
            try:
                annotation = eval(compiled_annotation(annotation), func.__globals__)
            except Exception:
                return None
        if annotation is None:
            annotation = type(None)
        if _has_forward_ref(annotation):
            return None
        hints[name] = annotation
    return hints


def _resolve_hints(func: Callable[..., Any]) -> dict[str, Any]:
    """``get_type_hints(include_extras=True)``, with an error naming an unresolvable hint."""
    fast = _fast_hints(func)
    if fast is not None:
        return fast
    try:
        return typing.get_type_hints(func, include_extras=True)
    except Exception as exc:  # NameError, or anything a user annotation raises on evaluation
        cause = exc
    globalns = getattr(func, "__globals__", {})
    for name, annotation in getattr(func, "__annotations__", {}).items():
        probe = types.SimpleNamespace(__annotations__={name: annotation})
        try:
            typing.get_type_hints(probe, globalns=globalns, include_extras=True)
        except Exception as exc:
            kind = "output" if name == "return" else "input"
            raise DefinitionError(
                f"the type hint {annotation!r} cannot be resolved: {exc}",
                code="CT103",
                param=None if name == "return" else name,
                param_kind=kind,
                hint="import the type at module level (forward references resolve in the "
                "module's globals, not in a function's locals)",
            ) from None
    raise _error(f"the type hints cannot be resolved: {cause}", "CT103", None, "check the hints")


def _outputs(return_hint: Any) -> tuple[dict[str, Any], str | None]:
    if type(return_hint) is tuple:  # `-> (int, str)`: one output per item, as in flytekit
        return_hint = tuple[return_hint] if return_hint else tuple[()]
    if return_hint is inspect.Signature.empty or return_hint is None or return_hint is type(None):
        return {}, None
    if type(return_hint) is type and not issubclass(return_hint, tuple):
        # A plain class that is not a tuple: neither a NamedTuple nor ``tuple[...]`` (whose
        # origin is tuple); ``get_origin`` of a class is ``None`` (``Generic`` aside).
        return {"o0": return_hint}, None
    if _is_named_tuple(return_hint):
        fields = class_hints(return_hint, include_extras=True)
        return {name: fields[name] for name in return_hint._fields}, return_hint.__name__
    if typing.get_origin(return_hint) is tuple:
        args = typing.get_args(return_hint)
        if not args or (len(args) == 2 and args[1] is Ellipsis) or args == ((),):
            raise _error(
                f"return type {return_hint!r} has no fixed number of outputs",
                "CT105",
                None,
                "return Tuple[A, B] with one type per output, or a typing.NamedTuple",
            )
        return {f"o{i}": arg for i, arg in enumerate(args)}, None
    return {"o0": return_hint}, None


#: A parameter as ``inspect.signature`` reports it: name, kind, annotation, default.
Param = tuple[str, Any, Any, Any]

_EMPTY = inspect.Parameter.empty
_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD
_POSITIONAL_ONLY = inspect.Parameter.POSITIONAL_ONLY
_VAR_POSITIONAL = inspect.Parameter.VAR_POSITIONAL
_KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY
_VAR_KEYWORD = inspect.Parameter.VAR_KEYWORD
#: Attributes that make ``inspect.signature`` look past the function's own code object.
_SIGNATURE_OVERRIDES = ("__wrapped__", "__signature__", "_partialmethod", "__text_signature__")
_KEYWORDS = frozenset(keyword.kwlist)


def _code_parameters(func: Callable[..., Any]) -> tuple[list[Param], Any] | None:
    """The parameters and return annotation of a plain function, read from its code object.

    The same facts ``inspect.signature`` derives for a ``def`` (it reads the same code object,
    ``__defaults__``, ``__kwdefaults__`` and ``__annotations__``), at a fraction of the cost:
    no ``Parameter``/``Signature`` objects, no unwrapping. Anything ``inspect.signature`` treats
    specially (wrappers, ``__signature__``, defaults edited to more values than parameters,
    names that are not identifiers) returns ``None`` and takes the ``inspect`` path.
    """
    if type(func) is not types.FunctionType:
        return None
    attrs = func.__dict__
    if attrs and any(name in attrs for name in _SIGNATURE_OVERRIDES):
        return None
    code = func.__code__
    names = code.co_varnames
    pos_count = code.co_argcount
    kwonly_count = code.co_kwonlyargcount
    defaults = func.__defaults__ or ()
    kwdefaults = func.__kwdefaults__ or {}
    first_default = pos_count - len(defaults)
    if first_default < 0:
        return None
    annotations = func.__annotations__
    params: list[Param] = []
    posonly_count = code.co_posonlyargcount
    for index in range(pos_count):
        name = names[index]
        kind = _POSITIONAL_ONLY if index < posonly_count else _POSITIONAL
        default = defaults[index - first_default] if index >= first_default else _EMPTY
        params.append((name, kind, annotations.get(name, _EMPTY), default))
    star_index = pos_count + kwonly_count
    if code.co_flags & inspect.CO_VARARGS:
        name = names[star_index]
        params.append((name, _VAR_POSITIONAL, annotations.get(name, _EMPTY), _EMPTY))
        star_index += 1
    for name in names[pos_count : pos_count + kwonly_count]:
        params.append(
            (name, _KEYWORD_ONLY, annotations.get(name, _EMPTY), kwdefaults.get(name, _EMPTY))
        )
    if code.co_flags & inspect.CO_VARKEYWORDS:
        name = names[star_index]
        params.append((name, _VAR_KEYWORD, annotations.get(name, _EMPTY), _EMPTY))
    for param in params:
        # ``inspect.Parameter`` renames or rejects what is not an identifier.
        if not param[0].isidentifier() or param[0] in _KEYWORDS:
            return None
    return params, annotations.get("return", _EMPTY)


def signature_parameters(func: Callable[..., Any]) -> tuple[list[Param], Any]:
    """``(parameters, return annotation)`` exactly as ``inspect.signature(func)`` gives them."""
    fast = _code_parameters(func)
    if fast is not None:
        return fast
    signature = inspect.signature(func)
    params = [(p.name, p.kind, p.annotation, p.default) for p in signature.parameters.values()]
    return params, signature.return_annotation


def interface_from_function(func: Callable[..., Any]) -> Interface:
    """Read the inputs, outputs and defaults of ``func``.

    Raises:
        DefinitionError: CT101 for a parameter without a type hint, CT102 for ``*args`` /
            ``**kwargs``, CT103 for a hint that cannot be resolved, CT105 for a return type
            without a fixed number of outputs. The caller adds the task and location.
    """
    params, _ = signature_parameters(func)
    for name, kind, annotation, _default in params:
        if kind is _VAR_POSITIONAL or kind is _VAR_KEYWORD:
            star = "*" if kind is _VAR_POSITIONAL else "**"
            raise _error(
                f"tasks cannot take {star}{name}",
                "CT102",
                name,
                "declare every input as a named, annotated parameter",
            )
        if annotation is _EMPTY:
            raise _error(
                "the parameter has no type hint",
                "CT101",
                name,
                f"annotate it, e.g. '{name}: int'",
            )
    hints = _resolve_hints(func)
    return_hint = hints.get("return", inspect.Signature.empty)
    outputs, tuple_name = _outputs(return_hint)
    # Built in place: ``Interface(...)`` would copy the three fresh dicts once more.
    interface = Interface.__new__(Interface)
    interface.inputs = {param[0]: hints[param[0]] for param in params}
    interface.outputs = outputs
    interface.defaults = {param[0]: param[3] for param in params if param[3] is not _EMPTY}
    interface.output_tuple_name = tuple_name
    interface.docstring = func.__doc__
    return interface
