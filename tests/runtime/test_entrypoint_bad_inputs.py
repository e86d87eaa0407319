"""What the entrypoint does with inputs and prefixes it cannot use: ``error.pb`` with origin
SYSTEM (a retry may help: the platform, not the task, failed), one line on stderr, and our own
frames only with ``--debug``."""

from __future__ import annotations

from pathlib import Path

import pytest
from ctx_helpers import error, lit, run_entrypoint
from flyteidl.core import errors_pb2, execution_pb2, literals_pb2

from compiler import FlyteFile

SYSTEM = execution_pb2.ExecutionError.ErrorKind.SYSTEM
USER = execution_pb2.ExecutionError.ErrorKind.USER


def _valid_inputs() -> bytes:
    literals = {"x": lit(12345, int), "y": lit("a longer string value", str)}
    return literals_pb2.LiteralMap(literals=literals).SerializeToString()


def _assert_system(proc: object, out: Path, code: str) -> errors_pb2.ContainerError:
    assert proc.returncode == 1  # type: ignore[attr-defined]
    err = error(out)
    assert (err.origin, err.kind) == (SYSTEM, errors_pb2.ContainerError.RECOVERABLE)
    assert code in err.message
    assert "compiler/" not in err.message  # our frames only with --debug
    lines = proc.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("compile-tasks-execute: error " + code)
    return err


def test_missing_inputs_file(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "async_double", inputs_path=str(tmp_path / "nope.pb"))
    _assert_system(proc, out, "CT712")


def test_truncated_inputs_file(tmp_path: Path) -> None:
    pb = tmp_path / "cut.pb"
    pb.write_bytes(_valid_inputs()[:-7])
    proc, out = run_entrypoint(tmp_path, "async_double", inputs_path=str(pb))
    err = _assert_system(proc, out, "CT712")
    assert "is not a LiteralMap" in err.message


@pytest.mark.parametrize("content", [b"not a protobuf at all", b'{"x": 1}', b"\xff\xff\xff\xff"])
def test_inputs_file_of_another_kind(tmp_path: Path, content: bytes) -> None:
    pb = tmp_path / "other.pb"
    pb.write_bytes(content)
    proc, out = run_entrypoint(tmp_path, "async_double", inputs_path=str(pb))
    _assert_system(proc, out, "CT712")


def test_unknown_uri_scheme_for_inputs(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "async_double", inputs_path="nosuch://bucket/inputs.pb")
    err = _assert_system(proc, out, "CT734")
    assert "nosuch://" in err.message


def test_unknown_uri_scheme_for_a_file_input(tmp_path: Path) -> None:
    f = lit(FlyteFile("nosuch://bucket/a.txt"), FlyteFile)
    proc, out = run_entrypoint(tmp_path, "keep_file", {"f": f})
    err = _assert_system(proc, out, "CT734")
    assert "task 'rt_pkg.ctx_tasks.keep_file', input 'f'" in err.message


def test_unwritable_output_prefix(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    proc, _ = run_entrypoint(tmp_path, "async_double", {"x": lit(1, int)}, out=blocker / "out")
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 2, proc.stderr
    assert lines[0].startswith("compile-tasks-execute: error CT735: cannot write error.pb")
    assert str(blocker / "out") in lines[0]
    assert "Traceback" not in proc.stderr


def test_debug_keeps_our_frames(tmp_path: Path) -> None:
    proc, out = run_entrypoint(
        tmp_path, "async_double", inputs_path=str(tmp_path / "nope.pb"), extra=("--debug",)
    )
    assert proc.returncode == 1
    err = error(out)
    assert err.origin == SYSTEM
    assert "compiler/runtime/execute.py" in err.message
    assert "Traceback (most recent call last)" in proc.stderr


def test_user_exception_keeps_the_users_traceback(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "sync_boom", {"x": lit(9, int)})
    assert proc.returncode == 1
    err = error(out)
    assert (err.origin, err.code) == (USER, "USER:ValueError")
    assert err.message.startswith("Traceback (most recent call last):\n")
    assert 'rt_pkg/ctx_tasks.py", line' in err.message and "in sync_boom" in err.message
    assert "compiler/" not in err.message
    assert "in sync_boom" in proc.stderr  # the user's traceback is printed too
