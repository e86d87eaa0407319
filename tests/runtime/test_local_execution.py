"""Calling a task locally: values through the type engine, and the local cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from rt_pkg import tasks

from compiler.errors import ExecutionError
from compiler.local_cache import LocalCache


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COMPILE_TASKS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COMPILE_TASKS_CACHE", raising=False)
    tasks.CALLS.clear()
    return tmp_path / "cache"


def test_cache_hit_skips_execution_and_ignores_ignored_inputs(_cache_dir: Path) -> None:
    assert tasks.counted(x=2, trace_id="a") == 20
    assert tasks.counted(x=2, trace_id="b") == 20  # trace_id is not part of the key
    assert tasks.CALLS == [{"x": 2, "trace_id": "a"}]
    assert tasks.counted(x=3) == 30
    assert [c["x"] for c in tasks.CALLS] == [2, 3]
    assert len(LocalCache(_cache_dir)) == 2


def test_overwrite_recomputes(monkeypatch: pytest.MonkeyPatch, _cache_dir: Path) -> None:
    tasks.counted(x=2)
    monkeypatch.setenv("COMPILE_TASKS_CACHE", "overwrite")
    tasks.counted(x=2)
    assert len(tasks.CALLS) == 2
    assert len(LocalCache(_cache_dir)) == 1


def test_disabled_cache_always_runs(monkeypatch: pytest.MonkeyPatch, _cache_dir: Path) -> None:
    monkeypatch.setenv("COMPILE_TASKS_CACHE", "off")
    tasks.counted(x=2)
    tasks.counted(x=2)
    assert len(tasks.CALLS) == 2
    assert not _cache_dir.exists()


def test_uncached_task_runs_every_time(_cache_dir: Path) -> None:
    assert tasks.total(xs=[1, 2], scale=2.0) == 6.0
    assert not _cache_dir.exists()


def test_local_call_converts_values_like_the_cluster() -> None:
    batch = tasks.Batch("a", [tasks.Endpoint("h")])
    assert tasks.describe(batch=batch) == tasks.Batch(
        "A", [tasks.Endpoint("h"), tasks.Endpoint("added", 1)], tasks.Channel.STORE
    )
    assert tasks.stats(xs=[1.0, 3.0]) == (2, 2.0)
    assert type(tasks.stats(xs=[1.0])).__name__ == "Stats"
    assert tasks.maybe(x=None) is None


def test_local_type_error_names_task_and_input() -> None:
    with pytest.raises(ExecutionError) as info:
        tasks.total(xs=["a"])
    assert info.value.task == "rt_pkg.tasks._total"
    assert info.value.param == "xs"
    assert "expected a value of type int, got str 'a'" in info.value.message
