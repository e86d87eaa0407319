"""``conditional("name").if_(...).then(...).elif_(...).then(...).else_().then(...)``.

A conditional becomes one branch node of the workflow. Calls made inside it (between ``if_`` /
``elif_`` / ``else_`` and ``then``) are numbered ``n0``, ``n1``, ... across its cases, as
flytekit writes them (a nested conditional counts as one node of the outer one). Each case
runs exactly one node (a task, a sub-workflow or a nested conditional) or fails with a
message; what the cases return becomes the branch node's outputs, which later calls can bind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flyteidl.core import literals_pb2

from compiler.errors import SourceLocation, WorkflowError
from compiler.sdk import active_builder, caller_location
from compiler.workflow.bindings import binding_data
from compiler.workflow.condition import Expression, branch_var
from compiler.workflow.promise import (
    Promise,
    VoidPromise,
    node_outputs,
    node_result,
    promise_error,
)

__all__ = ["BranchNode", "Case", "Condition", "ConditionalSection", "conditional"]


@dataclass
class BranchCase:
    """One case of a branch node: its condition (``None`` for else) and its node or error."""

    expr: Expression | None
    node: Any = None
    error: str | None = None


class BranchNode:
    """The node a finished conditional becomes.

    Attributes:
        id: The node id (``n0``, ``n1``, ... among its siblings).
        name: The conditional's name (``NodeMetadata.name``).
        cases: The cases in order; the last one has ``expr is None`` (the else).
        bindings: ``node_id.var`` -> binding of every promise the conditions read.
        inputs: ``node_id.var`` -> that promise (for local runs).
        upstream: The nodes whose outputs the conditions read.
        output_types: Output name -> type, from the first case that runs a node.
        location: The line of the ``conditional(...)`` call.
    """

    def __init__(self, section: ConditionalSection, node_id: str) -> None:
        self.builder = section.builder
        self.id = node_id
        self.name = section.name
        self.location = section.location
        self.cases = section.cases
        self.bindings: dict[str, literals_pb2.BindingData] = {}
        self.inputs: dict[str, Promise] = {}
        self.upstream: list[Any] = []
        for case in self.cases:
            for promise in case.expr.promises() if case.expr is not None else ():
                var = branch_var(promise)
                seen = self.inputs.get(var)
                if seen is not None and seen.attr_path != promise.attr_path:
                    raise promise_error(
                        self.builder,
                        f"conditional {self.name!r} reads {seen!r} and {promise!r}: the branch "
                        f"node names both {var!r}, so the cluster would read the first for both",
                        "CT922",
                        "compare one field per output in a conditional, or extract the other "
                        "field with a task first",
                        node=self.name,
                    )
                if var not in self.bindings:
                    self.bindings[var] = binding_data(promise, promise.hint, self.builder)
                    self.inputs[var] = promise
                if promise.node is not None and promise.node not in self.upstream:
                    self.upstream.append(promise.node)
        self.output_types: dict[str, Any] = {}
        self.output_tuple_name: str | None = None
        first = next((c.node for c in self.cases if c.node is not None), None)
        if first is not None:
            self.output_types = dict(first.output_types)
            self.output_tuple_name = first.output_tuple_name

    def run_after(self, other: Any) -> None:
        """Order this node after ``other`` (``other >> self``)."""
        if other is not self and other not in self.upstream:
            self.upstream.append(other)

    def inner_nodes(self) -> list[Any]:
        """The nodes the cases run (not nested deeper)."""
        return [case.node for case in self.cases if case.node is not None]

    def with_overrides(self, **overrides: Any) -> BranchNode:
        """Branch nodes take no overrides (CT910)."""
        raise promise_error(
            self.builder,
            f"with_overrides() on the conditional {self.name!r}",
            "CT910",
            "override the nodes inside the cases instead",
            node=self.id,
        )

    def __repr__(self) -> str:
        return f"BranchNode({self.id}: {self.name})"


def _section_error(section: ConditionalSection, message: str, hint: str) -> WorkflowError:
    return promise_error(section.builder, message, "CT914", hint, node=section.name)


class Case:
    """A case being written: ``then(result)`` or ``fail(message)`` ends it."""

    def __init__(self, section: ConditionalSection, expr: Expression | None) -> None:
        self._section = section
        self._expr = expr
        self._start = len(section.scope.nodes)

    def then(self, result: Any) -> Any:
        """Run the node that produced ``result`` when the case holds."""
        section = self._section
        node = node_result(result)
        made = section.scope.nodes[self._start :]
        if node is None or node not in made:
            raise _section_error(
                section,
                f"then() of conditional {section.name!r} got {result!r}",
                "pass the result of a task, workflow or conditional called inside the case: "
                ".then(t(x=x))",
            )
        if len(made) != 1:
            raise _section_error(
                section,
                f"a case of conditional {section.name!r} calls {len(made)} entities",
                "a case runs exactly one node: call one task, or move the calls into a "
                "sub-workflow",
            )
        return section.end_case(BranchCase(self._expr, node=node))

    def fail(self, message: str) -> Any:
        """Fail the workflow with ``message`` when the case holds."""
        section = self._section
        if not isinstance(message, str):
            raise _section_error(
                section,
                f"fail() of conditional {section.name!r} needs a str message, got {message!r}",
                'write .fail("why the workflow stops")',
            )
        if self._expr is not None:
            raise _section_error(
                section,
                f"fail() on a case of conditional {section.name!r} that has a condition",
                'only the last case fails: .else_().fail("message")',
            )
        if len(section.scope.nodes) != self._start:
            raise _section_error(
                section,
                f"a failing case of conditional {section.name!r} calls an entity",
                "a case either calls one entity (then) or fails (fail), not both",
            )
        return section.end_case(BranchCase(self._expr, error=message))


class Condition:
    """A conditional after a ``then`` that was not the last: ``elif_`` or ``else_`` follows.

    It is not a value: binding it, or ending the workflow with it, is CT913.
    """

    #: Tells the binding code this is a conditional that has no value yet.
    unfinished_conditional = True

    def __init__(self, section: ConditionalSection) -> None:
        self.section = section

    def elif_(self, expr: Any) -> Case:
        """Another case, tried when the earlier ones do not hold."""
        return self.section.new_case(expr)

    def else_(self) -> Case:
        """The last case, taken when no other holds."""
        return self.section.new_case(None)

    def __repr__(self) -> str:
        return f"conditional({self.section.name!r}) without else_()"


class ConditionalSection:
    """A conditional being written inside a workflow body.

    Args:
        name: The branch node's name.
    """

    def __init__(self, name: str) -> None:
        location = caller_location()[0] or SourceLocation("<unknown>")
        builder = active_builder()
        if not hasattr(builder, "open_scope"):
            raise WorkflowError(
                f"conditional({name!r}) outside a workflow body",
                code="CT917",
                hint="write conditionals inside an @workflow function",
                location=location,
            )
        if not isinstance(name, str) or not name:
            raise promise_error(
                builder,
                f"conditional() needs a non-empty str name, got {name!r}",
                "CT914",
                'write conditional("is_large")',
            )
        self.builder: Any = builder
        self.name = name
        self.location = location
        self.cases: list[BranchCase] = []
        self.finished = False
        self.reported = False
        self.scope = builder.open_scope(self)

    def if_(self, expr: Any) -> Case:
        """The first case."""
        if self.cases:
            raise _section_error(
                self, f"if_() twice on conditional {self.name!r}", "use elif_() after then()"
            )
        return self.new_case(expr)

    def new_case(self, expr: Any) -> Case:
        """A case with condition ``expr`` (``None``: the else)."""
        if self.finished:
            raise _section_error(
                self,
                f"conditional {self.name!r} already ended with its else_()",
                "start a new conditional(...)",
            )
        if expr is not None and not isinstance(expr, Expression):
            hint = "compare promises: .if_(n > 3), .if_(flag.is_true()), (a > 1) & (b < 2)"
            raise _section_error(self, f"{expr!r} is not a condition", hint)
        if expr is None:
            self.finished = True
        return Case(self, expr)

    def end_case(self, case: BranchCase) -> Any:
        """Keep ``case``; after the else, the branch node's outputs, else a :class:`Condition`."""
        self.cases.append(case)
        if not self.finished:
            return Condition(self)
        self._check_outputs()
        node = self.builder.close_scope(self, lambda node_id: BranchNode(self, node_id))
        if not node.output_types:
            return VoidPromise(node)
        promises = [
            Promise(self.builder, node, var, hint) for var, hint in node.output_types.items()
        ]
        return node_outputs(promises, node.output_tuple_name)

    def _check_outputs(self) -> None:
        shapes: list[str] = []
        for case in self.cases:
            if case.node is not None:
                shape = ", ".join(
                    f"{k}: {_type_name(v)}" for k, v in case.node.output_types.items()
                )
                if shape not in shapes:
                    shapes.append(shape)
        if len(shapes) > 1:
            raise promise_error(
                self.builder,
                f"the cases of conditional {self.name!r} return different outputs: "
                + " vs ".join(f"({shape})" for shape in shapes),
                "CT916",
                "make every case call an entity with the same output names and types",
                node=self.name,
            )


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def conditional(name: str) -> ConditionalSection:
    """Start a conditional named ``name`` inside a workflow body."""
    return ConditionalSection(name)
