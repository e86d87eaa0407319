"""Recompiling into the previous bundle reuses unchanged files; the bytes never change."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_helpers import EXAMPLES, IMAGES, tree


def _inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_recompile_links_unchanged_files_and_rebuild_does_not(cli, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src / "examples")
    out = tmp_path / "bundle"
    args = ("examples", "--out", str(out), *IMAGES, "--jobs", "2")
    assert cli(*args, cwd=src).returncode == 0
    first, first_bytes = _inodes(out), tree(out)

    folder = out.stat().st_ino
    assert cli(*args, cwd=src).returncode == 0
    second = _inodes(out)
    assert tree(out) == first_bytes
    assert second == first and out.stat().st_ino == folder  # nothing changed: kept as it is

    reports = src / "examples" / "analytics" / "reports.py"
    reports.write_text(reports.read_text().replace("@task\n", "@task(retries=4)\n", 1))
    changed = cli(*args, cwd=src)
    assert changed.returncode == 0, changed.stderr
    third = _inodes(out)
    rewritten = {k for k in third if third[k] != second.get(k)}
    assert "manifest.json" in rewritten and "bundle.tgz" in rewritten
    assert any(k.endswith(".pb") for k in rewritten)
    assert len(rewritten) < len(third) / 2  # the other modules' files were linked

    fresh = tmp_path / "fresh"
    assert cli("examples", "--out", str(fresh), *IMAGES, "--jobs", "1", cwd=src).returncode == 0
    assert tree(out) == tree(fresh)

    rebuilt = cli(*args, "--rebuild", cwd=src)
    assert rebuilt.returncode == 0
    fourth = _inodes(out)
    assert not {k for k in fourth if fourth[k] == third[k]}
    assert tree(out) == tree(fresh)


def test_an_unchanged_recompile_keeps_the_folder_only_when_it_is_exactly_the_bundle(
    cli, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    shutil.copytree(EXAMPLES, src / "examples")
    out = tmp_path / "bundle"
    args = ("examples", "--out", str(out), *IMAGES, "--render")
    assert cli(*args, cwd=src).returncode == 0
    expected = tree(out)

    def recompile(*extra: str) -> tuple[bool, dict[str, bytes]]:
        folder = out.stat().st_ino
        result = cli(*args, *extra, cwd=src)
        assert result.returncode == 0, result.stderr
        return out.stat().st_ino == folder, tree(out)

    assert recompile() == (True, expected)  # renderings included
    (out / "stray.txt").write_text("not ours")
    assert recompile() == (False, expected)  # a file the bundle does not hold: swapped
    pb = next(out.glob("*.pb"))
    pb.write_bytes(bytes(len(pb.read_bytes())))  # same size, other bytes
    assert recompile() == (False, expected)
    rendering = next((out / "yaml").glob("*.yaml"))
    rendering.write_text(rendering.read_text() + "# edited\n")
    assert recompile() == (False, expected)
    (out / "bundle.tgz").write_bytes(b"")
    assert recompile() == (False, expected)
    assert recompile() == (True, expected)
