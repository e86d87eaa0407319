"""``async def`` tasks: an event loop runs them, in the container and locally, with the
outputs and errors of a sync task."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from ctx_helpers import error, lit, outputs, run_entrypoint


def test_async_task_in_the_container(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "async_double", {"x": lit(21, int)})
    assert proc.returncode == 0, proc.stderr
    assert outputs(out, {"o0": int}) == {"o0": 42}


def test_async_error_is_the_sync_error(tmp_path: Path) -> None:
    proc, out = run_entrypoint(tmp_path, "async_boom", {"x": lit(3, int)})
    sync_proc, sync_out = run_entrypoint(
        tmp_path, "sync_boom", {"x": lit(3, int)}, out=tmp_path / "sync"
    )
    assert proc.returncode == sync_proc.returncode == 1
    got, want = error(out), error(sync_out)
    assert (got.code, got.kind, got.origin) == (want.code, want.kind, want.origin)
    assert got.code == "USER:ValueError"
    assert got.message.endswith("ValueError: async bad x: 3\n")
    # the user's frame is there; the event loop's and ours are not
    assert 'ctx_tasks.py", line' in got.message and "in async_boom" in got.message
    assert "asyncio" not in got.message and "compiler/" not in got.message


def test_async_task_called_locally() -> None:
    from rt_pkg import ctx_tasks

    assert ctx_tasks.async_double(x=5) == 10
    with pytest.raises(ValueError, match="async bad x: 2"):
        ctx_tasks.async_boom(x=2)


def test_async_task_called_from_a_running_loop() -> None:
    from rt_pkg import ctx_tasks

    async def caller() -> int:
        return ctx_tasks.async_double(x=7)

    assert asyncio.run(caller()) == 14
