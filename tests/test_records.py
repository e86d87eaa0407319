"""``fast_frozen``: the same objects as the dataclass's own ``__init__``, faster."""

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
from compiler.records import fast_frozen


@dataclass(frozen=True, order=True)
class Plain:
    name: str
    count: int
    label: str | None = None
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@fast_frozen
@dataclass(frozen=True, order=True)
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


@pytest.mark.parametrize(
    "make",
    [
        lambda: dataclass(_frozen(__annotations__={"a": int})),  # not frozen
        lambda: dataclass(frozen=True)(
            _frozen(__annotations__={"a": int}, __post_init__=lambda self: None)
        ),
        lambda: dataclass(frozen=True, slots=True)(_frozen(__annotations__={"a": int})),
        lambda: dataclass(frozen=True, kw_only=True)(_frozen(__annotations__={"a": int})),
        lambda: dataclass(frozen=True)(
            _frozen(__annotations__={"a": int, "b": int}, b=field(init=False, default=0))
        ),
        lambda: dataclass(frozen=True)(_frozen(__annotations__={"a": int, "b": InitVar[int]})),
        lambda: dataclass(frozen=True)(_frozen(__annotations__={"a": int, "b": ClassVar[int]})),
        lambda: type("NoDataclass", (), {}),
    ],
)
def test_what_it_would_not_reproduce_is_refused(make: Any) -> None:
    with pytest.raises(TypeError):
        fast_frozen(make())
