"""``compile-tasks-execute`` in a subprocess, on the small tasks of ``rt_pkg``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flyteidl.core import errors_pb2, literals_pb2
from google.protobuf import json_format

from compiler.types.engine import default_engine

HERE = Path(__file__).parent
RESOLVER = "rt_pkg.tasks.resolver"


def _lit(value: Any, hint: Any) -> literals_pb2.Literal:
    return default_engine().to_literal(value, hint)


def _as_dict(msg: Any) -> dict[str, Any]:
    return json_format.MessageToDict(msg, preserving_proto_field_name=True)


def execute(
    tmp_path: Path, task: str, inputs: dict[str, literals_pb2.Literal], *extra_env: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the entrypoint on ``rt_pkg.tasks.<task>``; returns the process and the output dir."""
    inputs_pb = tmp_path / "inputs.pb"
    inputs_pb.write_bytes(literals_pb2.LiteralMap(literals=inputs).SerializeToString())
    out = tmp_path / "out"
    args = [
        sys.executable, "-m", "compiler.runtime.entrypoint",
        "--inputs", str(inputs_pb), "--output-prefix", str(out),
        "--raw-output-data-prefix", str(tmp_path / "raw"),
        "--checkpoint-path", str(tmp_path / "ckpt"), "--prev-checkpoint", "",
        "--resolver", RESOLVER, "--", "task-module", "rt_pkg.tasks", "task-name", task,
    ]  # fmt: skip
    env = {**os.environ, "RT_TMP": str(tmp_path)}
    proc = subprocess.run(args, cwd=HERE, env=env, capture_output=True, text=True, timeout=60)
    return proc, out


def outputs_of(out: Path) -> dict[str, Any]:
    assert not (out / "error.pb").exists(), (out / "error.pb").read_bytes()
    return _as_dict(literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes()))


def error_of(out: Path) -> errors_pb2.ContainerError:
    assert not (out / "outputs.pb").exists()
    return errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error


def test_list_input_float_output(tmp_path: Path) -> None:
    proc, out = execute(
        tmp_path, "total", {"xs": _lit([1, 2, 3], list[int]), "scale": _lit(0.5, float)}
    )
    assert proc.returncode == 0, proc.stderr
    assert outputs_of(out) == {"literals": {"o0": {"scalar": {"primitive": {"float_value": 3.0}}}}}


def test_missing_defaulted_input_uses_python_default(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "total", {"xs": _lit([4], list[int])})
    assert proc.returncode == 0, proc.stderr
    assert outputs_of(out) == {"literals": {"o0": {"scalar": {"primitive": {"float_value": 4.0}}}}}


def test_dataclass_in_and_out(tmp_path: Path) -> None:
    from rt_pkg.tasks import Batch, Channel, Endpoint

    batch = Batch("eu", [Endpoint("api.shop.example", 8443)])
    proc, out = execute(tmp_path, "describe", {"batch": _lit(batch, Batch)})
    assert proc.returncode == 0, proc.stderr
    literal = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes()).literals["o0"]
    assert literal.scalar.binary.tag == "msgpack"
    assert default_engine().to_python(literal, Batch) == Batch(
        "EU", [Endpoint("api.shop.example", 8443), Endpoint("added", 1)], Channel.STORE
    )


def test_namedtuple_outputs(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "stats", {"xs": _lit([1.0, 2.0], list[float])})
    assert proc.returncode == 0, proc.stderr
    assert outputs_of(out) == {
        "literals": {
            "count": {"scalar": {"primitive": {"integer": "2"}}},
            "mean": {"scalar": {"primitive": {"float_value": 1.5}}},
        }
    }


def test_optional_none_in_and_out(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "maybe", {"x": _lit(None, int | None)})
    assert proc.returncode == 0, proc.stderr
    none = {
        "type": {"simple": "NONE", "structure": {"tag": "none"}},
        "value": {"scalar": {"none_type": {}}},
    }
    assert outputs_of(out) == {"literals": {"o0": {"scalar": {"union": none}}}}


