"""Interruptions: SIGINT / SIGTERM / SIGKILL during a compile, and compiles racing on one ``--out``.

``cases/slow_import`` sleeps at import (``RB_SLOW_SECONDS``) after touching ``RB_SLOW_MARKER``,
so a signal can be sent while the compile is certainly running. Whatever happens, the folder
beside ``--out`` holds no temporary entries afterwards and ``--out`` is either the previous
bundle, byte for byte, or one complete new bundle whose manifest checksums match its files.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from robust_helpers import (
    CASES,
    IMAGE,
    assert_no_traceback,
    check_bundle,
    clean_env,
    compile_args,
    leftovers,
    run_cli,
    script,
    snapshot,
)

from compiler.bundle import atomic
from compiler.golden import update as golden_update
from compiler.golden import update_goldens


def _prepare(tmp_path: Path, good_bundle: Path, case: str = "slow_import") -> Path:
    shutil.copytree(CASES / case, tmp_path, dirs_exist_ok=True)
    shutil.copytree(good_bundle, tmp_path / "out")
    return tmp_path


def _start(work: Path, args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [script(), *args],
        cwd=work,
        env=clean_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def _interrupt_during_import(
    work: Path, sig: signal.Signals
) -> tuple[subprocess.Popen[str], str, str]:
    marker = work / "importing.marker"
    env = {"RB_SLOW_MARKER": str(marker), "RB_SLOW_SECONDS": "30"}
    proc = _start(work, compile_args(["rb_slow"], "out"), env)
    try:
        _wait_for(marker)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    marker.unlink()
    return proc, out, err


def test_sigint_during_import_keeps_previous_bundle(tmp_path: Path, good_bundle: Path) -> None:
    work = _prepare(tmp_path, good_bundle)
    before = snapshot(work / "out")
    proc, out, err = _interrupt_during_import(work, signal.SIGINT)
    assert proc.returncode == 130, err
    assert err == "interrupted; the output folder was left as it was\n"
    assert out == ""
    assert_no_traceback(err)
    assert snapshot(work / "out") == before
    assert leftovers(work, ["out", "rb_slow"]) == []


def test_sigterm_during_import_keeps_previous_bundle(tmp_path: Path, good_bundle: Path) -> None:
    work = _prepare(tmp_path, good_bundle)
    before = snapshot(work / "out")
    proc, _, err = _interrupt_during_import(work, signal.SIGTERM)
    assert proc.returncode != 0
    assert_no_traceback(err)
    assert snapshot(work / "out") == before
    assert leftovers(work, ["out", "rb_slow"]) == []


def test_sigterm_during_import_exits_130(tmp_path: Path, good_bundle: Path) -> None:
    work = _prepare(tmp_path, good_bundle)
    proc, _, err = _interrupt_during_import(work, signal.SIGTERM)
    assert proc.returncode == 130, err
    assert err == "interrupted; the output folder was left as it was\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("package", "where"),
    [
        ("rb_setname", "rb_setname/tasks.py:14: error CT404: module 'rb_setname.tasks' raised"),
        ("rb_setname_wf", "rb_setname_wf/flows.py:18: error CT923: workflow"),
    ],
)
def test_a_keyboard_interrupt_raised_by_the_users_code_in_a_worker_is_its_error(
    package: str, where: str, jobs: str, tmp_path: Path, good_bundle: Path
) -> None:
    """A worker leaves SIGINT and SIGTERM to the system (a signal ends it outright), so a
    ``KeyboardInterrupt`` there is raised by the code it runs, here by a descriptor's
    ``__set_name__`` (Python 3.11 hands it on as a ``RuntimeError``): at a module's import or
    in a workflow's body, the package's error at its line, never an interruption, and the
    previous bundle stays."""
    work = _prepare(tmp_path, good_bundle, "interrupt_in_class")
    before = snapshot(work / "out")
    done = run_cli(compile_args([package], "out", "--jobs", jobs), work)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith(where), done.stderr
    assert_no_traceback(done.stderr)
    assert snapshot(work / "out") == before
    assert leftovers(work, ["out", "rb_setname", "rb_setname_wf"]) == []


@pytest.mark.parametrize(
    ("sig", "jobs"),
    [
        (signal.SIGINT, "1"),
        (signal.SIGTERM, "1"),
        (signal.SIGKILL, "1"),
        (signal.SIGINT, "2"),
        (signal.SIGTERM, "2"),
    ],
)
def test_signal_at_a_random_moment_leaves_old_or_new_bundle(
    sig: signal.Signals, jobs: str, tmp_path: Path, good_bundle: Path
) -> None:
    """Signals while importing, serializing or writing: never a mixture, never leftovers.

    The new compile uses another image, so the old and the new bundle differ. SIGKILL cannot
    be cleaned up after, so the next compile must remove what it left and still succeed.
    """
    work = _prepare(tmp_path, good_bundle, "good")
    old = snapshot(work / "out")
    rng = random.Random(f"{sig.name}-{jobs}-seed")
    args = ["rb_good", "--out", "out", "--image", "registry.example.com/team/app:3.0"]
    args += ["--jobs", jobs]
    for _ in range(4):
        proc = _start(work, args, {})
        time.sleep(rng.uniform(0.05, 1.3))
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        _assert_clean_interrupt(proc.returncode, err)
        current = snapshot(work / "out")
        manifest = check_bundle(work / "out")
        image = manifest["settings"]["image"]
        assert (current == old) == (image == IMAGE), (proc.returncode, err)
        if proc.returncode == 0:
            continue
        if sig is not signal.SIGKILL:
            assert proc.returncode in (130, -sig), err
            assert leftovers(work, ["out", "rb_good"]) == []
            assert _processes_in(work) == [], "a worker outlived the interrupted compile"
    done = run_cli(args, work)
    assert done.returncode == 0, done.stderr
    check_bundle(work / "out")
    assert leftovers(work, ["out", "rb_good"]) == []


def _processes_in(folder: Path, grace: float = 5.0) -> list[int]:
    """Pids of live processes whose working directory is ``folder`` (waits up to ``grace``)."""
    deadline = time.monotonic() + grace
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.readlink(entry / "cwd") == str(folder):
                    found.append(int(entry.name))
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _assert_clean_interrupt(returncode: int, err: str) -> None:
    """No traceback, except Python's own for Ctrl-C before ``main()`` could handle it.

    A SIGINT that arrives while the interpreter is still starting (``site``) or importing the
    console script's modules is reported by Python itself; nothing was read or written yet,
    so that is harmless. Once the command runs, it reports interruptions itself: no frame of
    ours other than module-level import code may appear.
    """
    if "Traceback" not in err:
        return
    assert returncode != 0, err
    if err.startswith("Fatal Python error: init_"):
        # Interrupted while the interpreter starts (``init_import_site``, or on a loaded
        # machine ``init_sys_streams``), before any code of ours runs: Python reports it as a
        # fatal start-up error and exits without reading anything.
        assert "KeyboardInterrupt" in err, err
        # No frame of our package (``re/_compiler.py`` of the standard library is not ours).
        assert not re.search(r"[/\\]compiler[/\\]", err), err
        return
    assert err.rstrip().endswith("KeyboardInterrupt"), err
    # Interrupted while the console script imports the CLI (so main() never started), or
    # while the interpreter itself starts (site): the traceback holds only import frames.
    assert not re.search(r", in (main|invoke|compile_command)$", err, re.MULTILINE), err
    first = err.splitlines()[1:3]

    # Or at the console script's first line (`line 0, in <module>`): not even imports ran.
    def at_start(line: str) -> bool:
        return "import" in line or "site" in line or line.endswith(", in <module>")

    assert any(at_start(line) for line in first), err


def test_racing_compiles_end_with_one_complete_bundle(tmp_path: Path, good_bundle: Path) -> None:
    work = _prepare(tmp_path, good_bundle, "good")
    images = [f"registry.example.com/team/app:{n}.0" for n in range(3, 7)]
    with ThreadPoolExecutor(max_workers=len(images)) as pool:
        results = list(
            pool.map(
                lambda image: run_cli(["rb_good", "--out", "out", "--image", image], work),
                images,
            )
        )
    for done in results:
        assert done.returncode == 0, done.stderr
        assert_no_traceback(done.stderr)
    manifest = check_bundle(work / "out")
    assert manifest["settings"]["image"] in images
    assert leftovers(work, ["out", "rb_good"]) == []


def test_stale_temporary_folders_of_a_killed_compile_are_removed(
    tmp_path: Path, good_bundle: Path
) -> None:
    work = _prepare(tmp_path, good_bundle, "good")
    stale = work / ".out.tmp-killed"
    stale.mkdir()
    (stale / "00_half_written_1.pb").write_bytes(b"\x00" * 10)
    done = run_cli(compile_args(["rb_good"], "out", "--render"), work)
    assert done.returncode == 0, done.stderr
    assert leftovers(work, ["out", "rb_good"]) == []
    check_bundle(work / "out")
    assert set(snapshot(work / "out")) == set(snapshot(good_bundle))


def test_interrupted_compile_never_writes_into_a_missing_out(
    tmp_path: Path,
) -> None:
    """Without a previous bundle, an interrupted compile leaves no ``--out`` at all."""
    shutil.copytree(CASES / "slow_import", tmp_path, dirs_exist_ok=True)
    proc, _, err = _interrupt_during_import(tmp_path, signal.SIGINT)
    assert proc.returncode == 130, err
    assert sorted(os.listdir(tmp_path)) == ["rb_slow"]


def _golden_state(golden: Path) -> str:
    """``old``/``new``: which bundle the golden directory mirrors (by the image it names)."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(golden.glob("*.yaml")))
    if "registry.example.com/team/app:3.0" in text:
        return "new"
    assert "registry.example.com/team/app:2.0" in text, text[:500]
    return "old"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_golden_update_leaves_old_or_new_goldens(
    sig: signal.Signals, tmp_path: Path, good_bundle: Path
) -> None:
    work = _prepare(tmp_path, good_bundle, "good")
    created = run_cli(compile_args(["rb_good"], "out", "--golden", "g", "--update-goldens"), work)
    assert created.returncode == 0, created.stderr
    old = snapshot(work / "g")
    rng = random.Random(f"golden-{sig.name}")
    args = ["rb_good", "--out", "out", "--image", "registry.example.com/team/app:3.0"]
    args += ["--golden", "g", "--update-goldens"]
    for _ in range(3):
        proc = _start(work, args, {})
        time.sleep(rng.uniform(0.05, 1.3))
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        _assert_clean_interrupt(proc.returncode, err)
        state = _golden_state(work / "g")
        assert (snapshot(work / "g") == old) == (state == "old")
        assert leftovers(work, ["g", "out", "rb_good"]) == [], err
        check_bundle(work / "out")


