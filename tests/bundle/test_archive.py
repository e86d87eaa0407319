"""The archive is normalised: exact members, headers and gzip header."""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import random
import struct
import tarfile
import threading
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.bundle import archive, build_tar, gzip_bytes, read_archive
from compiler.bundle.archive import ArchiveWriter, write_archive
from compiler.errors import BundleError

FILES = {"00_b_1.pb": b"\x0a\x01b", "00_a_1.pb": b"\x0a\x01a", "00_" + "n" * 120 + "_1.pb": b"z"}


def test_members_sorted_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "x.tgz"
    write_archive(path, FILES)
    with tarfile.open(path) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == sorted(FILES)
        for m in members:
            assert (m.mode, m.uid, m.gid, m.uname, m.gname, m.mtime, m.type) == (
                0o644,
                0,
                0,
                "",
                "",
                0,
                tarfile.REGTYPE,
            )
            assert tar.extractfile(m).read() == FILES[m.name]
            assert m.pax_headers == ({"path": m.name} if len(m.name) > 100 else {})


def test_gzip_header_has_no_name_and_zero_mtime(tmp_path: Path) -> None:
    data = gzip_bytes(b"hello")
    # magic, CM=deflate, FLG=0 (no FNAME), MTIME=0, XFL=0 (level 6: neither fastest nor max),
    # OS=255 (unknown: the same on every machine)
    assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    assert gzip.decompress(data) == b"hello"


def test_bytes_are_reproducible_and_order_independent() -> None:
    reversed_files = dict(reversed(list(FILES.items())))
    assert build_tar(FILES) == build_tar(reversed_files)
    assert gzip_bytes(build_tar(FILES)) == gzip_bytes(build_tar(reversed_files))
    # plain ustar headers for short names: no PAX record before the first member
    assert build_tar({"00_a_1.pb": b""})[257:263] == b"ustar\x00"
    assert build_tar({"00_a_1.pb": b""})[156:157] == b"0"


def test_read_archive_round_trip_and_refusals(tmp_path: Path) -> None:
    path = tmp_path / "ok.tgz"
    write_archive(path, FILES)
    assert read_archive(path) == FILES
    bad = tmp_path / "bad.tgz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("../evil.pb")
        tar.addfile(info, io.BytesIO(b""))
    bad.write_bytes(buffer.getvalue())
    with pytest.raises(BundleError) as info_err:
        read_archive(bad)
    assert info_err.value.code == "CT505"
    (tmp_path / "junk.tgz").write_bytes(b"not a tar")
    with pytest.raises(BundleError) as junk:
        read_archive(tmp_path / "junk.tgz")
    assert junk.value.code == "CT505"


