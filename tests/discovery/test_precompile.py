"""The source compiler: code compiled ahead in a helper process is the code the import makes."""

from __future__ import annotations

import importlib
import marshal
import os
import select
import subprocess
import sys
import textwrap
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pytest

from compiler.discovery import SourceCompiler, precompiled_imports

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper is forked")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def _finished(helper: SourceCompiler) -> None:
    """Wait until the helper has compiled everything and ended."""
    select.select([helper._alive], [], [], 30)


def _same(a: object, b: object) -> bool:
    return marshal.dumps(a) == marshal.dumps(b)


def test_published_code_is_what_compile_makes(tmp_path: Path) -> None:
    files = [
        _write(
            tmp_path,
            f"m{i}.py",
            f"from __future__ import annotations\nX = {i}\ndef f(a: int): ...\n",
        )
        for i in range(5)
    ]
    helper = SourceCompiler.start(files)
    assert helper is not None
    try:
        _finished(helper)
        for file in files:
            source = file.read_bytes()
            code = helper.code_for(str(file), source)
            assert code is not None
            assert _same(code, compile(source, str(file), "exec", dont_inherit=True))
            assert code.co_filename == str(file)
    finally:
        helper.stop()


def test_a_changed_file_an_unknown_path_and_a_syntax_error_are_compiled_by_the_importer(
    tmp_path: Path,
) -> None:
    good = _write(tmp_path, "good.py", "X = 1\n")
    broken = _write(tmp_path, "broken.py", "def (:\n")
    helper = SourceCompiler.start([good, broken])
    assert helper is not None
    try:
        _finished(helper)
        assert helper.code_for(str(good), b"X = 2\n") is None  # not the source it compiled
        assert helper.code_for(str(tmp_path / "other.py"), b"X = 1\n") is None
        assert helper.code_for(str(broken), broken.read_bytes()) is None
    finally:
        helper.stop()


def test_modules_a_worker_claimed_are_left_to_it(tmp_path: Path) -> None:
    files = [_write(tmp_path, f"m{i}.py", f"X = {i}\n") for i in range(3)]
    helper = SourceCompiler.start(files)
    assert helper is not None
    helper.stop()  # ended before it could publish anything (or some of it)
    fresh = SourceCompiler.start(files)
    assert fresh is not None
    try:
        _finished(fresh)
        fresh.not_needed([files[0]])  # too late to matter: already compiled
        assert fresh.code_for(str(files[0]), files[0].read_bytes()) is not None
    finally:
        fresh.stop()


def test_a_worker_that_claims_first_compiles_itself_and_the_helper_skips_it(
    tmp_path: Path,
) -> None:
    # The claim races the helper, which compiles 39 modules of 300 lines first: on a loaded
    # machine the helper may still get there first, so the race is run again (a few times).
    body = "".join(f"X{line} = {line}\n" for line in range(300))
    files = [_write(tmp_path, f"m{i}.py", body) for i in range(40)]
    last = files[-1]
    for _attempt in range(5):
        helper = SourceCompiler.start(files)
        assert helper is not None
        try:
            helper.not_needed([last])
            if helper._memory[len(files) - 1] != 2:  # the helper had claimed it already
                continue
            _finished(helper)
            assert helper._memory[len(files) - 1] == 2  # a worker's claim: the helper skipped it
            assert helper.code_for(str(last), last.read_bytes()) is None
            return
        finally:
            helper.stop()
    pytest.fail("the helper reached the last module first in five runs")


def test_a_helper_that_ends_does_not_keep_a_worker_waiting(tmp_path: Path) -> None:
    file = _write(tmp_path, "m.py", "X = 1\n")
    helper = SourceCompiler.start([file])
    assert helper is not None
    _finished(helper)
    # As if the helper had claimed the module and ended before publishing it.
    helper._memory[0] = 1
    helper._memory[helper._slots : helper._slots + 8] = bytes(8)
    assert helper.code_for(str(file), file.read_bytes()) is None
    pid = helper._pid
    helper.stop()
    helper.stop()  # a second stop does nothing
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(pid, os.WNOHANG)


def test_a_halted_helper_keeps_what_it_published_and_compiles_nothing_more(
    tmp_path: Path,
) -> None:
    """``halt`` (before the workers fork): the helper process ends, its code stays readable,
    modules it had not reached are left to the importer, and ``stop`` still frees the memory."""
    done = _write(tmp_path, "done.py", "X = 1\n")
    big = _write(
        tmp_path, "big.py", "".join(f"def f{i}(a: int) -> int: return a\n" for i in range(30000))
    )
    late = _write(tmp_path, "late.py", "Y = 2\n")
    helper = SourceCompiler.start([done, big, late])
    assert helper is not None
    while helper._memory[1] == 0:  # wait until it is compiling the big module
        select.select([], [], [], 0.001)
    pid = helper._pid
    helper.halt()
    helper.halt()  # a second halt does nothing
    with pytest.raises(ChildProcessError):  # ended and reaped
        os.waitpid(pid, os.WNOHANG)
    assert helper.code_for(str(done), done.read_bytes()) is not None
    assert helper.code_for(str(big), big.read_bytes()) is None  # cut short: nobody waits
    assert helper.code_for(str(late), late.read_bytes()) is None  # never reached: ours to compile
    helper.stop()
    assert helper._memory.closed
    helper.stop()  # and once only


def test_imports_take_the_helpers_code_and_the_loader_is_restored(tmp_path: Path) -> None:
    package = tmp_path / "pkg_pre"
    package.mkdir()
    init = _write(package, "__init__.py", "")
    mod = _write(package, "mod.py", "def where():\n    return where.__code__.co_filename\n")
    script = f"""
import select, sys
from importlib.machinery import SourceFileLoader
from compiler.discovery import SourceCompiler, precompiled_imports
helper = SourceCompiler.start([{str(init)!r}, {str(mod)!r}])
select.select([helper._alive], [], [], 30)
asked = []
code_for = helper.code_for
helper.code_for = lambda path, source: asked.append(path) or code_for(path, source)
sys.path.insert(0, {str(tmp_path)!r})
with precompiled_imports(helper):
    import pkg_pre.mod
print(pkg_pre.mod.where() == {str(mod)!r}, asked == [{str(init)!r}, {str(mod)!r}])
print("source_to_code" in SourceFileLoader.__dict__)
helper.stop()
"""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["True", "True", "False"]


def test_without_a_helper_imports_are_untouched() -> None:
    before = SourceFileLoader.__dict__.get("source_to_code")
    with precompiled_imports(None):
        importlib.invalidate_caches()
    assert SourceFileLoader.__dict__.get("source_to_code") is before
