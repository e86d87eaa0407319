"""``--out FILE.tgz``: only the archive, renamed into place; a failed run changes nothing.

Through the real console script: the archive equals the folder bundle's ``bundle.tgz`` byte
for byte and is the only thing written; a compile that fails (a broken package, an interrupt
is covered by the folder tests: the same lock and temporary folder) leaves an existing archive
exactly as it was and nothing beside it; a file that is not a gzip archive is not replaced
without ``--force``; golden options with an archive are refused before anything is compiled.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from robust_helpers import (
    CASES,
    assert_documented_errors,
    assert_no_traceback,
    compile_args,
    leftovers,
    run_cli,
    snapshot,
)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_archive_alone_equals_the_folder_bundles_archive(good: Path, jobs: str) -> None:
    folder = run_cli(compile_args(["rb_good"], "dir", "--jobs", jobs), good)
    assert folder.returncode == 0, folder.stderr
    done = run_cli(compile_args(["rb_good"], "dist/bundle.tgz", "--jobs", jobs), good)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "-> dist/bundle.tgz (" in done.stdout
    assert (good / "dist" / "bundle.tgz").read_bytes() == (good / "dir" / "bundle.tgz").read_bytes()
    assert sorted(p.name for p in (good / "dist").iterdir()) == ["bundle.tgz"]
    again = run_cli(compile_args(["rb_good"], "dist/bundle.tgz", "--jobs", jobs), good)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (good / "dist").iterdir()) == ["bundle.tgz"]


def test_a_failed_compile_leaves_the_archive_as_it_was(good: Path) -> None:
    done = run_cli(compile_args(["rb_good"], "bundle.tgz"), good)
    assert done.returncode == 0, done.stderr
    before = snapshot(good / "bundle.tgz", stat=True)
    shutil.copytree(CASES / "import_error", good, dirs_exist_ok=True)
    failed = run_cli(compile_args(["rb_good", "rb_import"], "bundle.tgz"), good)
    assert failed.returncode == 3, failed.stderr
    assert_no_traceback(failed.stderr)
    assert snapshot(good / "bundle.tgz", stat=True) == before
    assert leftovers(good, ["bundle.tgz", "rb_good", "rb_import"]) == []


def test_a_file_that_is_not_an_archive_is_not_replaced_without_force(good: Path) -> None:
    notes = good / "notes.tgz"
    notes.write_text("my notes\n", encoding="utf-8")
    refused = run_cli(compile_args(["rb_good"], "notes.tgz"), good)
    assert refused.returncode == 2, refused.stderr
    assert assert_documented_errors(refused.stderr) == ["CT502"]
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    forced = run_cli(compile_args(["rb_good"], "notes.tgz", "--force"), good)
    assert forced.returncode == 0, forced.stderr
    assert notes.read_bytes()[:2] == b"\x1f\x8b"


def test_golden_options_with_an_archive_are_refused_before_compiling(good: Path) -> None:
    done = run_cli(compile_args(["rb_good"], "b.tgz", "--golden", "g", "--check"), good)
    assert done.returncode == 2, done.stderr
    assert assert_documented_errors(done.stderr) == ["CT522"]
    assert leftovers(good, ["rb_good"]) == []


def test_an_existing_folder_named_like_an_archive_keeps_the_folder_layout(good: Path) -> None:
    done = run_cli(compile_args(["rb_good"], "out.tgz"), good)
    assert done.returncode == 0, done.stderr
    (good / "dir.tgz").mkdir()
    done = run_cli(compile_args(["rb_good"], "dir.tgz"), good)
    assert done.returncode == 0, done.stderr
    assert (good / "dir.tgz" / "manifest.json").is_file()
