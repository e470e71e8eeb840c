"""The one way tests wait for something that happens elsewhere (a server, a thread, a process).

Use an event where the code under test offers one (the fake Telegram server's ``wait_for``); poll
with ``wait_until`` where it does not (the store, a subprocess's database, a browser page).
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["wait_until"]


async def wait_until(
    condition: Callable[[], Any | Awaitable[Any]],
    *,
    timeout: float = 15.0,
    what: str = "",
    every: float = 0.01,
) -> Any:
    """Poll ``condition`` (sync or async) until it returns something truthy, and return it;
    fail with an ``AssertionError`` naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        await asyncio.sleep(every)
