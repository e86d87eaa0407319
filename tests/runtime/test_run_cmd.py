"""``compile-tasks run``: bundles read safely, inputs from the command line, outputs printed."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import task_spec, write_bundle
from click.testing import CliRunner
from rt_pkg.tasks import Batch

from compiler.cli.run_cmd import run
from compiler.errors import ExecutionError
from compiler.runtime.bundle_reader import find_task, read_task_specs
from compiler.types import FlyteFile

HERE = Path(__file__).parent


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(HERE)  # the task package is found from the working directory
    monkeypatch.setenv("RT_TMP", str(tmp_path))
    specs = [
        task_spec("total", {"xs": list[int], "scale": float}, {"o0": float}),
        task_spec("describe", {"batch": Batch}, {"o0": Batch}),
        task_spec("stats", {"xs": list[float]}, {"count": int, "mean": float}),
        task_spec("maybe", {"x": int | None}, {"o0": str | None}),
        task_spec("boom", {"x": int}, {"o0": int}),
        task_spec("ignore", {"x": int}, {"o0": int}),
        task_spec("write_file", {"text": str}, {"o0": FlyteFile}),
        task_spec("read_file", {"f": FlyteFile}, {"o0": str}),
        task_spec("env", {}, {"o0": str}, env={"RT_GREETING": "from the spec"}),
        task_spec("slow", {"seconds": float}, {"o0": float}),
    ]
    return write_bundle(tmp_path / "bundle", specs)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(run, list(args), catch_exceptions=False)


@pytest.mark.parametrize("archive", [False, True])
def test_run_prints_outputs(bundle: Path, archive: bool) -> None:
    where = str(bundle / "bundle.tgz") if archive else str(bundle)
    result = invoke(where, "total", "--input", "xs=[1, 2, 3]", "--input", "scale=2")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"o0": 12.0}


def test_run_dataclass_namedtuple_optional(bundle: Path, tmp_path: Path) -> None:
    batch = {"name": "eu", "endpoints": [{"host": "h", "port": 1, "tls": False}]}
    result = invoke(str(bundle), "describe", "--input", f"batch={json.dumps(batch)}")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "o0": {
            "name": "EU",
            "endpoints": [
                {"host": "h", "port": 1, "tls": False},
                {"host": "added", "port": 1, "tls": True},
            ],
            "channel": "store",
            "since": None,
        }
    }
    inputs = tmp_path / "in.yaml"
    inputs.write_text("xs: [1.0, 2.0]\n")
    result = invoke(str(bundle), "rt_pkg.tasks.stats", "--inputs-file", str(inputs))
    assert json.loads(result.stdout) == {"count": 2, "mean": 1.5}
    result = invoke(str(bundle), "maybe", "--input", "x=null")
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"o0": None})
    result = invoke(str(bundle), "maybe", "--input", "x=5")
    assert json.loads(result.stdout) == {"o0": "5"}


def test_run_user_error_exits_3_with_traceback(bundle: Path) -> None:
    result = invoke(str(bundle), "boom", "--input", "x=4")
    assert result.exit_code == 3
    assert "task 'rt_pkg.tasks.boom' failed (USER:ValueError, non-recoverable):" in result.stderr
    assert "ValueError: bad x: 4" in result.stderr


def test_run_ignored_outputs(bundle: Path) -> None:
    result = invoke(str(bundle), "ignore", "--input", "x=1")
    assert (result.exit_code, result.stdout) == (0, "{}\n")
    assert "ignored its outputs" in result.stderr


def test_run_file_output_is_kept(bundle: Path) -> None:
    result = invoke(str(bundle), "write_file", "--input", "text=hello there")
    assert result.exit_code == 0, result.output
    uri = json.loads(result.stdout)["o0"]
    assert Path(uri).read_text() == "hello there"
    assert "/raw/" in uri
    result = invoke(str(bundle), "read_file", "--input", f"f={uri}")
    assert json.loads(result.stdout) == {"o0": "hello there"}


def test_run_sets_the_container_env(bundle: Path) -> None:
    # the task's own environment= wins over the container env, as it is set later
    result = invoke(str(bundle), "env")
    assert json.loads(result.stdout) == {"o0": "hello"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nope"], 2, "error CT722: task 'nope' is not in the bundle"),
        (["total", "--input", "xs"], 2, "'xs' is not NAME=VALUE"),
        (["total", "--input", 'xs=["a"]'], 3, "error CT724: task 'rt_pkg.tasks.total', input 'xs'"),
        (["total", "--input", "zz=1"], 2, "input 'zz': unknown input"),
    ],
)
def test_run_usage_and_input_errors(bundle: Path, args: list[str], code: int, message: str) -> None:
    result = invoke(str(bundle), *args)
    assert result.exit_code == code
    assert message in result.output


def _tgz(tmp_path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    path = tmp_path / "evil.tgz"
    with tarfile.open(path, "w:gz") as tar:
        tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
        info.linkname = "/etc/passwd"
    return info


@pytest.mark.parametrize(
    ("member", "why"),
    [
        (_member("/abs_1.pb"), "has an absolute path"),
        (_member("../up_1.pb"), "escapes the archive"),
        (_member("link_1.pb", tarfile.SYMTYPE), "is a link"),
        (_member("hard_1.pb", tarfile.LNKTYPE), "is a link"),
        (_member("dev_1.pb", tarfile.CHRTYPE), "is a device"),
        (_member("fifo_1.pb", tarfile.FIFOTYPE), "is a device or FIFO"),
    ],
)
def test_unsafe_archive_members_are_refused(
    tmp_path: Path, member: tarfile.TarInfo, why: str
) -> None:
    with pytest.raises(ExecutionError) as info:
        read_task_specs(_tgz(tmp_path, member))
    assert info.value.code == "CT721"
    assert why in info.value.message


@pytest.mark.parametrize(
    ("member", "why"),
    [
        (_member("/", tarfile.DIRTYPE), "archive member '' has an empty name"),
        (_member("", tarfile.DIRTYPE), "archive member '' has an empty name"),
        (_member(""), "archive member '' has an empty name"),
        (_member("."), "archive member '.' has no file name"),
        (_member("./", tarfile.SYMTYPE), "archive member './' has no file name"),
    ],
)
def test_nameless_archive_members_are_refused(
    tmp_path: Path, member: tarfile.TarInfo, why: str
) -> None:
    with pytest.raises(ExecutionError) as info:
        read_task_specs(_tgz(tmp_path, member))
    assert info.value.code == "CT721"
    assert info.value.message == why
    assert info.value.render() == (
        f"error CT721: {why}. hint: a bundle archive holds only regular .pb files; "
        "rebuild it with compile-tasks"
    )


@pytest.mark.parametrize("name", [".", "./", ".//."])
def test_archive_root_directory_entry_is_ignored(tmp_path: Path, name: str) -> None:
    # `tar -czf b.tgz -C out .` writes a './' entry before the files
    spec = task_spec("total", {"xs": list[int], "scale": float}, {"o0": float})
    data = spec.SerializeToString(deterministic=True)
    path = tmp_path / "rooted.tgz"
    with tarfile.open(path, "w:gz") as tar:
        tar.addfile(_member(name, tarfile.DIRTYPE))
        tar.addfile(_member("./00_total_1.pb", size=len(data)), io.BytesIO(data))
    assert read_task_specs(path) == {"./00_total_1.pb": spec}
    only_root = _tgz(tmp_path, _member(name, tarfile.DIRTYPE))
    assert read_task_specs(only_root) == {}


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("/", "error CT721: archive member '' has an empty name. hint: a bundle archive "
         "holds only regular .pb files; rebuild it with compile-tasks"),
        (".", "error CT722: task 'total' is not in the bundle. hint: the bundle's tasks "
         "are: (none)"),
    ],
)  # fmt: skip
def test_run_on_a_nameless_member_prints_one_error_line(
    tmp_path: Path, name: str, line: str
) -> None:
    archive = _tgz(tmp_path, _member(name, tarfile.DIRTYPE))
    result = CliRunner().invoke(run, [str(archive), "total"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [line]


def test_oversized_member_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from compiler.runtime import bundle_reader

    monkeypatch.setattr(bundle_reader, "MAX_MEMBER_BYTES", 10)
    with pytest.raises(ExecutionError) as info:
        read_task_specs(_tgz(tmp_path, _member("big_1.pb", size=11), b"x" * 11))
    assert info.value.code == "CT721" and "larger than 10 bytes" in info.value.message


def test_find_task_by_suffix_and_ambiguity(bundle: Path) -> None:
    specs = read_task_specs(bundle)
    assert find_task(specs, "tasks.total").template.id.name == "rt_pkg.tasks.total"
    with pytest.raises(ExecutionError) as info:
        find_task(specs, "zzz")
    assert "rt_pkg.tasks.total" in (info.value.hint or "")


def test_console_script_run(bundle: Path) -> None:
    script = shutil.which("compile-tasks")
    assert script is not None
    proc = subprocess.run(
        [script, "run", str(bundle), "total", "--input", "xs=[2]"],
        cwd=HERE, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if "No such command 'run'" in proc.stderr or (proc.returncode == 2 and not proc.stdout):
        pytest.skip(f"the CLI does not expose run yet: {proc.stderr}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"o0": 2.0}


def test_run_timeout_exits_3(bundle: Path) -> None:
    result = invoke(str(bundle), "slow", "--input", "seconds=30", "--timeout", "0.5")
    assert result.exit_code == 3
    assert "task 'rt_pkg.tasks.slow' did not finish within 0.5 s" in result.stderr


def test_not_an_archive_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "b.tgz"
    bogus.write_bytes(b"PK\x03\x04 not a tar at all")
    with pytest.raises(ExecutionError) as info:
        read_task_specs(bogus)
    assert info.value.code == "CT720"
    assert "\n" not in info.value.render()
    assert info.value.message.startswith(f"cannot read archive {bogus} (")
