"""The leader's sweep: expire drafts nobody decided on in time, post cards no desk took, forget
finished work, and erase customer data older than ``privacy.retention_days``.

Run by one process only (the leader, ``bot/review/leader.py``): two sweeps at once would post a
card twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from bot.config import AppConfig
from bot.review.board import Board
from bot.review.worker import RunSync
from bot.store import Store
from bot.store.privacy import RETENTION_BATCH

__all__ = ["POST_GRACE", "Sweeper"]

#: Seconds a new card has to reach its desks before the sweep posts it instead.
POST_GRACE = 60.0
#: Finished work items are kept this long (for the operator), then forgotten.
KEEP_DONE_WORK = timedelta(days=7)


class Sweeper:
    """One pass of the leader's catch-up work."""

    def __init__(self, *, config: AppConfig, store: Store, board: Board, run: RunSync) -> None:
        self._config = config
        self._store = store
        self._board = board
        self._run = run

    async def sweep(self, *, now: datetime | None = None) -> int:
        """Expire drafts nobody decided on, post cards no desk took; returns how many cards
        changed."""
        done = 0
        now = now or datetime.now(UTC)
        hours = self._config.review.expire_after_hours
        if hours > 0:
            cutoff = now - timedelta(hours=hours)
            expired = await self._run(partial(self._store.expire_pending, cutoff))
            cards = {await self._run(partial(self._store.card_of_draft, d)) for d in expired}
            for card_id in sorted(c for c in cards if c is not None):
                await self._board.refresh(card_id)
                done += 1
        await self._run(partial(self._store.forget_finished_work, older_than=now - KEEP_DONE_WORK))
        await self._retain(now)
        if not self._board.has_surfaces:
            return done
        # Younger cards may be on their way right now (in another process too).
        settled = now - timedelta(seconds=POST_GRACE)
        for card_id in await self._run(partial(self._store.cards_to_post, older_than=settled)):
            card = await self._board.card(card_id)
            if card is not None and await self._board.post(card):
                done += 1
        return done

    async def _retain(self, now: datetime) -> None:
        """Erase what is older than the retention period, a batch at a time."""
        days = self._config.privacy.retention_days
        if days <= 0:
            return
        while True:
            erased = await self._run(partial(self._store.apply_retention, now, days))
            if erased.get("messages", 0) < RETENTION_BATCH:
                return
