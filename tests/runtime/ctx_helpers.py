"""Running ``rt_pkg.ctx_tasks`` through the container entrypoint in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from flyteidl.core import errors_pb2, literals_pb2

from compiler.types.engine import default_engine

HERE = Path(__file__).parent
DEFAULT_RESOLVER = "compiler.sdk.resolver.default_task_resolver"


def lit(value: Any, hint: Any) -> literals_pb2.Literal:
    """The literal of ``value`` typed as ``hint``."""
    return default_engine().to_literal(value, hint)


def run_entrypoint(
    tmp_path: Path,
    task: str,
    inputs: dict[str, literals_pb2.Literal] | None = None,
    *,
    env: dict[str, str] | None = None,
    out: Path | None = None,
    checkpoint: str | None = None,
    prev_checkpoint: str = "",
    extra: tuple[str, ...] = (),
    inputs_path: str | None = None,
    module: str = "rt_pkg.ctx_tasks",
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run ``compile-tasks-execute`` on ``<module>.<task>``; returns the process and the
    output prefix."""
    if inputs_path is None:
        pb = tmp_path / "inputs.pb"
        pb.write_bytes(literals_pb2.LiteralMap(literals=inputs or {}).SerializeToString())
        inputs_path = str(pb)
    out = out or tmp_path / "out"
    args = [
        sys.executable, "-m", "compiler.runtime.entrypoint",
        "--inputs", inputs_path, "--output-prefix", str(out),
        "--raw-output-data-prefix", str(tmp_path / "raw"),
        "--checkpoint-path", checkpoint if checkpoint is not None else str(tmp_path / "ckpt"),
        "--prev-checkpoint", prev_checkpoint,
        "--resolver", DEFAULT_RESOLVER, *extra,
        "--", "task-module", module, "task-name", task,
    ]  # fmt: skip
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(args, cwd=HERE, env=full_env, capture_output=True, text=True, timeout=90)
    return proc, out


def outputs(out: Path, hints: dict[str, Any]) -> dict[str, Any]:
    """The Python values of ``outputs.pb`` (fails with the error document when there is one)."""
    assert not (out / "error.pb").exists(), error(out)
    lm = literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())
    return {k: default_engine().to_python(lm.literals[k], h) for k, h in hints.items()}


def output_literals(out: Path) -> literals_pb2.LiteralMap:
    """The ``outputs.pb`` literal map."""
    return literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())


def error(out: Path) -> errors_pb2.ContainerError:
    """The ``ContainerError`` of ``error.pb``."""
    return errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes()).error
