"""Source roots and module lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.discovery import find_source_root, list_modules
from compiler.errors import DiscoveryError, ExitCode, PackagePathError


def _names(path: Path, root: Path | None = None) -> list[str]:
    return [m.name for m in list_modules(path, root)]


def test_package_walk_is_depth_first_and_alphabetical(make_tree) -> None:
    src = make_tree(
        {
            "shop/__init__.py": "",
            "shop/b.py": "",
            "shop/a.py": "",
            "shop/sub/__init__.py": "",
            "shop/sub/z.py": "",
            "shop/ns/m.py": "",  # namespace subpackage: no __init__.py
            "shop/__pycache__/x.py": "",
            "shop/not-a-name.py": "",
            "shop/data/readme.txt": "",
        }
    )
    assert find_source_root(src / "shop") == src
    assert _names(src / "shop") == [
        "shop",
        "shop.a",
        "shop.b",
        "shop.ns.m",
        "shop.sub",
        "shop.sub.z",
    ]


def test_module_file_and_nested_package(make_tree) -> None:
    src = make_tree({"shop/__init__.py": "", "shop/sub/__init__.py": "", "shop/sub/z.py": ""})
    assert find_source_root(src / "shop" / "sub" / "z.py") == src
    assert _names(src / "shop" / "sub" / "z.py") == ["shop.sub.z"]
    assert _names(src / "shop" / "sub") == ["shop.sub", "shop.sub.z"]


def test_folder_without_init_is_a_source_root(make_tree) -> None:
    src = make_tree({"one/__init__.py": "", "one/x.py": "", "top.py": "", "venv/pyvenv.cfg": ""})
    assert find_source_root(src) == src
    assert _names(src) == ["one", "one.x", "top"]


def test_explicit_source_root_for_namespace_packages(make_tree) -> None:
    src = make_tree({"company/team/__init__.py": "", "company/team/t.py": ""})
    assert _names(src / "company" / "team") == ["team", "team.t"]
    assert _names(src / "company" / "team", src) == ["company.team", "company.team.t"]


def test_bad_paths(make_tree, tmp_path: Path) -> None:
    src = make_tree({"pkg/__init__.py": "", "pkg/notes.txt": "", "my-mod.py": ""})
    with pytest.raises(DiscoveryError) as missing:
        list_modules(tmp_path / "nope")
    assert missing.value.code == "CT401"
    with pytest.raises(DiscoveryError) as text:
        list_modules(src / "pkg" / "notes.txt")
    assert text.value.code == "CT401"
    with pytest.raises(DiscoveryError) as bad_name:
        list_modules(src / "my-mod.py")
    assert bad_name.value.code == "CT409"
    with pytest.raises(DiscoveryError) as outside:
        list_modules(src / "pkg", tmp_path / "elsewhere")
    assert outside.value.code == "CT409"
    for raised in (missing, text, bad_name, outside):  # about the invocation: a usage error
        assert (type(raised.value), raised.value.exit_code) == (PackagePathError, ExitCode.USAGE)
