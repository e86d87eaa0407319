"""``compiler.installed``: the metadata questions a worker asks, without importlib.metadata.

Each answer is checked against ``importlib.metadata`` on folders built here (a plugin that
declares type transformers, a distribution with a version) and on the test venv itself.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from compiler.installed import distribution_version, may_declare_entry_points
from compiler.types import ENTRY_POINT_GROUP


def _dist(folder: Path, name: str, version: str, entry_points: str | None = None) -> Path:
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    return info


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder first on ``sys.path``."""
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_the_version_is_read_from_the_dist_info_folder(path: Path) -> None:
    _dist(path, "fancy_thing", "3.4.5")
    assert distribution_version("fancy-thing") == "3.4.5"
    assert distribution_version("Fancy.Thing") == "3.4.5"
    assert distribution_version("fancy-thing") == importlib.metadata.version("fancy-thing")
    assert distribution_version("not-installed-anywhere") is None


def test_the_first_folder_on_the_path_wins(
    path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    later = tmp_path_factory.mktemp("later")
    _dist(path, "twice", "2.0")
    _dist(later, "twice", "1.0")
    sys.path.append(str(later))
    try:
        assert distribution_version("twice") == "2.0" == importlib.metadata.version("twice")
    finally:
        sys.path.remove(str(later))


def test_layouts_it_does_not_read_are_left_to_importlib_metadata(path: Path) -> None:
    _dist(path, "stale", "1.0")
    _dist(path, "stale", "1.1")  # an upgrade that left the old folder behind
    assert distribution_version("stale") is None
    (path / "legacy-0.9-py3.11.egg-info").mkdir()
    assert distribution_version("legacy") is None


def test_a_zip_on_the_path_sends_both_questions_to_importlib_metadata(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
    monkeypatch.syspath_prepend(str(archive))
    assert distribution_version("docstring_parser") is None
    assert may_declare_entry_points("anything.at.all") is True


def test_a_finder_with_distributions_of_its_own_is_not_overlooked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Finder:
        def find_spec(self, *args: object) -> None:
            return None

        def find_distributions(self, *args: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    assert distribution_version("docstring_parser") is None
    assert may_declare_entry_points("anything.at.all") is True


def test_a_declared_group_is_seen_and_an_undeclared_one_is_not(path: Path) -> None:
    _dist(path, "plugin", "1.0", "[some.group]\nname = plugin.mod:Thing\n")
    assert may_declare_entry_points("some.group") is True
    assert may_declare_entry_points("no.such.group.anywhere") is False


def test_it_agrees_with_importlib_metadata_on_this_environment() -> None:
    """No false "no": every group importlib.metadata finds an entry point in is seen."""
    groups = {ep.group for dist in importlib.metadata.distributions() for ep in dist.entry_points}
    assert groups  # console_scripts at least
    for group in groups:
        assert may_declare_entry_points(group), group
    assert not importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    assert may_declare_entry_points(ENTRY_POINT_GROUP) is False


def test_an_installed_plugin_registers_its_transformer(path: Path) -> None:
    """End to end in a fresh interpreter: a plugin declared in a dist-info folder is loaded."""
    (path / "money_plugin.py").write_text(
        textwrap.dedent(
            """
            from compiler.types import TypeTransformer

            class Money:
                pass

            class MoneyTransformer(TypeTransformer):
                python_type = Money
            """
        )
    )
    _dist(
        path,
        "money_plugin",
        "1.0",
        f"[{ENTRY_POINT_GROUP}]\nmoney = money_plugin:MoneyTransformer\n",
    )
    script = (
        "from compiler.types.engine import load_entry_point_transformers\n"
        "print([type(t).__name__ for t in load_entry_point_transformers()])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['MoneyTransformer']"


def test_a_compile_worker_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    """What this module is for: a task compiled in-process, importlib.metadata left alone."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "tasks.py").write_text(
        textwrap.dedent(
            '''
            from compiler import task

            @task
            def double(x: int) -> int:
                """Twice x.

                Args:
                    x: a number
                """
                return 2 * x
            '''
        )
    )
    script = textwrap.dedent(
        """
        import sys
        from compiler.pipeline import compile_package
        from compiler.settings import ImageConfig, SerializationSettings
        images = ImageConfig.from_specs(["registry.example.com/app:1"])
        compile_package(["pkg"], SerializationSettings(image_config=images), out="out")
        import compiler.sdk.docstring  # its release check runs at import
        print("importlib.metadata" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
