"""Import user modules one by one, turning every failure into a located ``CT4xx`` error.

Errors point at the user's code: a syntax error at its own file and line, any other exception at
the last traceback frame inside the user's files. A ``CompileTasksError`` raised by the SDK while
a module runs (an invalid ``@task``) already knows its location and is passed through.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, TracebackType

from compiler.discovery.modules import ModuleSource
from compiler.errors import CompileErrors, CompileTasksError, DiscoveryError, SourceLocation
from compiler.sdk import forget_source_lines
from compiler.signals import raise_signal_interruption

__all__ = ["ImportReport", "compiled_here", "import_modules", "isolated_imports"]

Progress = Callable[[int, int], None]


class ImportTimeout(BaseException):
    """Raised by the alarm handler; a BaseException so user ``except Exception`` cannot eat it."""


@dataclass
class ImportReport:
    """What importing produced: the modules that loaded, the problems found, and warnings
    (problems that do not stop the compile, such as a thread left running)."""

    modules: dict[str, ModuleType] = field(default_factory=dict)
    errors: list[CompileTasksError] = field(default_factory=list)
    warnings: list[CompileTasksError] = field(default_factory=list)


def _running_threads() -> dict[int, str]:
    """The non-daemon threads alive now (a process waits for these before it exits)."""
    return {
        t.ident: t.name
        for t in threading.enumerate()
        if not t.daemon and t.is_alive() and t.ident is not None
    }


def _left_threads(known: dict[int, str], source: ModuleSource) -> list[DiscoveryError]:
    """CT421 for each non-daemon thread that importing ``source`` started and left running."""
    found = []
    for ident, name in _running_threads().items():
        if ident not in known:
            known[ident] = name
            found.append(
                DiscoveryError(
                    f"module '{source.name}' left a non-daemon thread running after import "
                    f"('{name}'); the compile did not wait for it",
                    code="CT421",
                    hint="start threads inside the task body, or pass daemon=True; a compile "
                    "stops such threads when it ends",
                    location=SourceLocation(str(source.file), 0),
                )
            )
    return found


@contextmanager
def isolated_imports(roots: Sequence[Path]) -> Iterator[None]:
    """Put ``roots`` first on ``sys.path``; afterwards restore ``sys.path`` and remove the user's
    modules imported inside the block.

    The user's modules (those whose files lie under ``roots``, see :func:`compiled_here`) are
    removed so that a second compile in the same process (tests, notebooks) imports them afresh
    (and reads their ``def`` lines afresh: ``compiler.sdk.forget_source_lines``). Everything
    else they imported stays loaded, as any import would leave it: installed packages (numpy
    refuses to be loaded twice in one process), the standard library, and the tool's own
    modules (loading one again would make a second copy of its classes).
    """
    forget_source_lines()
    saved_path = list(sys.path)
    saved_modules = set(sys.modules)
    root_dirs = [os.path.abspath(root) for root in dict.fromkeys(roots)]
    sys.path[:0] = [str(r) for r in dict.fromkeys(roots)]
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved_path
        installed = _installation_dirs()
        for name in set(sys.modules) - saved_modules:
            if compiled_here(sys.modules.get(name), root_dirs, installed):
                del sys.modules[name]
        for root in roots:
            sys.path_importer_cache.pop(str(root), None)


def _installation_dirs() -> list[str]:
    """Where installed code lives: the standard library and the site-packages folders (a
    virtual environment inside the compiled folder is installed code, not the user's), and the
    tool's own folder. Not the interpreter's prefixes: a project in ``/usr/src/app`` is the
    user's even where Python's prefix is ``/usr``."""
    import site
    import sysconfig

    found = {_OWN_DIR}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        found.add(sysconfig.get_path(key))
    with contextlib.suppress(AttributeError):  # site may be replaced (an embedded interpreter)
        found.update(site.getsitepackages())
        found.add(site.getusersitepackages())
    dirs = [os.path.abspath(d) for d in found if d]
    return [d for d in dirs if os.path.dirname(d) != d]  # never a whole file system


def _within(path: str, dirs: Sequence[str]) -> bool:
    return any(path == d or path.startswith(d + os.sep) for d in dirs)


def compiled_here(module: object, roots: Sequence[str], installed: Sequence[str]) -> bool:
    """Whether ``module`` is the user's: its file, or every folder of a namespace package,
    lies under one of ``roots`` (absolute) and under none of ``installed`` (nor the tool's own
    folder). Built-in, frozen and generated modules (no file) are nobody's to remove.
    """
    file = getattr(module, "__file__", None)
    if isinstance(file, str):
        places = [file]
    else:
        try:
            places = [p for p in getattr(module, "__path__", None) or () if isinstance(p, str)]
        except Exception:  # an object that is no module, with a __path__ that fails
            return False
    if not places:
        return False
    for place in places:
        path = os.path.abspath(place)
        if not _within(path, roots) or _within(path, installed):
            return False
    return True


@contextmanager
def _alarm(seconds: float | None) -> Iterator[None]:
    usable = seconds and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise ImportTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds or 0))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: Our own package: frames inside it are never the user's.
_OWN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _is_user_file(filename: str, user_dirs: Sequence[str]) -> bool:
    if filename.startswith("<"):  # <frozen os>, <string>: not a file of the user's
        return False
    path = os.path.abspath(filename)
    return not _within(path, (_OWN_DIR,)) and _within(path, user_dirs)


def _user_location(
    tb: TracebackType | None, user_dirs: Sequence[str], fallback: Path
) -> SourceLocation:
    """The last frame of ``tb`` inside the user's files (else the module file itself)."""
    for frame in reversed(traceback.extract_tb(tb)):
        if frame.filename and _is_user_file(frame.filename, user_dirs):
            return SourceLocation(os.path.abspath(frame.filename), frame.lineno or 0)
    return SourceLocation(str(fallback), 0)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _owner(source: ModuleSource, exc: BaseException, owners: Mapping[str, str]) -> str:
    """The module whose top-level code failed (``source`` may merely import it)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return owners.get(os.path.abspath(exc.filename), source.name)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.name == "<module>" and os.path.abspath(frame.filename) in owners:
            return owners[os.path.abspath(frame.filename)]
    return source.name


def _find_null_byte(source: ModuleSource, owners: Mapping[str, str]) -> tuple[str | None, int]:
    """File and line of a NUL byte: the one SyntaxError Python raises without a location.

    importlib hides its own frames, so the file is searched for: the module being imported
    first, then the other compiled modules (it may have been imported from there).
    """
    for file in [str(source.file), *sorted(owners)]:
        try:
            data = Path(file).read_bytes()
        except OSError:
            continue
        index = data.find(b"\x00")
        if index >= 0:
            return file, data.count(b"\n", 0, index) + 1
    return None, 0


def _to_error(
    exc: BaseException,
    source: ModuleSource,
    user_dirs: Sequence[str],
    owners: Mapping[str, str],
) -> CompileTasksError:
    """Translate one import failure into a located error."""
    if isinstance(exc, CompileTasksError):
        where = _user_location(exc.__traceback__, user_dirs, source.file)
        return exc.with_context(location=where)
    if isinstance(exc, SyntaxError) and not exc.filename:
        exc.filename, exc.lineno = _find_null_byte(source, owners)
    if isinstance(exc, SyntaxError) and exc.filename:
        where = SourceLocation(os.path.abspath(exc.filename), exc.lineno or 0)
        return DiscoveryError(
            f"syntax error in module '{_owner(source, exc, owners)}': {exc.msg}",
            code="CT402",
            hint="fix the syntax; nothing can be compiled until every module imports",
            location=where,
        )
    where = _user_location(exc.__traceback__, user_dirs, source.file)
    if isinstance(exc, ImportError):
        return DiscoveryError(
            f"import failed in module '{_owner(source, exc, owners)}': {_describe(exc)}",
            code="CT403",
            hint="install the missing package in this environment, or fix the import",
            location=where,
        )
    return DiscoveryError(
        f"module '{_owner(source, exc, owners)}' raised {_describe(exc)} at import",
        code="CT404",
        hint="importing a module must not fail; move side effects under "
        "`if __name__ == '__main__':`",
        location=where,
    )


def _name_clash(module: ModuleType, source: ModuleSource) -> DiscoveryError | None:
    """An error when ``source.name`` resolved to a different, already imported module."""
    file = getattr(module, "__file__", None)
    if file is None or os.path.abspath(file) == str(source.file):
        return None
    return DiscoveryError(
        f"module name '{source.name}' is already taken by '{file}'",
        code="CT408",
        hint="rename the package: its name clashes with an installed or standard module",
        location=SourceLocation(str(source.file), 0),
    )


def _shadows_stdlib(source: ModuleSource) -> DiscoveryError | None:
    """CT408 for a top-level name of the standard library, imported or not.

    Whether such a module "worked" used to depend on whether anything had imported the
    standard one first (which differs between ``--jobs`` values); the interpreter's own list
    (``sys.stdlib_module_names``) makes the refusal the same every time.
    """
    top = source.name.partition(".")[0]
    if top not in sys.stdlib_module_names:
        return None
    # One error per package whichever of its modules (and worker) finds it: named and
    # located by the package itself, so that repeats merge.
    package = source.root / top / "__init__.py"
    where = package if package.is_file() else source.file
    return DiscoveryError(
        f"module name '{top}' is already taken by the standard-library module '{top}'",
        code="CT408",
        hint="rename the package: its name clashes with an installed or standard module",
        location=SourceLocation(str(where), 0),
    )


def _timeout_error(
    exc: ImportTimeout, source: ModuleSource, seconds: float, user_dirs: Sequence[str]
) -> DiscoveryError:
    return DiscoveryError(
        f"importing module '{source.name}' took longer than {seconds:g} s",
        code="CT407",
        hint="a module must not block at import (network, input(), loops); "
        "raise --import-timeout if it is merely slow",
        location=_user_location(exc.__traceback__, user_dirs, source.file),
    )


def import_modules(
    sources: Sequence[ModuleSource],
    user_dirs: Sequence[Path],
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
    on_start: Callable[[ModuleSource], None] | None = None,
) -> ImportReport:
    """Import every module of ``sources`` in order, collecting all problems.

    Must run inside :func:`isolated_imports`. After a timeout the remaining modules are not
    imported (they would likely hang on the same import again).

    Args:
        sources: The modules, in import order.
        user_dirs: Folders holding the user's files; traceback frames inside them locate errors.
        timeout: Seconds each module may take to import (``None``: no limit).
        progress: Called with ``(done, total)`` after each module.
        on_start: Called with each module just before it is imported (a parent process
            watching a worker learns which module it is in, should it hang or die there).
    """
    dirs = [os.path.abspath(d) for d in user_dirs]
    owners = {str(s.file): s.name for s in sources}
    report = ImportReport()
    refused: set[str] = set()
    cwd = os.getcwd()
    threads = _running_threads()
    for index, source in enumerate(sources, 1):
        shadowing = _shadows_stdlib(source)
        if shadowing is not None:
            top = source.name.partition(".")[0]
            if top not in refused:  # once per package: its submodules are not imported either
                refused.add(top)
                report.errors.append(shadowing)
            if progress is not None:
                progress(index, len(sources))
            continue
        if on_start is not None:
            on_start(source)
        try:
            with _alarm(timeout):
                module = importlib.import_module(source.name)
            clash = _name_clash(module, source)
            if clash is not None:
                report.errors.append(clash)
            else:
                report.modules[source.name] = module
        except ImportTimeout as exc:
            report.errors.append(_timeout_error(exc, source, float(timeout or 0), dirs))
            break
        except CompileErrors as exc:
            report.errors.extend(_to_error(e, source, dirs, owners) for e in exc.errors)
        except BaseException as exc:  # user code may raise anything, SystemExit included
            raise_signal_interruption(exc)  # a Ctrl-C, maybe handed on inside another error
            report.errors.append(_to_error(exc, source, dirs, owners))
        if os.getcwd() != cwd:
            os.chdir(cwd)  # a module changed the working folder at import: undo it
        report.warnings += _left_threads(threads, source)
        if progress is not None:
            progress(index, len(sources))
    return report
