"""The compile cache: each module's compiled entities, reused while its inputs are unchanged.

A worker that imported and compiled a module stores, per module, what it produced (entity
sites, the ``.pb`` bytes, renderings, the compiled-entity records) with the module's *inputs*
(``compiler.discovery.inputs``): the digest of its source and of every project module it
imported, directly or not; the stat of every other module it imported and of every file it
read outside the source roots (files below them by digest); the folders it listed; the
environment variables it looked up, with their values. A later compile with the same *run key*
(compile-tasks' own files, the Python, the installed packages, the settings, the working
folder, the source roots) reuses a module whose recorded inputs all still hold, without
importing it. The output is the same bytes either way; ``--no-cache`` (or ``cache = false``)
turns the cache off.

Entries are written atomically (a temporary file renamed into place) and read defensively: an
entry that cannot be read is a miss. A module whose import or compile reported a problem or a
warning, or that did something a cache cannot replay (``ModuleInputs.tainted``), is not stored.

Layout::

    CACHE/CACHEDIR.TAG, CACHE/.gitignore     so that backups and git leave it alone
    CACHE/v1/<run key>/<module key>.entry    marshal: format, module, file, inputs, payload
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from compiler._version import __version__
from compiler.bundle import LaidOut
from compiler.discovery import (
    INSTALLED,
    Fingerprints,
    InputRecorder,
    ModuleSource,
)
from compiler.records import frozen_record

__all__ = ["CachedModule", "ModuleCache", "Notes", "local_libraries", "module_inputs", "run_key"]

FORMAT = 1
#: A run key's entries unused this long are deleted (when a compile starts).
UNUSED_DAYS = 14
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is the compile cache of compile-tasks; it can be deleted at any time.\n"
)
_COMPILER_DIR = Path(__file__).resolve().parent.parent


def _code_digest(folder: Path) -> str:
    """The digest of compile-tasks' own source files (a changed compiler reuses nothing).

    The same bytes give the same digest on every machine (a CI job that restores the cache
    folder into a fresh environment still hits). Hashing 2 MB on every compile would cost
    ~10 ms, so the digest is kept in ``folder`` under the files' stats and recomputed only
    when one of them changed.
    """
    files = []
    for top, dirs, names in os.walk(_COMPILER_DIR):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        files += [os.path.join(top, name) for name in sorted(names) if name.endswith(".py")]
    stats = []
    for path in files:
        with contextlib.suppress(OSError):
            info = os.stat(path)
            stats.append((path, info.st_size, info.st_mtime_ns, info.st_ino))
    stamp = hashlib.sha256(repr(stats).encode()).hexdigest()
    memo = folder / "code-digest"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        known_stamp, digest = marshal.loads(memo.read_bytes())
        if known_stamp == stamp:
            return str(digest)
    sha = hashlib.sha256()
    for path in files:
        with contextlib.suppress(OSError), open(path, "rb") as handle:
            sha.update(os.path.relpath(path, _COMPILER_DIR).encode() + b"\0" + handle.read())
    digest = sha.hexdigest()
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(memo, marshal.dumps((stamp, digest)))
    return digest


def _installed_stamp() -> list[tuple[str, list[str]]]:
    """The distributions installed on ``sys.path`` (their ``*.dist-info`` names: name and
    version), so that installing, removing or upgrading a package changes the run key."""
    stamp = []
    for entry in sys.path:
        path = os.path.abspath(entry or ".")
        if os.path.basename(path) in ("site-packages", "dist-packages"):
            with contextlib.suppress(OSError):
                names = sorted(n for n in os.listdir(path) if n.endswith(".dist-info"))
                stamp.append((path, names))
    return stamp


def run_key(
    folder: Path,
    settings: Mapping[str, Any],
    settings_repr: str,
    render: bool,
    roots: Sequence[Path],
) -> str:
    """What every entry of one compile shares besides the module's own inputs, as a digest."""
    parts = {
        "format": FORMAT,
        "version": __version__,
        "python": [sys.version, sys.prefix, sys.executable],
        "settings": settings,
        "settings_repr": settings_repr,
        "render": render,
        "cwd": os.getcwd(),
        "roots": [str(root) for root in roots],
        "code": _code_digest(folder),
        "installed": _installed_stamp(),
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


#: Module name -> why it was compiled again, or not stored (``compile-tasks --verbose``).
Notes = dict[str, str]


@frozen_record
class CachedModule:
    """A reused module: what its worker would have produced, without importing it.

    Attributes:
        module: The module name.
        sites: ``(kind, name, file, line)`` of each entity whose home it is.
        compiled: The encoded compiled-entity records (``workers._encode_compiled``).
        entities: ``(name, kind, level, source file, source line, .pb bytes, rendering or
            None, laid out)`` of each entity it wrote (``BundleEntity.laid_out``).
    """

    module: str
    sites: list[tuple[int, str, str, int]]
    compiled: list[tuple[Any, ...]]
    entities: list[tuple[str, int, int, str | None, int, bytes, bytes | None, LaidOut]]


class ModuleCache:
    """The entries of one run key in a cache folder (see the module docstring)."""

    def __init__(self, folder: Path, key: str, roots: Sequence[Path]) -> None:
        self.folder = Path(folder)
        self.key = key
        self.runs = self.folder / f"v{FORMAT}"
        self.here = self.runs / key
        self.roots = [os.path.abspath(root) for root in roots]

    def _entry(self, source: ModuleSource) -> Path:
        digest = hashlib.sha256(f"{source.name}\0{source.file}".encode()).hexdigest()[:32]
        return self.here / f"{digest}.entry"

    # -- reading ----------------------------------------------------------------------------

    def lookup(self, sources: Iterable[ModuleSource]) -> tuple[list[CachedModule], Notes]:
        """The modules of ``sources`` whose entries exist and whose inputs all still hold, and
        why each other module with an entry is compiled again."""
        prints = Fingerprints(self.roots)
        hits: list[CachedModule] = []
        notes: Notes = {}
        for source in sources:
            hit = self._load(source, prints)
            if isinstance(hit, CachedModule):
                hits.append(hit)
            elif hit is not None:
                notes[source.name] = f"compiled again: {hit}"
        return hits, notes

    def _load(self, source: ModuleSource, prints: Fingerprints) -> CachedModule | str | None:
        """The reusable entry, else why not (``None``: there is none)."""
        try:
            data = self._entry(source).read_bytes()
        except OSError:
            return None
        try:
            version, module, file, inputs, payload = marshal.loads(data)
            if (version, module, file) != (FORMAT, source.name, str(source.file)):
                return "its entry is of another format"
            for item in inputs:
                if not _holds(item, prints):
                    return _changed(item)
            sites, compiled, entities = payload
            return CachedModule(module, list(sites), list(compiled), list(entities))
        except (EOFError, ValueError, TypeError):
            return "its entry cannot be read"

    # -- writing ----------------------------------------------------------------------------

    def store(
        self,
        source: ModuleSource,
        recorder: InputRecorder,
        payload: tuple[list[Any], list[Any], list[Any]],
        libraries: Sequence[str] = (),
        prints: Fingerprints | None = None,
    ) -> str | None:
        """Record ``source``'s payload with its inputs; else why it cannot be reused."""
        inputs, why = module_inputs(source.name, recorder, libraries, prints)
        if inputs is None:
            return why
        data = marshal.dumps((FORMAT, source.name, str(source.file), inputs, payload))
        try:
            self.here.mkdir(parents=True, exist_ok=True)
            _write_atomically(self._entry(source), data)
        except OSError as exc:  # a cache that cannot be written is no cache
            return f"the cache cannot be written ({exc.strerror or exc})"
        return None

    def prepare(self) -> None:
        """Create the folder with its tag files (in the parent, before the workers)."""
        with contextlib.suppress(OSError):
            self.here.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
                path = self.folder / name
                if not path.exists():
                    _write_atomically(path, text.encode())

    def prune(self) -> None:
        """Mark this run key used; delete those unused for ``UNUSED_DAYS`` (several projects
        and settings share one cache folder, each under its own run key) and temporary files
        of entries whose writer was killed."""
        with contextlib.suppress(OSError):
            os.utime(self.here)
            limit = time.time() - UNUSED_DAYS * 86400
            for old in self.runs.iterdir():
                if old.name != self.key and old.is_dir() and old.stat().st_mtime < limit:
                    shutil.rmtree(old, ignore_errors=True)
            stale = time.time() - 3600  # left by a worker killed while writing an entry
            for tmp in self.here.glob(".tmp-*"):
                with contextlib.suppress(OSError):
                    if tmp.stat().st_mtime < stale:
                        tmp.unlink()


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _changed(item: Sequence[Any]) -> str:
    kind, key = item[0], item[1]
    if kind != "env":
        relative = os.path.relpath(key)
        key = key if relative.startswith("..") else relative
    if kind == "env":
        return f"environment variable {key} changed"
    if kind == "dir":
        return f"the entries of folder {key} changed"
    return f"{key} changed"


def _holds(item: Sequence[Any], prints: Fingerprints) -> bool:
    kind = item[0]
    if kind == "file":
        return bool(prints.file(item[1]) == item[2])
    if kind == "dir":
        return bool(prints.folder(item[1]) == item[2])
    if kind == "env":
        return os.environ.get(item[1]) == item[2]
    return False  # an unknown kind (a newer format): not reusable


def local_libraries(recorder: InputRecorder) -> list[str]:
    """The files of the imported modules that are neither the user's (below a source root),
    nor installed (below the interpreter's prefixes), nor compile-tasks' own: libraries used
    from a checkout (an editable install, a ``sys.path`` entry). Their imports are not
    followed, so each module's entry depends on all of them."""
    installed = (*INSTALLED, f"{_COMPILER_DIR}{os.sep}")
    found = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str):
            path = os.path.abspath(file)
            if not path.startswith(installed) and not recorder.is_project_file(path):
                found.add(path)
    return sorted(found)


