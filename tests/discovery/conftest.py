"""A stand-in task class and a helper writing small packages into a temporary folder."""

from __future__ import annotations

import sys
import textwrap
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler.errors import SourceLocation
from compiler.idl import EntityKind


class FakeTask:
    """Mimics what discovery needs from ``compiler.sdk.Task``: kind, name, home, location."""

    entity_kind = EntityKind.TASK

    def __init__(self, name: str) -> None:
        frame = sys._getframe(1)
        self.name = name
        self.instantiated_in = frame.f_globals["__name__"]
        self.location = SourceLocation(frame.f_code.co_filename, frame.f_lineno)


class FakeWorkflow(FakeTask):
    """An entity of another kind: discovery treats every kind alike."""

    entity_kind = EntityKind.WORKFLOW


def fake_task(func: Callable[..., object]) -> FakeTask:
    """``@task`` look-alike: named ``module.function``, located at the ``def`` line."""
    task = FakeTask.__new__(FakeTask)
    task.name = f"{func.__module__}.{func.__name__}"
    task.instantiated_in = func.__module__
    task.location = SourceLocation(func.__code__.co_filename, func.__code__.co_firstlineno)
    return task


FAKE_SDK = types.ModuleType("fake_sdk")
FAKE_SDK.FakeTask = FakeTask  # type: ignore[attr-defined]
FAKE_SDK.FakeWorkflow = FakeWorkflow  # type: ignore[attr-defined]
FAKE_SDK.task = fake_task  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fake_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fake_sdk", FAKE_SDK)


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write ``{relative path: source}`` under ``tmp_path/src`` and return that folder."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "src"
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return root

    return make
