"""The review desk: customer messages in, review cards out; reviewer actions in, replies out.

What adapters call, in two steps each, so that a platform is told "received" only once the event
is stored (a store outage or a killed process loses nothing; the platform redelivers what was not
acknowledged):

- a customer message: ``accept`` stores it in the work queue (once per platform event id), then
  the adapter acknowledges; the inbound lane of any process drafts it and posts its card on every
  surface. ``receive`` (the web page, the console, tests) also waits for the card.
- a reviewer action: ``record`` stores it, claimed by this process, then the adapter acknowledges
  and calls ``apply`` (the store's compare-and-set: once, whatever arrives twice); if this process
  stops in between, the action lane of another picks it up when the lease ends. ``act`` does both.

Customer messages are drafted on one drafting thread (spaCy pipelines stay on one thread), reviewer
actions on another, and the outbox on a third: a flood of messages never holds a click back. The
leader's sweep (``bot/review/sweep.py``) expires drafts and posts cards no desk took.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from bot import metrics
from bot.config import AppConfig
from bot.domain import DEFAULT_INTENTS, InboundMessage, Platform
from bot.drafting.replier import Replier
from bot.review import audit
from bot.review.board import Board
from bot.review.cards import (
    ActionOutcome,
    CardRef,
    Notice,
    NoticeKind,
    ReceiveOutcome,
    RecordedAction,
    ReviewCard,
    ReviewerAction,
)
from bot.review.decisions import Decisions
from bot.review.drafts import DraftMaker
from bot.review.lanes import ActionLane, InboundLane
from bot.review.learning import Learning
from bot.review.outbox import OutboxSender
from bot.review.payloads import action_to_json, message_to_json
from bot.review.ports import ReviewSurface
from bot.review.sweep import Sweeper
from bot.review.worker import Worker, in_thread
from bot.store import NewWork, Store

__all__ = ["ReviewDesk", "process_name"]

log = logging.getLogger(__name__)

#: How long ``receive`` waits for the card of a message it stored.
RECEIVE_WAIT = 60.0


def process_name() -> str:
    """This process among the replicas: host, pid and a random part (pids repeat)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class ReviewDesk:
    """Turns customer messages into review cards and reviewer actions into replies, once."""

    def __init__(
        self,
        *,
        config: AppConfig,
        store: Store,
        replier: Replier,
        outbox: OutboxSender | None = None,
        worker: str | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.replier = replier
        self.worker = worker or process_name()
        # How long a process holds a claimed item before another may take it over (it died).
        self._lease = timedelta(seconds=config.review.work_lease_seconds)
        self.outbox = outbox or OutboxSender(store=store, worker=self.worker)
        # spaCy pipelines are not shared between threads, and messages are drafted in order: one
        # thread drafts. Reviewer actions only touch the store: they have their own thread.
        self._drafting = Worker("replique-drafting")
        self._deciding = Worker("replique-deciding")
        self.board = Board(
            store=store,
            run=self._deciding,
            intent_choices=lambda: self.intent_choices,
            zone=ZoneInfo(config.brand.timezone),
        )
        # The drafter learns from this desk's store: ranking, earlier replies, the blast guard.
        self.learning = Learning.of(config, store)
        replier.drafter.learn_from(ranking=self.learning.ranking, earlier=self.learning.earlier)
        drafts = DraftMaker(store=store, replier=replier, guard=self.learning.guard)
        self._decisions = Decisions(
            store=store,
            board=self.board,
            drafts=drafts,
            deciding=self._deciding,
            drafting=self._drafting,
            intent_choices=lambda: self.intent_choices,
            reply_queued=self.outbox.wake,
            guard=self.learning.guard,
        )
        self.inbound = InboundLane(
            store=store,
            drafts=drafts,
            board=self.board,
            drafting=self._drafting,
            worker=self.worker,
            lease=self._lease,
        )
        self.actions = ActionLane(
            store=store, apply=self._apply_left_over, worker=self.worker, lease=self._lease
        )
        self.sweeper = Sweeper(config=config, store=store, board=self.board, run=self._deciding)
        self._local_reviewers: set[str] = set()
        self._intent_choices: tuple[str, ...] | None = None

    # --- wiring -------------------------------------------------------------------------------

    def add_surface(self, surface: ReviewSurface) -> None:
        """Post cards on this surface too (a desk may have several: Slack, Telegram, web)."""
        self.board.add_surface(surface)

    def allow_local_reviewers(self, platform: Platform) -> None:
        """Let whoever uses ``platform`` review: the playground or the console, on this machine
        only (they have no sign-in)."""
        self._local_reviewers.add(platform)

    def is_reviewer(self, platform: Platform | str, user_id: str) -> bool:
        """True when ``user_id`` is listed in ``review.reviewers`` for ``platform``."""
        if platform in self._local_reviewers:
            return True
        allowed: Mapping[str, Any] = self.config.review.reviewers.model_dump()
        return str(user_id) in {str(who) for who in allowed.get(platform) or ()}

    @property
    def intent_choices(self) -> tuple[str, ...]:
        """The intents a reviewer may pick: those the brand has reply templates for, the
        default intents first."""
        if self._intent_choices is None:
            library = self.replier.drafter.library
            known = set().union(*(library.intents(lang) for lang in self.config.brand.languages))
            extra = sorted(known - set(DEFAULT_INTENTS))
            self._intent_choices = tuple(i for i in DEFAULT_INTENTS if i in known) + tuple(extra)
        return self._intent_choices

    async def start(self) -> None:
        """Do queued work and deliver what is waiting (the leader sweeps: ``sweep``)."""
        await self.outbox.start()
        await self.inbound.start()
        await self.actions.start()

    async def stop(self) -> None:
        await self.actions.stop()
        await self.inbound.stop()
        await self.outbox.stop()

    def close(self) -> None:
        """Release the worker threads (after ``stop``)."""
        self._drafting.close()
        self._deciding.close()

    async def warm_up(self) -> None:
        """Load the analyser's models now, so the first customer does not wait for them."""
        await self._drafting(self.replier.analyser.warm_up)

    # --- customers ----------------------------------------------------------------------------

    async def accept(self, message: InboundMessage, *, event_id: str | None = None) -> int | None:
        """Store ``message`` for drafting (any process will draft it); returns its work item,
        None when ``event_id`` (Telegram ``update_id``, Slack ``event_id``) was stored before.
        Acknowledge the platform only after this returns."""
        policy = self.config.policies
        work = NewWork(
            lane="inbound",
            platform=message.platform,
            payload=message_to_json(message),
            event_id=str(event_id) if event_id is not None else None,
            conversation_key=f"{message.platform}:{message.conversation_id}",
        )
        item_id = await in_thread(
            partial(
                self.store.enqueue,
                work,
                flood=(
                    policy.flood_messages,
                    timedelta(seconds=policy.flood_seconds),
                    timedelta(seconds=policy.flood_delay_seconds),
                ),
            )
        )
        if item_id is None:
            metrics.DUPLICATE_EVENTS.labels(message.platform).inc()
            return None
        self.inbound.wake()
        return item_id

    async def receive(
        self, message: InboundMessage, *, event_id: str | None = None
    ) -> ReceiveOutcome:
        """``accept``, then wait for the message's card (for surfaces that show it at once)."""
        item_id = await self.accept(message, event_id=event_id)
        if item_id is None:
            return ReceiveOutcome(duplicate=True)
        outcome = self.inbound.outcome_of(item_id)
        if not outcome.done():
            # Do the due work now rather than wait for the lane's next turn (it may be asleep,
            # or not started: a console, a test); another process may take the item first.
            await self.inbound.run_once()
        try:
            return await asyncio.wait_for(asyncio.shield(outcome), timeout=RECEIVE_WAIT)
        except TimeoutError:
            # Drafted elsewhere or later: the card reaches the surfaces all the same.
            return ReceiveOutcome(duplicate=False)

    # --- reviewers ----------------------------------------------------------------------------

    async def record(
        self, action: ReviewerAction, *, event_id: str | None = None
    ) -> RecordedAction | None:
        """Store ``action``, claimed by this process; None when ``event_id`` was stored before.
        Acknowledge the platform after this returns, then ``apply`` it."""
        work = NewWork(
            lane="action",
            platform=action.platform,
            payload=action_to_json(action),
            event_id=f"action:{event_id}" if event_id is not None else None,
        )
        item_id = await in_thread(
            partial(self.store.enqueue, work, claimed_by=self.worker, lease=self._lease)
        )
        return None if item_id is None else RecordedAction(item_id, action)

    async def apply(self, recorded: RecordedAction) -> ActionOutcome:
        """Apply a recorded action now (once, whatever else arrives)."""
        outcome = await self._checked(recorded.action)
        await in_thread(partial(self.store.finish_work, [recorded.item_id], worker=self.worker))
        return outcome

    async def act(self, action: ReviewerAction, *, event_id: str | None = None) -> ActionOutcome:
        """``record`` then ``apply``: a reviewer's action (send, edit, variant, discard,
        fix_intent) applied once."""
        if not self.is_reviewer(action.platform, action.reviewer_id):
            # Nothing to queue: the allow-list refuses it whatever happens.
            return await self.refuse(action)
        recorded = await self.record(action, event_id=event_id)
        if recorded is None:
            return ActionOutcome(applied=False)
        return await self.apply(recorded)

    async def refuse(self, action: ReviewerAction) -> ActionOutcome:
        """Refuse ``action`` from someone who is not a reviewer: counted, and in the audit log."""
        metrics.ACTIONS.labels(action.action.value, "not_reviewer").inc()
        outcome = ActionOutcome(applied=False, notice=Notice(NoticeKind.NOT_REVIEWER))
        await self._deciding(partial(audit.record_action, self.store, action, outcome))
        return outcome

    async def _checked(self, action: ReviewerAction) -> ActionOutcome:
        """Apply ``action`` once, and write its audit entry, applied or refused."""
        if not self.is_reviewer(action.platform, action.reviewer_id):
            return await self.refuse(action)
        outcome = await self._decisions.apply(action)
        await self._deciding(partial(audit.record_action, self.store, action, outcome))
        return outcome

    async def _apply_left_over(self, action: ReviewerAction) -> ActionOutcome:
        return await self._checked(action)

    # --- cards --------------------------------------------------------------------------------

    async def card_for_draft(self, draft_id: int) -> ReviewCard | None:
        """The card showing ``draft_id``'s message now (to pre-fill an edit), or None."""
        card_id = await self._deciding(partial(self.store.card_of_draft, draft_id))
        return None if card_id is None else await self.board.card(card_id)

    async def card_at(self, ref: CardRef, *, kind: str = "card") -> ReviewCard | None:
        """The card posted at ``ref`` (a reaction or a reply on a card message), or with
        ``kind="edit_prompt"`` the card an edit prompt posted at ``ref`` asks about; or None."""
        card_id = await self._deciding(
            partial(
                self.store.card_at,
                desk=ref.desk,
                chat_id=ref.chat_id,
                message_id=ref.message_id,
                kind=kind,
            )
        )
        return None if card_id is None else await self.board.card(card_id)

    async def add_edit_prompt(
        self, card_id: int, prompt: CardRef, *, shown_draft_id: int | None = None
    ) -> None:
        """Remember that ``prompt`` asks a reviewer for the edited text of ``card_id``, whose
        draft ``shown_draft_id`` they were looking at (a reply to it is the edit, whichever
        process receives it, refused if the card moved on meanwhile)."""
        await self._deciding(
            partial(
                self.store.add_card_post,
                card_id,
                desk=prompt.desk,
                chat_id=prompt.chat_id,
                message_id=prompt.message_id,
                kind="edit_prompt",
                shown_draft_id=shown_draft_id,
            )
        )

    # --- background ---------------------------------------------------------------------------

    async def sweep(self, *, now: datetime | None = None) -> int:
        """The leader's catch-up pass (``bot/review/sweep.py``); returns how many cards changed."""
        return await self.sweeper.sweep(now=now or datetime.now(UTC))

    async def sweep_forever(self, every: float = 30.0) -> None:
        """The leader's job: sweep, then again every ``every`` seconds."""
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("review desk: the sweep failed; trying again later")
            await asyncio.sleep(every)
