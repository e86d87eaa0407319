"""What a discovery leaves loaded when it closes: everything but the user's modules.

A second compile in one process (a notebook, a test, a build script) imports the user's modules
afresh; the libraries they imported stay loaded, as after any import. numpy refuses to be loaded
twice in one process, and a second copy of one of the tool's modules would give a second copy of
its classes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

from compiler.discovery import discover
from compiler.discovery.importer import compiled_here

ROOT = Path(__file__).resolve().parents[2]

#: A library outside the compiled folder that refuses a second load, as numpy does.
ONCE_ONLY = """\
import builtins
if getattr(builtins, "_once_only_loaded", False):
    raise ImportError("cannot load module more than once per process")
builtins._once_only_loaded = True
"""


def test_the_libraries_user_code_imports_stay_loaded_and_its_modules_do_not(
    make_tree, tmp_path: Path, monkeypatch
) -> None:
    src = make_tree(
        {
            "flows/__init__.py": "",
            "flows/a.py": (
                "import once_only\nfrom fake_sdk import FakeTask\nfirst = FakeTask('first')\n"
            ),
        }
    )
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "once_only.py").write_text(ONCE_ONLY)
    monkeypatch.syspath_prepend(str(lib))
    monkeypatch.delitem(sys.modules, "once_only", raising=False)
    monkeypatch.setattr("builtins._once_only_loaded", False, raising=False)
    seen = []
    try:
        for _ in range(2):
            with discover([str(src / "flows")]) as found:
                assert [t.name for t in found.entities] == ["first"]
                seen.append(sys.modules["flows.a"])
            assert "flows.a" not in sys.modules and "flows" not in sys.modules
            assert sys.modules["once_only"].__file__ == str(lib / "once_only.py")
    finally:
        sys.modules.pop("once_only", None)  # a library this test made: not left to others
    assert seen[0] is not seen[1]  # the user's module was imported afresh


def test_a_second_compile_in_one_process_keeps_the_tools_modules() -> None:
    # A tool module the user's code loads first (here the port command's rewriter, which a
    # compile does not load) is the same module object for the second compile: no second copy
    # of its classes. Run apart: the test process may have loaded it already.
    code = """\
import sys, tempfile, pathlib
from compiler.discovery import discover
root = pathlib.Path(tempfile.mkdtemp())
(root / "pkg").mkdir()
(root / "pkg" / "__init__.py").write_text("")
(root / "pkg" / "m.py").write_text(
    "import compiler.porting.rewrite\\nfrom compiler import task\\n"
    "@task\\ndef t(x: int) -> int:\\n    return x\\n"
)
assert "compiler.porting.rewrite" not in sys.modules
modules = []
for _ in range(2):
    with discover([str(root / "pkg")]) as found:
        assert [e.name for e in found.entities] == ["pkg.m.t"], found.entities
    modules.append(sys.modules["compiler.porting.rewrite"])
    assert "pkg.m" not in sys.modules
print(modules[0] is modules[1])
"""
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "True"


def _module(name: str, file: str | None = None, path: list[str] | None = None) -> types.ModuleType:
    module = types.ModuleType(name)
    if file is not None:
        module.__file__ = file
    if path is not None:
        module.__path__ = path
    return module


def test_a_module_is_the_users_when_its_files_lie_under_a_root_and_no_installation() -> None:
    root = os.path.abspath("/project")
    venv = os.path.join(root, ".venv")
    roots, installed = [root], [venv]
    assert compiled_here(_module("a", os.path.join(root, "a.py")), roots, installed)
    assert compiled_here(_module("ns", path=[os.path.join(root, "ns")]), roots, installed)
    # Outside every root, in a virtual environment inside the root, or half inside.
    assert not compiled_here(_module("b", os.path.abspath("/elsewhere/b.py")), roots, installed)
    assert not compiled_here(
        _module("np", os.path.join(venv, "lib", "site-packages", "np", "__init__.py")),
        roots,
        installed,
    )
    assert not compiled_here(
        _module("ns", path=[os.path.join(root, "ns"), os.path.abspath("/other/ns")]),
        roots,
        installed,
    )
    # A root's name as a prefix of a sibling folder is not under it.
    assert not compiled_here(_module("c", root + "-old" + os.sep + "c.py"), roots, installed)
    # Built-in, frozen and generated modules, and objects that are no modules.
    assert not compiled_here(_module("builtin"), roots, installed)
    assert not compiled_here(None, roots, installed)

    class BadPath:
        @property
        def __path__(self) -> list[str]:
            raise RuntimeError("no path")

    assert not compiled_here(BadPath(), roots, installed)


def test_installed_code_is_the_standard_library_site_packages_and_the_tool() -> None:
    import sysconfig

    from compiler.discovery import importer

    installed = importer._installation_dirs()
    assert os.path.abspath(sysconfig.get_path("stdlib")) in installed
    assert os.path.abspath(sysconfig.get_path("purelib")) in installed
    assert importer._OWN_DIR in installed
    assert all(os.path.dirname(d) != d for d in installed)
    # The interpreter's prefix is not installed code: a project may live below it.
    project = os.path.join(sys.prefix, "src", "app", "flows.py")
    assert compiled_here(_module("flows", project), [os.path.dirname(project)], installed)
