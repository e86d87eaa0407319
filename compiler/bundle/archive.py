"""The normalised ``.tgz`` of a bundle: the ``.pb`` files and nothing else, byte-reproducible.

Members sorted by name, regular files only, mode 0o644, uid/gid 0, empty owner names, integer
mtime 0 (so no PAX records for plain names), gzip without a file name, MTIME 0, level 6
(:data:`GZIP_LEVEL`).

The gzip stream is one member whose deflate data is cut at every :data:`SLICE_BYTES` of the
tar: each slice is compressed on its own, primed with the 32 KiB of tar before it (so matches
still reach back across the cut) and ended on a byte boundary by a sync flush; an empty final
block and the usual CRC-32 and size close the stream. Slices compress on several threads at
once (zlib releases the GIL), and the bytes depend only on the tar, never on the thread count.
Any gzip reader reads it as one ordinary stream.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import queue
import struct
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO

from compiler.errors import BundleError

if TYPE_CHECKING:
    import tarfile

__all__ = [
    "ARCHIVE_NAME",
    "BLOCK_SIZE",
    "MAX_ARCHIVE_BYTES",
    "ArchiveLimitError",
    "ArchiveWriter",
    "build_tar",
    "gzip_bytes",
    "member_blocks",
    "member_header",
    "open_bounded_tar",
    "read_archive",
    "read_members",
    "write_archive",
]

#: The archive's name inside the bundle folder (fixed: the folder name must not leak in).
ARCHIVE_NAME = "bundle.tgz"

#: zlib level 6: on bundles (many similar small messages) within 6 % of level 9's size at a
#: third of its time (level 9 is the serial tail of a fresh compile).
GZIP_LEVEL = 6
#: The tar is deflated in slices of this size (the last one shorter), each on its own: on the
#: benchmark's bundle the archive is 1.1 % larger than one undivided stream (1 MiB slices:
#: 0.3 %, 64 KiB: 4.6 %), and a 5,000-task tar still gives 40 slices to share out.
SLICE_BYTES = 1 << 18
#: What a slice is primed with: the deflate window (the farthest a match reaches back).
_WINDOW = 1 << 15
#: Threads that deflate slices while the caller lays out the next members.
_DEFLATERS = 2
#: The gzip header: deflate, no flags (no file name), MTIME 0, XFL 0 (level 6), OS unknown.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
#: A final deflate block holding nothing (fixed codes, the end-of-block code alone).
_FINAL_BLOCK = b"\x03\x00"
#: ``tarfile.BLOCKSIZE`` and ``tarfile.RECORDSIZE`` (tested equal): ``tarfile``, with ``gzip``,
#: ``bz2`` and ``lzma``, is loaded only to read an archive or to write a PAX header.
BLOCK_SIZE = _BLOCK = 512
_RECORD = 20 * _BLOCK
_NAME_FIELD = 100
#: Slices that may be waiting to be deflated or written (bounds the memory held).
_QUEUED = 8
#: The fixed parts of a plain ustar header for a regular 0644 file owned by 0:0 with mtime 0.
_MODE_IDS = b"0000644\x00" + b"0000000\x00" * 2
_MTIME = b"00000000000\x00"
#: Type flag "0" (a regular file), no link name, the ustar magic and version.
_TYPE_TO_MAGIC = b"0" + b"\x00" * 100 + b"ustar\x0000"
_TAIL = b"\x00" * 247  # owner names, device numbers, prefix, padding: all empty
_AFTER_CHECKSUM = _TYPE_TO_MAGIC + _TAIL
#: The header checksum counts its own 8 bytes as spaces; this is the sum over every byte but
#: the name and the size, which are the same in every header we build.
_FIXED_SUM = sum(_MODE_IDS) + sum(_MTIME) + sum(b" " * 8) + sum(_AFTER_CHECKSUM)


def _member(name: str, size: int) -> tarfile.TarInfo:
    import tarfile

    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = 0
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info


def member_header(name: str, size: int) -> bytes:
    """The header block(s) of one normalised member, as ``tarfile`` writes them (PAX format).

    Short ASCII names (the usual case) get one plain ustar block built here directly, which is
    many times faster than ``tarfile``; longer or non-ASCII names get ``tarfile``'s PAX ``path``
    record. The bytes are identical either way (tested against ``tarfile``).
    """
    raw = name.encode("ascii", "replace")
    if len(raw) > _NAME_FIELD or not name.isascii() or size >= 8**11:
        import tarfile

        return _member(name, size).tobuf(tarfile.PAX_FORMAT, tarfile.ENCODING, "surrogateescape")
    size_field = b"%011o\x00" % size
    # The checksum is the sum of the header's bytes: summing the two parts that vary (instead
    # of all 512 bytes) and joining once is a third of the cost, for thousands of members.
    checksum = _FIXED_SUM + sum(raw) + sum(size_field)
    return b"".join(
        (
            raw.ljust(_NAME_FIELD, b"\x00"),
            _MODE_IDS,
            size_field,
            _MTIME,
            b"%06o\x00 " % checksum,  # as tarfile writes it: six digits, NUL, a space
            _AFTER_CHECKSUM,
        )
    )


def member_blocks(name: str, data: bytes) -> bytes:
    """One member as it appears in the tar: header, data, zeros up to a whole block."""
    return member_header(name, len(data)) + data + b"\x00" * (-len(data) % _BLOCK)


def _end_of_archive(size: int) -> bytes:
    """What ``tarfile`` appends to a tar of ``size`` bytes: two zero blocks, then a whole record."""
    end = 2 * _BLOCK
    return b"\x00" * (end + (-(size + end) % _RECORD))


def _deflate(data: bytes, before: bytes) -> bytes:
    """One slice as raw deflate data, primed with the tar ``before`` it, ending on a byte
    boundary and not final (so that the next slice's data may follow)."""
    if before:
        compressor = zlib.compressobj(
            GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=before[-_WINDOW:]
        )
    else:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _gzip_end(crc: int, size: int) -> bytes:
    """The empty final block, then the CRC-32 and the size (modulo 2**32) of the data."""
    return _FINAL_BLOCK + struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)


