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

flytekit's shape works too, so a flytekit transformer ports by changing its imports: a
``TypeTransformer[T]`` built with ``super().__init__(name, t)`` that defines
``to_literal(ctx, python_val, python_type, expected)`` and ``to_python_value(ctx, lv,
expected_python_type)`` (``ctx.file_access`` is :class:`~compiler.types.file_access.
FileAccess`), registered with ``TypeEngine.register(MyTransformer())``, building its literals
with the classes of :mod:`compiler.models.literals` / :mod:`compiler.models.types`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

if TYPE_CHECKING:  # pragma: no cover - typing only, avoids an import cycle with engine.py
    from flyteidl.core import literals_pb2, types_pb2

__all__ = ["TypeTransformer"]

T = TypeVar("T")


class TypeTransformer(Generic[T]):
    """Base class of user and plugin transformers.

    Args:
        name: flytekit's constructor argument: the transformer's name (else the class's).
        t: flytekit's constructor argument: the exact type handled (else the class's).
        enable_type_assertions: Whether values are checked to be instances of ``t`` before
            a flytekit-shaped ``to_literal`` is called (flytekit's default: yes).

    Attributes:
        name: The transformer's name; it becomes the union ``structure.tag`` of its types.
        python_type: The exact class this transformer handles (looked up before predicates),
            or ``None`` when ``matches`` decides.
    """

    name: ClassVar[str] = ""
    python_type: ClassVar[Any] = None

    def __init__(
        self, name: str | None = None, t: Any = None, enable_type_assertions: bool = True
    ) -> None:
        if name is not None:
            self.name = name  # type: ignore[misc]
        if t is not None:
            self.python_type = t  # type: ignore[misc]
        self.type_assertions_enabled = enable_type_assertions

    @property
    def flytekit_shaped(self) -> bool:
        """Whether this transformer has flytekit's methods (``to_python_value``), so the engine
        calls ``to_literal(ctx, value, hint, expected)`` and ``to_python_value(ctx, lv, hint)``.
        """
        return type(self).to_python_value is not TypeTransformer.to_python_value

    def assert_type(self, t: Any, v: Any) -> None:
        """flytekit's check before ``to_literal``: ``v`` is an instance of ``t``.

        Raises:
            TypeError: It is not (the engine reports it as CT701).
        """
        if isinstance(t, type) and not isinstance(v, t):
            raise TypeError(f"expected a {t.__name__}, got {type(v).__name__} {v!r:.80}")

    def to_python_value(self, ctx: Any, lv: literals_pb2.Literal, expected_python_type: Any) -> Any:
        """flytekit's reading method: define it (with a four-argument ``to_literal``) to write
        a flytekit-shaped transformer."""
        raise NotImplementedError(f"{type(self).__name__}.to_python_value")

    def guess_python_type(self, literal_type: types_pb2.LiteralType) -> Any:
        """The Python type of a literal type this transformer writes (flytekit's reverse map).

        Raises:
            ValueError: This transformer cannot tell.
        """
        raise ValueError(f"{self!r} cannot guess the Python type of {literal_type}")

    def to_html(self, ctx: Any, python_val: Any, expected_python_type: Any) -> str:
        """An HTML rendering of a value (flytekit's decks); the default is its ``str``."""
        return str(python_val)

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
