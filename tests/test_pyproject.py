"""The one lookup of ``[tool.compile-tasks]`` that the CLI and the local cache share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compiler.errors import ConfigError
from compiler.pyproject import find_pyproject, read_tool_table


def test_nearest_file_from_a_relative_folder(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.compile-tasks]\njobs = 2\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert find_pyproject(".") == tmp_path / "pyproject.toml"  # walks above the relative "."
    assert find_pyproject(nested) == tmp_path / "pyproject.toml"
    assert read_tool_table(tmp_path / "pyproject.toml") == {"jobs": 2}


def test_missing_table_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert read_tool_table(tmp_path / "pyproject.toml") == {}
    lonely = tmp_path / "deep"
    lonely.mkdir()
    found = find_pyproject(lonely)
    assert found == tmp_path / "pyproject.toml"
    assert os.path.isabs(found)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[tool\n", "cannot read"),
        ('tool = "x"\n', "[tool] must be a table"),
        ("[tool]\ncompile-tasks = 1\n", "[tool.compile-tasks] must be a table"),
    ],
)
def test_broken_files_are_ct813(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        read_tool_table(path)
    assert info.value.code == "CT813"
    assert says in info.value.message
