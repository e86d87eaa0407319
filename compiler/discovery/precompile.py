"""Compile a package's sources to code objects in a helper process, ahead of their import.

A cold compile (no ``__pycache__``, as on a fresh checkout) spends about half of a bare import
turning source text into code objects. The command line starts a :class:`SourceCompiler` as
soon as it knows the package's modules, before it loads the SDK: the helper compiles the
modules in the order the workers import them, on the core the loading process leaves idle, and
publishes each code object in memory it shares with the workers (forked later). A worker
importing a module takes the published code when the source it read is the one the helper
compiled (same size and CRC-32), waits when the helper is compiling that module at that
moment, and compiles it itself otherwise (a module nobody claimed, a changed file, a syntax
error, a helper that ended). The code is what the import would compile (same interpreter, same
source, same file name): only the time changes.

The shared memory (one anonymous ``MAP_SHARED`` mapping, inherited by ``fork``) holds, for
module ``i`` of the plan, a claim byte (0 nobody, 1 the helper, 2 a worker), an 8-byte slot
(0 not yet, :data:`FAILED`, else the offset of its record plus one) and the records: source
size, source CRC-32, payload CRC-32, payload size, then the ``marshal`` payload. There is no
lock: two claims may cross, which costs a second compile of that module and nothing else, and
a record is checked whole (its CRC) before it is used.

The console script starts the helper earlier still, before the command line loads at all
(:func:`speculate`): from the arguments that name package folders or ``.py`` files, the helper
lists the modules itself, publishes that list at the head of the memory (its size, its CRC-32,
the ``marshal`` list; the claims, slots and records follow) and compiles them. Once the command
has listed the package as configured, it takes that helper (:meth:`SourceCompiler.adopt`) if
its list holds every module to compile (marking the others not needed), and starts one as
above otherwise. A wrong guess costs the otherwise idle core some work, never a wrong byte.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import select
import signal
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from importlib.machinery import SourceFileLoader
from types import CodeType

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without loading typing (see compiler/__init__)
if TYPE_CHECKING:  # not loaded before the speculative helper starts
    from pathlib import Path
    from typing import Any

__all__ = ["SourceCompiler", "end_speculation", "precompiled_imports", "speculate"]

_RECORD = struct.Struct("<QIII")
_SLOT = struct.Struct("<Q")
#: A slot's value when the helper could not compile the module (the importer compiles it and
#: reports the error as it would have).
FAILED = (1 << 64) - 1
_NOBODY, _HELPER, _WORKER = 0, 1, 2
#: How long a worker sleeps between two looks at a module the helper is compiling.
WAIT_SECONDS = 0.0005
#: Room for the code objects: their ``marshal`` form is 1.5-2x the source on typical modules.
_ROOM_PER_SOURCE_BYTE = 3
_ROOM_EXTRA = 1 << 16
#: The speculative helper's memory, reserved before anything is known (pages that are never
#: written cost nothing): a package whose code does not fit gets the rest compiled by the
#: importer. Its head: the size (0 until published) and CRC-32 of the ``marshal`` file list.
_SPECULATIVE_BYTES = 256 << 20
_LIST_HEAD = struct.Struct("<QI")


class SourceCompiler:
    """The helper process and the memory it shares with the workers.

    Made by :meth:`start` in the process that later forks the workers; that process alone
    calls :meth:`halt` (just before it forks them) and :meth:`stop`. The workers call
    :meth:`code_for` (through :func:`precompiled_imports`) and :meth:`not_needed`.
    """

    def __init__(
        self, files: Sequence[str], memory: mmap.mmap, pid: int, alive: int, base: int = 0
    ) -> None:
        self.files = list(files)
        self._index = {file: base + index for index, file in enumerate(self.files)}
        self._memory = memory
        self._base = base  # where the claim bytes begin (after a speculative helper's list)
        self._slots = base + _slots_offset(len(self.files))
        self._pid = pid
        self._alive = alive  # read end of a pipe whose write end only the helper holds
        self._owner = os.getpid()

    @classmethod
    def start(cls, files: Sequence[Path | str]) -> SourceCompiler | None:
        """Fork the helper for ``files`` (in import order); ``None`` where ``fork`` is missing.

        Call it before starting any thread (forking a process with running threads is unsafe).
        """
        if not hasattr(os, "fork") or not files:
            return None
        names = [str(file) for file in files]
        size = 0
        for name in names:
            with contextlib.suppress(OSError):
                size += os.stat(name).st_size
        room = _slots_offset(len(names)) + _SLOT.size * len(names)
        memory = mmap.mmap(-1, room + size * _ROOM_PER_SOURCE_BYTE + _ROOM_EXTRA)
        pid, alive = _fork_helper(lambda: _compile_all(names, memory))
        return cls(names, memory, pid, alive)

    @classmethod
    def adopt(cls, files: Sequence[Path | str]) -> SourceCompiler | None:
        """The helper :func:`speculate` started, if it has listed every module of ``files``
        (the others are marked not needed); else ``None``, and that helper is ended.

        The caller owns the helper returned (it calls :meth:`stop`).
        """
        if not _SPECULATION:
            return None
        memory, pid, alive = _SPECULATION.pop()
        listed = _published_list(memory)
        wanted = [str(file) for file in files]
        if listed is None or not set(wanted) <= set(listed):
            cls([], memory, pid, alive).stop()
            return None
        helper = cls(listed, memory, pid, alive, _list_end(memory))
        helper.not_needed(set(listed).difference(wanted))
        return helper

    def halt(self) -> None:
        """End the helper now, keeping what it has published (owner only; again: nothing).

        Called just before the workers are forked: the helper has used the core the loading
        process left idle, and from then on it would share a core with one of the workers,
        which the kernel does not move, so that worker would end tens of milliseconds after
        the other. The workers compile what is left of their own shares instead (a module the
        helper was compiling included: an ended helper keeps nobody waiting).
        """
        if self._pid == 0 or os.getpid() != self._owner:
            return
        pid, self._pid = self._pid, 0
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)

    def stop(self) -> None:
        """End the helper if it still runs and free what it held (owner only; once)."""
        if self._memory.closed or os.getpid() != self._owner:
            return
        self.halt()
        os.close(self._alive)
        self._memory.close()

    def not_needed(self, files: Iterable[Path | str]) -> None:
        """Tell the helper to skip these modules (a worker reuses them from the cache)."""
        for file in files:
            index = self._index.get(str(file))
            if index is not None and self._memory[index] == _NOBODY:
                self._memory[index] = _WORKER

    def code_for(self, path: str, source: bytes) -> CodeType | None:
        """The helper's code for the module at ``path`` read as ``source``, else ``None`` (the
        caller compiles it: then nobody else will)."""
        index = self._index.get(path)
        if index is None:
            return None
        claim = self._memory[index]
        if claim == _NOBODY:
            self._memory[index] = _WORKER
            return None
        if claim != _HELPER:
            return None
        slot = self._slots + _SLOT.size * (index - self._base)
        while True:
            (value,) = _SLOT.unpack_from(self._memory, slot)
            if value == FAILED:
                return None
            if value:
                found = self._record(value - 1, source)
                if found is not _TORN:
                    return found  # type: ignore[return-value]
            if self._helper_ended():
                return None

    def _record(self, offset: int, source: bytes) -> CodeType | object | None:
        size, source_crc, payload_crc, payload_size = _RECORD.unpack_from(self._memory, offset)
        if size != len(source) or source_crc != zlib.crc32(source):
            return None  # the file changed since the helper read it
        start = offset + _RECORD.size
        payload = self._memory[start : start + payload_size]
        if len(payload) != payload_size or zlib.crc32(payload) != payload_crc:
            return _TORN
        code = marshal.loads(payload)
        return code if isinstance(code, CodeType) else None

    def _helper_ended(self) -> bool:
        """Wait a little; whether the helper has ended (its end of the pipe closed)."""
        return bool(select.select([self._alive], [], [], WAIT_SECONDS)[0])


#: A record seen while it was being written (looked at again).
_TORN = object()


def _fork_helper(work: Any) -> tuple[int, int]:
    """Fork a helper running ``work()``: its pid, and the read end of a pipe whose write end
    only the helper holds (closed when it ends, however it ends)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the helper
        code = 0
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            work()
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


