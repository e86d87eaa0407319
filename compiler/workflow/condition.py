"""Boolean expressions over promises: what ``conditional(...).if_(...)`` takes.

Comparing a promise with a constant or another promise (``==``, ``!=``, ``<``, ``<=``, ``>``,
``>=``, or ``is_true()``, ``is_false()``, ``is_none()``) gives a :class:`Comparison`; ``&`` and
``|`` join comparisons into a :class:`Conjunction`. Neither has a truth value while the
workflow is defined (CT904): they are written into a branch node and evaluated at run time (or
by :func:`evaluate` when the workflow runs locally).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import Any

from flyteidl.core import condition_pb2

from compiler.errors import CompileTasksError
from compiler.types import default_engine
from compiler.workflow.promise import CONDITIONAL_HINT, Promise, promise_error

__all__ = [
    "Comparison",
    "Conjunction",
    "Expression",
    "branch_var",
    "compare",
    "evaluate",
    "expression_proto",
]

_Cmp = condition_pb2.ComparisonExpression
_Conj = condition_pb2.ConjunctionExpression

#: Comparison operator -> how a local run evaluates it.
_COMPARE: dict[int, Callable[[Any, Any], bool]] = {
    _Cmp.EQ: operator.eq,
    _Cmp.NEQ: operator.ne,
    _Cmp.GT: operator.gt,
    _Cmp.GTE: operator.ge,
    _Cmp.LT: operator.lt,
    _Cmp.LTE: operator.le,
}


class Expression:
    """A condition of a branch: joined with ``&`` / ``|``, never a Python ``bool``."""

    def promises(self) -> Iterator[Promise]:
        """The promises the condition reads, left to right."""
        raise NotImplementedError

    def __and__(self, other: Any) -> Conjunction:
        return Conjunction(self, _Conj.AND, _expression(other, self))

    def __or__(self, other: Any) -> Conjunction:
        return Conjunction(self, _Conj.OR, _expression(other, self))

    def __bool__(self) -> bool:
        builder = next((p.builder for p in self.promises()), None)
        raise promise_error(
            builder,
            f"{self!r} is used as a Python truth value (if, and, or, not, bool())",
            "CT904",
            CONDITIONAL_HINT + "; join conditions with & and |, not 'and' / 'or'",
        )


def _expression(value: Any, left: Expression) -> Expression:
    if isinstance(value, Expression):
        return value
    builder = next((p.builder for p in left.promises()), None)
    raise promise_error(
        builder,
        f"{value!r} cannot be joined with & or | (only comparisons can)",
        "CT904",
        "write (a > 1) & (b < 2), or p.is_true() for a bool promise",
    )


class Comparison(Expression):
    """``left OP right``: a promise against a constant or another promise."""

    def __init__(self, left: Any, op: int, right: Any) -> None:
        self.left = left
        self.op = op
        self.right = right

    def promises(self) -> Iterator[Promise]:
        for side in (self.left, self.right):
            if isinstance(side, Promise):
                yield side

    def __repr__(self) -> str:
        return f"({self.left!r} {_Cmp.Operator.Name(self.op)} {self.right!r})"


class Conjunction(Expression):
    """``left AND right`` or ``left OR right``."""

    def __init__(self, left: Expression, op: int, right: Expression) -> None:
        self.left = left
        self.op = op
        self.right = right

    def promises(self) -> Iterator[Promise]:
        yield from self.left.promises()
        yield from self.right.promises()

    def __repr__(self) -> str:
        return f"({self.left!r} {_Conj.LogicalOperator.Name(self.op)} {self.right!r})"


def compare(left: Promise, op: int, right: Any) -> Comparison:
    """The comparison ``left OP right`` (``right`` a promise or a constant)."""
    if isinstance(right, Expression):
        raise promise_error(
            left.builder,
            f"{left!r} compared with the condition {right!r}",
            "CT904",
            "compare promises with constants or other promises; join conditions with & and |",
        )
    return Comparison(left, op, right)


def branch_var(promise: Promise) -> str:
    """How a branch node names a promise it reads: ``node_id.var`` (``.var`` for an input)."""
    return f"{promise.node_id}.{promise.var}"


def _operand(value: Any, target: condition_pb2.Operand, builder: Any) -> None:
    if isinstance(value, Promise):
        target.var = branch_var(value)
        return
    if value is None:
        target.scalar.none_type.SetInParent()
        return
    try:
        literal = default_engine().to_literal(value, type(value))
    except CompileTasksError as err:
        raise promise_error(
            builder,
            f"the constant {value!r} of a condition has no literal: {err.message}",
            "CT904",
            "compare with an int, float, str, bool or None",
        ) from None
    if literal.scalar.WhichOneof("value") == "primitive":
        target.primitive.CopyFrom(literal.scalar.primitive)
    else:
        target.scalar.CopyFrom(literal.scalar)


def expression_proto(expr: Expression, target: condition_pb2.BooleanExpression) -> None:
    """Fill ``target`` with ``expr`` as flytekit writes it."""
    if isinstance(expr, Conjunction):
        target.conjunction.operator = expr.op  # type: ignore[assignment]
        expression_proto(expr.left, target.conjunction.left_expression)
        expression_proto(expr.right, target.conjunction.right_expression)
        return
    assert isinstance(expr, Comparison)
    builder = next((p.builder for p in expr.promises()), None)
    target.comparison.operator = expr.op  # type: ignore[assignment]
    _operand(expr.left, target.comparison.left_value, builder)
    _operand(expr.right, target.comparison.right_value, builder)


def evaluate(expr: Expression, value_of: Callable[[Promise], Any]) -> bool:
    """The truth of ``expr`` in a local run, ``value_of`` giving each promise's value."""
    if isinstance(expr, Conjunction):
        if expr.op == _Conj.AND:
            return evaluate(expr.left, value_of) and evaluate(expr.right, value_of)
        return evaluate(expr.left, value_of) or evaluate(expr.right, value_of)
    assert isinstance(expr, Comparison)
    left, right = (value_of(s) if isinstance(s, Promise) else s for s in (expr.left, expr.right))
    if right is None or left is None:
        same = left is right
        return same if expr.op == _Cmp.EQ else not same
    return bool(_COMPARE[expr.op](left, right))
