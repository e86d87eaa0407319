"""Fixtures of the type engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compiler.types import default_engine


@pytest.fixture
def isolated_default_engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test that rebuilds ``default_engine()``: afterwards the shared engine is rebuilt again
    with the transformers packages registered at import (``examples``, probes), which are not
    imported a second time."""
    previous = default_engine()
    default_engine.cache_clear()
    try:
        yield
    finally:
        monkeypatch.undo()  # the test's fake entry points must not load into the shared engine
        default_engine.cache_clear()
        current = default_engine()
        for transformer, _, _ in reversed(previous._user_predicates):
            current.register(transformer, replace=True)