class _Slice:
    """One slice on its way: deflated by one thread, hashed and written by another."""

    __slots__ = ("before", "data", "deflated", "done", "failure")

    def __init__(self, data: bytes, before: bytes) -> None:
        self.data = data
        self.before = before
        self.deflated = b""
        self.failure: BaseException | None = None
        self.done = threading.Event()


class ArchiveWriter:
    """Streams members into a normalised ``.tgz`` without holding the tar in memory.

    Members must be added in sorted name order (checked). :meth:`close` ends the tar as
    ``tarfile`` does (two zero blocks, padded to a whole record) and returns the sha256 of the
    uncompressed tar (``None`` when made with ``digest=False``: an archive-only compile writes
    no manifest to record it in).

    Each whole slice of the tar (:data:`SLICE_BYTES`) goes to :data:`_DEFLATERS` threads that
    deflate slices side by side, and to one thread that hashes them and writes them in order:
    zlib, hashlib and file writes release the GIL, so the caller lays out the next members
    (reading them from the workers' side files) meanwhile. The bytes are :func:`gzip_bytes` of
    the whole tar. At most :data:`_QUEUED` slices wait, so memory stays bounded.
    """

    def __init__(self, path: Path, *, digest: bool = True) -> None:
        self._file: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._sha = hashlib.sha256() if digest else None
        self._crc = 0
        self._pending = bytearray()
        self._before = b""
        self._size = 0
        self._last: str | None = None
        self.members = 0
        self._slices: queue.Queue[_Slice | None] = queue.Queue(maxsize=_QUEUED)
        self._work: queue.SimpleQueue[_Slice | None] = queue.SimpleQueue()
        self._failure: BaseException | None = None
        self._threads = [
            threading.Thread(target=self._deflating, name="archive-deflate", daemon=True)
            for _ in range(_DEFLATERS)
        ]
        self._threads.append(threading.Thread(target=self._drain, name="archive-gzip", daemon=True))
        for thread in self._threads:
            thread.start()
        self._slices.put(_written(_GZIP_HEADER))

    def add(self, name: str, data: bytes) -> None:
        """Append one member; names must come in strictly increasing order."""
        self.add_blocks(name, member_blocks(name, data))

    def add_blocks(self, name: str, blocks: bytes | memoryview) -> None:
        """Append one member already laid out by :func:`member_blocks` (in a worker); its bytes
        are copied before this returns."""
        if self._last is not None and name <= self._last:
            raise ValueError(f"archive members out of order: {name!r} after {self._last!r}")
        self._last = name
        self._emit(blocks)
        self.members += 1

    def _emit(self, chunk: bytes | memoryview) -> None:
        self._pending += chunk
        self._size += len(chunk)
        if len(self._pending) >= SLICE_BYTES:
            self._flush()

    def _flush(self, final: bool = False) -> None:
        """Hand over every whole slice pending (and the rest when ``final``)."""
        if self._failure is not None:  # a full disk, say: reported by the next call
            raise self._failure
        pending = self._pending
        cut = len(pending) if final else len(pending) - len(pending) % SLICE_BYTES
        with memoryview(pending) as view:  # one copy of each slice, not two
            for start in range(0, cut, SLICE_BYTES):
                piece = _Slice(bytes(view[start : start + SLICE_BYTES]), self._before)
                self._before = piece.data[-_WINDOW:]
                self._slices.put(piece)  # waits while _QUEUED slices wait: bounded memory
                self._work.put(piece)
        del pending[:cut]

    def _deflating(self) -> None:
        """A deflating thread: compress slices as they come, in any order."""
        while (piece := self._work.get()) is not None:
            try:
                piece.deflated = _deflate(piece.data, piece.before)
            except BaseException as exc:  # kept for the writing thread to pass on
                piece.failure = exc
            finally:
                piece.done.set()

    def _drain(self) -> None:
        """The writing thread: hash and write each slice, in order, once it is deflated."""
        while (piece := self._slices.get()) is not None:
            piece.done.wait()
            if self._failure is None:
                try:
                    if piece.failure is not None:
                        raise piece.failure
                    if self._sha is not None:
                        self._sha.update(piece.data)
                    self._crc = zlib.crc32(piece.data, self._crc)
                    self._file.write(piece.deflated)
                except BaseException as exc:  # kept for the caller's thread to raise
                    self._failure = exc

    def _stop(self) -> None:
        """Let the threads finish what they were handed, then end them."""
        if self._threads:
            self._slices.put(None)
            for _ in range(_DEFLATERS):
                self._work.put(None)
            for thread in self._threads:
                thread.join()
            self._threads = []

    def close(self) -> str | None:
        """Finish the archive; return the sha256 (hex) of the uncompressed tar, if asked for.

        On any failure the threads are stopped and the file closed before the error is raised.
        """
        try:
            self._emit(_end_of_archive(self._size))
            self._flush(final=True)
            self._stop()
            if self._failure is not None:
                raise self._failure
            self._file.write(_gzip_end(self._crc, self._size))
            self._file.close()
        except BaseException:
            self.abort()
            raise
        return self._sha.hexdigest() if self._sha is not None else None

    def abort(self) -> None:
        """Close the file without finishing (the caller removes the folder).

        Closing may fail again for the reason the archive failed (a full disk): nothing is
        left to save, so that second error is not raised over the first.
        """
        self._stop()
        with contextlib.suppress(OSError):
            self._file.close()


