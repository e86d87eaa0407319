"""Fixtures for golden tests (helpers live in ``golden_helpers``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from golden_helpers import BundleEntry, write_bundle


@pytest.fixture
def make_bundle(tmp_path: Path) -> Callable[[str, list[BundleEntry]], Path]:
    """``make_bundle(name, entries)`` writes a bundle under ``tmp_path/name``."""

    def make(name: str, entries: list[BundleEntry]) -> Path:
        return write_bundle(tmp_path / name, entries)

    return make
