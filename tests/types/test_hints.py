"""``class_hints`` gives exactly what ``typing.get_type_hints`` gives (fast path or not)."""

from __future__ import annotations

import typing

import hints_cases as cases
import pytest

from compiler.types import class_hints, hints

CLASSES = [
    cases.Inner,
    cases.Plain,
    cases.WithAnnotated,
    cases.Child,
    cases.Nested,
    cases.Pair,
    cases.Shadowed,
    cases.Empty,
    cases.NoneField,
    cases.Colour,
]


@pytest.mark.parametrize("extras", [False, True])
@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_class_hints_equal_get_type_hints(cls: type, extras: bool) -> None:
    expected = typing.get_type_hints(cls, include_extras=extras)
    got = class_hints(cls, include_extras=extras)
    assert got == expected
    assert list(got) == list(expected)
    assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize(
    ("cls", "extras", "fast"),
    [
        (cases.Plain, False, True),
        (cases.Pair, True, True),
        (cases.Shadowed, True, False),  # field names shadow the builtins: typing decides
        (cases.WithAnnotated, False, False),  # Annotated is stripped: typing does it
        (cases.WithAnnotated, True, True),
        (cases.Child, False, False),  # inherited annotations
        (cases.Nested, False, False),  # a forward reference inside the evaluated hint
        (cases.Unresolvable, False, False),
    ],
    ids=str,
)
def test_which_classes_take_the_fast_path(cls: type, extras: bool, fast: bool) -> None:
    assert (hints._fast_class_hints(cls, extras) is not None) is fast


def test_an_unresolvable_annotation_raises_what_get_type_hints_raises() -> None:
    with pytest.raises(NameError, match="Missing"):
        class_hints(cases.Unresolvable)
