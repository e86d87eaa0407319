"""Checkpoints: an attempt writes under ``--checkpoint-path``, the retry reads it back from
``--prev-checkpoint`` (what propeller passes on a retry)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ctx_helpers import error, lit, outputs, run_entrypoint
from flyteidl.core import errors_pb2

from compiler.context.checkpoint import Checkpoint


def test_retry_reads_the_previous_attempts_checkpoint(tmp_path: Path) -> None:
    inputs = {"n": lit(2, int)}
    first, second, third = (str(tmp_path / f"attempt-{i}") for i in range(3))
    proc, out = run_entrypoint(tmp_path, "resumable", inputs, checkpoint=first, out=tmp_path / "o0")
    assert proc.returncode == 1
    err = error(out)
    assert (err.code, err.kind) == (
        "USER:FlyteRecoverableException",
        errors_pb2.ContainerError.RECOVERABLE,
    )
    assert (Path(first) / "_dst_cp").read_bytes() == b"1"
    proc, out = run_entrypoint(
        tmp_path, "resumable", inputs, checkpoint=second, prev_checkpoint=first, out=tmp_path / "o1"
    )
    assert proc.returncode == 1 and "interrupted after step 2" in error(out).message
    proc, out = run_entrypoint(
        tmp_path, "resumable", inputs, checkpoint=third, prev_checkpoint=second, out=tmp_path / "o2"
    )
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": int}) == {"o0": 2}


@pytest.mark.parametrize("prev", ["", '""', "{{.prevCheckpointPrefix}}"])
def test_first_attempt_has_no_previous_checkpoint(tmp_path: Path, prev: str) -> None:
    proc, out = run_entrypoint(tmp_path, "resumable", {"n": lit(0, int)}, prev_checkpoint=prev)
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": int}) == {"o0": 0}


def test_missing_checkpoint_path_is_a_user_visible_error(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "resumable", {"n": lit(1, int)}, checkpoint="")
    assert proc.returncode == 1
    assert "CT732" in error(out).message


def test_local_call_checkpoint_starts_empty() -> None:
    from rt_pkg import ctx_tasks

    assert ctx_tasks.resumable(n=0) == 0
    with pytest.raises(Exception, match="interrupted after step 1"):
        ctx_tasks.resumable(n=3)


def test_save_restore_files_and_directories(tmp_path: Path) -> None:
    src = tmp_path / "state"
    (src / "nested").mkdir(parents=True)
    (src / "a.bin").write_bytes(b"a")
    (src / "nested" / "b.bin").write_bytes(b"b")
    Checkpoint(str(tmp_path / "cp1")).save(src)
    single = tmp_path / "model.pt"
    single.write_bytes(b"weights")
    Checkpoint(str(tmp_path / "cp2")).save(single)

    restored = Checkpoint(str(tmp_path / "next"), str(tmp_path / "cp1")).restore(tmp_path / "r")
    assert restored is not None
    assert sorted(p.name for p in restored.rglob("*")) == ["a.bin", "b.bin", "nested"]
    cp2 = Checkpoint(str(tmp_path / "next"), str(tmp_path / "cp2"))
    assert cp2.prev_exists() and cp2.read() == b"weights"
    assert cp2.restore() == cp2.restore()  # restored once
    with pytest.raises(Exception, match="CT733"):
        Checkpoint(str(tmp_path / "n"), str(tmp_path / "cp1")).read()
    with pytest.raises(Exception, match="CT733"):
        Checkpoint(str(tmp_path / "n")).save(b"raw bytes")  # type: ignore[arg-type]
    fresh = Checkpoint(str(tmp_path / "n"))
    assert not fresh.prev_exists() and fresh.read() is None and fresh.restore() is None
    fresh.save(io.BytesIO(b"stream"))
    assert (tmp_path / "n" / "_dst_cp").read_bytes() == b"stream"


def test_checkpoint_on_an_fsspec_uri(tmp_path: Path) -> None:
    dest = f"local://{tmp_path}/remote-cp"
    Checkpoint(dest).write(b"over fsspec")
    assert Checkpoint(f"local://{tmp_path}/x", dest).read() == b"over fsspec"
