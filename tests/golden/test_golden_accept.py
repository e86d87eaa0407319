"""accept_breaking entries, the snippet that accepts open changes, and GitHub annotations."""

from __future__ import annotations

import pytest

from compiler.errors import ConfigError
from compiler.golden import (
    AcceptedChange,
    Category,
    Change,
    EntityDiff,
    EntityStatus,
    GoldenReport,
    Impact,
    accept_snippet,
    apply_accepted,
    github_annotations,
    parse_accepted,
    workflow_command,
)

REMOVED = Change(Category.INTERFACE, Impact.BREAKING, "input 'x' removed", rule="input-removed")
IMAGE = Change(Category.IMAGE, Impact.COMPATIBLE, "container.image: a -> b")


def entity(
    name: str = "shop.load", *changes: Change, source: str | None = "shop/a.py:7"
) -> EntityDiff:
    return EntityDiff(
        f"00_{name}_1", name, "task", EntityStatus.CHANGED, changes or (REMOVED,), source=source
    )


def test_parse_accepted() -> None:
    value = [
        {"entity": "shop.load", "rule": "input-removed", "reason": "v2"},
        {"entity": "x", "rule": "*"},
    ]
    assert parse_accepted(value, "f.yaml") == (
        AcceptedChange("shop.load", "input-removed", "v2"),
        AcceptedChange("x", "*"),
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("shop.load", "is not a list"),
        (["shop.load"], "is not a mapping of entity, rule"),
        ([{"entity": "", "rule": "removed"}], "has no entity name"),
        ([{"entity": "a", "rule": "outputs-removed"}], "did you mean 'output-removed'?"),
        ([{"entity": "a", "rule": "removed", "why": "x"}], "is not a mapping of entity, rule"),
    ],
)
def test_bad_entries(value: object, text: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_accepted(value, "compile-tasks.yaml")
    assert info.value.code == "CT605"
    assert text in info.value.message + (info.value.hint or "")


def test_accepted_changes_no_longer_break() -> None:
    (done,) = apply_accepted([entity()], [AcceptedChange("shop.load", "input-removed")])
    assert (done.breaking, done.accepted, done.flag) == (False, True, "accepted")
    report = GoldenReport("g", (done, entity("shop.other")))
    assert [e.name for e in report.breaking] == ["shop.other"]
    assert accept_snippet(report.entities) == (
        "accept_breaking:\n  - {entity: shop.other, rule: input-removed}\n"
    )
    (star,) = apply_accepted([entity()], [AcceptedChange("shop.load", "*")])
    assert star.accepted
    (other,) = apply_accepted([entity()], [AcceptedChange("shop.load", "input-renamed")])
    assert other.breaking


def test_workflow_commands_escape_properties_and_data() -> None:
    line = workflow_command("error", "50% done\nnext", file="a,b:c.py", line=3, title="t: x")
    assert line == "::error file=a%2Cb%3Ac.py,line=3,title=t%3A x::50%25 done%0Anext"
    assert workflow_command("notice", "m") == "::notice::m"


def test_annotations_per_change() -> None:
    accepted = apply_accepted([entity("shop.ok")], [AcceptedChange("shop.ok", "*")])[0]
    report = GoldenReport("g", (entity(), accepted, entity("shop.img", IMAGE, source="shop/b.py")))
    lines = list(github_annotations(report, check=True))
    assert lines == [
        "::error file=shop/a.py,line=7,title=breaking change%3A input-removed::"
        "task shop.load: input 'x' removed",
        "::notice file=shop/a.py,line=7,title=accepted breaking change%3A input-removed::"
        "task shop.ok: input 'x' removed",
        "::warning file=shop/b.py,title=task changed::task shop.img differs from the goldens: "
        "container.image: a -> b",
    ]
