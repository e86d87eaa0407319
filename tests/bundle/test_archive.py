"""The archive is normalised: exact members, headers and gzip header."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from compiler.bundle import build_tar, gzip_bytes, read_archive
from compiler.bundle.archive import write_archive
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
    # magic, CM=deflate, FLG=0 (no FNAME), MTIME=0, XFL=2 (max compression), OS
    assert data[:9] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02"
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
