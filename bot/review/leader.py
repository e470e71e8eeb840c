"""What one process does for all: the leader polls Telegram and runs the sweeps.

Every ``replique run`` process answers webhooks and does queued work; only the leader runs the
jobs that must not run twice at once (Telegram's long polling answers 409 to a second poller; two
sweeps would post a card twice). ``LeaderRole`` tries to take the role every few seconds, runs
the jobs while it holds it, and stops them when it loses it; when the leader dies, another
process takes over at its next try (PostgreSQL releases a dead session's lock at once; on SQLite
the lease runs out).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from bot.review.worker import in_thread
from bot.store import Store
from bot.store.leadership import Leadership

__all__ = ["LeaderRole"]

log = logging.getLogger(__name__)

Job = Callable[[], Coroutine[Any, Any, None]]


class LeaderRole:
    """Holds the leader role when it can, and runs the leader's jobs while it does."""

    def __init__(
        self,
        *,
        store: Store,
        holder: str,
        check_every: float = 5.0,
        ttl: timedelta = timedelta(seconds=20),
    ) -> None:
        self._leadership = Leadership(store, name="leader", holder=holder, ttl=ttl)
        self._check_every = check_every
        self._jobs: dict[str, Job] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._task: asyncio.Task[None] | None = None
        self.leading = False

    def add(self, name: str, job: Job) -> None:
        """Run ``job`` while this process leads (it is cancelled when the role is lost)."""
        self._jobs[name] = job

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="replique-leader")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._stop_jobs()
        if self.leading:
            await in_thread(self._leadership.release)
            self.leading = False

    async def _loop(self) -> None:
        while True:
            try:
                held = await in_thread(self._leadership.hold)
            except Exception:
                log.exception("leader: could not check the role")
                held = False
            if held and not self.leading:
                log.info("leader: this process leads (%s)", ", ".join(self._jobs) or "no jobs")
                self.leading = True
            elif not held and self.leading:
                log.warning("leader: the role was lost; stopping the leader's jobs")
                self.leading = False
                await self._stop_jobs()
            if self.leading:
                self._start_jobs()
            await asyncio.sleep(self._check_every)

    def _start_jobs(self) -> None:
        for name, job in self._jobs.items():
            running = self._running.get(name)
            if running is None or running.done():
                if running is not None and not running.cancelled() and running.exception():
                    log.error(
                        "leader: job %s stopped: %r; starting it again", name, running.exception()
                    )
                self._running[name] = asyncio.create_task(job(), name=f"replique-leader-{name}")

    async def _stop_jobs(self) -> None:
        running, self._running = list(self._running.values()), {}
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