def test_interrupt_between_the_golden_renames_keeps_the_old_goldens(
    tmp_path: Path, good_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    golden, bundle = tmp_path / "g", tmp_path / "out"
    shutil.copytree(good_bundle, bundle)
    update_goldens(bundle, golden, ci=False)
    before = snapshot(golden)
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def interrupted_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        renames.append((str(src), str(dst)))
        if len(renames) == 2:  # the old goldens are away, the new ones not yet in place
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(golden_update.os, "replace", interrupted_replace)
    monkeypatch.setattr(atomic, "_RENAMEAT2", None)  # the two-rename swap has a moment between
    (bundle / "yaml" / "00_resize_images_1.yaml").write_text("changed: true\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        update_goldens(bundle, golden, ci=False)
    monkeypatch.undo()
    assert snapshot(golden) == before
    assert leftovers(tmp_path, ["g", "out"]) == []


def test_leftovers_are_matched_by_name_prefix_not_as_a_pattern(tmp_path: Path) -> None:
    """A ``[`` in ``--out``'s name is a character, and a sibling's leftovers stay untouched."""
    out = tmp_path / "out[1]"
    (tmp_path / ".out[1].tmp-killed").mkdir()
    (tmp_path / ".out[1].old-killed").mkdir()  # killed between the renames: restored, then replaced
    (tmp_path / ".out[1].old-killed" / "old.txt").write_text("old")
    (tmp_path / ".out1.tmp-other").mkdir()  # what the pattern 'out[1]' would have matched

    def build(folder: Path, old: Path | None) -> str:
        (folder / "new.txt").write_text("new")
        return "built"

    assert atomic.replace_dir(out, build, force=True) == "built"
    assert sorted(os.listdir(tmp_path)) == [".out1.tmp-other", "out[1]"]
    assert os.listdir(out) == ["new.txt"]
