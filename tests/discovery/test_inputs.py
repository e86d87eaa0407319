"""InputRecorder: what each project module read while it was imported, and what taints it."""

from __future__ import annotations

import builtins
import importlib
import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler.discovery import Fingerprints, InputRecorder


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A source root on ``sys.path``; its modules are forgotten afterwards."""
    root = tmp_path / "src"
    root.mkdir()
    sys.path.insert(0, str(root))
    before = set(sys.modules)
    yield root
    sys.path.remove(str(root))
    for name in set(sys.modules) - before:
        del sys.modules[name]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _record(root: Path, *modules: str) -> InputRecorder:
    recorder = InputRecorder([root])
    with recorder:
        for module in modules:
            importlib.import_module(module)
    return recorder


def test_environment_lookups_are_recorded_with_the_value_seen(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CT_TEST_IMAGE", "registry/app:1")
    monkeypatch.delenv("CT_TEST_MISSING", raising=False)
    _write(
        project,
        {
            "envmod.py": """\
                import os
                IMAGE = os.environ.get("CT_TEST_IMAGE")
                OTHER = os.getenv("CT_TEST_MISSING", "x")
                HAS = "CT_TEST_IMAGE" in os.environ
            """
        },
    )
    recorder = _record(project, "envmod")
    inputs = recorder.modules["envmod"]
    assert inputs.env == {"CT_TEST_IMAGE": "registry/app:1", "CT_TEST_MISSING": None}
    assert inputs.tainted is None


def test_files_read_and_folders_listed_are_recorded(project: Path) -> None:
    data = project / "data"
    data.mkdir()
    (data / "rows.csv").write_text("a,b\n")
    _write(
        project,
        {
            "reader.py": f"""\
                import os
                ROWS = open({str(data / "rows.csv")!r}).read()
                NAMES = os.listdir({str(data)!r})
            """
        },
    )
    inputs = _record(project, "reader").modules["reader"]
    assert str(data / "rows.csv") in inputs.files
    assert str(data) in inputs.folders
    assert inputs.tainted is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("open(__file__ + '.out', 'w').close()", "writes files"),
        ("import subprocess; subprocess.run(['true'])", "starts a process"),
        (
            "import os; os.environ['CT_TEST_SET'] = '1'; del os.environ['CT_TEST_SET']",
            "changes the environment",
        ),
        ("import os; dict(os.environ)", "reads the whole environment"),
        ("try:\n    import ct_no_such_module\nexcept ImportError:\n    pass", "an import failed"),
    ],
)
def test_what_cannot_be_replayed_taints_the_module(project: Path, body: str, reason: str) -> None:
    _write(project, {"side.py": body + "\n"})
    inputs = _record(project, "side").modules["side"]
    assert inputs.tainted is not None and inputs.tainted.startswith(reason)


def test_import_statements_of_every_form_are_recorded(project: Path) -> None:
    _write(
        project,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "X = 1\n",
            "pkg/b.py": "Y = 2\n",
            "pkg/c.py": "Z = 3\n",
            "pkg/d.py": "W = 4\n",
            "pkg/user.py": """\
                import json
                import pkg.a
                from . import b
                from .c import Z
                import importlib
                D = importlib.import_module("pkg.d")
            """,
        },
    )
    inputs = _record(project, "pkg.user").modules["pkg.user"]
    assert {"json", "pkg.a", "pkg", "pkg.b", "pkg.c", "pkg.d"} <= inputs.imports


def test_reads_inside_another_package_go_to_the_project_module_that_runs(project: Path) -> None:
    """Attributed to the innermost project module body: a helper's read is its caller's."""
    (project / "conf.txt").write_text("v")
    _write(
        project,
        {
            "helper.py": f"""\
                def load():
                    return open({str(project / "conf.txt")!r}).read()
            """,
            "caller.py": "import helper\nVALUE = helper.load()\n",
        },
    )
    recorder = _record(project, "caller")
    assert str(project / "conf.txt") in recorder.modules["caller"].files
    assert "helper" not in recorder.modules or not recorder.modules["helper"].files


def test_reads_while_compiling_go_to_the_entity_module(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CT_TEST_AT_SERIALIZE", "on")
    recorder = InputRecorder([project])
    with recorder, recorder.compiling("pkg.flows"):
        assert os.environ.get("CT_TEST_AT_SERIALIZE") == "on"
    with recorder:  # outside compiling(): nobody's
        os.environ.get("CT_TEST_NOBODY")
    assert recorder.modules["pkg.flows"].env == {"CT_TEST_AT_SERIALIZE": "on"}
    assert all("CT_TEST_NOBODY" not in m.env for m in recorder.modules.values())


def test_after_discovery_only_imports_and_serialization_are_attributed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the package is imported, the walk of the stack is skipped between entities (the
    bundle's own files being written), and still made during a late import."""
    (project / "late.txt").write_text("v")
    (project / "written.pb").write_bytes(b"")
    _write(project, {"lateimport.py": f"VALUE = open({str(project / 'late.txt')!r}).read()\n"})
    monkeypatch.setenv("CT_TEST_LATE", "1")
    recorder = InputRecorder([project])
    with recorder:
        recorder.discovered()
        with recorder.compiling("pkg.tasks"):
            assert os.environ.get("CT_TEST_LATE") == "1"
            importlib.import_module("lateimport")  # a module imported by a serialization
        (project / "written.pb").read_bytes()  # between entities: nobody's
        os.environ.get("CT_TEST_BETWEEN")
    assert recorder.modules["pkg.tasks"].env == {"CT_TEST_LATE": "1"}
    assert str(project / "late.txt") in recorder.modules["lateimport"].files
    everything = [m.files | set(m.env) for m in recorder.modules.values()]
    assert not any(str(project / "written.pb") in seen for seen in everything)
    assert not any("CT_TEST_BETWEEN" in seen for seen in everything)


def test_the_hooks_are_removed_afterwards(project: Path) -> None:
    before = (builtins.__import__, importlib.import_module, type(os.environ))
    recorder = InputRecorder([project])
    recorder.start()
    assert builtins.__import__ is not before[0]
    recorder.stop()
    recorder.stop()  # a second stop does nothing
    assert (builtins.__import__, importlib.import_module, type(os.environ)) == before


def test_fingerprints_digest_project_files_and_stat_others(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    inside, outside = root / "m.py", tmp_path / "other.txt"
    inside.write_text("A = 1\n")
    outside.write_text("x")
    prints = Fingerprints([root])
    assert len(prints.file(str(inside))) == 64  # sha256 of the bytes
    assert prints.file(str(outside)).count(":") == 2  # size, mtime, inode (not installed)
    assert prints.file(str(root)) == "folder"  # only what it is: listing it is an input
    assert prints.file(str(tmp_path / "missing")) is None
    assert prints.folder(str(root)) == Fingerprints([]).folder(str(root))
    assert prints.folder(str(tmp_path / "missing")) is None
