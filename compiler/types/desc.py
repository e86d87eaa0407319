"""Type descriptions: the normalised, closed form of a Python type hint.

The engine reduces every hint once (``TypeEngine.describe``) to one of the frozen, hashable
classes below; literal types (``literal_types.py``), JSON schemas (``schema.py``) and value
conversion (``values.py``) only ever walk these. ``Optional`` and non-Flyte ``Annotated``
metadata are resolved during normalisation, so two spellings of one type give equal
descriptions (``List[int]`` and ``list[int]`` are both ``ListOf(Simple(Kind.INTEGER, int))``).
A ``FlyteAnnotation`` survives as the ``Annotated`` wrapper. Descriptions compare with ``==``
and are hashable (hints they keep for value conversion are left out of the hash).

::

    TypeDesc = Simple | ListOf | DictOf | UntypedDict | UnionOf | EnumOf | LiteralOf
             | DataclassOf | ModelOf | BlobOf | StructuredDatasetOf | SchemaOf | PickleOf
             | Custom | Annotated
"""

from __future__ import annotations

import enum
import json
from dataclasses import field
from typing import Any, TypeAlias

from compiler.records import frozen_record

__all__ = [
    "Annotated",
    "BlobOf",
    "Column",
    "Custom",
    "DataclassField",
    "DataclassOf",
    "DictOf",
    "EnumOf",
    "Kind",
    "ListOf",
    "LiteralOf",
    "ModelOf",
    "PickleOf",
    "SchemaOf",
    "Simple",
    "StructuredDatasetOf",
    "TypeDesc",
    "UnionOf",
    "UntypedDict",
]


class Kind(enum.Enum):
    """The simple kinds a Python scalar maps to (names equal ``types_pb2.SimpleType`` names)."""

    NONE = "NONE"
    INTEGER = "INTEGER"
    FLOAT = "FLOAT"
    STRING = "STRING"
    BOOLEAN = "BOOLEAN"
    DATETIME = "DATETIME"
    DURATION = "DURATION"


@frozen_record
class Simple:
    """A scalar: ``int``, ``float``, ``str``, ``bool``, ``datetime``, ``date``, ``timedelta``,
    ``None``.

    Attributes:
        kind: The Flyte simple kind (``date`` and ``datetime`` are both ``DATETIME``).
        py: The Python class (``datetime.date`` vs ``datetime.datetime`` matters for union tags
            and for converting values back).
    """

    kind: Kind
    py: type


@frozen_record
class ListOf:
    """``List[T]`` / ``list[T]``, or ``Iterator[T]`` (same literal type, another union tag).

    Attributes:
        item: The item type.
        iterator: True for ``typing.Iterator[T]`` / ``collections.abc.Iterator[T]``: values are
            iterators (written as a collection), union tag ``"Typed Iterator"``.
    """

    item: TypeDesc
    iterator: bool = False


@frozen_record
class DictOf:
    """``Dict[str, V]`` / ``dict[str, V]`` (keys are always strings)."""

    value: TypeDesc


@frozen_record
class UntypedDict:
    """Bare ``dict`` (or ``Dict[K, V]`` with a non-``str`` key): a msgpack-serialised STRUCT.

    Attributes:
        py: The original hint (``dict`` or e.g. ``Dict[int, str]``), kept for value conversion
            (not hashed: a hint may be unhashable).
    """

    py: Any = field(default=dict, hash=False)


@frozen_record
class UnionOf:
    """``Union[...]`` / ``Optional[T]`` / ``A | B``: variants in declared order, as ``typing``
    gives them (it flattens nested unions and drops duplicate hints; flytekit keeps the rest,
    so ``Union[List[int], list[int]]`` has two equal variants)."""

    variants: tuple[TypeDesc, ...]

    @property
    def is_optional(self) -> bool:
        """True when ``None`` is one of the variants."""
        return any(isinstance(v, Simple) and v.kind is Kind.NONE for v in self.variants)


@frozen_record
class EnumOf:
    """An ``enum.Enum`` with string values.

    Attributes:
        cls: The enum class.
        values: Member values in declaration order, aliases excluded.
    """

    cls: type
    values: tuple[str, ...]


@frozen_record
class LiteralOf:
    """``typing.Literal[...]`` whose values all have one simple kind.

    Attributes:
        values: The literal values in declared order.
        kind: Their common kind (STRING, INTEGER, FLOAT or BOOLEAN).
    """

    values: tuple[Any, ...]
    kind: Kind


