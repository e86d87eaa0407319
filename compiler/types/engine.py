"""``TypeEngine``: a registry of type describers, built once and queried with memoisation.

Looking up a hint goes as in flytekit: exact type (user transformers override built-ins), then
user transformers' predicates (latest registration first), then the built-in predicates of
``compiler.types.describe`` in table order, then the base classes of a class (exact lookups),
then dataclasses, then a fallback that raises ``TypeMappingError`` (CT201) -- or, only when
pickling is allowed, gives a pickle blob.

``describe``, ``literal_type_of`` and ``literal_type_bytes`` are memoised per engine, each in a
:class:`compiler.memo.Memo` of its own (``types.engine<N>.describe``, ...; ``N`` numbers the
engines of the process), so ``compiler.memo.clear_all()`` empties them; ``register`` clears
them, and they are emptied when their engine is garbage-collected.

One transformer handles a type: registering a second one for a ``python_type`` that already
has one is refused (CT214) unless ``replace=True``.
"""

from __future__ import annotations

import enum
import functools
import itertools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flyteidl.core import literals_pb2, types_pb2

from compiler.errors import TypeMappingError
from compiler.installed import may_declare_entry_points
from compiler.memo import Memo
from compiler.types.context import DescribeContext, Describer, type_name
from compiler.types.desc import Custom, TypeDesc
from compiler.types.describe import (
    BUILTIN_EXACT,
    BUILTIN_LAST,
    BUILTIN_PREDICATES,
    describe_unknown,
)
from compiler.types.hashing import hash_method_of
from compiler.types.literal_types import build_literal_type
from compiler.types.transformer import TypeTransformer

if TYPE_CHECKING:  # pragma: no cover
    from importlib.metadata import EntryPoint

__all__ = ["ENTRY_POINT_GROUP", "TypeEngine", "default_engine", "load_entry_point_transformers"]

#: Entry-point group through which installed packages contribute transformers.
ENTRY_POINT_GROUP = "compile_tasks.transformers"

#: Numbers the engines of the process, so that each names its memos uniquely.
_ENGINE_NUMBERS = itertools.count(1)


