"""ShellTask and SQLite3Task run through the container args the compiler writes.

Each test serializes the task, fills Flyte's templates in the args (as propeller does), and
runs them with ``python -m compiler.runtime.entrypoint`` in a subprocess.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flyteidl.core import errors_pb2, literals_pb2

from compiler import FlyteFile, FlyteSchema, SQLite3Config, SQLite3Task, kwtypes
from compiler.idl import ENTRYPOINT
from compiler.serialize import serialize_task
from compiler.settings import SerializationSettings
from compiler.types import default_engine

PROBES = Path(__file__).resolve().parents[1] / "oracle" / "probes"
SETTINGS = SerializationSettings.for_image("registry.example.com/app:1")


def _shell(name: str) -> Any:
    if str(PROBES) not in sys.path:
        sys.path.insert(0, str(PROBES))
    return getattr(importlib.import_module("probe_authoring.shell"), name)


def _run(task: Any, tmp_path: Path, inputs: dict[str, Any], template: Path | None = None) -> Path:
    """Run ``task``'s container args with ``inputs``; returns the output prefix."""
    literals = literals_pb2.LiteralMap()
    for name, hint in task.python_interface.inputs.items():
        literals.literals[name].CopyFrom(default_engine().to_literal(inputs[name], hint))
    (tmp_path / "inputs.pb").write_bytes(literals.SerializeToString())
    out = tmp_path / "out"
    filled = {
        "{{.input}}": str(tmp_path / "inputs.pb"),
        "{{.outputPrefix}}": str(out),
        "{{.rawOutputDataPrefix}}": str(tmp_path / "raw"),
        "{{.checkpointOutputPrefix}}": str(tmp_path / "ckpt"),
        "{{.prevCheckpointPrefix}}": "",
        "{{.taskTemplatePath}}": str(template or ""),
    }
    args = list(serialize_task(task, SETTINGS).template.container.args)
    assert args[: len(ENTRYPOINT)] == list(ENTRYPOINT)
    argv = [filled.get(a, a) for a in args[len(ENTRYPOINT) :]]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROBES), *sys.path])}
    command = [sys.executable, "-m", "compiler.runtime.entrypoint", *argv]
    subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    return out


def _outputs(out: Path) -> literals_pb2.LiteralMap:
    assert not (out / "error.pb").exists(), (out / "error.pb").read_bytes()
    return literals_pb2.LiteralMap.FromString((out / "outputs.pb").read_bytes())


def test_shell_task_templates_inputs_and_returns_its_file(tmp_path: Path) -> None:
    data = tmp_path / "lines.txt"
    data.write_text("a\nb\nc\n")
    out = _run(_shell("count_lines"), tmp_path, {"data": FlyteFile(str(data))})
    uri = _outputs(out).literals["count"].scalar.blob.uri
    assert uri.startswith(str(tmp_path / "raw"))
    assert Path(uri).read_text().strip() == "3"


def test_failing_script_is_a_recoverable_user_error(tmp_path: Path) -> None:
    out = _run(_shell("no_outputs"), tmp_path, {"word": "'unterminated"})
    doc = errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes())
    assert doc.error.kind == errors_pb2.ContainerError.RECOVERABLE
    assert "exit status" in doc.error.message


def _database(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("create table tracks (TrackId integer, Name text)")
        con.executemany("insert into tracks values (?, ?)", [(1, "a"), (2, "b"), (3, "c")])


def test_sqlite_task_runs_from_its_template_alone(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    db = tmp_path / "chinook.db"
    _database(db)
    task = SQLite3Task(
        name="rt.tracks",
        query_template="select TrackId, Name from tracks limit {{ .inputs.limit }}",
        inputs=kwtypes(limit=int),
        output_schema_type=FlyteSchema[kwtypes(TrackId=int, Name=str)],
        task_config=SQLite3Config(uri=str(db)),
    )
    template = tmp_path / "task_template.pb"
    template.write_bytes(serialize_task(task, SETTINGS).template.SerializeToString())
    out = _run(task, tmp_path, {"limit": 2}, template)
    schema = _outputs(out).literals["results"].scalar.schema
    assert [c.name for c in schema.type.columns] == ["TrackId", "Name"]
    folder = schema.uri
    assert pq.read_table(Path(folder) / "00000").to_pylist() == [
        {"TrackId": 1, "Name": "a"},
        {"TrackId": 2, "Name": "b"},
    ]


def test_sqlite_task_missing_template_is_a_system_error(tmp_path: Path) -> None:
    task = SQLite3Task(
        name="rt.none",
        query_template="select 1",
        task_config=SQLite3Config(uri=str(tmp_path / "x.db")),
    )
    out = _run(task, tmp_path, {}, tmp_path / "missing.pb")
    doc = errors_pb2.ErrorDocument.FromString((out / "error.pb").read_bytes())
    assert "CT751" in doc.error.message or "does not exist" in doc.error.message


def test_sqlite_task_local_call(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    db = tmp_path / "local.db"
    _database(db)
    task = SQLite3Task(
        name="rt.local",
        query_template="select Name from tracks where TrackId = {{ .inputs.id }}",
        inputs=kwtypes(id=int),
        task_config=SQLite3Config(uri=str(db)),
        container_image="registry.example.com/sql:1",
    )
    result = task(id=3)
    import pyarrow.parquet as pq

    path = result.remote_path or result.local_path
    assert pq.read_table(Path(path) / "00000").to_pylist() == [{"Name": "c"}]
