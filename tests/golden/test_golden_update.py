"""Updating goldens survives interruptions: the directory holds the old or the new goldens."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from golden_helpers import DEFAULTS, LOAD, BundleEntry, task_spec

from compiler.bundle import atomic
from compiler.errors import GoldenError
from compiler.golden import CHECKSUMS_FILE, read_bundle, update_goldens, write_golden_dir
from compiler.golden import update as golden_update

MakeBundle = Callable[[str, list[BundleEntry]], Path]
OLD = [(LOAD, task_spec(), DEFAULTS)]
NEW = [(LOAD, task_spec(image="x:2"), DEFAULTS)]


def files(folder: Path) -> dict[str, str]:
    """``name -> text`` of every file in ``folder``."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def hidden(parent: Path) -> list[str]:
    """Temporary entries (``.golden.new-*``, ``.golden.old-*``) left in ``parent``."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture
def golden_dir(make_bundle: MakeBundle, tmp_path: Path) -> Path:
    path = tmp_path / "golden"
    write_golden_dir(read_bundle(make_bundle("old", OLD)), path)
    return path


def _on_rename(
    monkeypatch: pytest.MonkeyPatch, number: int, action: Callable[[], None]
) -> list[tuple[str, str]]:
    """Run ``action`` before the ``number``-th ``os.replace`` of the update module."""
    renames: list[tuple[str, str]] = []
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        renames.append((Path(src).name, Path(dst).name))
        if len(renames) == number:
            action()
        real(src, dst)

    monkeypatch.setattr(golden_update.os, "replace", replace)
    # The two-rename swap (where renameat2 cannot exchange) is the one with a moment between.
    monkeypatch.setattr(atomic, "_RENAMEAT2", None)
    return renames


def _interrupt() -> None:
    raise KeyboardInterrupt


def test_interrupt_between_the_renames_restores_the_old_goldens(
    make_bundle: MakeBundle, golden_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(golden_dir)
    renames = _on_rename(monkeypatch, 2, _interrupt)
    with pytest.raises(KeyboardInterrupt):
        update_goldens(make_bundle("new", NEW), golden_dir, ci=False)
    monkeypatch.undo()
    assert [(src.split("-")[0], dst.split("-")[0]) for src, dst in renames] == [
        ("golden", ".golden.old"),
        (".golden.new", "golden"),  # interrupted: never happened
        (".golden.old", "golden"),  # the rollback
    ]
    assert files(golden_dir) == before
    assert hidden(golden_dir.parent) == []


def test_failed_second_rename_restores_the_old_goldens(
    make_bundle: MakeBundle, golden_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(golden_dir)

    def fail() -> None:
        raise OSError(28, "No space left on device")

    _on_rename(monkeypatch, 2, fail)
    with pytest.raises(GoldenError, match="No space left on device") as raised:
        update_goldens(make_bundle("new", NEW), golden_dir, ci=False)
    assert raised.value.code == "CT640"  # an OS error is a documented golden-folder error
    assert files(golden_dir) == before
    assert hidden(golden_dir.parent) == []


def test_signal_during_the_swap_waits_until_the_new_goldens_are_in(
    make_bundle: MakeBundle, golden_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real SIGINT between the renames is held back, then raised once the swap is done."""
    bundle = make_bundle("new", NEW)
    expected = {p.name: p.read_text(encoding="utf-8") for p in (bundle / "yaml").iterdir()}
    _on_rename(monkeypatch, 2, lambda: signal.raise_signal(signal.SIGINT))
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            update_goldens(bundle, golden_dir, ci=False)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert {k: v for k, v in files(golden_dir).items() if k != CHECKSUMS_FILE} == expected
    assert hidden(golden_dir.parent) == []


def test_signals_are_unblocked_after_the_swap(make_bundle: MakeBundle, golden_dir: Path) -> None:
    update_goldens(make_bundle("new", NEW), golden_dir, ci=False)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) & {signal.SIGINT, signal.SIGTERM} == set()


def test_next_update_recovers_goldens_left_by_a_killed_update(
    make_bundle: MakeBundle, golden_dir: Path
) -> None:
    # SIGKILL between the two renames: the old goldens sit in .golden.old-*, the staging
    # directory is still there, and there is no golden directory.
    before = files(golden_dir)
    os.rename(golden_dir, golden_dir.parent / ".golden.old-k1ll3d00")
    staging = golden_dir.parent / ".golden.new-k1ll3d00"
    staging.mkdir()
    (staging / "half.yaml").write_text("x: 1\n")
    report = update_goldens(make_bundle("same", OLD), golden_dir, ci=False)
    assert (report.has_changes, files(golden_dir)) == (False, before)
    assert hidden(golden_dir.parent) == []


def test_stale_leftovers_beside_existing_goldens_are_removed(
    make_bundle: MakeBundle, golden_dir: Path
) -> None:
    before = files(golden_dir)
    for name in (".golden.old-abcdefgh", ".golden.new-abcdefgh"):
        (golden_dir.parent / name).mkdir()
        (golden_dir.parent / name / f"{LOAD}.yaml").write_text("stale: true\n")
    (golden_dir.parent / ".golden.old-x").mkdir()  # not a name our updates make: kept
    (golden_dir.parent / ".golden.old-abcdefgh-other").mkdir()
    report = update_goldens(make_bundle("same", OLD), golden_dir, ci=False)
    assert (report.has_changes, files(golden_dir)) == (False, before)
    assert hidden(golden_dir.parent) == [".golden.old-abcdefgh-other", ".golden.old-x"]


def test_leftovers_of_a_sibling_golden_directory_are_not_touched(
    make_bundle: MakeBundle, tmp_path: Path
) -> None:
    sibling = tmp_path / ".golden.old-sibling.old-abcdefgh"
    sibling.mkdir()
    report = update_goldens(make_bundle("b", OLD), tmp_path / "golden", ci=False)
    assert [e.status.value for e in report.entities] == ["added"]
    assert hidden(tmp_path) == [sibling.name]