def test_user_error_writes_error_pb(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "boom", {"x": _lit(3, int)})
    assert proc.returncode == 1
    error = error_of(out)
    assert error.code == "USER:ValueError"
    assert error.origin == error.origin.__class__(1)  # USER
    assert error.kind == errors_pb2.ContainerError.NON_RECOVERABLE
    assert "ValueError: bad x: 3" in error.message
    assert 'tasks.py", line' in error.message and "in _boom" in error.message
    assert "compiler/runtime" not in error.message


def test_recoverable_error(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "flaky", {"x": _lit(1, int)})
    assert proc.returncode == 1
    error = error_of(out)
    assert (error.code, error.kind) == (
        "USER:FlyteRecoverableException",
        errors_pb2.ContainerError.RECOVERABLE,
    )


def test_wrong_output_type_is_a_user_error(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "wrong", {"x": _lit(1, int)})
    assert proc.returncode == 1
    error = error_of(out)
    assert (error.code, error.origin) == ("USER:ExecutionError", 1)
    assert "output 'o0'" in error.message and "expected a value of type int" in error.message


def test_ignore_outputs_writes_nothing(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "ignore", {"x": _lit(1, int)})
    assert proc.returncode == 0, proc.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_file_output_is_uploaded_under_raw_prefix(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "write_file", {"text": _lit("hi", str)})
    assert proc.returncode == 0, proc.stderr
    blob = outputs_of(out)["literals"]["o0"]["scalar"]["blob"]
    assert blob["metadata"] == {"type": {}}
    uploaded = Path(blob["uri"])
    assert uploaded.parent.parent == tmp_path / "raw" and uploaded.name == "out.txt"
    assert uploaded.read_text() == "hi"


def test_remote_file_and_directory_inputs_are_downloaded(tmp_path: Path) -> None:
    import fsspec

    from compiler.types import FlyteDirectory, FlyteFile

    fs = fsspec.filesystem("file")
    (tmp_path / "remote" / "d").mkdir(parents=True)
    (tmp_path / "remote" / "d" / "a.txt").write_text("a")
    (tmp_path / "remote" / "f.txt").write_text("content")
    del fs
    f_uri = f"file://{tmp_path}/remote/f.txt"
    proc, out = execute(tmp_path, "read_file", {"f": _lit(FlyteFile(f_uri), FlyteFile)})
    assert proc.returncode == 0, proc.stderr
    assert outputs_of(out)["literals"]["o0"] == {
        "scalar": {"primitive": {"string_value": "content"}}
    }
    d_lit = _lit(FlyteDirectory(f"{tmp_path}/remote/d"), FlyteDirectory)
    proc, out = execute(tmp_path, "list_dir", {"d": d_lit})
    assert proc.returncode == 0, proc.stderr
    assert outputs_of(out)["literals"]["o0"] == {
        "collection": {"literals": [{"scalar": {"primitive": {"string_value": "a.txt"}}}]}
    }


def test_task_environment_is_set(tmp_path: Path) -> None:
    proc, out = execute(tmp_path, "env", {})
    assert proc.returncode == 0, proc.stderr
    assert outputs_of(out)["literals"]["o0"] == {"scalar": {"primitive": {"string_value": "hello"}}}