#: The helper :func:`speculate` started, until :meth:`SourceCompiler.adopt` takes it (or
#: :func:`end_speculation` ends it): ``(memory, pid, pipe)``.
_SPECULATION: list[tuple[mmap.mmap, int, int]] = []


def speculate(paths: Sequence[str]) -> None:
    """Start a helper compiling the modules of ``paths`` now, before the command line loads.

    The console script's guess of what the command will compile (the arguments that name
    package folders or ``.py`` files): the helper lists their modules itself, publishes the
    list and compiles them in order. Nothing happens where ``fork`` is missing or the memory
    cannot be reserved. Call :func:`end_speculation` when the command ends.
    """
    if _SPECULATION or not paths or not hasattr(os, "fork"):
        return
    try:
        memory = mmap.mmap(-1, _SPECULATIVE_BYTES)
    except (OSError, ValueError):  # an address-space limit, say: no head start then
        return
    pid, alive = _fork_helper(lambda: _list_and_compile(paths, memory))
    _SPECULATION.append((memory, pid, alive))


def end_speculation() -> None:
    """End the helper :func:`speculate` started unless a command adopted it."""
    while _SPECULATION:
        memory, pid, alive = _SPECULATION.pop()
        SourceCompiler([], memory, pid, alive).stop()


def _list_and_compile(paths: Sequence[str], memory: mmap.mmap) -> None:
    """The speculative helper: list the modules of ``paths``, publish the list, compile them."""
    from compiler.discovery.plan import gather_sources

    sources, _ = gather_sources(paths, None)  # paths that are no package: the command says so
    names = [str(source.file) for source in sources]
    data = marshal.dumps(names)
    if not names or _LIST_HEAD.size + len(data) > len(memory) // 8:
        return
    memory[_LIST_HEAD.size : _LIST_HEAD.size + len(data)] = data
    _LIST_HEAD.pack_into(memory, 0, len(data), zlib.crc32(data))  # the size last: published
    _compile_all(names, memory, _list_end(memory))


