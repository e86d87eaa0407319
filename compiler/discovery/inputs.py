"""What each user module read while it was imported and compiled: its inputs.

A module's entities are a function of its own source and of what its code read: the modules it
imported, the files it opened, the folders it listed and the environment variables it looked
up. :class:`InputRecorder` watches all of these while a worker imports and serializes, and
gives each project module (a module whose file lies below a source root) its
:class:`ModuleInputs`. Whatever cannot be watched or undone makes the module *tainted*:
starting a process, opening a network connection, writing or deleting files, changing the
environment or the working folder, loading a library through ``ctypes``, an import that
failed. A tainted module (and every module that imports one) is never reused from the compile
cache (``compiler.pipeline.cache``).

Reads are attributed to the innermost project module whose body is running (its ``<module>``
frame); reads while an entity is serialized go to that entity's home module
(:attr:`InputRecorder.current`). The watch uses an audit hook (``sys.addaudithook``: it stays
installed for the life of the process, and does nothing while no recorder is active), wrappers
of ``builtins.__import__``, ``importlib.import_module``, ``os.stat`` and ``os.lstat`` (existence
checks: ``os.path.exists``, ``Path.is_file``, ...) and a class swap of ``os.environ``; all are
undone on exit.

Not seen: files that C code opens by itself (a C reader of a data library), and state outside
files and the environment (the clock, random numbers, the network: the last taints).
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
import importlib.util
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["INSTALLED", "Fingerprints", "InputRecorder", "ModuleInputs"]

#: Audit events after which a module's output cannot be trusted to depend only on its inputs.
_TAINTS = {
    "subprocess.Popen": "starts a process",
    "os.system": "runs a shell command",
    "os.exec": "starts a program",
    "os.posix_spawn": "starts a program",
    "os.spawn": "starts a program",
    "os.fork": "forks the process",
    "os.forkpty": "forks the process",
    "pty.spawn": "starts a program",
    "socket.connect": "opens a network connection",
    "socket.getaddrinfo": "looks up a host name",
    "socket.gethostbyname": "looks up a host name",
    "urllib.Request": "opens a URL",
    "http.client.connect": "opens a network connection",
    "ctypes.dlopen": "loads a library through ctypes",
    "os.putenv": "changes the environment",
    "os.unsetenv": "changes the environment",
    "os.chdir": "changes the working folder",
    "os.remove": "changes files",
    "os.rename": "changes files",
    "os.rmdir": "changes files",
    "os.mkdir": "changes files",
    "os.link": "changes files",
    "os.symlink": "changes files",
    "os.truncate": "changes files",
    "os.chmod": "changes files",
    "os.utime": "changes files",
    "shutil.rmtree": "changes files",
    "shutil.move": "changes files",
    "sqlite3.connect": "opens a database",
}
_LISTINGS = frozenset({"os.listdir", "os.scandir"})
_IMPORT_SYSTEM = "<frozen importlib."
#: The interpreter's and the environment's folders: installed code, never the user's.
INSTALLED = tuple(
    sorted(
        {f"{os.path.abspath(p)}{os.sep}" for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    )
)
#: compile-tasks' own package (also when installed in editable mode, outside the prefixes).
_OWN_CODE = f"{os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}{os.sep}"
#: Files larger than this are known by their stat, not their digest (data files).
DIGEST_LIMIT = 4 << 20
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass
class ModuleInputs:
    """What one module's code read (its own source is implied).

    Attributes:
        imports: Absolute names of the modules its import statements named.
        files: Absolute paths of the files it opened for reading.
        folders: Absolute paths of the folders it listed.
        env: Environment variables it looked up, with the value seen first (``None``: unset).
        tainted: Why it cannot be reused (the first reason seen), or ``None``.
    """

    imports: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    env: dict[str, str | None] = field(default_factory=dict)
    tainted: str | None = None

    def taint(self, reason: str) -> None:
        if self.tainted is None:
            self.tainted = reason


#: The recorder the hooks report to (one at a time per process).
_ACTIVE: list[InputRecorder] = []
_HOOKED = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _ACTIVE:
        return
    if event == "open":
        _ACTIVE[-1].opened(args)
    elif event in _LISTINGS:
        _ACTIVE[-1].listed(args[0] if args else ".")
    elif event in _TAINTS:
        _ACTIVE[-1].tainted(_TAINTS[event])


class _TrackedEnviron(os._Environ):  # type: ignore[name-defined,misc]
    """``os.environ`` while a recorder is active: every lookup is reported."""

    def __getitem__(self, key: str) -> str:
        try:
            value: str = super().__getitem__(key)
        except KeyError:
            if _ACTIVE:
                _ACTIVE[-1].looked_up(key, None)
            raise
        if _ACTIVE:
            _ACTIVE[-1].looked_up(key, value)
        return value

    def __iter__(self) -> Iterator[str]:
        if _ACTIVE:
            _ACTIVE[-1].tainted("reads the whole environment")
        return super().__iter__()


class InputRecorder:
    """Records the inputs of the project modules below ``roots`` (see the module docstring).

    Use as a context manager around the imports and the serialization of one worker.
    """

    def __init__(self, roots: Sequence[str | Path]) -> None:
        self.roots = folder_prefixes(roots)
        self.modules: dict[str, ModuleInputs] = {}
        #: The module whose entity is being serialized (reads outside any module body go here).
        self.current: str | None = None
        #: Until :meth:`discovered`, every event is attributed by walking the stack; after it,
        #: only during an import or a serialization (``current``): the bundle's own files,
        #: written in between, are nobody's input and cost no walk.
        self._discovering = True
        self._imports = 0
        self._project: dict[str, bool] = {}
        self._import: Any = None
        self._environ_class: type | None = None

    def is_project_file(self, file: str) -> bool:
        """Below a source root and not installed (a virtual environment inside the project
        holds other packages' modules, not the user's)."""
        return file.startswith(self.roots) and not file.startswith(INSTALLED)

    def _inputs_of(self, globals_: dict[str, Any]) -> ModuleInputs | None:
        name = globals_.get("__name__")
        if not isinstance(name, str):
            return None
        known = self._project.get(name)
        if known is None:
            file = globals_.get("__file__")
            known = isinstance(file, str) and self.is_project_file(os.path.abspath(file))
            self._project[name] = known
        if not known:
            return None
        inputs = self.modules.get(name)
        if inputs is None:
            inputs = self.modules[name] = ModuleInputs()
        return inputs

    def _owner(self) -> ModuleInputs | None:
        """The innermost project module whose body runs now, else the module being compiled.

        ``None`` for what the import system does on its own behalf (listing folders on
        ``sys.path``, reading module files): the import statement itself is recorded, and
        another package's module is known by its file.
        """
        if self.current is None and not self._discovering and not self._imports:
            return None
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename.startswith(_IMPORT_SYSTEM):
                return None
            if frame.f_code.co_name == "<module>":
                inputs = self._inputs_of(frame.f_globals)
                if inputs is not None:
                    return inputs
            frame = frame.f_back  # type: ignore[assignment]
        if self.current is None:
            return None
        return self.modules.setdefault(self.current, ModuleInputs())

    # -- what the hooks report ------------------------------------------------------------

    def opened(self, args: tuple[Any, ...]) -> None:
        path, mode, flags = (*args, None, None, 0)[:3]
        if not isinstance(path, _PATHS):
            return  # a file descriptor (see _absolute)
        owner = self._owner()  # first: most opens are nobody's, and need no absolute path
        file = _absolute(path) if owner is not None else None
        if owner is None or file is None:
            return
        writes = any(c in mode for c in "wax+") if isinstance(mode, str) else False
        if writes or (mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS):
            owner.taint("writes files")
        elif not file.endswith((".pyc", ".so")):
            owner.files.add(file)

    def looked_at(self, path: Any) -> None:
        """``os.stat`` / ``os.lstat`` (what ``os.path.exists``, ``Path.is_file`` and the like
        call): the answer depends on the file, so the file is an input, present or not."""
        file = _absolute(path)
        owner = self._owner() if file is not None else None
        if owner is not None and file is not None:
            owner.files.add(file)

    def listed(self, path: Any) -> None:
        folder = _absolute(path)
        owner = self._owner() if folder is not None else None
        if owner is not None and folder is not None:
            owner.folders.add(folder)

    def tainted(self, reason: str) -> None:
        owner = self._owner()
        if owner is not None:
            owner.taint(reason)

    def looked_up(self, key: str, value: str | None) -> None:
        owner = self._owner()
        if owner is not None:
            owner.env.setdefault(key, value)

    def _imported(self, globals_: Any, name: str, fromlist: Any, level: int, failed: bool) -> None:
        if not isinstance(globals_, dict):
            return
        inputs = self._inputs_of(globals_)
        if inputs is None:
            return
        if failed:
            inputs.taint(f"an import failed ('{name}')")
            return
        try:
            package = globals_.get("__package__") or ""
            absolute = importlib.util.resolve_name("." * level + name, package) if level else name
        except (ImportError, ValueError):
            return
        inputs.imports.add(absolute)
        for item in fromlist or ():
            child = f"{absolute}.{item}"
            if child in sys.modules:
                inputs.imports.add(child)

    # -- installing the hooks -------------------------------------------------------------

    def start(self) -> None:
        """Install the hooks (see the module docstring)."""
        if self._environ_class is not None:
            return
        if not _HOOKED[0]:
            sys.addaudithook(_audit)
            _HOOKED[0] = True
        original = builtins.__import__
        original_import_module = importlib.import_module
        recorder = self

        def tracked_import(
            name: str,
            globals: Any = None,  # the signature of __import__
            locals: Any = None,
            fromlist: Any = (),
            level: int = 0,
        ) -> Any:
            recorder._imports += 1
            try:
                module = original(name, globals, locals, fromlist, level)
            except ImportError:
                recorder._imported(globals, name, fromlist, level, failed=True)
                raise
            finally:
                recorder._imports -= 1
            recorder._imported(globals, name, fromlist, level, failed=False)
            return module

        def tracked_import_module(name: str, package: str | None = None) -> Any:
            caller = sys._getframe(1).f_globals
            recorder._imports += 1
            try:
                module = original_import_module(name, package)
            except ImportError:
                recorder._imported(caller, name, (), 0, failed=True)
                raise
            finally:
                recorder._imports -= 1
            recorder._imported(caller, module.__name__, (), 0, failed=False)
            return module

        def tracked(stat_call: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
            def looking(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
                recorder.looked_at(path)
                return stat_call(path, *args, **kwargs)

            return looking

        self._import = (original, original_import_module, os.stat, os.lstat)
        builtins.__import__ = tracked_import
        importlib.import_module = tracked_import_module  # type: ignore[assignment]
        os.stat, os.lstat = tracked(os.stat), tracked(os.lstat)  # existence checks
        self._environ_class = type(os.environ)
        os.environ.__class__ = _TrackedEnviron
        _ACTIVE.append(self)

    def stop(self) -> None:
        """Remove the hooks (the audit hook stays, idle); a second call does nothing."""
        if self._environ_class is None:
            return
        _ACTIVE.remove(self)
        builtins.__import__, importlib.import_module, os.stat, os.lstat = self._import
        os.environ.__class__ = self._environ_class
        self._environ_class = None

    def __enter__(self) -> InputRecorder:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def discovered(self) -> None:
        """The package's modules are imported: from now on, what happens outside an import
        and outside :meth:`compiling` is nobody's input (the bundle's own files)."""
        self._discovering = False

    def compiling(self, module: str) -> _Compiling:
        """Attribute what happens inside the block to ``module`` (an entity being serialized).

        A plain context manager, not a generator one: it wraps every entity a worker
        serializes, and ``contextlib.contextmanager`` costs several times as much per use.
        """
        return _Compiling(self, module)


class _Compiling:
    """``with recorder.compiling(module):`` (see :meth:`InputRecorder.compiling`)."""

    __slots__ = ("_module", "_recorder")

    def __init__(self, recorder: InputRecorder, module: str) -> None:
        self._recorder, self._module = recorder, module

    def __enter__(self) -> None:
        self._recorder.current = self._module

    def __exit__(self, *exc_info: object) -> None:
        self._recorder.current = None


def folder_prefixes(folders: Sequence[str | Path]) -> tuple[str, ...]:
    """Absolute folder paths ending with a separator (what ``str.startswith`` needs)."""
    return tuple(f"{os.path.abspath(folder)}{os.sep}" for folder in folders)


#: What an audited call may name a path with (else it is given a file descriptor).
_PATHS = (str, bytes, os.PathLike)


def _absolute(path: Any) -> str | None:
    """The absolute path an audited call names, or ``None`` for a file descriptor (what it
    refers to was opened, and seen, before)."""
    if not isinstance(path, _PATHS):
        return None
    return os.path.abspath(os.fsdecode(path))


class Fingerprints:
    """The present state of inputs, each computed once: file digests, stats, folder listings.

    A file below a source root, the interpreter's prefixes or compile-tasks' own package (the
    user's code, installed packages, the standard library) is known by the sha256 of its
    bytes, which a checkout, a copy or a fresh install of the same versions keeps; any other
    file (and one larger than ``DIGEST_LIMIT``) by its size, modification time and inode.
    A folder looked at is known only as a folder (what it holds is an input only when it is
    listed: :meth:`folder`, its sorted entry names). A missing path has the fingerprint
    ``None``.
    """

    def __init__(self, roots: Sequence[str | Path]) -> None:
        self.roots = folder_prefixes(roots)
        self.digested = (*self.roots, *INSTALLED, _OWN_CODE)
        self._files: dict[str, Any] = {}
        self._folders: dict[str, Any] = {}

    def file(self, path: str) -> Any:
        if path not in self._files:
            self._files[path] = self._file(path)
        return self._files[path]

    def _file(self, path: str) -> Any:
        try:
            info = os.stat(path)
            if stat.S_ISDIR(info.st_mode):
                return "folder"
            if info.st_size <= DIGEST_LIMIT and path.startswith(self.digested):
                with open(path, "rb") as handle:
                    return hashlib.sha256(handle.read()).hexdigest()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            return f"error {exc.errno}"
        return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"

    def folder(self, path: str) -> Any:
        if path not in self._folders:
            try:
                names = sorted(os.listdir(path))
            except (FileNotFoundError, NotADirectoryError):
                self._folders[path] = None
            except OSError as exc:
                self._folders[path] = f"error {exc.errno}"
            else:
                self._folders[path] = hashlib.sha256("\0".join(names).encode()).hexdigest()
        return self._folders[path]