class TypeEngine:
    """Maps Python type hints to descriptions, literal types and literals.

    Args:
        allow_pickle: Default for the ``allow_pickle`` argument of the methods: whether types
            without a transformer become flytekit's pickle blob instead of an error.
    """

    def __init__(self, *, allow_pickle: bool = False) -> None:
        self.allow_pickle = allow_pickle
        self._exact: dict[Any, Describer] = dict(BUILTIN_EXACT)
        #: python_type -> the registered transformer that handles it.
        self._by_type: dict[Any, TypeTransformer] = {}
        #: (transformer, its ``matches`` predicate, describer), the latest registration first.
        self._user_predicates: list[tuple[TypeTransformer, Callable[[Any], bool], Describer]] = []
        prefix = f"types.engine{next(_ENGINE_NUMBERS)}"
        self._descs: Memo[tuple[Any, bool], TypeDesc] = Memo(f"{prefix}.describe")
        self._literal_types: Memo[TypeDesc, types_pb2.LiteralType] = Memo(f"{prefix}.literal_types")
        self._type_bytes: Memo[tuple[Any, bool], bytes] = Memo(f"{prefix}.literal_type_bytes")
        memos = (self._descs, self._literal_types, self._type_bytes)
        # The registry of memos outlives the engine: free what a dead engine had stored.
        weakref.finalize(self, _clear, memos).atexit = False

    # --- registry ---------------------------------------------------------------------------

    def register(self, transformer: TypeTransformer, replace: bool = False) -> None:
        """Add a transformer; it takes precedence over built-ins and earlier registrations.

        Its ``python_type`` (when set) is matched exactly, its ``matches`` predicate after all
        exact lookups. The caches are cleared.

        Args:
            transformer: The transformer to add.
            replace: Whether it may replace the transformer already registered for its
                ``python_type`` (that one is then removed, predicate included). Registering
                the same instance again is always allowed (it moves to the front).

        Raises:
            TypeMappingError: CT214 when another transformer already handles its
                ``python_type`` and ``replace`` is false.
        """
        claimed = transformer.python_type
        if claimed is not None:
            current = self._by_type.get(claimed)
            if current is not None and current is not transformer and not replace:
                raise _already_handled(claimed, current, transformer)
            if current is not None:
                self._user_predicates = [p for p in self._user_predicates if p[0] is not current]
            self._by_type[claimed] = transformer

        def describe_custom(hint: Any, ctx: DescribeContext) -> TypeDesc:
            return Custom(hint, transformer)

        if claimed is not None:
            self._exact[claimed] = describe_custom
        self._user_predicates.insert(0, (transformer, transformer.matches, describe_custom))
        _clear((self._descs, self._literal_types, self._type_bytes))

    def _lookup(self, hint: Any) -> Describer:
        try:
            found = self._exact.get(hint)
        except TypeError:  # unhashable hint, e.g. Annotated[int, FlyteAnnotation({...})]
            found = None
        if found is not None:
            return found
        for _, predicate, describer in self._user_predicates:
            if predicate(hint):
                return describer
        for predicate, describer in BUILTIN_PREDICATES:
            if predicate(hint):
                return describer
        for base in getattr(hint, "__mro__", ())[1:]:  # class MyInt(int) maps like int
            if base in self._exact:
                return self._exact[base]
        for predicate, describer in BUILTIN_LAST:
            if predicate(hint):
                return describer
        return describe_unknown

    # --- descriptions and literal types -----------------------------------------------------

    def describe(self, hint: Any, *, allow_pickle: bool | None = None) -> TypeDesc:
        """The normalised description of ``hint``.

        Raises:
            TypeMappingError: The hint (or a type nested in it) has no literal type; the
                message names the type, callers add task, parameter and location.
        """
        pickle = self.allow_pickle if allow_pickle is None else allow_pickle
        return self._resolve(hint, DescribeContext(self._resolve, pickle))

    def _resolve(self, hint: Any, ctx: DescribeContext) -> TypeDesc:
        key = (_order_key(hint), ctx.allow_pickle)
        try:
            found = self._descs.get(key)
        except TypeError:  # unhashable hints are described every time
            return self._lookup(hint)(hint, ctx)
        if found is None:
            found = self._descs.put(key, self._lookup(hint)(hint, ctx))
        return found

    def literal_type_of(self, desc: TypeDesc) -> types_pb2.LiteralType:
        """The literal type of a description (memoised; do not mutate the returned message)."""
        try:
            found = self._literal_types.get(desc)
        except TypeError:  # a hint kept inside the description is unhashable
            return build_literal_type(desc, self.literal_type_of)
        if found is None:
            found = self._literal_types.put(desc, build_literal_type(desc, self.literal_type_of))
        return found

    def to_literal_type(
        self, hint: Any, *, allow_pickle: bool | None = None
    ) -> types_pb2.LiteralType:
        """The flyteidl ``LiteralType`` of ``hint``, exactly as flytekit 1.16 writes it.

        Returns a fresh copy the caller may modify.

        Raises:
            TypeMappingError: The hint has no literal type (see ``describe``).
        """
        result = types_pb2.LiteralType()
        result.CopyFrom(self.literal_type_of(self.describe(hint, allow_pickle=allow_pickle)))
        return result

    def literal_type_bytes(self, hint: Any, *, allow_pickle: bool | None = None) -> bytes:
        """The deterministic wire bytes of ``to_literal_type(hint)``, memoised per hint.

        Serialization merges these bytes into its messages instead of copying a message per
        variable; bytes are immutable, so sharing them between tasks cannot leak a change.

        Raises:
            TypeMappingError: The hint has no literal type (see ``describe``); never memoised.
        """
        pickle = self.allow_pickle if allow_pickle is None else allow_pickle
        key = (_order_key(hint), pickle)
        try:
            found = self._type_bytes.get(key)
        except TypeError:  # unhashable hints are converted every time
            return self._literal_type_bytes(hint, pickle)
        if found is None:
            found = self._type_bytes.put(key, self._literal_type_bytes(hint, pickle))
        return found

    def _literal_type_bytes(self, hint: Any, allow_pickle: bool) -> bytes:
        literal_type = self.literal_type_of(self.describe(hint, allow_pickle=allow_pickle))
        return literal_type.SerializeToString(deterministic=True)

    # --- values -----------------------------------------------------------------------------

    def to_literal(
        self, value: Any, hint: Any, *, allow_pickle: bool | None = None
    ) -> literals_pb2.Literal:
        """Convert a Python value of type ``hint`` to a flyteidl ``Literal``.

        ``allow_pickle`` defaults to the engine's; to read pickles back, build the engine with
        ``TypeEngine(allow_pickle=True)`` (``values.py`` checks the engine's flag).

        Raises:
            TypeMappingError: The type has no literal type, or the value does not fit it.
        """
        # Imported here on purpose: values.py needs msgpack, which must stay out of
        # `import compiler` (docs/ARCHITECTURE.md); only executing tasks pays for it.
        from compiler.types import values

        desc = self.describe(hint, allow_pickle=allow_pickle)
        literal = values.value_to_literal(self, desc, value)
        hash_method = hash_method_of(hint)
        if hash_method is not None:  # Annotated[T, HashMethod(f)]: f(value) keys caches
            literal.hash = hash_method.calculate(value)
        return literal

    def to_python(
        self, literal: literals_pb2.Literal, hint: Any, *, allow_pickle: bool | None = None
    ) -> Any:
        """Convert a flyteidl ``Literal`` back to a Python value of type ``hint``.

        Raises:
            TypeMappingError: The type has no literal type, or the literal does not fit it.
        """
        from compiler.types import values  # see to_literal: keeps msgpack off the import path

        desc = self.describe(hint, allow_pickle=allow_pickle)
        return values.literal_to_value(self, desc, literal)

    def to_python_value(self, ctx: Any, lv: literals_pb2.Literal, expected_python_type: Any) -> Any:
        """flytekit's name and argument order for ``to_python`` (``ctx`` is unused)."""
        return self.to_python(lv, expected_python_type)

    def __repr__(self) -> str:
        return f"<TypeEngine {len(self._exact)} exact types, {len(self._user_predicates)} plugins>"


