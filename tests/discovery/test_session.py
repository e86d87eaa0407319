"""discover(): tasks found, problems located, interpreter state restored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from compiler.discovery import discover
from compiler.errors import CompileErrors, SourceLocation


def _discover(*paths: Path, **kwargs: Any):
    return discover([str(p) for p in paths], **kwargs)


def _problems(src: Path, *paths: Path, **kwargs: Any) -> list[tuple[str, str, str]]:
    with pytest.raises(CompileErrors) as info:
        _discover(*paths, **kwargs)
    return [
        (
            e.code,
            str(SourceLocation(e.location.file, e.location.line).relative_to(str(src))),
            e.message,
        )
        for e in info.value.errors
    ]


SHOP = {
    "shop/__init__.py": "from shop.orders import load\n",
    "shop/orders.py": """\
        from fake_sdk import FakeTask, task

        @task
        def load(n: int) -> int:
            return n

        resize = FakeTask("resize_images")
        """,
    "shop/reports.py": """\
        from shop.orders import load as again
        from helpers.outside import outside_task
        """,
    "helpers/__init__.py": "",
    "helpers/outside.py": "from fake_sdk import FakeTask\noutside_task = FakeTask('elsewhere')\n",
}


def test_collects_tasks_defined_under_path_once(make_tree) -> None:
    src = make_tree(SHOP)
    with _discover(src / "shop") as found:
        assert [(t.name, t.module, str(t.relative_location)) for t in found.entities] == [
            ("resize_images", "shop.orders", "shop/orders.py:7"),
            ("shop.orders.load", "shop.orders", "shop/orders.py:3"),
        ]
        assert found.modules == ["shop", "shop.orders", "shop.reports"]
        assert found.roots == [src]
        assert "shop.orders" in sys.modules
    assert "shop.orders" not in sys.modules
    assert "helpers.outside" not in sys.modules
    assert str(src) not in sys.path


def test_module_file_path_only_compiles_that_module(make_tree) -> None:
    src = make_tree(SHOP)
    problems = _problems(src, src / "shop" / "reports.py")
    assert [p[0] for p in problems] == ["CT406"]


def test_repeated_runs_see_edited_sources(make_tree) -> None:
    src = make_tree(
        {"pkg/__init__.py": "", "pkg/m.py": "from fake_sdk import FakeTask\na = FakeTask('a')\n"}
    )
    with _discover(src / "pkg") as found:
        assert [t.name for t in found.entities] == ["a"]
    (src / "pkg" / "m.py").write_text("from fake_sdk import FakeTask\nbb = FakeTask('bb')\n")
    with _discover(src / "pkg") as found:
        assert [t.name for t in found.entities] == ["bb"]


def test_every_import_problem_is_reported_sorted_with_user_lines(make_tree) -> None:
    src = make_tree(
        {
            "bad/__init__.py": "",
            "bad/a_syntax.py": "x = 1\ndef broken(:\n",
            "bad/b_missing.py": "import os\nimport not_installed_anywhere\n",
            "bad/c_raises.py": "def f():\n    raise ValueError('boom\\nsecond line')\n\nf()\n",
            "bad/d_uses_c.py": "import bad.c_raises\n",
            "bad/e_exit.py": "import sys\nsys.exit(4)\n",
        }
    )
    assert _problems(src, src / "bad") == [
        ("CT402", "bad/a_syntax.py:2", "syntax error in module 'bad.a_syntax': invalid syntax"),
        (
            "CT403",
            "bad/b_missing.py:2",
            "import failed in module 'bad.b_missing': "
            "ModuleNotFoundError: No module named 'not_installed_anywhere'",
        ),
        ("CT404", "bad/c_raises.py:2", "module 'bad.c_raises' raised ValueError: boom at import"),
        ("CT404", "bad/e_exit.py:2", "module 'bad.e_exit' raised SystemExit: 4 at import"),
    ]
    assert "bad" not in sys.modules


def test_sdk_errors_keep_their_location(make_tree) -> None:
    src = make_tree(
        {
            "p/__init__.py": "",
            "p/m.py": (
                "from compiler.errors import DefinitionError, SourceLocation\n"
                "raise DefinitionError('bad option', code='CT123', "
                "location=SourceLocation('/x/p/m.py', 9))\n"
            ),
            "p/n.py": (
                "from compiler.errors import DefinitionError\n\n"
                "raise DefinitionError('no loc', code='CT124')\n"
            ),
        }
    )
    with pytest.raises(CompileErrors) as info:
        _discover(src / "p")
    assert [(e.code, str(e.location)) for e in info.value.errors] == [
        ("CT124", f"{src}/p/n.py:3"),
        ("CT123", "/x/p/m.py:9"),
    ]


def test_duplicate_names_name_both_places(make_tree, monkeypatch) -> None:
    src = make_tree(
        {
            "d/__init__.py": "",
            "d/one.py": "from fake_sdk import FakeTask\n\nx = FakeTask('same')\n",
            "d/two.py": "from fake_sdk import FakeTask\ny = FakeTask('same')\nalias = y\n",
        }
    )
    monkeypatch.chdir(src)
    assert _problems(src, src / "d") == [
        ("CT405", "d/two.py:2", "two tasks are named 'same': d/one.py:3 and d/two.py:2"),
    ]


def test_import_timeout(make_tree) -> None:
    src = make_tree(
        {
            "slow/__init__.py": "",
            "slow/a.py": "import time\nwhile True:\n    time.sleep(0.01)\n",
            "slow/b.py": "",
        }
    )
    problems = _problems(src, src / "slow", import_timeout=0.2)
    assert len(problems) == 1
    code, where, message = problems[0]
    assert code == "CT407"
    assert where in ("slow/a.py:2", "slow/a.py:3")
    assert message == "importing module 'slow.a' took longer than 0.2 s"


def test_empty_package_and_missing_path(make_tree, tmp_path) -> None:
    src = make_tree({"empty/__init__.py": "", "empty/m.py": "X = 1\n", "nothing/readme.txt": ""})
    assert [p[0] for p in _problems(src, src / "empty")] == ["CT406"]
    assert [p[0] for p in _problems(src, src / "nothing")] == ["CT406"]
    with pytest.raises(CompileErrors) as info:
        _discover(tmp_path / "missing", src / "empty")
    assert [e.code for e in info.value.errors] == ["CT401"]


def test_name_clash_with_an_imported_module(make_tree) -> None:
    src = make_tree(
        {"json/__init__.py": "", "json/t.py": "from fake_sdk import FakeTask\nt = FakeTask('t')\n"}
    )
    problems = _problems(src, src / "json")
    assert problems[0][0] == "CT408"
    assert sys.modules["json"].__file__ != str(src / "json" / "__init__.py")


def test_null_byte_and_dangling_module_link(make_tree) -> None:
    src = make_tree({"nb/__init__.py": "", "nb/ok.py": "x = 1\n"})
    (src / "nb" / "zero.py").write_bytes(b"x = 1\ny = 2\nz = '\x00'\n")
    assert _problems(src, src / "nb") == [
        (
            "CT402",
            "nb/zero.py:3",
            "syntax error in module 'nb.zero': source code string cannot contain null bytes",
        )
    ]
    (src / "nb" / "zero.py").unlink()
    (src / "nb" / "ghost.py").symlink_to(src / "missing.py")
    assert _problems(src, src / "nb") == [
        ("CT410", "nb/ghost.py", "module file 'ghost.py' is a symbolic link to a missing file")
    ]


def test_chdir_at_import_is_undone(make_tree, tmp_path, monkeypatch) -> None:
    src = make_tree(
        {
            "cd/__init__.py": "",
            "cd/m.py": f"import os\nfrom fake_sdk import FakeTask\nos.chdir({str(tmp_path)!r})\n"
            "t = FakeTask('t')\n",
        }
    )
    monkeypatch.chdir(src)
    with _discover(src / "cd") as found:
        assert [t.name for t in found.entities] == ["t"]
        assert Path.cwd() == src


def test_a_thread_left_running_at_import_is_a_warning_naming_the_module(make_tree) -> None:
    """CT421: the import succeeds; the warning names the module whose import started it."""
    src = make_tree(
        {
            "poll/__init__.py": "",
            "poll/a_quiet.py": """\
                from fake_sdk import task

                @task
                def quiet(n: int) -> int:
                    return n
            """,
            "poll/b_poller.py": """\
                import threading

                STOP = threading.Event()
                threading.Thread(target=STOP.wait, name="poller").start()
                threading.Thread(target=STOP.wait, name="helper", daemon=True).start()
            """,
        }
    )
    with _discover(src / "poll") as found:
        poller = sys.modules["poll.b_poller"]
        try:
            assert [e.name for e in found.entities] == ["poll.a_quiet.quiet"]
            (warning,) = found.warnings  # the daemon thread is not reported
        finally:
            poller.STOP.set()
    assert warning.code == "CT421"
    assert warning.location == SourceLocation(str(src / "poll" / "b_poller.py"), 0)
    assert "module 'poll.b_poller' left a non-daemon thread running" in warning.message
    assert "'poller'" in warning.message
    assert warning.render(severity="warning").startswith(f"{src}/poll/b_poller.py: warning CT421")
