"""The review desk: from a customer message to a card, from a reviewer's action to a queued reply.

Adapters call two methods. ``receive`` turns an ``InboundMessage`` into stored drafts and posts
the message's review card on every surface (Slack channel, Telegram agents group, web page,
console); a new message in the conversation supersedes the pending card, an edited message updates
its own card. ``act`` applies a ``ReviewerAction`` once: the allow-list first, then the store's
compare-and-set transition, the reply queued in the outbox in the same transaction, and every
copy of the card updated to say who did what, when, without buttons.

Drafting goes through the ``Replier`` (the customer rules) between two store transactions
(``take_in`` and ``save_drafting``). One conversation's messages are handled one at a time, in the
order they came, so a follow-up supersedes the draft of the message before it and never the
other way round; other conversations do not wait for it. Analysis runs on one worker thread,
reviewer actions on another, so a flood of messages does not hold a click back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from bot import metrics
from bot.config import AppConfig
from bot.domain import (
    DEFAULT_INTENTS,
    DraftStatus,
    InboundMessage,
    Platform,
    Refusal,
    ReviewAction,
)
from bot.drafting.replier import CustomerContext, Replier, ReplyRequest
from bot.review import audit
from bot.review.board import Board
from bot.review.cards import (
    ActionOutcome,
    CardRef,
    Notice,
    NoticeKind,
    ReceiveOutcome,
    ReviewCard,
    ReviewerAction,
)
from bot.review.outbox import OutboxSender
from bot.review.ports import ReviewSurface
from bot.review.worker import Worker
from bot.store import CardView, Intake, SavedDrafting, Store

__all__ = ["ReceiveOutcome", "ReviewDesk"]

log = logging.getLogger(__name__)

#: Seconds a new message has to be drafted, and a new card to reach its desks, before the sweep
#: does it instead.
_POST_GRACE = 60.0
_DONE = {
    ReviewAction.SEND: NoticeKind.DONE_SEND,
    ReviewAction.EDIT: NoticeKind.DONE_EDIT,
    ReviewAction.DISCARD: NoticeKind.DONE_DISCARD,
}


class ReviewDesk:
    """Turns customer messages into review cards and reviewer actions into replies, once."""

    def __init__(
        self,
        *,
        config: AppConfig,
        store: Store,
        replier: Replier,
        outbox: OutboxSender | None = None,
        sweep_every: float = 30.0,
    ) -> None:
        self.config = config
        self.store = store
        self.replier = replier
        self.outbox = outbox or OutboxSender(store=store)
        # spaCy pipelines are not shared between threads, and messages are drafted in order: one
        # thread drafts. Reviewer actions only touch the store: they get their own thread, so a
        # queue of messages to analyse never holds a click back.
        self._drafting = Worker("replique-drafting")
        self._deciding = Worker("replique-deciding")
        self.board = Board(
            store=store,
            run=self._deciding,
            intent_choices=self._choices,
            zone=ZoneInfo(config.brand.timezone),
        )
        self._local_reviewers: set[str] = set()
        self._intent_choices: tuple[str, ...] | None = None
        self._sweep_every = sweep_every
        self._sweeper: asyncio.Task[None] | None = None
        #: One lock per conversation being handled, with how many messages hold or await it.
        self._conversations: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

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

    def _choices(self) -> tuple[str, ...]:
        return self.intent_choices

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
        """Deliver what is waiting, catch up on what a stop interrupted, and keep at it."""
        await self.outbox.start()
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._sweep_forever(), name="replique-sweep")

    async def stop(self) -> None:
        sweeper, self._sweeper = self._sweeper, None
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        await self.outbox.stop()

    def close(self) -> None:
        """Release the worker threads (after ``stop``)."""
        self._drafting.close()
        self._deciding.close()

    async def warm_up(self) -> None:
        """Load the analyser's models now, so the first customer does not wait for them."""
        await self._drafting(self.replier.analyser.warm_up)

    # --- customers ----------------------------------------------------------------------------

    async def receive(
        self, message: InboundMessage, *, event_id: str | None = None
    ) -> ReceiveOutcome:
        """Record, analyse and draft ``message``, then post (or update) its card everywhere.

        ``event_id`` (Telegram ``update_id``, Slack ``event_id``) is claimed in the same
        transaction as the message: a redelivered event returns ``duplicate=True`` and does
        nothing. An edited message (same ``platform_message_id``) re-drafts and updates its card.
        """
        started = time.perf_counter()
        async with self._conversation(message):
            saved = await self._drafting(partial(self._take_in_and_draft, message, event_id))
            if saved is None:
                metrics.DUPLICATE_EVENTS.labels(message.platform).inc()
                return ReceiveOutcome(duplicate=True)
            metrics.MESSAGES_RECEIVED.labels(message.platform).inc()
            edited, drafting = saved
            card, refs = await self._show(drafting)
        if refs and not edited:
            metrics.CARD_LATENCY.observe(time.perf_counter() - started)
        return ReceiveOutcome(duplicate=False, card=card, refs=refs)

    @contextlib.asynccontextmanager
    async def _conversation(self, message: InboundMessage) -> AsyncIterator[None]:
        """Hold the conversation's turn: its messages are handled one at a time, in order."""
        key = (message.platform, message.conversation_id)
        lock, users = self._conversations.get(key) or (asyncio.Lock(), 0)
        self._conversations[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._conversations[key]
            if users > 1:
                self._conversations[key] = (lock, users - 1)
            else:
                del self._conversations[key]  # nobody waits: forget the lock

    def _take_in_and_draft(
        self, message: InboundMessage, event_id: str | None
    ) -> tuple[bool, SavedDrafting] | None:
        """Store the message (claiming its event), draft, store the drafts: None for an event
        seen before."""
        if event_id is None:
            intake: Intake | None = self.store.take_in(message)
        else:
            intake = self.store.take_in_event(message, event_id=str(event_id))
        if intake is None:
            return None
        drafting = self._draft(
            intake,
            text=message.text,
            channel=message.platform,
            received_at=message.received_at,
            language_hint=message.language_hint,
        )
        return intake.recorded.edited, drafting

    def _draft(
        self,
        intake: Intake,
        *,
        text: str,
        channel: Platform,
        received_at: datetime | None,
        language_hint: str | None,
        intent: str | None = None,
    ) -> SavedDrafting:
        reply = self.replier.reply(
            ReplyRequest(
                text=text,
                context=CustomerContext(intake.profile, answers_earlier=intake.answers_earlier),
                channel=channel,
                language_hint=language_hint,
                received_at=received_at,
                intent=intent,
            )
        )
        return self.store.save_drafting(
            intake.recorded,
            analysis=reply.analysis,
            drafts=reply.result.drafts,
            language=reply.changes.language,
            opted_out_at=reply.changes.opted_out_at,
        )

    def _draft_stored(
        self, message_pk: int, *, intent: str | None = None, only_undrafted: bool = False
    ) -> SavedDrafting | None:
        """Draft a stored message again: after a stop (``only_undrafted``: unless it was drafted
        meanwhile), or with a reviewer's intent."""
        if only_undrafted and self.store.is_analysed(message_pk):
            return None
        stored = self.store.stored_inbound(message_pk)
        if stored is None:
            return None
        message, recorded = stored
        return self._draft(
            self.store.intake_of(recorded),
            text=message.text,
            channel=message.platform,
            received_at=message.received_at,
            language_hint=message.language_hint,
            intent=intent,
        )

    async def _show(self, drafting: SavedDrafting) -> tuple[ReviewCard | None, tuple[CardRef, ...]]:
        """Post the message's card (or update it where it already is); refresh the cards its
        new drafts superseded."""
        for other in drafting.superseded_cards:
            await self.board.refresh(other)
        if drafting.card is None:
            return None, ()
        card = self.board.card_from(drafting.card)
        if not self.board.has_surfaces:
            # Said at start too; repeated in the log so a missing desk cannot go unnoticed.
            log.warning(
                "review desk: card %s is stored, but no review desk is configured", card.card_id
            )
        if drafting.card_was_posted:
            return card, await self.board.refresh(card.card_id, card=card)
        return card, await self.board.post(card)

    # --- reviewers ----------------------------------------------------------------------------

    async def act(self, action: ReviewerAction) -> ActionOutcome:
        """Apply a reviewer's action (send, edit, variant, discard, fix_intent) once, and record
        it in the audit log, applied or refused."""
        outcome = await self._act(action)
        await self._deciding(partial(audit.record_action, self.store, action, outcome))
        return outcome

    async def _act(self, action: ReviewerAction) -> ActionOutcome:
        kind = action.action.value
        if not self.is_reviewer(action.platform, action.reviewer_id):
            metrics.ACTIONS.labels(kind, "not_reviewer").inc()
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.NOT_REVIEWER))
        reviewer = f"{action.platform}:{action.reviewer_id}"
        if action.reviewer_name:
            self.board.reviewer_names[reviewer] = action.reviewer_name
        view = await self._deciding(partial(self._view_for, action))
        if view is None:
            metrics.ACTIONS.labels(kind, "refused").inc()
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.NO_CARD))
        draft_id = action.draft_id if action.draft_id is not None else view.draft.id
        if action.action is ReviewAction.VARIANT:
            outcome = await self._variant(view)
        elif action.action is ReviewAction.FIX_INTENT:
            outcome = await self._fix_intent(view, draft_id, action, reviewer)
        else:
            outcome = await self._decide(view, draft_id, action, reviewer)
        metrics.ACTIONS.labels(kind, "applied" if outcome.applied else "refused").inc()
        return outcome

    def _view_for(self, action: ReviewerAction) -> CardView | None:
        card_id: int | None = None
        if action.draft_id is not None:
            card_id = self.store.card_of_draft(action.draft_id)
        elif action.card is not None:
            card_id = self.store.card_at(
                desk=action.card.desk,
                chat_id=action.card.chat_id,
                message_id=action.card.message_id,
            )
        return None if card_id is None else self.store.card_view(card_id)

    def _named(self, notice: Notice) -> Notice:
        """``notice`` with the name of the reviewer who decided first, when one is known."""
        refusal = notice.refusal
        if refusal is None or refusal.by is None:
            return notice
        name = self.board.reviewer_names.get(refusal.by)
        if name is None:
            return notice
        return replace(notice, refusal=replace(refusal, by=name))

    async def _decide(
        self, view: CardView, draft_id: int, action: ReviewerAction, reviewer: str
    ) -> ActionOutcome:
        if action.action is ReviewAction.EDIT and not (action.edited_text or "").strip():
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.EDIT_NEEDS_TEXT))
        result = await self._deciding(
            partial(
                self.store.decide,
                draft_id,
                action=action.action,
                reviewer=reviewer,
                edited_text=action.edited_text if action.action is ReviewAction.EDIT else None,
            )
        )
        if not result.applied:
            card = await self.board.card(view.card_id)
            notice = self._named(Notice(NoticeKind.NOT_PENDING, refusal=result.refusal))
            return ActionOutcome(applied=False, notice=notice, card=card)
        if draft_id != view.draft.id:
            # The button was on another version than the card shows now: show what was decided.
            await self._deciding(partial(self.store.show_on_card, view.message_pk, draft_id))
        if result.outbox_id is not None:
            self.outbox.wake()
        card = await self.board.card(view.card_id)
        refs = await self.board.refresh(view.card_id, card=card)
        notice = Notice(_DONE[action.action])
        return ActionOutcome(applied=True, notice=notice, card=card, refs=refs)

    async def _variant(self, view: CardView) -> ActionOutcome:
        if view.draft.status is not DraftStatus.PENDING:
            return ActionOutcome(
                applied=False,
                notice=self._refused(view),
                card=await self.board.card(view.card_id),
            )
        siblings = view.sibling_ids
        if len(siblings) < 2 or view.draft.id not in siblings:
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.NO_OTHER_VERSION))
        following = siblings[(siblings.index(view.draft.id) + 1) % len(siblings)]
        switched = await self._deciding(
            partial(
                self.store.switch_card_draft,
                view.card_id,
                expected=view.draft.id,
                draft_id=following,
            )
        )
        card = await self.board.card(view.card_id)
        if not switched or card is None:
            # Someone else switched it a moment before: the card already shows another version.
            return ActionOutcome(applied=False, card=card)
        refs = await self.board.refresh(view.card_id, card=card)
        notice = Notice(NoticeKind.DONE_VARIANT, variant=card.variant, variants=card.variants)
        return ActionOutcome(applied=True, notice=notice, card=card, refs=refs)

    def _refused(self, view: CardView) -> Notice:
        """The notice for an action on a card whose draft is no longer pending."""
        refusal = Refusal(view.draft.status, by=view.decided_by, at=view.decided_at)
        return self._named(Notice(NoticeKind.NOT_PENDING, refusal=refusal))

    async def _fix_intent(
        self, view: CardView, draft_id: int, action: ReviewerAction, reviewer: str
    ) -> ActionOutcome:
        choices = self.intent_choices
        if action.intent not in choices:
            notice = Notice(NoticeKind.UNKNOWN_INTENT, intent=action.intent, choices=choices)
            return ActionOutcome(applied=False, notice=notice)
        current = await self._deciding(partial(self.store.get_draft, draft_id))
        if current is None or current.status is not DraftStatus.PENDING:
            return ActionOutcome(
                applied=False,
                notice=self._refused(view),
                card=await self.board.card(view.card_id),
            )
        intent = action.intent
        await self._deciding(
            partial(
                self.store.record_intent_correction,
                view.message_pk,
                predicted=view.analysis.intent.name,
                corrected=intent,
                reviewer=reviewer,
            )
        )
        drafting = await self._drafting(partial(self._draft_stored, view.message_pk, intent=intent))
        card, refs = (None, ()) if drafting is None else await self._show(drafting)
        notice = Notice(NoticeKind.DONE_FIX_INTENT, intent=intent)
        return ActionOutcome(applied=True, notice=notice, card=card, refs=refs)

    # --- cards --------------------------------------------------------------------------------

    async def card_for_draft(self, draft_id: int) -> ReviewCard | None:
        """The card showing ``draft_id``'s message now (to pre-fill an edit), or None."""
        card_id = await self._deciding(partial(self.store.card_of_draft, draft_id))
        return None if card_id is None else await self.board.card(card_id)

    async def card_at(self, ref: CardRef) -> ReviewCard | None:
        """The card posted at ``ref`` (a reaction or a reply on a card message), or None."""
        card_id = await self._deciding(
            partial(
                self.store.card_at, desk=ref.desk, chat_id=ref.chat_id, message_id=ref.message_id
            )
        )
        return None if card_id is None else await self.board.card(card_id)

    # --- background ---------------------------------------------------------------------------

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("review desk: catching up failed; trying again later")
            await asyncio.sleep(self._sweep_every)

    async def sweep(self, *, now: datetime | None = None) -> int:
        """Draft messages a stop left undrafted, post cards no desk took, expire drafts nobody
        decided on in time; returns how many cards changed."""
        done = 0
        now = now or datetime.now(UTC)
        hours = self.config.review.expire_after_hours
        if hours > 0:
            cutoff = now - timedelta(hours=hours)
            expired = await self._deciding(partial(self.store.expire_pending, cutoff))
            cards = {await self._deciding(partial(self.store.card_of_draft, d)) for d in expired}
            for card_id in sorted(c for c in cards if c is not None):
                await self.board.refresh(card_id)
                done += 1
        # Younger messages and cards may be on their way right now (in another process too).
        settled = now - timedelta(seconds=_POST_GRACE)
        undrafted = await self._deciding(partial(self.store.undrafted_messages, older_than=settled))
        for message_pk in undrafted:
            try:
                # Checked again on the drafting thread: the message may have been drafted since
                # the list was read (its platform time can make a new message look old).
                drafting = await self._drafting(
                    partial(self._draft_stored, message_pk, only_undrafted=True)
                )
            except Exception:
                # One message that cannot be drafted must not hold the others back.
                log.exception("review desk: message %s could not be drafted", message_pk)
                continue
            if drafting is not None:
                await self._show(drafting)
                done += 1
        if not self.board.has_surfaces:
            return done
        for card_id in await self._deciding(partial(self.store.cards_to_post, older_than=settled)):
            card = await self.board.card(card_id)
            if card is not None and await self.board.post(card):
                done += 1
        return done
