"""``TypeTransformer``: how users and plugins teach the engine a new Python type.

A transformer says which hints it handles (an exact ``python_type``, or a ``matches``
predicate), which ``LiteralType`` they have, and how values convert both ways. Register an
instance on an engine with ``engine.register(MyTransformer())``, or ship it in the entry-point
group ``compile_tasks.transformers`` (see ``docs/types.md``)::

    class MoneyTransformer(TypeTransformer):
        name = "Money"
        python_type = Money

        def get_literal_type(self, hint):
            return types_pb2.LiteralType(simple=types_pb2.SimpleType.STRING)

        def to_literal(self, value, hint, engine):
            return literals_pb2.Literal(scalar=literals_pb2.Scalar(
                primitive=literals_pb2.Primitive(string_value=str(value))))

        def to_python(self, literal, hint, engine):
            return Money(literal.scalar.primitive.string_value)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pragma: no cover - typing only, avoids an import cycle with engine.py
    from flyteidl.core import literals_pb2, types_pb2

__all__ = ["TypeTransformer"]


class TypeTransformer:
    """Base class of user and plugin transformers.

    Attributes:
        name: The transformer's name; it becomes the union ``structure.tag`` of its types.
        python_type: The exact class this transformer handles (looked up before predicates),
            or ``None`` when ``matches`` decides.
    """

    name: ClassVar[str] = ""
    python_type: ClassVar[Any] = None

    def matches(self, hint: Any) -> bool:
        """Whether this transformer handles ``hint`` (checked after exact-type lookups).

        The default handles subclasses of ``python_type``.
        """
        return (
            isinstance(hint, type)
            and isinstance(self.python_type, type)
            and issubclass(hint, self.python_type)
        )

    def get_literal_type(self, hint: Any) -> types_pb2.LiteralType:
        """The literal type of ``hint``. Computed once per hint (the engine memoises it)."""
        raise NotImplementedError(f"{type(self).__name__}.get_literal_type")

    def to_literal(self, value: Any, hint: Any, engine: Any) -> literals_pb2.Literal:
        """Convert a Python value of type ``hint`` to a literal."""
        raise NotImplementedError(f"{type(self).__name__}.to_literal")

    def to_python(self, literal: literals_pb2.Literal, hint: Any, engine: Any) -> Any:
        """Convert a literal back to a Python value of type ``hint``."""
        raise NotImplementedError(f"{type(self).__name__}.to_python")

    def json_schema(self, hint: Any) -> dict[str, Any] | None:
        """The JSON schema of ``hint`` when it is a dataclass field (``None``: unknown, and the
        enclosing dataclass then gets no ``metadata``, as flytekit does)."""
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
