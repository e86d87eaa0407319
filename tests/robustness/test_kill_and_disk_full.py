"""SIGKILL during a large compile, and a disk that fills up while the bundle is written.

A 2,000-task package (``benchmarks/generate.py``) is compiled, then recompiled with another
image and killed with SIGKILL at several moments (importing, serializing, writing). After
each kill no worker is left alive, ``--out`` is the old or the new bundle (complete, its
manifest checksums matching), and the next compile runs (no lock is held) and succeeds,
removing what the killed one left. The disk-full test mounts a small tmpfs (skipped where
mounting is not permitted) and checks CT507 with the real cause and ``--out`` unchanged.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from robust_helpers import (
    CASES,
    assert_documented_errors,
    assert_no_traceback,
    check_bundle,
    clean_env,
    compile_args,
    leftovers,
    run_cli,
    script,
    snapshot,
)

GENERATE = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"
OLD = ["--image", "registry.example.com/app:1", "--image", "tools=registry.example.com/t:1"]
NEW = ["--image", "registry.example.com/app:2", "--image", "tools=registry.example.com/t:1"]


def _processes_in(folder: Path, grace: float = 5.0) -> list[int]:
    """Pids of live processes whose working directory is ``folder`` (waits up to ``grace``)."""
    deadline = time.monotonic() + grace
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.readlink(entry / "cwd") == str(folder):
                        found.append(int(entry.name))
                except OSError:
                    continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture(scope="module")
def big_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the 2,000-task ``benchpkg`` and its bundle (old image) in ``out/``."""
    work = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(GENERATE), str(work), "--modules", "40", "--tasks", "50"],
        check=True,
        capture_output=True,
    )
    done = run_cli(["benchpkg", "--out", "out", *OLD, "--jobs", "2"], work, timeout=120)
    assert done.returncode == 0, done.stderr
    return work


def test_sigkill_at_several_points_leaves_old_or_new_bundle(big_work: Path) -> None:
    old = snapshot(big_work / "out")
    args = ["benchpkg", "--out", "out", *NEW]
    for jobs, delay in (("2", 0.3), ("1", 0.9), ("2", 1.8)):
        proc = subprocess.Popen(
            [script(), *args, "--jobs", jobs],
            cwd=big_work,
            env=clean_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        assert _processes_in(big_work) == [], f"a worker outlived the kill ({jobs}, {delay})"
        manifest = check_bundle(big_work / "out")
        image = manifest["settings"]["image"]
        assert image in ("registry.example.com/app:1", "registry.example.com/app:2")
        if image.endswith(":1"):
            assert snapshot(big_work / "out") == old
    done = run_cli([*args, "--jobs", "2"], big_work, timeout=120)
    assert done.returncode == 0, done.stderr
    assert check_bundle(big_work / "out")["settings"]["image"] == "registry.example.com/app:2"
    assert leftovers(big_work, ["benchpkg", "out"]) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    """A 1 MiB tmpfs at ``tmp_path/disk`` (skips where mounting is not permitted)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mount not permitted: {done.stderr.decode(errors='replace').strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True, check=False)


def _fill(disk: Path) -> None:
    """Fill the disk up (the bundle already there keeps its blocks)."""
    handle = open(disk / "filler", "wb", buffering=0)  # noqa: SIM115 - closed below
    try:
        while True:
            handle.write(b"\0" * 4096)
    except OSError:
        pass
    finally:
        handle.close()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_disk_full_while_writing_changes_nothing(
    jobs: str, tmp_path: Path, small_disk: Path, good_bundle: Path
) -> None:
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    shutil.copytree(good_bundle, small_disk / "out")
    _fill(small_disk)
    before = snapshot(small_disk / "out", stat=True)
    args = ["rb_good", "--out", str(small_disk / "out"), "--image", "registry.example.com/x:9"]
    done = run_cli([*args, "--jobs", jobs], tmp_path)
    assert done.returncode == 3, done.stderr
    assert_no_traceback(done.stderr)
    assert assert_documented_errors(done.stderr) == ["CT507"]
    assert "No space left on device" in done.stderr
    assert snapshot(small_disk / "out", stat=True) == before
    assert leftovers(small_disk, ["filler", "out"]) == []
    (small_disk / "filler").unlink()  # space again: the same command now succeeds
    again = run_cli(compile_args(["rb_good"], str(small_disk / "out"), "--jobs", jobs), tmp_path)
    assert again.returncode == 0, again.stderr
    check_bundle(small_disk / "out")
