"""Blob inputs and outputs through fsspec (``memory://`` stands in for a blob store)."""

from __future__ import annotations

from pathlib import Path

import fsspec
import pytest
from flyteidl.core import literals_pb2, types_pb2

from compiler.context import storage
from compiler.runtime.blobs import BlobMover


def _blob(uri: str, multipart: bool = False) -> literals_pb2.Literal:
    dim = types_pb2.BlobType.MULTIPART if multipart else types_pb2.BlobType.SINGLE
    meta = literals_pb2.BlobMetadata(type=types_pb2.BlobType(dimensionality=dim))
    return literals_pb2.Literal(
        scalar=literals_pb2.Scalar(blob=literals_pb2.Blob(metadata=meta, uri=uri))
    )


@pytest.fixture
def memfs() -> fsspec.AbstractFileSystem:
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    fs.pseudo_dirs.clear()
    fs.pseudo_dirs.append("")
    return fs


def test_storage_reads_and_writes_remote_and_local(
    memfs: fsspec.AbstractFileSystem, tmp_path: Path
) -> None:
    storage.write_bytes("memory://bucket/a/inputs.pb", b"abc")
    assert storage.read_bytes("memory://bucket/a/inputs.pb") == b"abc"
    storage.write_bytes(str(tmp_path / "x" / "outputs.pb"), b"local")
    assert storage.read_bytes(f"file://{tmp_path}/x/outputs.pb") == b"local"
    assert storage.join("s3://b/p/", "/raw/", "f") == "s3://b/p/raw/f"
    assert [storage.is_remote(u) for u in ("s3://b", "file:///x", "/x", "C:\\x")] == [
        True, False, False, False,
    ]  # fmt: skip


def test_remote_inputs_are_downloaded_and_outputs_uploaded(
    memfs: fsspec.AbstractFileSystem, tmp_path: Path
) -> None:
    memfs.pipe("/bucket/in/data.csv", b"a,b\n")
    memfs.pipe("/bucket/in/dir/one.txt", b"1")
    inputs = literals_pb2.LiteralMap(literals={
        "f": _blob("memory://bucket/in/data.csv"),
        "fs": literals_pb2.Literal(collection=literals_pb2.LiteralCollection(
            literals=[_blob("memory://bucket/in/dir", multipart=True)]
        )),
    })  # fmt: skip
    mover = BlobMover(str(tmp_path / "work"), "memory://bucket/raw")
    mover.localise_inputs(inputs)
    local_file = Path(inputs.literals["f"].scalar.blob.uri)
    assert local_file.read_bytes() == b"a,b\n"
    local_dir = Path(inputs.literals["fs"].collection.literals[0].scalar.blob.uri)
    assert (local_dir / "one.txt").read_bytes() == b"1"

    produced = tmp_path / "made.txt"
    produced.write_text("new")
    outputs = literals_pb2.LiteralMap(literals={
        "same": _blob(str(local_file)), "new": _blob(str(produced)), "remote": _blob("s3://x/y"),
    })  # fmt: skip
    mover.publish_outputs(outputs)
    assert outputs.literals["same"].scalar.blob.uri == "memory://bucket/in/data.csv"
    assert outputs.literals["remote"].scalar.blob.uri == "s3://x/y"
    new_uri = outputs.literals["new"].scalar.blob.uri
    assert new_uri.startswith("memory://bucket/raw/") and new_uri.endswith("/made.txt")
    assert memfs.cat(new_uri) == b"new"


def test_run_request_with_blob_store_uris(
    memfs: fsspec.AbstractFileSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole execution against ``memory://`` URIs: inputs, outputs.pb, file uploads."""
    from compiler.runtime.execute import ExecutionRequest, run_request
    from compiler.types.engine import default_engine

    memfs.pipe("/bucket/data/in.txt", b"remote text")
    engine = default_engine()
    inputs = literals_pb2.LiteralMap(literals={"f": _blob("memory://bucket/data/in.txt")})
    memfs.pipe("/bucket/run/inputs.pb", inputs.SerializeToString())
    request = ExecutionRequest(
        inputs="memory://bucket/run/inputs.pb",
        output_prefix="memory://bucket/run/out",
        raw_output_prefix="memory://bucket/raw",
        resolver="rt_pkg.tasks.resolver",
        loader_args=("task-module", "rt_pkg.tasks", "task-name", "read_file"),
    )
    assert run_request(request).status == "outputs"
    assert default_engine().allow_pickle is False  # restored after the run
    outputs = literals_pb2.LiteralMap.FromString(memfs.cat("/bucket/run/out/outputs.pb"))
    assert engine.to_python(outputs.literals["o0"], str) == "remote text"

    monkeypatch.setenv("RT_TMP", str(tmp_path))
    request = ExecutionRequest(
        inputs="memory://bucket/run/inputs2.pb",
        output_prefix="memory://bucket/run/out2",
        raw_output_prefix="memory://bucket/raw",
        resolver="rt_pkg.tasks.resolver",
        loader_args=("task-module", "rt_pkg.tasks", "task-name", "write_file"),
    )
    text = literals_pb2.LiteralMap(literals={"text": engine.to_literal("made here", str)})
    memfs.pipe("/bucket/run/inputs2.pb", text.SerializeToString())
    assert run_request(request).status == "outputs"
    outputs = literals_pb2.LiteralMap.FromString(memfs.cat("/bucket/run/out2/outputs.pb"))
    uri = outputs.literals["o0"].scalar.blob.uri
    assert uri.startswith("memory://bucket/raw/") and uri.endswith("/out.txt")
    assert memfs.cat(uri) == b"made here"