def _tarfile_bytes(files: dict[str, bytes]) -> bytes:
    """The reference: the same members written by ``tarfile`` itself."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode, info.type = (
                len(files[name]),
                0,
                0o644,
                tarfile.REGTYPE,
            )
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    return buffer.getvalue()


_NAMES = st.text(alphabet=st.sampled_from("abcXYZ019._-é✓"), min_size=1, max_size=130).map(
    lambda core: f"00_{core}_1.pb"
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_NAMES, st.binary(max_size=1100), max_size=6))
def test_hand_built_headers_equal_tarfile(files: dict[str, bytes]) -> None:
    assert build_tar(files) == _tarfile_bytes(files)


def test_streaming_writer_equals_the_in_memory_archive(tmp_path: Path) -> None:
    files = {f"00_task_{i:04d}_1.pb": bytes([i % 251]) * (i * 37 % 3000) for i in range(700)}
    files["00_" + "n" * 120 + "_1.pb"] = b"long"
    streamed = ArchiveWriter(tmp_path / "s.tgz")
    for name in sorted(files):
        streamed.add(name, files[name])
    tar_sha = streamed.close()
    write_archive(tmp_path / "m.tgz", files)
    assert (tmp_path / "s.tgz").read_bytes() == (tmp_path / "m.tgz").read_bytes()
    assert tar_sha == hashlib.sha256(build_tar(files)).hexdigest()
    assert read_archive(tmp_path / "s.tgz") == files


def test_an_archive_without_its_digest_has_the_same_bytes(tmp_path: Path) -> None:
    """``digest=False`` (an archive-only compile) skips the tar's sha256, nothing else."""
    files = {f"00_task_{i:04d}_1.pb": bytes([i % 7]) * (i * 41 % 2500) for i in range(400)}
    writer = ArchiveWriter(tmp_path / "s.tgz", digest=False)
    for name in sorted(files):
        writer.add(name, files[name])
    assert writer.close() is None
    write_archive(tmp_path / "m.tgz", files)
    assert (tmp_path / "s.tgz").read_bytes() == (tmp_path / "m.tgz").read_bytes()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_streaming_writer_reports_a_failed_write_from_its_compressing_thread() -> None:
    """A full disk in the background thread is raised in the caller's, never lost."""
    writer = ArchiveWriter(Path("/dev/full"))
    with pytest.raises(OSError) as failed:
        for i in range(400):  # several chunks: the failure surfaces at a flush or at close
            writer.add(f"00_task_{i:04d}_1.pb", bytes([i % 251]) * 4000)
        writer.close()
    assert failed.value.errno == errno.ENOSPC
    writer.abort()  # after a failure the caller aborts: no hang, no second error
    assert not _archive_threads()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failure_at_close_stops_the_thread_and_closes_the_file() -> None:
    """Small enough to stay in buffers until close: the error comes from close itself."""
    writer = ArchiveWriter(Path("/dev/full"))
    writer.add("00_small_1.pb", b"x" * 100)
    with pytest.raises(OSError) as failed:
        writer.close()
    assert failed.value.errno == errno.ENOSPC
    assert writer._file.closed
    assert not _archive_threads()


def _archive_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name in ("archive-gzip", "archive-deflate")]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([0, 1, 511, archive.SLICE_BYTES - 1, archive.SLICE_BYTES]),
    st.integers(min_value=0, max_value=2 * archive.SLICE_BYTES + 7),
    st.binary(min_size=1, max_size=300),
)
def test_sliced_gzip_is_one_ordinary_stream(offset: int, size: int, seed: bytes) -> None:
    """Any length (slice edges included) reads back whole, with gzip and with raw inflate."""
    data = (seed * (size // len(seed) + 1))[: offset + size]
    packed = gzip_bytes(data)
    assert gzip.decompress(packed) == data
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    assert inflater.decompress(packed[10:]) == data
    assert inflater.eof  # the stream ends exactly once: after the last slice
    assert packed[-8:] == struct.pack("<II", zlib.crc32(data), len(data))


def test_slices_reach_back_across_the_cut() -> None:
    """Each slice is primed with the tar before it: a block repeated across the cuts costs
    about what it costs in one undivided stream (unprimed, every slice would hold it again)."""
    block = random.Random(7).randbytes(16 * 1024)
    data = block * 50
    assert len(data) > 3 * archive.SLICE_BYTES
    whole = len(zlib.compress(data, archive.GZIP_LEVEL))
    assert len(gzip_bytes(data)) < whole * 1.05
    assert whole < 2 * len(block)


@pytest.mark.parametrize("threads", [1, 3])
def test_the_bytes_do_not_depend_on_the_thread_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    files = {f"00_task_{i:04d}_1.pb": bytes([i % 251]) * (i * 53 % 4000) for i in range(500)}
    monkeypatch.setattr(archive, "_DEFLATERS", threads)
    writer = ArchiveWriter(tmp_path / "s.tgz")
    for name in sorted(files):
        writer.add(name, files[name])
    writer.close()
    assert (tmp_path / "s.tgz").read_bytes() == gzip_bytes(build_tar(files))
    assert not _archive_threads()


def test_streaming_writer_refuses_unsorted_members(tmp_path: Path) -> None:
    writer = ArchiveWriter(tmp_path / "x.tgz")
    writer.add("00_b_1.pb", b"")
    with pytest.raises(ValueError, match="out of order"):
        writer.add("00_a_1.pb", b"")
    writer.abort()


def test_the_block_and_record_sizes_are_tarfiles() -> None:
    # The module spells them out so that writing an archive does not load tarfile.
    assert archive.BLOCK_SIZE == tarfile.BLOCKSIZE
    assert archive._RECORD == tarfile.RECORDSIZE
