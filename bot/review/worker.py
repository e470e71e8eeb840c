"""Running the store and the analyser, which are synchronous, off the event loop.

The event loop must stay free to acknowledge platform events within their deadlines (Slack's
three seconds, Telegram's callback answers), so every store call and every analysis runs on a
worker thread. A ``Worker`` is one such thread, in order: spaCy pipelines are not shared between
threads, and messages must be drafted in the order they came. ``RunSync`` is what the desk, the
board and the outbox are given: "run this function off the loop and give me its result".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from bot.errors import StoreError

__all__ = ["RunSync", "Worker", "in_thread", "until_stored"]

log = logging.getLogger(__name__)

#: Seconds a process keeps trying to record what it already did on a platform (store outage).
RECORD_PATIENCE = 600.0

T = TypeVar("T")


class RunSync(Protocol):
    """Run a synchronous function off the event loop; its result comes back."""

    async def __call__(self, fn: Callable[[], T], /) -> T: ...


class Worker:
    """One thread that runs synchronous work in the order it is given."""

    def __init__(self, name: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    async def __call__(self, fn: Callable[[], T], /) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def close(self) -> None:
        """Wait for what is running, then release the thread."""
        self._executor.shutdown(wait=True)


async def in_thread(fn: Callable[[], T], /) -> T:
    """``RunSync`` on asyncio's default thread pool (work that needs no particular order)."""
    return await asyncio.to_thread(fn)


async def until_stored(
    run: RunSync, fn: Callable[[], T], /, *, what: str, patience: float = RECORD_PATIENCE
) -> T:
    """Run the store write ``fn`` until the store takes it (or ``patience`` runs out).

    For what a platform already did: no platform offers an idempotency key for posting or
    sending, so the record that it was done is all that stops it being done twice once the
    work is taken up again. The process keeps it in memory and writes it as soon as it can.
    """
    pause, waited = 0.2, 0.0
    while True:
        try:
            return await run(fn)
        except StoreError:
            if waited >= patience:
                raise
            if waited == 0:
                log.warning("%s: done, but the store is unavailable; recording it later", what)
            await asyncio.sleep(pause)
            waited += pause
            pause = min(1.0, pause * 2)
