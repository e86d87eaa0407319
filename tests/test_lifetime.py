"""``compiler.lifetime``: what a process that ends with its command holds back, and gives back
if it lives on after all; the collector held off while the tool loads."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from compiler import lifetime


@pytest.fixture(autouse=True)
def _collector_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(lifetime, "_ENDS", [False])
    monkeypatch.setattr(lifetime, "_DEFERRED", [])
    was_on, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    if gc.get_freeze_count() != frozen:
        gc.unfreeze()
    if was_on:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_and_back_on_after_in_a_process_that_lives_on() -> None:
    gc.enable()
    frozen = gc.get_freeze_count()
    with lifetime.paused_collector():
        assert not gc.isenabled()
        made = [[] for _ in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # a process that lives on freezes nothing
    assert len(made) == 1000


def test_a_process_that_ends_with_its_command_freezes_what_loaded_until_it_lives_on() -> None:
    gc.enable()
    lifetime.end_with_command()
    with lifetime.paused_collector():
        made = [[] for _ in range(1000)]  # noqa: F841 - objects the freeze takes
    assert gc.isenabled()
    assert gc.get_freeze_count() >= 1000  # the collector will not walk them again
    lifetime.lives_on()  # the command is over, the process goes on
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_nothing_is_frozen() -> None:
    gc.disable()
    lifetime.end_with_command()
    frozen = gc.get_freeze_count()
    with lifetime.paused_collector():
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_the_console_entry_called_from_python_gives_the_collector_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from compiler.cli import entry

    gc.enable()
    frozen = gc.get_freeze_count()
    monkeypatch.setattr(sys, "argv", ["compile-tasks", "--version"])
    assert entry.main() == 0
    assert "compile-tasks" in capsys.readouterr().out
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