def _published_list(memory: mmap.mmap) -> list[str] | None:
    """The speculative helper's file list, or ``None`` while it is not (whole) there."""
    size, crc = _LIST_HEAD.unpack_from(memory, 0)
    data = memory[_LIST_HEAD.size : _LIST_HEAD.size + size]
    if not size or len(data) != size or zlib.crc32(data) != crc:
        return None
    listed = marshal.loads(data)
    return listed if isinstance(listed, list) else None


def _list_end(memory: mmap.mmap) -> int:
    """Where the claims begin in a speculative helper's memory: after its list, aligned."""
    size, _ = _LIST_HEAD.unpack_from(memory, 0)
    return _aligned(_LIST_HEAD.size + size)


def _slots_offset(count: int) -> int:
    """Where the slots begin: after one claim byte per module, aligned to 8 bytes."""
    return _aligned(count)


def _aligned(offset: int) -> int:
    """``offset`` rounded up to a multiple of 8 (where an 8-byte slot may begin)."""
    return (offset + 7) // 8 * 8


def _compile_all(files: Sequence[str], memory: mmap.mmap, base: int = 0) -> None:
    """The helper: compile every module nobody has claimed, in order, and publish it."""
    slots = base + _slots_offset(len(files))
    offset = slots + _SLOT.size * len(files)
    for index, file in enumerate(files):
        if memory[base + index] != _NOBODY:
            continue
        memory[base + index] = _HELPER
        record = _compiled(file)
        end = offset + len(record) if record is not None else offset
        if record is None or end > len(memory):
            _SLOT.pack_into(memory, slots + _SLOT.size * index, FAILED)
            continue
        memory[offset:end] = record
        _SLOT.pack_into(memory, slots + _SLOT.size * index, offset + 1)
        offset = end


def _compiled(file: str) -> bytes | None:
    """One module's record, or ``None`` when it cannot be read or compiled."""
    try:
        with open(file, "rb") as handle:
            source = handle.read()
        code = compile(source, file, "exec", dont_inherit=True)
    except Exception:  # reported by the import, which compiles it again
        return None
    payload = marshal.dumps(code)
    header = _RECORD.pack(len(source), zlib.crc32(source), zlib.crc32(payload), len(payload))
    return header + payload


@contextlib.contextmanager
def precompiled_imports(source_compiler: SourceCompiler | None) -> Iterator[None]:
    """Imports of source files take the helper's code where it holds (a worker's imports).

    Every ``SourceFileLoader`` asks the helper before compiling (``source_to_code``); the
    loader's own behaviour is restored when the block ends.
    """
    if source_compiler is None:
        yield
        return
    had_own = "source_to_code" in SourceFileLoader.__dict__
    original = SourceFileLoader.source_to_code

    def source_to_code(loader: Any, data: Any, path: Any, *, _optimize: int = -1) -> Any:
        if _optimize == -1 and isinstance(path, str):
            code = source_compiler.code_for(path, bytes(data))
            if code is not None:
                return code
        return original(loader, data, path, _optimize=_optimize)

    SourceFileLoader.source_to_code = source_to_code  # type: ignore[method-assign]
    try:
        yield
    finally:
        if had_own:
            SourceFileLoader.source_to_code = original  # type: ignore[method-assign]
        else:
            del SourceFileLoader.source_to_code
