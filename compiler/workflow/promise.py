"""Promises: the values a workflow body handles instead of real data.

A :class:`Promise` stands for a workflow input or one output of a node, possibly narrowed by
attribute and index access (``batch.source``, ``pair[0]``, ``mapping["k"]``): the binding then
carries an ``attr_path``. A promise has no value while the body runs, so using it as a Python
``bool``, in arithmetic or in a comparison is a compile-time error (CT904) pointing at
``conditional``. A node without outputs gives a :class:`VoidPromise`, which only orders nodes
(``a >> b``).
"""

from __future__ import annotations

import dataclasses
import operator
import typing
from typing import Any

from flyteidl.core import condition_pb2

from compiler.errors import WorkflowError
from compiler.memo import cached
from compiler.sdk import caller_location

__all__ = [
    "CONDITIONAL_HINT",
    "NodeOutputs",
    "Promise",
    "VoidPromise",
    "node_outputs",
    "node_result",
    "promise_error",
]


def promise_error(owner: Any, message: str, code: str, hint: str, **kwargs: Any) -> WorkflowError:
    """A ``WorkflowError`` at the user's line, naming the workflow being defined."""
    location, _ = caller_location()
    return WorkflowError(
        message,
        code=code,
        hint=hint,
        location=location,
        workflow=getattr(owner, "name", None),
        **kwargs,
    )


CONDITIONAL_HINT = (
    "a promise has no value while the workflow is defined; branch with "
    'conditional("name").if_(p > 3).then(...).else_().then(...), or decide inside a task'
)


