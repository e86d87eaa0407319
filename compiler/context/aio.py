"""Running an ``async def`` task body to completion from synchronous code.

The coroutine runs on a new event loop, as ``asyncio.run`` would; when the caller is itself
inside a running loop (a notebook, an async test), a loop in a helper thread runs it instead,
with the caller's context variables, so ``current_context()`` is the same inside the task.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

__all__ = ["run_awaitable"]


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def run_awaitable(awaitable: Awaitable[Any]) -> Any:
    """The result of ``awaitable`` (its exception propagates unchanged)."""
    import asyncio
    import contextvars

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_await(awaitable))
    import concurrent.futures

    context = contextvars.copy_context()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(context.run, asyncio.run, _await(awaitable)).result()
