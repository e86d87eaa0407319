"""Reading untrusted archives: ``compile-tasks run BUNDLE.tgz TASK`` and ``read_archive``.

Hostile archives are built here with :mod:`tarfile`: members with absolute paths, ``..``,
symbolic and hard links, devices, FIFOs, oversized or too many members, garbage and truncated
files. ``run`` must refuse each with one ``error CT72x`` line naming the member (exit 2), never
extract anything, and never run the task. The bundle package's own ``read_archive`` must refuse
the same members with CT505.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import CASES, assert_no_traceback, error_lines, examples, run_cli, snapshot

from compiler.bundle import read_archive
from compiler.bundle.archive import MAX_ARCHIVE_BYTES, member_blocks, member_header
from compiler.errors import BundleError, CompileTasksError
from compiler.runtime.bundle_reader import MAX_MEMBER_BYTES, MAX_MEMBERS, read_task_specs

GOOD_TASK = "00_rb_good.orders.count_1.pb"
#: A real TaskSpec and a real archive, committed by no one: built once from the good case.
GOOD_PB = b""
GOOD_TGZ = b""


def _info(
    name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, **attrs: object
) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.mode = 0o644
    for key, value in attrs.items():
        setattr(info, key, value)
    return info


def _tgz(members: list[tuple[tarfile.TarInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return buffer.getvalue()


def _with_good(good: bytes, *extra: tuple[tarfile.TarInfo, bytes]) -> bytes:
    """A real task first (so the archive is otherwise usable), then the hostile members."""
    return _tgz([(_info(GOOD_TASK, size=len(good)), good), *extra])


def _header_only(name: str, size: int) -> bytes:
    """A member whose header claims ``size`` bytes; the data is never written (cheap)."""
    header = _info(name, size=size).tobuf(format=tarfile.GNU_FORMAT)
    return gzip.compress(header + b"\0" * 1024, mtime=0)


def _good_member(good: bytes) -> bytes:
    """The real task as the first member of a gzip stream that goes on (no end marker)."""
    header = _info(GOOD_TASK, size=len(good)).tobuf(format=tarfile.GNU_FORMAT)
    return gzip.compress(header + good + b"\0" * (-len(good) % 512), mtime=0)


def _bomb(total: int = MAX_ARCHIVE_BYTES + 64 * 1024 * 1024) -> bytes:
    """A few hundred KiB of gzip that expands past the total bound, every member small enough.

    One ``skip.bin`` member (not a task: never read, only skipped) of just under the member
    limit is compressed once; the gzip stream repeats it (concatenated gzip members are one
    valid stream), so building the bomb is as cheap as reading it must be.
    """
    size = MAX_MEMBER_BYTES - 1024
    header = _info("skip.bin", size=size).tobuf(format=tarfile.GNU_FORMAT)
    chunk = gzip.compress(header + b"\0" * (size + (-size % 512)), compresslevel=1, mtime=0)
    return chunk * (total // size + 1)


def _many(count: int) -> bytes:
    """``count`` empty members (headers laid out by the bundle's fast path: 100,000 of them)."""
    headers = b"".join(member_header(f"{i:06d}_t_1.pb", 0) for i in range(count))
    return gzip.compress(headers + b"\0" * 1024, compresslevel=1, mtime=0)


Builder = Callable[[bytes], bytes]


@dataclass(frozen=True)
class Hostile:
    """An archive builder, the code ``run`` must report and text its message must hold."""

    build: Builder
    code: str
    says: str


HOSTILE: dict[str, Hostile] = {
    "absolute_path": Hostile(
        lambda g: _with_good(g, (_info("/tmp/rb_evil_1.pb", size=len(g)), g)),
        "CT721",
        "'/tmp/rb_evil_1.pb' has an absolute path",
    ),
    "dot_dot": Hostile(
        lambda g: _with_good(g, (_info("../rb_evil_1.pb", size=len(g)), g)),
        "CT721",
        "'../rb_evil_1.pb' escapes the archive",
    ),
    "nested_dot_dot": Hostile(
        lambda g: _with_good(g, (_info("a/../../rb_evil_1.pb", size=len(g)), g)),
        "CT721",
        "escapes the archive",
    ),
    "symlink": Hostile(
        lambda g: _with_good(g, (_info("link_1.pb", tarfile.SYMTYPE, linkname="/etc/passwd"), b"")),
        "CT721",
        "'link_1.pb' is a link",
    ),
    "hardlink": Hostile(
        lambda g: _with_good(g, (_info("hard_1.pb", tarfile.LNKTYPE, linkname=GOOD_TASK), b"")),
        "CT721",
        "'hard_1.pb' is a link",
    ),
    "char_device": Hostile(
        lambda g: _with_good(g, (_info("dev_1.pb", tarfile.CHRTYPE, devmajor=1, devminor=3), b"")),
        "CT721",
        "is a device or FIFO",
    ),
    "block_device": Hostile(
        lambda g: _with_good(g, (_info("blk_1.pb", tarfile.BLKTYPE, devmajor=8), b"")),
        "CT721",
        "is a device or FIFO",
    ),
    "fifo": Hostile(
        lambda g: _with_good(g, (_info("fifo_1.pb", tarfile.FIFOTYPE), b"")),
        "CT721",
        "is a device or FIFO",
    ),
    "oversized_member": Hostile(
        lambda g: _header_only("huge_1.pb", MAX_MEMBER_BYTES + 1),
        "CT721",
        f"is larger than {MAX_MEMBER_BYTES} bytes",
    ),
    "too_many_members": Hostile(
        lambda g: _many(MAX_MEMBERS + 1),
        "CT721",
        f"past the limit of {MAX_MEMBERS} members",
    ),
    "decompression_bomb": Hostile(
        lambda g: _good_member(g) + _bomb(), "CT721", f"expands to more than {MAX_ARCHIVE_BYTES}"
    ),
    "not_a_task_spec": Hostile(
        lambda g: _with_good(g, (_info("junk_1.pb", size=7), b"\xff\xff\xff\xffjunk")),
        "CT720",
        "junk_1.pb is not a TaskSpec",
    ),
    "not_an_archive": Hostile(lambda g: b"PK\x03\x04 not a tar at all", "CT720", "cannot read"),
    "truncated": Hostile(lambda g: _with_good(g)[:40], "CT720", "cannot read archive"),
}


@pytest.fixture(scope="module", autouse=True)
def good_pb(good_bundle: Path) -> bytes:
    global GOOD_PB, GOOD_TGZ
    GOOD_PB = (good_bundle / GOOD_TASK).read_bytes()
    GOOD_TGZ = (good_bundle / "bundle.tgz").read_bytes()
    return GOOD_PB


def _run(tmp_path: Path, archive: bytes) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    (tmp_path / "bundle.tgz").write_bytes(archive)
    before = snapshot(tmp_path)
    done = run_cli(
        ["run", "bundle.tgz", "rb_good.orders.count", "--input", 'names=["a"]'], tmp_path
    )
    return done, before


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_run_refuses_hostile_archive(name: str, tmp_path: Path, good_pb: bytes) -> None:
    hostile = HOSTILE[name]
    done, before = _run(tmp_path, hostile.build(good_pb))
    assert done.returncode == 2, done.stderr
    stderr = done.stderr
    assert_no_traceback(stderr)
    [line] = error_lines(stderr)
    assert line["code"] == hostile.code
    assert hostile.says in line["message"], stderr
    assert done.stdout == ""  # the task never ran
    assert snapshot(tmp_path) == before  # nothing extracted
    assert not Path("/tmp/rb_evil_1.pb").exists()


def test_run_accepts_the_good_archive(tmp_path: Path, good_bundle: Path) -> None:
    """The control: the same command on the real archive runs the task."""
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    done, _ = _run(tmp_path, (good_bundle / "bundle.tgz").read_bytes())
    assert done.returncode == 0, done.stderr
    assert done.stdout == '{\n  "o0": 1\n}\n'


def test_run_accepts_an_archive_as_large_as_a_big_bundle(tmp_path: Path, good_pb: bytes) -> None:
    """25,000 task members (more than a 20,000-task package compiles to) are not refused."""
    shutil.copytree(CASES / "good", tmp_path, dirs_exist_ok=True)
    names = sorted([GOOD_TASK, *(f"00_filler_{i:05d}_1.pb" for i in range(25_000))])
    tar = b"".join(member_blocks(n, good_pb if n == GOOD_TASK else b"") for n in names)
    done, _ = _run(tmp_path, gzip.compress(tar + b"\0" * 1024, compresslevel=1, mtime=0))
    assert done.returncode == 0, done.stderr
    assert done.stdout == '{\n  "o0": 1\n}\n'


def test_run_ignores_symlinked_pb_in_a_bundle_directory(tmp_path: Path, good_bundle: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "00_link_1.pb").symlink_to(good_bundle / GOOD_TASK)
    done = run_cli(["run", "b", "rb_good.orders.count", "--input", 'names=["a"]'], tmp_path)
    assert done.returncode == 2, done.stderr
    [line] = error_lines(done.stderr)
    assert line["code"] == "CT722"
    assert "hint: the bundle's tasks are: (none)" in done.stderr


#: ``read_archive`` does not parse members (not_a_task_spec) and has no member-count limit
#: (it is not used on user-supplied archives yet).
_READ_ARCHIVE_REFUSES = sorted(set(HOSTILE) - {"not_a_task_spec", "too_many_members"})


@pytest.mark.parametrize("name", _READ_ARCHIVE_REFUSES)
def test_read_archive_refuses_hostile_archive(name: str, tmp_path: Path, good_pb: bytes) -> None:
    path = tmp_path / "bundle.tgz"
    path.write_bytes(HOSTILE[name].build(good_pb))
    with pytest.raises(BundleError) as caught:
        read_archive(path)
    assert caught.value.code == "CT505"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.tgz"]


def test_read_archive_bounds_the_total_uncompressed_size(tmp_path: Path, good_pb: bytes) -> None:
    """Members each under the limit, together past the bound: refused (CT521), not read."""
    path = tmp_path / "bundle.tgz"
    size = 1024 * 1024
    header = _info("big_1.pb", size=size).tobuf(format=tarfile.GNU_FORMAT)
    path.write_bytes(_good_member(good_pb) + gzip.compress(header + b"\0" * size) * 8)
    with pytest.raises(BundleError) as caught:
        read_archive(path, limit=4 * size)
    assert caught.value.code == "CT521"
    assert f"expands to more than {4 * size} bytes" in caught.value.message


def test_read_archive_round_trips_the_good_archive(good_bundle: Path, tmp_path: Path) -> None:
    shutil.copy(good_bundle / "bundle.tgz", tmp_path / "bundle.tgz")
    files = read_archive(tmp_path / "bundle.tgz")
    assert files == {p.name: p.read_bytes() for p in sorted(good_bundle.glob("*.pb"))}


_PARTS = st.sampled_from(["a", "..", ".", "", "x_1.pb", "b_1.pb", "C:", "\\\\evil", "é", "sub"])
_NAMES = st.lists(_PARTS, min_size=1, max_size=4).map("/".join) | st.sampled_from(
    ["/abs_1.pb", "//x_1.pb", "./ok_1.pb", "a/../../up_1.pb"]
)
_TYPES = st.sampled_from(
    [
        tarfile.REGTYPE,
        tarfile.AREGTYPE,
        tarfile.DIRTYPE,
        tarfile.SYMTYPE,
        tarfile.LNKTYPE,
        tarfile.CHRTYPE,
        tarfile.BLKTYPE,
        tarfile.FIFOTYPE,
        tarfile.CONTTYPE,
    ]
)


@st.composite
def _members(draw: st.DrawFn, good: bytes) -> list[tuple[tarfile.TarInfo, bytes]]:
    members = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(_TYPES)
        data = draw(st.sampled_from([good, b"", b"\xff\x00junk"]) | st.binary(max_size=32))
        info = _info(draw(_NAMES), kind, size=len(data) if kind in tarfile.REGULAR_TYPES else 0)
        info.linkname = draw(st.sampled_from(["", "/etc/passwd", "../x", GOOD_TASK]))
        members.append((info, data))
    return members


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_archives_are_read_or_refused_with_our_error(data: st.DataObject) -> None:
    good = GOOD_PB
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.tgz"
        path.write_bytes(_tgz(data.draw(_members(good))))
        try:
            specs = read_task_specs(path)
        except CompileTasksError as exc:
            assert exc.code in ("CT720", "CT721"), exc.render()
            assert "\n" not in exc.render()
        else:
            for name in specs:
                assert name.endswith("_1.pb") and not name.startswith("/")
                assert ".." not in PurePosixPath(name).parts
        assert sorted(os.listdir(folder)) == ["bundle.tgz"]


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=4)
)
def test_corrupted_good_archive_is_read_or_refused_with_our_error(
    flips: list[tuple[int, int]],
) -> None:
    data = bytearray(GOOD_TGZ)
    for at, mask in flips:
        data[at % len(data)] ^= mask
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.tgz"
        path.write_bytes(bytes(data))
        try:
            read_task_specs(path)
        except CompileTasksError as exc:
            assert exc.code in ("CT720", "CT721"), exc.render()
        assert sorted(os.listdir(folder)) == ["bundle.tgz"]


@pytest.mark.parametrize(("name", "code"), [(".", "CT722"), ("./", "CT722"), ("/", "CT721")])
def test_run_on_archive_with_a_dot_member(name: str, code: str, tmp_path: Path) -> None:
    """A root entry is skipped (no task found), a nameless member refused; never IndexError."""
    archive = _tgz([(_info(name, tarfile.DIRTYPE), b"")])
    done, _ = _run(tmp_path, archive)
    assert_no_traceback(done.stderr)
    assert done.returncode == 2
    [line] = error_lines(done.stderr)
    assert line["code"] == code
