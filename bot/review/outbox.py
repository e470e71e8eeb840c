"""The outbox sender: delivers approved replies, with retries and within the platforms' limits.

Approved replies are already stored (``ReviewStore.decide`` writes the outbox row in the decision's
transaction). The sender claims due rows with a lease, sends each through the customer channel of
its platform, and records the outcome:

- delivered: the row is closed and the reply stored as an outbound message;
- ``DeliveryFailed`` with ``retry_after`` (a 429): due again exactly when the platform said;
- ``DeliveryFailed(permanent=True)`` (chat gone, bot blocked): failed, with the reason, at once;
- anything else (5xx, timeouts, connection refused): exponential back-off with jitter, up to
  ``max_attempts``, then failed.

Pacing follows the platforms' published limits: at most one message per second per chat,
and for Telegram at most 30 per second overall. A sender that dies mid-send leaves a leased row;
when the lease ends the next sender (after a restart, or another process) delivers it. A row can
wait a long time for its turn (many replies queued for one chat): just before sending, the sender
checks that the row is still its own and renews the lease (``Store.confirm_sending``), so a row
whose lease ran out meanwhile, and that another sender took, is not sent twice. Each process only
claims replies to the platforms it has a channel for.

There is a window in which a reply can go out twice: the platform took it and the process died
before the store recorded it. No platform offers an idempotency key for sending, so the window is
kept as short as possible (the store write follows the send at once) instead of pretending to
close it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from bot import metrics
from bot.review.ports import CustomerChannel, DeliveryFailed, ReplyAddress
from bot.review.worker import RunSync, in_thread, until_stored
from bot.store import OutboxItem, Store

__all__ = ["OutboxSender", "Pacer"]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Minimum seconds between two messages to one chat, and overall, per platform (Telegram: about
#: one a second per chat and 30 a second in all; Slack: about one a second per channel).
PER_CHAT_INTERVAL: Mapping[str, float] = {"telegram": 1.0, "slack": 1.0}
OVERALL_INTERVAL: Mapping[str, float] = {"telegram": 1 / 30}


class Pacer:
    """Spaces messages out per chat and per platform, without blocking other chats."""

    def __init__(
        self,
        *,
        per_chat: Mapping[str, float] = PER_CHAT_INTERVAL,
        overall: Mapping[str, float] = OVERALL_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._per_chat = per_chat
        self._overall = overall
        self._clock = clock
        self._next_free: dict[tuple[str, str], float] = {}
        self._lock = asyncio.Lock()

    async def wait_turn(self, platform: str, chat: str) -> None:
        """Sleep until a message to ``chat`` on ``platform`` may go, and book that moment."""
        async with self._lock:
            now = self._clock()
            chat_key, all_key = (platform, chat), (platform, "")
            start = max(now, self._next_free.get(chat_key, now), self._next_free.get(all_key, now))
            self._next_free[chat_key] = start + self._per_chat.get(platform, 0.0)
            self._next_free[all_key] = start + self._overall.get(platform, 0.0)
            if len(self._next_free) > 10_000:
                # Forget chats whose turn is long past, so the table stays small.
                self._next_free = {k: v for k, v in self._next_free.items() if v > now}
        delay = start - now
        if delay > 0:
            await asyncio.sleep(delay)


class OutboxSender:
    """Delivers the outbox in the background; ``wake()`` after a decision to deliver at once.

    The service hands it the customer channel of each platform it serves (``add_channel``).
    """

    def __init__(
        self,
        *,
        store: Store,
        worker: str = "",
        channels: Mapping[str, CustomerChannel] | None = None,
        run_sync: RunSync | None = None,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 12,
        max_backoff: float = 300.0,
        idle_poll: float = 5.0,
        pacer: Pacer | None = None,
    ) -> None:
        self._store = store
        self._worker = worker or f"outbox-{id(self):x}"
        self._channels: dict[str, CustomerChannel] = dict(channels or {})
        self._run_sync: RunSync = run_sync or in_thread
        self._lease = lease
        self._max_attempts = max_attempts
        self._max_backoff = max_backoff
        self._idle_poll = idle_poll
        self._pacer = pacer or Pacer()
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()

    def add_channel(self, channel: CustomerChannel) -> None:
        """Deliver replies to customers of ``channel.platform`` through ``channel``."""
        self._channels[channel.platform] = channel

    @property
    def platforms(self) -> frozenset[str]:
        """The platforms this sender delivers to."""
        return frozenset(self._channels)

    def wake(self) -> None:
        """Look at the outbox now (a reply was just approved)."""
        self._wakeup.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="replique-outbox")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for sending in list(self._in_flight):
            sending.cancel()
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def deliver_due(self) -> int:
        """Claim every due reply and deliver them (chats in parallel); returns how many."""
        if not self._channels:
            return 0  # no platform to deliver to in this process: leave the rows to others
        platforms = frozenset(self._channels)
        items: list[OutboxItem] = await self._run_sync(
            lambda: self._store.claim_outbox(
                lease=self._lease, limit=50, worker=self._worker, platforms=platforms
            )
        )
        tasks = [asyncio.create_task(self._deliver(item)) for item in items]
        for task in tasks:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return len(items)

    async def _loop(self) -> None:
        while True:
            try:
                claimed = await self.deliver_due()
            except Exception:
                log.exception("outbox: could not read the outbox; trying again")
                claimed = 0
            if claimed:
                continue
            self._wakeup.clear()
            delay = await self._until_next_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout=delay)

    async def _until_next_due(self) -> float:
        try:
            due: datetime | None = await self._run_sync(self._store.next_outbox_due)
        except Exception:
            return self._idle_poll
        if due is None:
            return self._idle_poll
        return min(self._idle_poll, max(0.0, (due - datetime.now(UTC)).total_seconds()))

    async def _deliver(self, item: OutboxItem) -> None:
        platform = item.platform
        channel = self._channels.get(platform)
        if channel is None:
            # Kept on the row for the operator (platform errors are kept in their own words).
            reason = f"no {platform} channel is running in this process"
            await self._retry(item, delay=30.0, reason=reason, kind="no_channel")
            return
        address = ReplyAddress(
            platform=channel.platform,
            conversation_id=item.conversation_id,
            customer_id=item.customer_id,
            thread_id=item.thread_id,
            reply_to_message_id=item.reply_to_message_id,
        )
        await self._pacer.wait_turn(platform, channel.pacing_key(address))
        # The wait may have outlasted the lease: send only if the row is still this sender's.
        still_ours = await self._run_sync(
            lambda: self._store.confirm_sending(item.id, worker=self._worker, lease=self._lease)
        )
        if not still_ours:
            log.info("outbox %s: taken over by another sender while waiting; not sent", item.id)
            return
        try:
            message_id = await channel.send_reply(address, item.text)
        except DeliveryFailed as failure:
            if failure.permanent:
                log.warning("outbox %s: %s refused the reply for good", item.id, platform)
                metrics.OUTBOX_FAILED.labels(platform).inc()
                reason = failure.reason
                await self._run_sync(lambda: self._store.fail_outbox(item.id, error=reason))
                return
            kind = "rate_limited" if failure.retry_after is not None else "refused"
            await self._retry(item, delay=failure.retry_after, reason=failure.reason, kind=kind)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # network errors, 5xx: the platform may take it later
            reason = f"{type(exc).__name__}: {exc}"
            await self._retry(item, delay=None, reason=reason, kind="network")
            return
        await until_stored(
            self._run_sync,
            lambda: self._store.mark_delivered(item.id, platform_message_id=message_id),
            what=f"outbox {item.id} sent",
        )
        metrics.OUTBOX_DELIVERED.labels(platform).inc()

    async def _retry(
        self, item: OutboxItem, *, delay: float | None, reason: str, kind: str
    ) -> None:
        if item.attempts >= self._max_attempts:
            log.warning("outbox %s: giving up after %s attempts", item.id, item.attempts)
            metrics.OUTBOX_FAILED.labels(item.platform).inc()
            await self._run_sync(lambda: self._store.fail_outbox(item.id, error=reason))
            return
        if delay is None:
            # Exponential back-off with jitter: 1 s, 2 s, 4 s… up to max_backoff.
            delay = min(self._max_backoff, 2.0 ** (item.attempts - 1)) * random.uniform(0.8, 1.2)
        metrics.OUTBOX_RETRIES.labels(item.platform, kind).inc()
        log.info("outbox %s: retry in %.1f s (%s)", item.id, delay, reason)
        at = datetime.now(UTC) + timedelta(seconds=delay)
        await self._run_sync(lambda: self._store.retry_outbox(item.id, at=at, error=reason))
        self._wakeup.set()
