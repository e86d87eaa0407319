"""Reading golden directories safely; the layout written by an update."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from golden_helpers import DEFAULTS, LOAD, BundleEntry, task_spec

from compiler.errors import GoldenError
from compiler.golden import (
    CHECKSUMS_FILE,
    check_bundle,
    read_bundle,
    read_golden_dir,
    update_goldens,
    write_golden_dir,
)
from compiler.render import render_task_spec

MakeBundle = Callable[[str, list[BundleEntry]], Path]


@pytest.fixture
def golden_dir(make_bundle: MakeBundle, tmp_path: Path) -> Path:
    path = tmp_path / "golden"
    write_golden_dir(read_bundle(make_bundle("b", [(LOAD, task_spec(), DEFAULTS)])), path)
    return path


def error_of(path: Path) -> GoldenError:
    with pytest.raises(GoldenError) as info:
        read_golden_dir(path)
    return info.value


def test_layout_is_one_yaml_per_entity_plus_checksums(golden_dir: Path, tmp_path: Path) -> None:
    assert sorted(p.name for p in golden_dir.iterdir()) == [f"{LOAD}.yaml", CHECKSUMS_FILE]
    assert (golden_dir / f"{LOAD}.yaml").read_text() == render_task_spec(task_spec(), DEFAULTS)
    digest = (golden_dir / CHECKSUMS_FILE).read_text()
    pb = (tmp_path / "b" / f"{LOAD}.pb").read_bytes()
    assert digest == f"{hashlib.sha256(pb).hexdigest()}  {LOAD}.pb\n"
    assert oct(golden_dir.stat().st_mode & 0o777) == "0o755"


def test_missing_dir(tmp_path: Path) -> None:
    error = error_of(tmp_path / "nope")
    assert (error.code, error.message) == (
        "CT601",
        f"golden directory '{tmp_path / 'nope'}' does not exist",
    )


def test_not_a_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    assert error_of(tmp_path / "file").code == "CT602"


def test_foreign_file_is_refused(golden_dir: Path) -> None:
    (golden_dir / "notes.txt").write_text("hello")
    error = error_of(golden_dir)
    assert error.code == "CT611"
    assert error.message == f"'{golden_dir / 'notes.txt'}' does not belong in a golden directory"


def test_subdirectory_is_refused(golden_dir: Path) -> None:
    (golden_dir / "sub_1.yaml").mkdir()
    assert error_of(golden_dir).code == "CT611"


def test_gitkeep_is_allowed(golden_dir: Path) -> None:
    (golden_dir / ".gitkeep").write_text("")
    assert list(read_golden_dir(golden_dir).entities) == [LOAD]


def test_symlink_is_refused(golden_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yaml"
    target.write_text("{}\n")
    os.symlink(target, golden_dir / "00_x_1.yaml")
    error = error_of(golden_dir)
    assert (error.code, error.message) == (
        "CT612",
        f"'{golden_dir / '00_x_1.yaml'}' is a symbolic link",
    )


def test_python_tags_are_never_constructed(golden_dir: Path) -> None:
    (golden_dir / "00_x_1.yaml").write_text("!!python/object/apply:os.system ['echo hi']\n")
    assert error_of(golden_dir).code == "CT610"


def test_aliases_are_refused(golden_dir: Path) -> None:
    (golden_dir / "00_x_1.yaml").write_text("a: &x [1, 2]\nb: *x\n")
    error = error_of(golden_dir)
    assert error.code == "CT614"


def _unreadable(monkeypatch: pytest.MonkeyPatch, name: str, exc: OSError) -> None:
    """Make reading the file called ``name`` fail like ``chmod 000`` does for a non-root user."""
    real = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == name:
            raise exc
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)


@pytest.mark.parametrize(
    ("name", "exc", "why"),
    [
        (f"{LOAD}.yaml", PermissionError(13, "Permission denied"), "Permission denied"),
        (CHECKSUMS_FILE, OSError(5, "Input/output error"), "Input/output error"),
        (f"{LOAD}.yaml", OSError("no errno"), "OSError"),
    ],
)
def test_unreadable_golden_file_names_the_file(
    golden_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str, exc: OSError, why: str
) -> None:
    _unreadable(monkeypatch, name, exc)
    error = error_of(golden_dir)
    assert error.render() == (
        f"error CT610: '{golden_dir / name}' cannot be read ({why}). hint: make the file "
        "readable by the user running compile-tasks (check its permissions and owner), "
        "or regenerate the goldens"
    )
    assert isinstance(error.__cause__, OSError)


def test_unreadable_bundle_rendering_names_the_file(
    make_bundle: MakeBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = make_bundle("b", [(LOAD, task_spec(), DEFAULTS)])
    [rendering] = sorted((bundle / "yaml").iterdir())
    _unreadable(monkeypatch, rendering.name, PermissionError(13, "Permission denied"))
    with pytest.raises(GoldenError) as info:
        read_bundle(bundle)
    assert (info.value.code, info.value.message) == (
        "CT610",
        f"'{rendering}' cannot be read (Permission denied)",
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_golden_file_is_ct610(golden_dir: Path) -> None:
    target = golden_dir / CHECKSUMS_FILE
    target.chmod(0)
    try:
        error = error_of(golden_dir)
    finally:
        target.chmod(0o644)
    assert (error.code, error.message) == (
        "CT610",
        f"'{target}' cannot be read (Permission denied)",
    )


def test_malformed_checksums(golden_dir: Path) -> None:
    (golden_dir / CHECKSUMS_FILE).write_text("abc  x.pb\n")
    error = error_of(golden_dir)
    assert (error.code, error.message) == (
        "CT613",
        f"{golden_dir / CHECKSUMS_FILE}:1: not a '<sha256>  <name>.pb' line",
    )


def test_bundle_without_renderings(tmp_path: Path, golden_dir: Path) -> None:
    with pytest.raises(GoldenError) as info:
        check_bundle(tmp_path, golden_dir)
    assert info.value.code == "CT620"


def test_update_adds_changes_and_removes(make_bundle: MakeBundle, golden_dir: Path) -> None:
    new = [
        (LOAD, task_spec(image="x:2"), DEFAULTS),
        ("00_shop.new_1", task_spec("shop.new"), None),
    ]
    report = update_goldens(make_bundle("c", new), golden_dir, ci=False)
    assert [(e.stem, e.status.value) for e in report.entities] == [
        ("00_shop.new_1", "added"),
        (LOAD, "changed"),
    ]
    assert check_bundle(make_bundle("c", new), golden_dir).has_changes is False
    report = update_goldens(make_bundle("d", new[1:]), golden_dir, ci=False)
    assert [(e.stem, e.status.value) for e in report.entities] == [(LOAD, "removed")]
    assert sorted(p.name for p in golden_dir.iterdir()) == ["00_shop.new_1.yaml", CHECKSUMS_FILE]
    assert [p.name for p in golden_dir.parent.iterdir() if p.name.startswith(".")] == []


def test_update_creates_a_missing_dir(make_bundle: MakeBundle, tmp_path: Path) -> None:
    bundle = make_bundle("b", [(LOAD, task_spec(), DEFAULTS)])
    report = update_goldens(bundle, tmp_path / "fresh", ci=False)
    assert [e.status.value for e in report.entities] == ["added"]
    assert check_bundle(bundle, tmp_path / "fresh").has_changes is False


def test_update_refused_under_ci(make_bundle: MakeBundle, golden_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in golden_dir.iterdir()}
    bundle = make_bundle("c", [(LOAD, task_spec(image="x:2"), DEFAULTS)])
    with pytest.raises(GoldenError) as info:
        update_goldens(bundle, golden_dir, ci=True)
    assert info.value.code == "CT603"
    assert {p.name: p.read_bytes() for p in golden_dir.iterdir()} == before


def test_failed_update_leaves_goldens_untouched(
    make_bundle: MakeBundle, golden_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p.name: p.read_bytes() for p in golden_dir.iterdir()}
    bundle = make_bundle("c", [(LOAD, task_spec(image="x:2"), DEFAULTS)])

    def boom(path: Path, text: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("compiler.golden.update._write", boom)
    with pytest.raises(GoldenError, match="disk full"):  # CT640 since the hardening
        update_goldens(bundle, golden_dir, ci=False)
    assert {p.name: p.read_bytes() for p in golden_dir.iterdir()} == before
    assert sorted(p.name for p in golden_dir.parent.iterdir()) == ["b", "c", "golden"]


def test_checksum_without_rendering(golden_dir: Path) -> None:
    with open(golden_dir / CHECKSUMS_FILE, "a") as handle:
        handle.write(f"{'0' * 64}  00_gone_1.pb\n")
    error = error_of(golden_dir)
    assert (error.code, error.message) == (
        "CT613",
        f"{golden_dir / CHECKSUMS_FILE} lists 00_gone_1.pb but there is no 00_gone_1.yaml",
    )


def test_update_refuses_a_linked_golden_dir(make_bundle: MakeBundle, golden_dir: Path) -> None:
    link = golden_dir.parent / "link"
    os.symlink(golden_dir, link)
    with pytest.raises(GoldenError) as info:
        update_goldens(make_bundle("c", [(LOAD, task_spec(image="x:2"), DEFAULTS)]), link, ci=False)
    assert info.value.code == "CT612"
    assert link.is_symlink()


def test_update_needs_an_existing_parent(make_bundle: MakeBundle, tmp_path: Path) -> None:
    bundle = make_bundle("b", [(LOAD, task_spec(), DEFAULTS)])
    with pytest.raises(GoldenError) as info:
        update_goldens(bundle, tmp_path / "no" / "golden", ci=False)
    assert info.value.code == "CT604"


def test_special_files_are_never_opened(make_bundle: MakeBundle, golden_dir: Path) -> None:
    bundle = make_bundle("c", [(LOAD, task_spec(), DEFAULTS)])
    os.mkfifo(bundle / "yaml" / "00_pipe_1.yaml")
    with pytest.raises(GoldenError) as info:
        check_bundle(bundle, golden_dir)
    assert info.value.code == "CT611"
    (bundle / "yaml" / "00_pipe_1.yaml").unlink()
    os.mkfifo(golden_dir / "00_pipe_1.yaml")
    assert error_of(golden_dir).code == "CT611"