@frozen_record
class DataclassField:
    """One field of a dataclass.

    Attributes:
        name: The field name.
        desc: The field's type description.
        has_default: Whether the field has ``default=`` (a ``default_factory`` does not count:
            it is not written into the JSON schema).
        default: The default value when ``has_default`` (excluded from hashing, since a
            default may be unhashable).
        has_factory: Whether the field has a ``default_factory`` (it is then not required).
        init: Whether ``__init__`` takes the field (``field(init=False)`` fields are in the
            literal type but not in the JSON schema).
    """

    name: str
    desc: TypeDesc
    has_default: bool = False
    default: Any = field(default=None, hash=False)
    has_factory: bool = False
    init: bool = True

    @property
    def required(self) -> bool:
        """True when the field has neither a default nor a default factory."""
        return not (self.has_default or self.has_factory)


@frozen_record
class DataclassOf:
    """A ``@dataclass`` class with its fields (hints resolved with ``get_type_hints``)."""

    cls: type
    fields: tuple[DataclassField, ...]


@frozen_record
class ModelOf:
    """A pydantic v2 ``BaseModel`` class (values are converted by pydantic itself).

    Attributes:
        cls: The model class.
        fields: (name, description) of the fields that have a literal type, in declaration
            order (a field flytekit cannot type, such as a tuple, is left out, as flytekit
            does; one it would pickle is described as a pickle, though the value is not).
    """

    cls: type
    fields: tuple[tuple[str, TypeDesc], ...]


@frozen_record
class BlobOf:
    """``FlyteFile`` / ``FlyteDirectory`` (and their format-specific aliases).

    Attributes:
        format: The blob format (``""`` when none).
        multipart: True for directories.
        py: The Python class (e.g. ``FlyteFile["csv"]``).
    """

    format: str
    multipart: bool
    py: type


@frozen_record
class Column:
    """A named column of a structured dataset or schema (dotted names when flattened)."""

    name: str
    desc: TypeDesc


@frozen_record
class StructuredDatasetOf:
    """``StructuredDataset``, optionally ``Annotated`` with a format and/or columns.

    Attributes:
        format: The storage format (``""`` when none).
        columns: Flattened columns in declared order (nested dicts/dataclasses give dotted
            names).
        py: The Python class.
    """

    format: str = ""
    columns: tuple[Column, ...] = ()
    py: Any = None


@frozen_record
class SchemaOf:
    """``FlyteSchema`` / ``FlyteSchema[kwtypes(...)]``."""

    columns: tuple[Column, ...] = ()
    py: Any = None


@frozen_record
class PickleOf:
    """A type only pickling can carry (``bytes``, ``Any``, unknown classes).

    Only produced when the engine is asked to allow pickling. ``py`` is not hashed (a hint
    may be unhashable).
    """

    py: Any = field(hash=False)


@frozen_record
class Custom:
    """A type handled by a registered transformer (see ``compiler.types.transformer``).

    Attributes:
        py: The hint (not hashed: a hint may be unhashable).
        transformer: The transformer instance that handles it.
    """

    py: Any = field(hash=False)
    transformer: Any = field(compare=False)


@frozen_record
class Annotated:
    """A type carrying a ``FlyteAnnotation``: the annotation goes on the inner literal type.

    Attributes:
        inner: The annotated type (never itself ``Annotated``).
        annotation_json: The annotation dict as canonical JSON (hashable storage).
    """

    inner: TypeDesc
    annotation_json: str

    @classmethod
    def of(cls, inner: TypeDesc, annotation: dict[str, Any]) -> Annotated:
        """Wrap ``inner`` with ``annotation`` (a JSON-compatible dict)."""
        return cls(inner, json.dumps(annotation, sort_keys=True))

    @property
    def annotation(self) -> dict[str, Any]:
        """The annotation dict (a fresh copy)."""
        return json.loads(self.annotation_json)


TypeDesc: TypeAlias = (
    Simple
    | ListOf
    | DictOf
    | UntypedDict
    | UnionOf
    | EnumOf
    | LiteralOf
    | DataclassOf
    | ModelOf
    | BlobOf
    | StructuredDatasetOf
    | SchemaOf
    | PickleOf
    | Custom
    | Annotated
)