def test_unknown_task_module_is_a_user_error(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.pb"
    inputs.write_bytes(b"")
    proc, out = execute(tmp_path, "no_such_task", {})
    assert proc.returncode == 1
    error = error_of(out)
    assert error.code == "USER:AttributeError"


def test_bad_resolver_is_a_system_error(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.pb"
    inputs.write_bytes(b"")
    out = tmp_path / "out"
    args = [
        sys.executable, "-m", "compiler.runtime.entrypoint", "--inputs", str(inputs),
        "--output-prefix", str(out), "--resolver", "rt_pkg.tasks.no_resolver",
        "--", "task-module", "rt_pkg.tasks", "task-name", "total",
    ]  # fmt: skip
    proc = subprocess.run(args, cwd=HERE, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    error = error_of(out)
    assert (error.code, error.origin) == ("SYSTEM:ExecutionError", 2)
    assert error.kind == errors_pb2.ContainerError.RECOVERABLE  # the platform failed: retry
    assert "CT711" in error.message


def test_unreadable_inputs_is_a_system_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = [
        sys.executable, "-m", "compiler.runtime.entrypoint", "--inputs", str(tmp_path / "nope.pb"),
        "--output-prefix", str(out), "--resolver", RESOLVER,
        "--", "task-module", "rt_pkg.tasks", "task-name", "total",
    ]  # fmt: skip
    proc = subprocess.run(args, cwd=HERE, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    error = error_of(out)
    assert (error.code, error.origin) == ("SYSTEM:ExecutionError", 2)
    assert "CT712" in error.message


@pytest.mark.parametrize("argv", [[], ["--inputs", "x", "--output-prefix", "y", "--resolver", "r"]])
def test_bad_arguments_exit_2(argv: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "compiler.runtime.entrypoint", *argv],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2


def test_console_script_is_installed(tmp_path: Path) -> None:
    import shutil

    script = shutil.which("compile-tasks-execute")
    assert script is not None
    proc = subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "--raw-output-data-prefix" in proc.stdout


def test_distributed_error_strategy_writes_one_file_per_worker(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.pb"
    inputs.write_bytes(literals_pb2.LiteralMap(literals={"x": _lit(2, int)}).SerializeToString())
    out = tmp_path / "out"
    args = [
        sys.executable, "-m", "compiler.runtime.entrypoint", "--inputs", str(inputs),
        "--output-prefix", str(out), "--resolver", RESOLVER,
        "--", "task-module", "rt_pkg.tasks", "task-name", "boom",
    ]  # fmt: skip
    env = {**os.environ, "_F_DES": "Earliest", "FLYTE_INTERNAL_WORKER_NAME": "worker-3"}
    proc = subprocess.run(args, cwd=HERE, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    (written,) = list(out.iterdir())
    assert written.name.startswith("error-") and written.suffix == ".pb"
    assert len(written.stem) == len("error-") + 32
    error = errors_pb2.ErrorDocument.FromString(written.read_bytes()).error
    assert (error.code, error.worker) == ("USER:ValueError", "worker-3")


def test_files_inside_dataclass_outputs_are_uploaded(tmp_path: Path) -> None:
    import msgpack

    proc, out = execute(tmp_path, "report", {"title": _lit("Q3", str)})
    assert proc.returncode == 0, proc.stderr
    literal = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes()).literals["o0"]
    data = msgpack.unpackb(literal.scalar.binary.value)
    assert list(data) == ["title", "file", "extras", "folder", "link"]
    raw = tmp_path / "raw"
    report, extra, folder = (
        Path(data["file"]["path"]),
        Path(data["extras"][0]["path"]),
        Path(data["folder"]["path"]),
    )
    assert report.is_relative_to(raw) and report.read_text() == "Q3"
    assert extra.is_relative_to(raw) and extra.read_text() == "x"
    assert folder.is_relative_to(raw) and (folder / "p1.txt").read_text() == "1"
    assert data["link"] == {"path": "s3://bucket/already/remote.txt"}


def test_pickled_types_run_in_the_container(tmp_path: Path) -> None:
    from compiler.types.engine import TypeEngine

    allowing = TypeEngine(allow_pickle=True)
    proc, out = execute(tmp_path, "pickled", {"blob": allowing.to_literal(b"abc", bytes)})
    assert proc.returncode == 0, proc.stderr
    blob = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes()).literals["o0"]
    assert blob.scalar.blob.metadata.type.format == "PythonPickle"
    assert Path(blob.scalar.blob.uri).is_relative_to(tmp_path / "raw")
    assert allowing.to_python(blob, bytes) == b"cba"
