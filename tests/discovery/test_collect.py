"""Entities of every kind are found by the kind their class declares, and only those."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from compiler.discovery import EntitySite, discover
from compiler.discovery.collect import duplicate_errors, entity_kind_of, find_entities
from compiler.errors import CompileErrors, SourceLocation
from compiler.idl import EntityKind

KINDS = {
    "k/__init__.py": "",
    "k/m.py": """\
        from fake_sdk import FakeTask, FakeWorkflow

        t = FakeTask("same")
        w = FakeWorkflow("same")
        again = w
        classes = (FakeTask, FakeWorkflow)
        """,
}


def test_entities_of_every_kind_are_collected_once(make_tree) -> None:
    src = make_tree(KINDS)
    with discover([str(src / "k")]) as found:
        assert [(e.name, e.kind, e.module, str(e.relative_location)) for e in found.entities] == [
            ("same", EntityKind.TASK, "k.m", "k/m.py:3"),
            ("same", EntityKind.WORKFLOW, "k.m", "k/m.py:4"),
        ]
        assert found.entities[1].entity is sys.modules["k.m"].w


def test_the_kind_comes_from_the_class() -> None:
    class Entity:
        entity_kind = EntityKind.LAUNCH_PLAN

    class Impostor:
        entity_kind = "task"  # a string is not a kind

    class Lazy:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"asked for {name}")

    assert entity_kind_of(Entity()) is EntityKind.LAUNCH_PLAN
    assert entity_kind_of(Entity) is None  # the class itself is not an entity
    assert entity_kind_of(Impostor()) is None
    assert entity_kind_of(Lazy()) is None


def test_modules_with_getattr_and_nameless_entities_are_skipped() -> None:
    class Nameless:
        entity_kind = EntityKind.TASK

    module = ModuleType("lazy")

    def refuse(name: str) -> object:
        raise AssertionError(f"module __getattr__ asked for {name}")

    module.__getattr__ = refuse  # type: ignore[attr-defined]
    holder = ModuleType("holder")
    holder.lazy = module  # type: ignore[attr-defined]
    holder.nameless = Nameless()  # type: ignore[attr-defined]
    assert find_entities({"holder": holder}, {"holder": Path("/src")}) == []


def test_duplicates_are_per_kind(make_tree) -> None:
    src = make_tree(
        {
            "d/__init__.py": "",
            "d/a.py": "from fake_sdk import FakeWorkflow\nw = FakeWorkflow('flow')\n",
            "d/b.py": "from fake_sdk import FakeWorkflow\nw = FakeWorkflow('flow')\n",
        }
    )
    with pytest.raises(CompileErrors) as info:
        discover([str(src / "d")])
    (error,) = info.value.errors
    assert error.code == "CT405"
    assert error.message.startswith("two workflows are named 'flow': ")
    assert error.hint == (
        "workflow names must be unique; rename one of them (name= or the function name)"
    )


def test_sites_of_different_kinds_never_collide() -> None:
    here = SourceLocation("/p/a.py", 1)
    sites = [EntitySite(EntityKind.TASK, "x", here), EntitySite(EntityKind.LAUNCH_PLAN, "x", here)]
    assert duplicate_errors(sites, "/p") == []
    twice = [*sites, EntitySite(EntityKind.TASK, "x", SourceLocation("/p/b.py", 2))]
    (error,) = duplicate_errors(twice, "/p")
    assert error.message == "two tasks are named 'x': a.py:1 and b.py:2"