class _ClassOrInstance:
    """A method that acts on its engine, or on ``default_engine()`` when called on the class.

    flytekit's ``TypeEngine`` is one class-level registry: ported code calls
    ``TypeEngine.register(t)`` and, inside transformers, ``TypeEngine.to_literal_type(hint)``
    and ``TypeEngine.to_literal(ctx, value, hint, expected)``. The class-level callable is one
    object, so ``TypeEngine.to_literal_type is TypeEngine.to_literal_type``.
    """

    def __init__(self, method: Callable[..., Any], on_class: Callable[..., Any]) -> None:
        self._method = method
        self._on_class = on_class
        self.__doc__ = method.__doc__

    def __get__(self, obj: Any, owner: Any = None) -> Callable[..., Any]:
        if obj is None:
            return self._on_class
        return self._method.__get__(obj, owner)


def _on_default(name: str, call: Callable[..., Any]) -> None:
    call.__name__ = call.__qualname__ = f"TypeEngine.{name}"
    call.__doc__ = f"``default_engine().{name}``, flytekit's class-level call."
    setattr(TypeEngine, name, _ClassOrInstance(TypeEngine.__dict__[name], call))


_on_default(
    "register",
    lambda transformer, replace=False: default_engine().register(transformer, replace),
)
_on_default(
    "to_literal_type",
    lambda hint, allow_pickle=None: default_engine().to_literal_type(
        hint, allow_pickle=allow_pickle
    ),
)
_on_default(
    "to_literal",
    lambda ctx, python_val, python_type, expected=None: default_engine().to_literal(
        python_val, python_type
    ),
)
_on_default(
    "to_python_value",
    lambda ctx, lv, expected_python_type: default_engine().to_python(lv, expected_python_type),
)


def load_entry_point_transformers(group: str = ENTRY_POINT_GROUP) -> list[TypeTransformer]:
    """Instantiate the transformers installed packages declare in the entry-point ``group``.

    An entry point names a ``TypeTransformer`` subclass (instantiated without arguments) or an
    instance.

    Raises:
        TypeMappingError: CT212 when an entry point cannot be loaded or is not a transformer.
    """
    if not may_declare_entry_points(group):  # the usual case: no plugin, no importlib.metadata
        return []
    # Imported on first use, not at module level: importlib.metadata costs 20-30 ms and
    # `import compiler` must stay cheap (docs/ARCHITECTURE.md). It has no cycle to dodge.
    import importlib.metadata

    found = []
    for entry_point in sorted(importlib.metadata.entry_points(group=group), key=_ep_key):
        try:
            obj = entry_point.load()
            transformer = obj() if isinstance(obj, type) else obj
        except Exception as exc:  # a broken plugin must say which one
            raise _plugin_error(entry_point, f"cannot be loaded ({exc})") from exc
        if not isinstance(transformer, TypeTransformer):
            raise _plugin_error(entry_point, f"gives {type_name(type(transformer))}")
        found.append(transformer)
    return found


def _order_key(hint: Any) -> Any:
    """A memo key that tells apart hints ``typing`` considers equal but that map differently.

    ``Union[int, str] == Union[str, int]`` and ``Literal["a", "b"] == Literal["b", "a"]``, yet
    flytekit writes union variants and literal values in declared order, so the key carries the
    argument order recursively.
    """
    if type(hint) in _IDENTITY_EQUAL:
        # A class of these metaclasses equals only itself, so it is its own key; most hints
        # are such classes, and looking ``__args__`` up on one fails slowly (a Python call for
        # an enum class).
        return hint
    args = getattr(hint, "__args__", None)
    if not isinstance(args, tuple) or not args:
        return hint
    return (hint, tuple(map(_order_key, args)))


#: Metaclasses whose classes compare by identity (neither defines ``__eq__``).
_IDENTITY_EQUAL = frozenset({type, enum.EnumType})


def _clear(memos: tuple[Memo[Any, Any], ...]) -> None:
    for memo in memos:
        memo.clear()


def _already_handled(
    claimed: Any, current: TypeTransformer, transformer: TypeTransformer
) -> TypeMappingError:
    return TypeMappingError(
        f"cannot register {transformer!r} for '{type_name(claimed)}': {current!r} already "
        "handles that type",
        code="CT214",
        hint="register one transformer per type; to replace the first one, call "
        "engine.register(transformer, replace=True)",
    )


def _ep_key(entry_point: EntryPoint) -> tuple[str, str]:
    return (entry_point.name, entry_point.value)


def _plugin_error(entry_point: EntryPoint, what: str) -> TypeMappingError:
    return TypeMappingError(
        f"transformer entry point '{entry_point.name} = {entry_point.value}' {what}",
        code="CT212",
        hint=f"the entry point in group '{ENTRY_POINT_GROUP}' must name a TypeTransformer",
    )


@functools.cache
def default_engine() -> TypeEngine:
    """The shared engine: built-ins plus the transformers of installed plugins (built once)."""
    engine = TypeEngine()
    for transformer in load_entry_point_transformers():
        engine.register(transformer)
    return engine