def _written(data: bytes) -> _Slice:
    """Bytes for the writing thread to write as they are (neither deflated nor hashed)."""
    piece = _Slice(b"", b"")
    piece.deflated = data
    piece.done.set()
    return piece


def build_tar(files: Mapping[str, bytes]) -> bytes:
    """The uncompressed tar of ``files`` (flat names), members sorted by name."""
    tar = b"".join(member_blocks(name, files[name]) for name in sorted(files))
    return tar + _end_of_archive(len(tar))


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzip-compressed as an archive is (see the module): without file name, with MTIME
    0 and level :data:`GZIP_LEVEL`, deflated slice by slice in one thread."""
    parts = [_GZIP_HEADER]
    for start in range(0, len(data), SLICE_BYTES):
        before = data[max(0, start - _WINDOW) : start]
        parts.append(_deflate(data[start : start + SLICE_BYTES], before))
    parts.append(_gzip_end(zlib.crc32(data), len(data)))
    return b"".join(parts)


def write_archive(path: Path, files: Mapping[str, bytes]) -> bytes:
    """Write the normalised ``.tgz`` of ``files`` to ``path``; return the uncompressed tar."""
    tar = build_tar(files)
    path.write_bytes(gzip_bytes(tar))
    return tar


#: The most uncompressed bytes an archive we read may expand to (a 2,000-task bundle is a
#: few MiB; this leaves room for very large ones while a gzip bomb stops within a second).
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024


def _gunzip(raw: BinaryIO) -> BinaryIO:
    import gzip

    return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]


def _bunzip(raw: BinaryIO) -> BinaryIO:
    import bz2

    return bz2.BZ2File(raw, "rb")  # type: ignore[return-value]


def _unxz(raw: BinaryIO) -> BinaryIO:
    import lzma

    return lzma.LZMAFile(raw, "rb")  # type: ignore[return-value]


_MAGIC = ((b"\x1f\x8b", _gunzip), (b"BZh", _bunzip), (b"\xfd7zXZ\x00", _unxz))


class ArchiveLimitError(BundleError):
    """An archive expands to more bytes than any bundle holds (a decompression bomb)."""

    default_code = "CT521"


class _Bounded(io.RawIOBase):
    """A read-only stream that fails once more than ``limit`` bytes have been read from it.

    Wraps the *decompressed* stream, so the count is of uncompressed bytes, whatever the
    members claim in their headers (headers and skipped members count too: ``tarfile``
    reads through them).
    """

    def __init__(self, source: BinaryIO, limit: int, path: Path) -> None:
        super().__init__()
        self._source = source
        self._left = limit
        self._limit = limit
        self._path = path

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._left + 1)
        data = self._source.read(want)
        if len(data) > self._left:
            raise ArchiveLimitError(
                f"archive '{self._path}' expands to more than {self._limit} bytes",
                code="CT521",
                hint="a bundle archive is never that large; rebuild it with compile-tasks",
            )
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._source.close()
        super().close()


def open_bounded_tar(path: Path, limit: int = MAX_ARCHIVE_BYTES) -> tarfile.TarFile:
    """Open ``path`` (a tar, optionally gzip/bzip2/xz-compressed) as a *stream* of members.

    Reading stops with :class:`ArchiveLimitError` (CT521) once more than ``limit``
    uncompressed bytes were read, so a small archive that expands to gigabytes is refused
    quickly and in bounded memory. Members must be read in order (``for member in tar``,
    then ``tar.extractfile(member)``), as for ``tarfile``'s ``r|`` mode.

    Raises:
        OSError: The file cannot be opened.
    """
    import tarfile

    raw = open(path, "rb")  # noqa: SIM115 - closed with the tar (through _Bounded)
    try:
        head = raw.read(6)
        raw.seek(0)
        stream: BinaryIO = raw
        for magic, opener in _MAGIC:
            if head.startswith(magic):
                stream = opener(raw)  # type: ignore[assignment]
                break
        bounded = io.BufferedReader(_Bounded(stream, limit, Path(path)), _RECORD)
        return tarfile.open(fileobj=bounded, mode="r|")  # type: ignore[arg-type]
    except BaseException:
        raw.close()
        raise


def _member_problem(member: tarfile.TarInfo, max_bytes: int | None = None) -> str | None:
    """Why ``member`` could be unsafe to read, or is something no bundle holds; ``None`` if fine.

    The words complete a sentence that starts with the member's name. Refused: empty names,
    absolute paths (also ``\\`` and drive letters), ``..`` components, links, devices, FIFOs,
    anything but regular files and directories, and members larger than ``max_bytes``. A
    directory entry naming the archive root (``.`` or ``./``, as ``tar -C out .`` writes) has
    no path parts; it is accepted and, being a directory, never read.
    """
    path = PurePosixPath(member.name)
    if not member.name:  # tarfile reads '/' (and '//') back as ''
        return "has an empty name"
    if not path.parts:
        return None if member.isdir() else "has no file name"
    if member.name.startswith(("/", "\\")) or path.is_absolute() or ":" in path.parts[0]:
        return "has an absolute path"
    if ".." in path.parts:
        return "escapes the archive with '..'"
    if member.issym() or member.islnk():
        return "is a link"
    if member.isdev() or member.isfifo():
        return "is a device or FIFO"
    if not (member.isreg() or member.isdir()):
        return "is not a regular file"
    if max_bytes is not None and member.size > max_bytes:
        return f"is larger than {max_bytes} bytes"
    return None


def read_members(
    path: Path,
    wanted: Callable[[tarfile.TarInfo], bool],
    refuse: Callable[[str, str], Exception],
    *,
    max_members: int | None = None,
    max_member_bytes: int | None = None,
    limit: int = MAX_ARCHIVE_BYTES,
) -> Iterator[tuple[str, bytes]]:
    """The ``(name, bytes)`` of the ``wanted`` members of the archive at ``path``, in order.

    The one reader of archives: nothing is extracted to disk, every member is checked with
    :func:`_member_problem` before anything is read, at most ``max_member_bytes`` are read of
    a member, and an archive with more than ``max_members`` members is refused. A refused
    member raises ``refuse(name, why)`` (each caller has its own error code); ``wanted`` may
    raise too. Members are checked as they are reached, so a caller that handles each member
    before asking for the next sees the first problem in archive order. The archive is read as
    a stream bounded to ``limit`` uncompressed bytes (:func:`open_bounded_tar`: a decompression
    bomb raises :class:`ArchiveLimitError`, CT521). ``tarfile``'s own errors (``TarError``,
    ``EOFError``, ``OSError``) reach the caller unchanged.
    """
    read_limit = -1 if max_member_bytes is None else max_member_bytes + 1
    with open_bounded_tar(path, limit) as tar:
        for count, member in enumerate(tar, start=1):
            if max_members is not None and count > max_members:
                raise refuse(member.name, f"is past the limit of {max_members} members")
            why = _member_problem(member, max_member_bytes)
            if why is not None:
                raise refuse(member.name, why)
            if wanted(member):
                source = tar.extractfile(member)
                yield member.name, source.read(read_limit) if source else b""


def read_archive(path: Path, limit: int = MAX_ARCHIVE_BYTES) -> dict[str, bytes]:
    """Read a bundle archive back, refusing anything but flat regular ``.pb`` members.

    Raises:
        BundleError: The archive is unreadable or holds a member that is not a flat ``.pb``
            regular file (directories, links, absolute or ``..`` paths), CT505; it expands to
            more than ``limit`` bytes, CT521.
    """

    def refuse(name: str, why: str = "") -> BundleError:
        return BundleError(
            f"archive '{path}' holds an unexpected member {name!r}",
            code="CT505",
            hint="a bundle archive holds only flat .pb files; rebuild it",
        )

    def flat_pb(member: tarfile.TarInfo) -> bool:
        name = member.name
        if not member.isreg() or "/" in name or name.startswith(".") or not name.endswith(".pb"):
            raise refuse(name)
        return True

    import tarfile

    try:
        return dict(read_members(path, flat_pb, refuse, limit=limit))
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BundleError(
            f"archive '{path}' cannot be read: {exc}",
            code="CT505",
            hint="rebuild the bundle with compile-tasks",
        ) from exc