def _field_hint(hint: Any, key: str | int, owner: Any) -> Any:
    """The type of ``hint``'s attribute or item ``key`` (CT905 when there is none)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if isinstance(key, str) and dataclasses.is_dataclass(hint) and isinstance(hint, type):
        fields = typing.get_type_hints(hint, include_extras=True)
        if key in fields:
            return fields[key]
    elif isinstance(key, int) and origin is list and args:
        return args[0]
    elif isinstance(key, str) and origin is dict and len(args) == 2:
        return args[1]
    raise promise_error(
        owner,
        f"a promise of type {getattr(hint, '__name__', hint)!r} has no attribute or item {key!r}",
        "CT905",
        "access fields of dataclasses, indices of lists and string keys of dicts",
    )


#: Comparison operator name -> ``ComparisonExpression.Operator`` value.
_OPERATORS = dict(condition_pb2.ComparisonExpression.Operator.items())


class _Ordering:
    """``a >> b``: ``b`` runs after ``a`` (no data passes)."""

    def _ordered_node(self) -> Any:
        raise NotImplementedError

    def __rshift__(self, other: Any) -> Any:
        node = node_result(other)
        before = self._ordered_node()
        if node is None or before is None:
            raise promise_error(
                getattr(node or before, "builder", None),
                "'>>' orders two node results of the same workflow",
                "CT906",
                "write a >> b where a and b are results of task or sub-workflow calls",
            )
        node.run_after(before)
        return other


def node_result(value: Any) -> Any:
    """The node whose call returned ``value`` (``None`` for anything else)."""
    if isinstance(value, _Ordering) or hasattr(type(value), "_ordered_node"):
        return value._ordered_node()
    return None


class Promise(_Ordering):
    """A workflow input (``node is None``) or a node output, maybe narrowed by ``attr_path``.

    Attributes:
        builder: The workflow being defined that the promise belongs to.
        node: The node producing it, ``None`` for a workflow input.
        var: The input or output name.
        hint: The Python type of the value (after ``attr_path``).
        attr_path: Attribute names and indices applied to the output.
    """

    __slots__ = ("attr_path", "builder", "hint", "node", "var")

    def __init__(
        self,
        builder: Any,
        node: Any,
        var: str,
        hint: Any,
        attr_path: tuple[str | int, ...] = (),
    ) -> None:
        self.builder = builder
        self.node = node
        self.var = var
        self.hint = hint
        self.attr_path = attr_path

    @property
    def node_id(self) -> str:
        """The producing node's id, ``""`` for a workflow input."""
        return "" if self.node is None else self.node.id

    def _ordered_node(self) -> Any:
        return self.node

    def _narrow(self, key: str | int) -> Promise:
        hint = _field_hint(self.hint, key, self.builder)
        return Promise(self.builder, self.node, self.var, hint, (*self.attr_path, key))

    def __getattr__(self, name: str) -> Promise:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._narrow(name)

    def __getitem__(self, key: str | int) -> Promise:
        return self._narrow(key)

    def with_overrides(self, **overrides: Any) -> Promise:
        """Change the producing node (see ``Node.with_overrides``); returns this promise."""
        if self.node is None:
            raise promise_error(
                self.builder,
                "with_overrides() on a workflow input",
                "CT906",
                "call with_overrides on the result of a task call",
            )
        self.node.with_overrides(**overrides)
        return self

    def __repr__(self) -> str:
        path = "".join(f".{k}" if isinstance(k, str) else f"[{k}]" for k in self.attr_path)
        return f"Promise({self.node_id or 'input'}.{self.var}{path})"

    def _refuse(self, *_: Any) -> Any:
        raise promise_error(
            self.builder,
            f"{self!r} is used as a Python value (truth test, arithmetic or comparison)",
            "CT904",
            CONDITIONAL_HINT,
        )

    def __iter__(self) -> Any:
        raise promise_error(
            self.builder,
            f"{self!r} is one value and cannot be unpacked or iterated",
            "CT907",
            "unpack only as many names as the entity has outputs",
        )

    def _compare(self, op: str, other: Any) -> Any:
        from compiler.workflow.condition import compare

        return compare(self, _OPERATORS[op], other)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self._compare("EQ", other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self._compare("NEQ", other)

    def __gt__(self, other: Any) -> Any:
        return self._compare("GT", other)

    def __ge__(self, other: Any) -> Any:
        return self._compare("GTE", other)

    def __lt__(self, other: Any) -> Any:
        return self._compare("LT", other)

    def __le__(self, other: Any) -> Any:
        return self._compare("LTE", other)

    __hash__ = object.__hash__

    def is_true(self) -> Any:
        """The condition ``self == True`` (for a ``bool`` promise)."""
        return self._compare("EQ", True)

    def is_false(self) -> Any:
        """The condition ``self == False`` (for a ``bool`` promise)."""
        return self._compare("EQ", False)

    def is_none(self) -> Any:
        """The condition ``self is None`` (for an ``Optional`` promise)."""
        return self._compare("EQ", None)

    __bool__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _refuse
    __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = __invert__ = _refuse
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = _refuse
    __int__ = __float__ = __index__ = __len__ = _refuse


class VoidPromise(_Ordering):
    """The result of calling an entity without outputs: it only orders nodes."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node

    def _ordered_node(self) -> Any:
        return self.node

    def with_overrides(self, **overrides: Any) -> VoidPromise:
        """Change the node (see ``Node.with_overrides``)."""
        self.node.with_overrides(**overrides)
        return self

    def __repr__(self) -> str:
        return f"VoidPromise({self.node.id})"


class _TupleOrdering(_Ordering):
    """``>>`` and ``with_overrides`` for a tuple of one node's promises."""

    def _ordered_node(self) -> Any:
        return self[0].node if self else None  # type: ignore[index]

    def with_overrides(self, **overrides: Any) -> Any:
        """Change the node (see ``Node.with_overrides``)."""
        self[0].node.with_overrides(**overrides)  # type: ignore[index]
        return self


class NodeOutputs(tuple, _TupleOrdering):  # type: ignore[type-arg]
    """The promises of a node with several outputs."""


class NamedOutputs(NodeOutputs):
    """The promises of a node whose outputs are a ``NamedTuple``: what a ``namedtuple`` class of
    its name would hold (attributes by field name, ``_fields``, ``_asdict``, ``_replace``,
    ``_make``, its ``repr``), without compiling a class per name (a ``namedtuple`` class was
    most of what a workflow's first call of a task in a module cost)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __repr__(self) -> str:
        pairs = zip(self._fields, self, strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in pairs)
        return f"{type(self).__name__}({shown})"

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))

    @classmethod
    def _make(cls, iterable: Any) -> Any:
        made = cls(iterable)
        if len(made) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(made)}")
        return made

    def _replace(self, **changes: Any) -> Any:
        made = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return made

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)


@cached("workflow.named_outputs_class", maxsize=None)
def _named_outputs_class(name: str, fields: tuple[str, ...]) -> type:
    namespace: dict[str, Any] = {"__slots__": (), "_fields": fields, "__match_args__": fields}
    for index, field in enumerate(fields):
        namespace[field] = property(
            operator.itemgetter(index), doc=f"Alias for field number {index}"
        )
    return type(name, (NamedOutputs,), namespace)


def node_outputs(promises: list[Promise], tuple_name: str | None) -> Any:
    """What a call returns: ``VoidPromise`` handled by the caller; one promise; a tuple."""
    if len(promises) == 1 and tuple_name is None:
        return promises[0]
    if tuple_name:
        cls = _named_outputs_class(tuple_name, tuple(p.var for p in promises))
        return cls(promises)
    return NodeOutputs(promises)
