"""Fixtures of the robustness suite: a good bundle to protect, scratch copies of cases."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from robust_helpers import CASES, check_bundle, compile_args, run_cli


@pytest.fixture(scope="session")
def good_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bundle (with renderings) compiled once from ``cases/good`` through the console script."""
    work = tmp_path_factory.mktemp("good")
    shutil.copytree(CASES / "good", work, dirs_exist_ok=True)
    done = run_cli(compile_args(["rb_good"], "bundle", "--render"), work)
    assert done.returncode == 0, done.stderr
    check_bundle(work / "bundle")
    return work / "bundle"


@pytest.fixture
def case_copy(tmp_path: Path) -> Callable[[str], Path]:
    """``case_copy(name)`` copies ``cases/<name>`` to ``tmp_path/src`` and returns that folder."""

    def copy(name: str) -> Path:
        src = tmp_path / "src"
        shutil.copytree(CASES / name, src, dirs_exist_ok=True)
        return src

    return copy


@pytest.fixture
def existing_out(tmp_path: Path, good_bundle: Path) -> Path:
    """``tmp_path/out``: a copy of the good bundle that a failing compile must not touch."""
    out = tmp_path / "out"
    shutil.copytree(good_bundle, out)
    return out
