"""The workers of the work queue, one per lane, in every process.

``InboundLane`` turns stored customer messages into cards: it claims a batch (at most one
message per conversation, oldest first), drafts it on the drafting thread (one transaction to
store, one spaCy batch, one transaction for the drafts), shows the cards, and marks the items
done. A message whose conversation already has a newer one waiting is stored without a draft of
its own: the newer message's draft answers both (a customer writing in bursts gets one card).

``ActionLane`` applies reviewer actions that were stored and not applied (the process that
received them stopped in between): normally an action is applied at once by the process that
received it, and this lane only picks up what a lease left behind.

A failed item is tried again later (exponential back-off), and set aside as failed after
``max_attempts``, with the reason, for the operator: one bad item never blocks the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from bot import metrics
from bot.review.board import Board
from bot.review.cards import ActionOutcome, ReceiveOutcome, ReviewerAction
from bot.review.drafts import Drafted, DraftMaker
from bot.review.payloads import action_from_json, message_from_json
from bot.review.worker import RunSync, in_thread
from bot.store import Store, WorkItem

__all__ = ["ActionLane", "InboundLane", "Lane"]

log = logging.getLogger(__name__)


class Lane:
    """A loop that claims work of one lane and does it, woken when work arrives."""

    lane = ""

    def __init__(
        self,
        *,
        store: Store,
        worker: str,
        lease: timedelta,
        batch: int = 32,
        idle_poll: float = 2.0,
        max_attempts: int = 8,
    ) -> None:
        self._store = store
        self.worker = worker
        self._lease = lease
        self._batch = batch
        self._idle_poll = idle_poll
        self._max_attempts = max_attempts
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Look at the queue now (work was just stored)."""
        self._wakeup.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=f"replique-{self.lane}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> int:
        """Claim what is due and do it; returns how many items were claimed."""
        items = await in_thread(
            partial(
                self._store.claim_work,
                lane=self.lane,
                worker=self.worker,
                lease=self._lease,
                limit=self._batch,
            )
        )
        if items:
            await self.do(items)
        return len(items)

    async def do(self, items: list[WorkItem]) -> None:
        raise NotImplementedError

    async def _loop(self) -> None:
        while True:
            self._wakeup.clear()
            try:
                claimed = await self.run_once()
            except Exception:
                log.exception("%s lane: could not read the queue; trying again", self.lane)
                claimed = 0
            if claimed:
                continue
            pause = await self._until_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=pause)

    async def _until_due(self) -> float:
        try:
            due = await in_thread(partial(self._store.next_work_due, lane=self.lane))
        except Exception:
            return self._idle_poll
        if due is None:
            return self._idle_poll
        return min(self._idle_poll, max(0.0, (due - datetime.now(UTC)).total_seconds()))

    async def finish(self, ids: list[int]) -> None:
        await in_thread(partial(self._store.finish_work, ids, worker=self.worker))

    async def failed(self, item: WorkItem, error: BaseException) -> None:
        """Try ``item`` again later, or set it aside after too many attempts."""
        reason = f"{type(error).__name__}: {error}"
        if item.attempts >= self._max_attempts:
            log.error("%s lane: item %s set aside after %s attempts", self.lane, item.id, reason)
            metrics.WORK_FAILED.labels(self.lane).inc()
            await in_thread(
                partial(self._store.fail_work, item.id, worker=self.worker, error=reason)
            )
            return
        delay = min(300.0, 2.0 ** (item.attempts - 1)) * random.uniform(0.8, 1.2)
        at = datetime.now(UTC) + timedelta(seconds=delay)
        await in_thread(
            partial(self._store.retry_work, item.id, worker=self.worker, at=at, error=reason)
        )


class InboundLane(Lane):
    """Customer messages from the queue to cards."""

    lane = "inbound"

    def __init__(
        self,
        *,
        store: Store,
        drafts: DraftMaker,
        board: Board,
        drafting: RunSync,
        worker: str,
        lease: timedelta,
        batch: int = 32,
    ) -> None:
        super().__init__(store=store, worker=worker, lease=lease, batch=batch)
        self._drafts = drafts
        self._board = board
        self._drafting = drafting
        self._waiters: dict[int, asyncio.Future[ReceiveOutcome]] = {}

    def outcome_of(self, item_id: int) -> asyncio.Future[ReceiveOutcome]:
        """A future resolved with the card of ``item_id`` once this process has done it."""
        future = self._waiters.get(item_id)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._waiters[item_id] = future
        return future

    async def do(self, items: list[WorkItem]) -> None:
        newer = await in_thread(partial(self._store.newer_waiting, items))
        messages = [message_from_json(item.payload) for item in items]
        store_only = [item.id in newer for item in items]
        try:
            done: list[Drafted | BaseException] = list(
                await self._drafting(
                    partial(self._drafts.draft_batch, messages, store_only=store_only)
                )
            )
        except Exception:
            # Something in the batch broke it: one at a time, so only that item waits.
            log.exception("inbound lane: a batch of %d failed; one at a time", len(items))
            done = []
            for message, only in zip(messages, store_only, strict=True):
                try:
                    drafted = await self._drafting(
                        partial(self._drafts.draft_batch, [message], store_only=[only])
                    )
                    done.append(drafted[0])
                except Exception as exc:
                    log.exception("inbound lane: a message could not be drafted")
                    done.append(exc)
        shown = await asyncio.gather(
            *(self._show(item, result) for item, result in zip(items, done, strict=True))
        )
        await self.finish([item.id for item, ok in zip(items, shown, strict=True) if ok])

    async def _show(self, item: WorkItem, result: Drafted | BaseException) -> bool:
        """Show the item's card; False when it must be tried again."""
        if isinstance(result, BaseException):
            await self.failed(item, result)
            return False
        metrics.MESSAGES_RECEIVED.labels(item.platform).inc()
        outcome = ReceiveOutcome(duplicate=False)
        if result.saved is not None:
            card, refs = await self._board.show(result.saved)
            outcome = ReceiveOutcome(duplicate=False, card=card, refs=refs)
            if refs and not result.edited:
                waited = (datetime.now(UTC) - item.created_at).total_seconds()
                metrics.CARD_LATENCY.observe(max(0.0, waited))
        future = self._waiters.pop(item.id, None)
        if future is not None and not future.done():
            future.set_result(outcome)
        return True


class ActionLane(Lane):
    """Reviewer actions a stopped process left unapplied."""

    lane = "action"

    def __init__(
        self,
        *,
        store: Store,
        apply: Callable[[ReviewerAction], Awaitable[ActionOutcome]],
        worker: str,
        lease: timedelta,
    ) -> None:
        super().__init__(store=store, worker=worker, lease=lease, batch=8, idle_poll=5.0)
        self._apply = apply

    async def do(self, items: list[WorkItem]) -> None:
        for item in items:
            started = time.perf_counter()
            try:
                await self._apply(action_from_json(item.payload))
            except Exception as exc:
                log.exception("action lane: action %s failed", item.id)
                await self.failed(item, exc)
                continue
            log.info(
                "action lane: applied action %s left by a stopped process (%.0f ms)",
                item.id,
                (time.perf_counter() - started) * 1000,
            )
            await self.finish([item.id])