def module_inputs(
    module: str,
    recorder: InputRecorder,
    libraries: Sequence[str] = (),
    prints: Fingerprints | None = None,
) -> tuple[list[tuple[Any, ...]], None] | tuple[None, str]:
    """The inputs of ``module`` and of every project module it imports, directly or not,
    plus the ``libraries`` (:func:`local_libraries`); ``prints`` may be shared by the
    modules of one worker (each file is read once).

    ``(None, why)`` when one of them is tainted. Must run while the modules are still imported
    (the file of an imported module is read from ``sys.modules``).
    """
    prints = prints or Fingerprints(recorder.roots)
    inputs: dict[tuple[str, str], Any] = {("file", path): prints.file(path) for path in libraries}
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        file = _file_of(name)
        if file is None:
            continue
        inputs[("file", file)] = prints.file(file)
        if not recorder.is_project_file(file):
            continue  # another package's module: its file's stat stands for it
        recorded = recorder.modules.get(name)
        if recorded is None:
            continue
        if recorded.tainted is not None:
            if name == module:
                return None, f"it {recorded.tainted} at import"
            return None, f"it imports {name}, which {recorded.tainted} at import"
        for path in recorded.files:
            inputs[("file", path)] = prints.file(path)
        for path in recorded.folders:
            inputs[("dir", path)] = prints.folder(path)
        for key, value in recorded.env.items():
            inputs[("env", key)] = value
        for imported in recorded.imports:
            parts = imported.split(".")
            todo.extend(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return [(kind, key, value) for (kind, key), value in sorted(inputs.items())], None


def _file_of(name: str) -> str | None:
    module = sys.modules.get(name)
    file = getattr(module, "__file__", None) if module is not None else None
    return os.path.abspath(file) if isinstance(file, str) else None
