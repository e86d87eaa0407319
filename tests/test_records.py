"""``frozen_record``: the class ``@dataclass(frozen=True)`` makes, made and built faster."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import InitVar, dataclass, field
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.bundle import BundleEntity, ManifestEntry
from compiler.discovery import FoundEntity
from compiler.errors import SourceLocation
from compiler.pipeline import CompiledEntity
from compiler.records import frozen_record


@dataclass(frozen=True, order=True)
class Plain:
    name: str
    count: int
    label: str | None = None
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@frozen_record(into_dict=True, order=True)
class Fast:
    name: str
    count: int
    label: str | None = None
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _twin(cls: type) -> type:
    """A frozen dataclass with the fields of ``cls`` and the dataclass's own ``__init__``."""
    specs = [
        (f.name, f.type, field(default=f.default, default_factory=f.default_factory))
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(f"{cls.__name__}Twin", specs, frozen=True)


@given(
    name=st.text(max_size=5),
    count=st.integers(),
    label=st.none() | st.text(max_size=3),
    tags=st.lists(st.text(max_size=2), max_size=3).map(tuple),
)
def test_the_same_object_as_the_generated_init(
    name: str, count: int, label: str | None, tags: tuple[str, ...]
) -> None:
    for args, kwargs in (
        ((name, count), {}),
        ((name, count, label), {"tags": tags}),
        ((), {"count": count, "name": name, "label": label}),
    ):
        fast, plain = Fast(*args, **kwargs), Plain(*args, **kwargs)
        assert vars(fast) == vars(plain)
        assert dataclasses.astuple(fast) == dataclasses.astuple(plain)
        assert hash(fast) == hash(plain)
        assert repr(fast).replace("Fast", "Plain") == repr(plain)


def test_defaults_factories_errors_and_immutability_are_kept() -> None:
    one, two = Fast("a", 1), Fast("a", 1)
    assert one.extra == {} and one.extra is not two.extra  # a new dict each time
    assert one == two and Fast("a", 1) < Fast("b", 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.name = "b"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Fast("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast("a", 1, nope=2)  # type: ignore[call-arg]
    assert list(inspect.signature(Fast).parameters) == list(inspect.signature(Plain).parameters)
    assert Fast.__dataclass_params__.order and Fast.__lt__.__qualname__ == "Fast.__lt__"


@given(
    first=st.tuples(st.text(max_size=2), st.integers(-2, 2)),
    second=st.tuples(st.text(max_size=2), st.integers(-2, 2)),
)
def test_an_ordered_record_compares_as_the_dataclass(
    first: tuple[str, int], second: tuple[str, int]
) -> None:
    import operator

    for compare in (operator.lt, operator.le, operator.gt, operator.ge, operator.eq):
        assert compare(Fast(*first), Fast(*second)) == compare(Plain(*first), Plain(*second))
    assert Fast(*first).__lt__(Plain(*first)) is NotImplemented


@pytest.mark.parametrize(
    "cls", [SourceLocation, FoundEntity, CompiledEntity, BundleEntity, ManifestEntry]
)
def test_the_records_take_the_parameters_of_their_fields(cls: type) -> None:
    ours = inspect.signature(cls).parameters
    generated = inspect.signature(_twin(cls)).parameters
    assert list(ours) == list(generated)
    for spec in dataclasses.fields(cls):
        assert ours[spec.name].kind is generated[spec.name].kind
        if spec.default_factory is dataclasses.MISSING:  # a factory's default is a marker
            assert ours[spec.name].default == generated[spec.name].default, spec.name


def _frozen(**namespace: Any) -> type:
    annotations = namespace.pop("__annotations__")
    return type("Odd", (), {"__annotations__": annotations, **namespace})


# --- frozen_record: the same class as @dataclass(frozen=True) -------------------------------


def _shape(decorate: Any) -> type:
    """One class body (every kind of field option), decorated by ``decorate``."""

    class Shape:
        """A record."""

        name: str
        count: int = 0
        tags: tuple[str, ...] = ()
        note: str = field(default="", compare=False)
        secret: str = field(default="", repr=False)
        weight: float = field(default=0.0, hash=False)
        extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

        def label(self) -> str:
            return f"{self.name}:{self.count}"

    return decorate(Shape)


STD = _shape(dataclass(frozen=True))
RECORD = _shape(frozen_record)
IN_DICT = _shape(frozen_record(into_dict=True))

values = st.fixed_dictionaries(
    {
        "name": st.text(max_size=4),
        "count": st.integers(),
        "tags": st.lists(st.text(max_size=2), max_size=3).map(tuple),
        "note": st.text(max_size=2),
        "secret": st.text(max_size=2),
        "weight": st.floats(allow_nan=True),
        "extra": st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    }
)


@pytest.mark.parametrize("cls", [RECORD, IN_DICT])
@given(first=values, second=values)
def test_a_record_answers_as_the_frozen_dataclass(
    cls: type, first: dict[str, Any], second: dict[str, Any]
) -> None:
    for one, two in ((first, second), (first, dict(first)), (first, {**first, "note": "x"})):
        ours, theirs = (cls(**one), cls(**two)), (STD(**one), STD(**two))
        assert (ours[0] == ours[1]) == (theirs[0] == theirs[1])
        assert (ours[0] != ours[1]) == (theirs[0] != theirs[1])
        assert hash(ours[0]) == hash(theirs[0])
        assert repr(ours[0]) == repr(theirs[0])
        assert vars(ours[0]) == vars(theirs[0])
        assert dataclasses.asdict(ours[0]) == dataclasses.asdict(theirs[0])
        assert dataclasses.astuple(ours[0]) == dataclasses.astuple(theirs[0])
    mine = cls(**first)
    assert mine.__eq__(STD(**first)) is NotImplemented  # another class, however alike
    assert mine != STD(**first)
    changed = dataclasses.replace(mine, count=first["count"] + 1)
    assert type(changed) is cls and changed.count == first["count"] + 1
    assert changed.label() == f"{first['name']}:{first['count'] + 1}"
    positional = cls(*(first[f.name] for f in dataclasses.fields(cls)))
    assert vars(positional) == vars(mine)


@pytest.mark.parametrize("cls", [RECORD, IN_DICT])
def test_a_record_is_the_frozen_dataclass_to_introspection(cls: type) -> None:
    import copy

    def described(each: type) -> list[tuple[Any, ...]]:
        return [
            (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare)
            for f in dataclasses.fields(each)
        ]

    assert described(cls) == described(STD)
    assert cls.__match_args__ == STD.__match_args__
    assert inspect.signature(cls) == inspect.signature(STD)
    assert cls.__init__.__annotations__ == STD.__init__.__annotations__
    assert dataclasses.is_dataclass(cls)
    for param in ("init", "repr", "eq", "order", "unsafe_hash", "frozen"):
        assert getattr(cls.__dataclass_params__, param) == getattr(
            STD.__dataclass_params__, param
        ), param
    for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(cls, method).__qualname__.endswith(f"Shape.{method}"), method
    one = cls("a", 1, extra={"k": 1})
    assert one.extra == {"k": 1} and cls("a").extra == {} and cls("a").extra is not cls("a").extra
    assert copy.copy(one) == one and copy.deepcopy(one) == one
    with pytest.raises(TypeError):
        cls()  # a parameter without default
    with pytest.raises(TypeError):
        cls("a", nope=1)


@pytest.mark.parametrize("cls", [RECORD, IN_DICT])
def test_a_record_refuses_changes_with_the_dataclass_error(cls: type) -> None:
    ours, theirs = cls("a"), STD("a")
    for target in (ours, theirs):
        for attempt in (
            lambda t: setattr(t, "name", "b"),
            lambda t: setattr(t, "other", 1),
            lambda t: delattr(t, "name"),
        ):
            with pytest.raises(dataclasses.FrozenInstanceError) as raised:
                attempt(target)
            assert str(raised.value).startswith("cannot ")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        ours.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'count'"):
        del ours.count  # type: ignore[misc]


def test_records_derive_as_frozen_dataclasses_do() -> None:
    @dataclass(frozen=True)
    class Child(RECORD):  # type: ignore[misc, valid-type]
        level: int = 1

    child = Child("a", 2, level=3)
    assert child.label() == "a:2" and child.level == 3
    assert child == Child("a", 2, level=3) and hash(child) == hash(Child("a", 2, level=3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        child.level = 4  # type: ignore[misc]

    class Plain(RECORD):  # type: ignore[misc, valid-type]
        """No dataclass: new attributes may be set, fields may not."""

    plain = Plain("a")
    plain.extra_attribute = 1  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plain.name = "b"  # type: ignore[misc]
    with pytest.raises(TypeError):
        frozen_record(type("Derived", (RECORD,), {"__annotations__": {"x": int}}))


def test_an_undocumented_record_is_documented_as_the_dataclass_is() -> None:
    def undocumented(decorate: Any) -> type:
        return decorate(type("Bare", (), {"__annotations__": {"a": int, "b": str}, "b": ""}))

    assert undocumented(frozen_record).__doc__ == undocumented(dataclass(frozen=True)).__doc__


def test_no_field_and_one_field() -> None:
    for spec in ({}, {"a": int}):
        ours = frozen_record(type("Few", (), {"__annotations__": dict(spec)}))
        theirs = dataclass(frozen=True)(type("Few", (), {"__annotations__": dict(spec)}))
        args = [float("nan")] * len(spec)
        assert (ours(*args) == ours(*args)) == (theirs(*args) == theirs(*args))
        assert hash(ours(*args)) == hash(theirs(*args))
        assert repr(ours(*args)) == repr(theirs(*args))


@pytest.mark.parametrize(
    ("make", "options"),
    [
        (lambda: dataclass(_frozen(__annotations__={"a": int})), {}),  # a dataclass already
        (lambda: dataclass(frozen=True)(_frozen(__annotations__={"a": int})), {}),
        (lambda: _frozen(__annotations__={"a": int}, __slots__=("a",)), {}),
        (lambda: _frozen(__annotations__={"a": int, "b": int}, b=field(init=False, default=0)), {}),
        (lambda: _frozen(__annotations__={"a": int, "b": int}, b=field(kw_only=True)), {}),
        (lambda: _frozen(__annotations__={"a": int, "b": InitVar[int]}), {}),
        (lambda: _frozen(__annotations__={"a": int}, __eq__=lambda self, other: True), {}),
        (lambda: _frozen(__annotations__={"a": int}, __repr__=lambda self: "odd"), {}),
        (lambda: _frozen(__annotations__={"a": int}, __lt__=lambda self, o: True), {"order": True}),
    ],
)
def test_what_a_record_would_not_reproduce_is_refused(make: Any, options: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        frozen_record(**options)(make())


def test_a_records_post_init_runs_last_and_class_variables_are_no_fields() -> None:
    def body() -> type:
        class Checked:
            """Refuses a negative count."""

            kind: ClassVar[str] = "checked"
            count: int = 0

            def __post_init__(self) -> None:
                if self.count < 0:
                    raise ValueError("negative")
                object.__setattr__(self, "seen", True)

        return Checked

    ours, theirs = frozen_record(body()), dataclass(frozen=True)(body())
    assert [f.name for f in dataclasses.fields(ours)] == ["count"]
    assert vars(ours(2)) == vars(theirs(2)) == {"count": 2, "seen": True}
    assert ours.kind == "checked"
    for cls in (ours, theirs):
        with pytest.raises(ValueError, match="negative"):
            cls(-1)


def test_a_field_may_be_named_like_what_the_init_holds() -> None:
    for decorate in (frozen_record, frozen_record(into_dict=True)):
        cls = decorate(
            type("Named", (), {"__annotations__": {"fields": dict, "other": int}, "other": 0})
        )
        made = cls({"a": 1})
        assert made.fields == {"a": 1} and made.other == 0
        assert vars(made) == {"fields": {"a": 1}, "other": 0}
    for name in ("self", "_record_set_"):
        with pytest.raises(TypeError, match="uses"):
            frozen_record(_frozen(__annotations__={name: int}))


def test_the_tools_records_pickle_and_copy() -> None:
    import copy
    import pickle

    from compiler.idl import EntityKind
    from compiler.settings import ImageConfig

    made = [
        CompiledEntity("a.b", EntityKind.TASK, "00_a.b_1.pb", "a.py:3", "a", "python-task"),
        ManifestEntry("a.b", EntityKind.TASK, "00_a.b_1.pb", "0" * 64, "a.py:3"),
    ]
    for each in made:
        assert pickle.loads(pickle.dumps(each)) == each
        assert copy.deepcopy(each) == each and hash(copy.copy(each)) == hash(each)
    config = ImageConfig(default_image="app:1", images={"GPU": "gpu:2"})  # with a __post_init__
    assert copy.copy(config) == config and config.images == {"gpu": "gpu:2"}
