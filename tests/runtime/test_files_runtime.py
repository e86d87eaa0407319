"""``FlyteFile`` / ``FlyteDirectory`` as tasks use them, in the container and locally.

``local://`` URIs are "remote" to the runtime (they go through ``fsspec``, like ``s3://``) but
readable from the test, so the download / upload paths run for real across processes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ctx_helpers import error, lit, output_literals, outputs, run_entrypoint
from flyteidl.core import execution_pb2

from compiler import FlyteDirectory, FlyteFile
from compiler.context import execution_scope
from compiler.context.params import local_parameters

SYSTEM = execution_pb2.ExecutionError.ErrorKind.SYSTEM


def _remote_file(tmp_path: Path, text: str = "hello files") -> str:
    src = tmp_path / "bucket" / "in" / "greeting.txt"
    src.parent.mkdir(parents=True)
    src.write_text(text)
    return f"local://{src}"


def test_file_downloaded_read_and_new_remote_file_returned(tmp_path: Path) -> None:
    uri = _remote_file(tmp_path)
    proc, out = run_entrypoint(tmp_path, "upper_file", {"f": lit(FlyteFile(uri), FlyteFile)})
    assert proc.returncode == 0, proc.stderr
    result = output_literals(out).literals["o0"].scalar.blob.uri
    # written straight under the raw output prefix by open("w"), not uploaded a second time
    assert result == f"{tmp_path / 'raw'}/upper.txt"
    assert Path(result).read_text() == "HELLO FILES"


def test_open_streams_remote_source_and_fspath_is_local(tmp_path: Path) -> None:
    uri = _remote_file(tmp_path)
    proc, out = run_entrypoint(tmp_path, "file_facts", {"f": lit(FlyteFile(uri), FlyteFile)})
    assert proc.returncode == 0, proc.stderr
    head, source, exists, path = outputs(out, {"o0": list[str]})["o0"]
    assert (head, source, exists) == ("hello", uri, "True")
    assert not path.startswith("local://")


def test_returned_input_keeps_its_uri(tmp_path: Path) -> None:
    uri = _remote_file(tmp_path)
    proc, out = run_entrypoint(tmp_path, "keep_file", {"f": lit(FlyteFile(uri), FlyteFile)})
    assert proc.returncode == 0, proc.stderr
    assert output_literals(out).literals["o0"].scalar.blob.uri == uri


def test_local_output_uploaded_under_raw_prefix(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "local_output")
    assert proc.returncode == 0, proc.stderr
    uri = output_literals(out).literals["o0"].scalar.blob.uri
    assert uri.startswith(str(tmp_path / "raw") + "/") and uri.endswith("/made.txt")
    assert Path(uri).read_text() == "made here"


def test_download_failure_names_task_input_and_uri(tmp_path: Path) -> None:
    uri = f"local://{tmp_path}/bucket/missing.txt"
    proc, out = run_entrypoint(tmp_path, "keep_file", {"f": lit(FlyteFile(uri), FlyteFile)})
    assert proc.returncode == 1
    err = error(out)
    assert err.origin == SYSTEM
    for part in ("CT731", "task 'rt_pkg.ctx_tasks.keep_file'", "input 'f'", repr(uri)):
        assert part in err.message
    assert proc.stderr.count("\n") == 1 and "CT731" in proc.stderr  # one line, no traceback


def test_directory_listdir_crawl_walk(tmp_path: Path) -> None:
    root = tmp_path / "bucket" / "dir"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("a")
    (root / "sub" / "b.txt").write_text("b")
    d = FlyteDirectory(f"local://{root}")
    proc, out = run_entrypoint(tmp_path, "dir_listing", {"d": lit(d, FlyteDirectory)})
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": list[str]})["o0"] == [
        "a.txt", "sub", "|", "a.txt", "sub/b.txt", "|", "dir:a.txt", "sub:b.txt",
    ]  # fmt: skip


def test_new_remote_directory_filled_with_new_file_and_new_dir(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "make_dir")
    assert proc.returncode == 0, proc.stderr
    uri = output_literals(out).literals["o0"].scalar.blob.uri
    assert uri == f"{tmp_path / 'raw'}/made"
    assert (Path(uri) / "a.txt").read_text() == "a"
    assert (Path(uri) / "sub" / "b.txt").read_text() == "b"


def test_local_call_uses_the_same_methods(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from rt_pkg import ctx_tasks

    monkeypatch.setenv("COMPILE_TASKS_LOCAL_DIR", str(tmp_path / "local"))
    uri = _remote_file(tmp_path, "abc")
    result = ctx_tasks.upper_file(f=FlyteFile(uri))
    assert Path(result.path).read_text() == "ABC"
    assert result.path.startswith(str(tmp_path / "local"))
    head, source, exists, _ = ctx_tasks.file_facts(f=FlyteFile(uri))
    assert (head, exists) == ("abc", "True")
    assert source == uri  # downloaded on first use as a path; the URI is its remote source


def test_from_source_downloads_lazily(tmp_path: Path) -> None:
    uri = _remote_file(tmp_path, "lazy")
    with execution_scope(local_parameters("t")):
        f = FlyteFile.from_source(uri)
        assert not f.downloaded and f.remote_source == uri
        with open(f) as src:  # os.fspath downloads it
            assert src.read() == "lazy"
        assert f.downloaded and os.path.isfile(f.path)


def test_download_of_missing_uri_is_ct736(tmp_path: Path) -> None:
    scope = execution_scope(local_parameters("t"))
    with scope, pytest.raises(Exception, match="CT736") as info:
        FlyteFile(f"local://{tmp_path}/none.txt").download()
    assert f"local://{tmp_path}/none.txt" in str(info.value)


def test_new_refuses_absolute_paths() -> None:
    with pytest.raises(Exception, match="CT737"):
        FlyteFile.new("/etc/passwd")
    assert FlyteDirectory.new("made-here").path.endswith("made-here")


def test_unknown_scheme_is_ct734(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="CT734") as info:
        FlyteFile("nosuchscheme://bucket/x").open("rb")
    assert "nosuchscheme://" in str(info.value)


def test_new_remote_file_alt_replaces_the_bucket() -> None:
    params = local_parameters("t")
    params._raw_output_prefix = "s3://main-bucket/data/run-1"
    with execution_scope(params):
        assert FlyteFile.new_remote_file("x.csv", alt="other").path == "s3://other/data/run-1/x.csv"
        assert FlyteDirectory.new_remote("d").path == "s3://main-bucket/data/run-1/d"


def test_file_field_of_a_dataclass_input_downloads_on_use(tmp_path: Path) -> None:
    from rt_pkg.ctx_tasks import Holder

    uri = _remote_file(tmp_path, "inside")
    held = lit(Holder("h", FlyteFile(uri)), Holder)
    proc, out = run_entrypoint(tmp_path, "read_held", {"h": held})
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": str}) == {"o0": "h:inside:True"}
