"""The review desk: from a customer message to a card, from a reviewer's action to a queued reply.

Adapters call two methods. ``receive`` turns an ``InboundMessage`` into stored drafts and posts
the message's review card on every attached surface (Slack channel, Telegram agents group, web
page); a new message in the conversation supersedes the pending card, an edited message updates
its own card. ``act`` applies a ``ReviewerAction`` once: the allow-list first, then the store's
compare-and-set transition, the reply queued in the outbox in the same transaction, and every
copy of the card updated to say who did what, when, without buttons.

The analyser, the drafter and the store are synchronous; they run on one worker thread, in order,
so the event loop stays free to acknowledge platform events within their deadlines (Slack's three
seconds, Telegram's callback answers) while messages are analysed one after the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from bot import metrics
from bot.app import Copilot, HandledMessage
from bot.channels.base import CardRef, CustomerChannel, ReviewSurface
from bot.config import AppConfig
from bot.domain import DEFAULT_INTENTS, DraftStatus, InboundMessage, Platform, ReviewAction
from bot.i18n import t
from bot.review.card_builder import build_card
from bot.review.cards import ActionOutcome, ReviewCard, ReviewerAction
from bot.review.outbox import OutboxSender
from bot.store import CardView, RecordedMessage, Store

__all__ = ["ReceiveOutcome", "ReviewDesk"]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Seconds a new message has to be drafted, and a new card to reach its desks, before the sweep
#: does it instead.
_POST_GRACE = 60.0
_DONE = {
    ReviewAction.SEND: "desk.done_send",
    ReviewAction.EDIT: "desk.done_edit",
    ReviewAction.DISCARD: "desk.done_discard",
}


@dataclass(frozen=True, slots=True)
class ReceiveOutcome:
    """What came of a customer message: ``duplicate`` when its event id was seen before."""

    duplicate: bool
    card: ReviewCard | None = None
    refs: tuple[CardRef, ...] = field(default=())


class ReviewDesk:
    """Turns customer messages into review cards and reviewer actions into replies, once."""

    def __init__(
        self,
        *,
        config: AppConfig,
        store: Store,
        copilot: Copilot,
        sweep_every: float = 30.0,
    ) -> None:
        self.config = config
        self.store = store
        self.copilot = copilot
        self._zone = ZoneInfo(config.brand.timezone)
        self._surfaces: list[ReviewSurface] = []
        self._channels: dict[str, CustomerChannel] = {}
        self._web_reviewers = False
        # One thread: spaCy pipelines are not shared between threads, and messages of one
        # conversation must be drafted in the order they came.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replique-desk")
        self._sweep_every = sweep_every
        self._sweeper: asyncio.Task[None] | None = None
        #: Display names of reviewers seen acting, for the "who" of a decided card.
        self._reviewer_names: dict[str, str] = {}
        self._intent_choices: tuple[str, ...] | None = None
        self.outbox = OutboxSender(
            store=store,
            channels=self._channels,
            run_sync=self._run,
        )

    # --- wiring -------------------------------------------------------------------------------

    def attach_surface(self, surface: ReviewSurface) -> None:
        """Post cards on this surface too (a desk may have several: Slack, Telegram, web)."""
        self._surfaces.append(surface)

    def attach_channel(self, channel: CustomerChannel) -> None:
        """Deliver approved replies to customers of ``channel.platform`` through it."""
        self._channels[channel.platform] = channel

    def allow_web_reviewers(self) -> None:
        """Let whoever uses the local playground review (it is served on this machine only)."""
        self._web_reviewers = True

    def is_reviewer(self, platform: Platform | str, user_id: str) -> bool:
        """True when ``user_id`` is listed in ``review.reviewers`` for ``platform``."""
        if platform == "web":
            return self._web_reviewers
        allowed: Mapping[str, Any] = self.config.review.reviewers.model_dump()
        return str(user_id) in {str(who) for who in allowed.get(platform) or ()}

    @property
    def intent_choices(self) -> tuple[str, ...]:
        """The intents a reviewer may pick: those the brand has reply templates for, the
        default intents first."""
        if self._intent_choices is None:
            library = self.copilot.drafter.library
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
        """Release the worker thread (after ``stop``)."""
        self._worker.shutdown(wait=True)

    async def _run(self, fn: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, fn)

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
        handled: HandledMessage | None
        if event_id is None:
            handled = await self._run(partial(self.copilot.handle, message))
        else:
            handled = await self._run(
                partial(self.copilot.handle_event, message, event_id=str(event_id))
            )
        if handled is None:
            metrics.DUPLICATE_EVENTS.labels(message.platform).inc()
            return ReceiveOutcome(duplicate=True)
        metrics.MESSAGES_RECEIVED.labels(message.platform).inc()
        card, refs = await self._show_drafts(handled)
        if refs and not handled.recorded.edited:
            metrics.CARD_LATENCY.observe(time.perf_counter() - started)
        return ReceiveOutcome(duplicate=False, card=card, refs=refs)

    async def _show_drafts(
        self, handled: HandledMessage
    ) -> tuple[ReviewCard | None, tuple[CardRef, ...]]:
        """Post the message's card (or update it where it already is); refresh the cards its
        new drafts superseded."""
        drafting = handled.drafting
        for other in drafting.superseded_cards:
            await self._refresh(other)
        if drafting.card is None:
            return None, ()
        card = self.card_from(drafting.card)
        if drafting.card_was_posted:
            return card, await self._refresh(card.card_id, card=card)
        return card, await self._post(card)

    def _cards_of_drafts(self, draft_ids: tuple[int, ...]) -> list[int]:
        cards = {self.store.card_of_draft(draft_id) for draft_id in draft_ids}
        return sorted(c for c in cards if c is not None)

    async def _post(self, card: ReviewCard) -> tuple[CardRef, ...]:
        refs: list[CardRef] = []
        for surface in self._surfaces:
            try:
                ref = await surface.post_card(card)
            except Exception:
                # The card stays in the store; the sweep posts it again.
                log.exception("review card %s: %s did not take it", card.card_id, surface.platform)
                metrics.CARD_FAILURES.labels(surface.platform).inc()
                continue
            await self._run(
                partial(
                    self.store.add_card_post,
                    card.card_id,
                    desk=ref.desk,
                    chat_id=ref.chat_id,
                    message_id=ref.message_id,
                )
            )
            metrics.CARDS_POSTED.labels(surface.platform).inc()
            refs.append(ref)
        return tuple(refs)

    async def _refresh(
        self, card_id: int, *, card: ReviewCard | None = None
    ) -> tuple[CardRef, ...]:
        """Show the card's current state wherever it was posted."""
        card = card or await self._card(card_id)
        if card is None:
            return ()
        posts = await self._run(partial(self.store.card_posts, card_id))
        refs: list[CardRef] = []
        for post in posts:
            surface = self._surface_for(post.desk)
            ref = CardRef(
                desk=cast(Platform, post.desk), chat_id=post.chat_id, message_id=post.message_id
            )
            if surface is None:
                continue
            try:
                await surface.update_card(ref, card)
            except Exception:
                log.exception("review card %s: %s did not take the update", card_id, post.desk)
                metrics.CARD_FAILURES.labels(post.desk).inc()
                continue
            refs.append(ref)
        return tuple(refs)

    def _surface_for(self, desk: str) -> ReviewSurface | None:
        return next((s for s in self._surfaces if s.platform == desk), None)

    # --- reviewers ----------------------------------------------------------------------------

    async def act(self, action: ReviewerAction) -> ActionOutcome:
        """Apply a reviewer's action (send, edit, variant, discard, fix_intent) once."""
        kind = action.action.value
        if not self.is_reviewer(action.platform, action.reviewer_id):
            metrics.ACTIONS.labels(kind, "not_reviewer").inc()
            return ActionOutcome(applied=False, notice=t("desk.not_reviewer"))
        reviewer = f"{action.platform}:{action.reviewer_id}"
        if action.reviewer_name:
            self._reviewer_names[reviewer] = action.reviewer_name
        view = await self._run(partial(self._view_for, action))
        if view is None:
            metrics.ACTIONS.labels(kind, "refused").inc()
            return ActionOutcome(applied=False, notice=t("desk.no_card"))
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

    async def _decide(
        self, view: CardView, draft_id: int, action: ReviewerAction, reviewer: str
    ) -> ActionOutcome:
        if action.action is ReviewAction.EDIT and not (action.edited_text or "").strip():
            return ActionOutcome(applied=False, notice=t("desk.edit_needs_text"))
        result = await self._run(
            partial(
                self.store.decide,
                draft_id,
                action=action.action,
                reviewer=reviewer,
                edited_text=action.edited_text if action.action is ReviewAction.EDIT else None,
            )
        )
        if not result.applied:
            card = await self._card(view.card_id)
            return ActionOutcome(
                applied=False, notice=t("desk.not_pending", reason=result.reason), card=card
            )
        if draft_id != view.draft.id:
            # The button was on another version than the card shows now: show what was decided.
            await self._run(partial(self.store.show_on_card, view.message_pk, draft_id))
        if result.outbox_id is not None:
            self.outbox.wake()
        card = await self._card(view.card_id)
        refs = await self._refresh(view.card_id, card=card)
        return ActionOutcome(applied=True, notice=t(_DONE[action.action]), card=card, refs=refs)

    async def _variant(self, view: CardView) -> ActionOutcome:
        if view.draft.status is not DraftStatus.PENDING:
            reason = t("desk.not_pending", reason=view.draft.status.value)
            return ActionOutcome(applied=False, notice=reason, card=await self._card(view.card_id))
        siblings = view.sibling_ids
        if len(siblings) < 2 or view.draft.id not in siblings:
            return ActionOutcome(applied=False, notice=t("desk.no_other_version"))
        following = siblings[(siblings.index(view.draft.id) + 1) % len(siblings)]
        switched = await self._run(
            partial(
                self.store.switch_card_draft,
                view.card_id,
                expected=view.draft.id,
                draft_id=following,
            )
        )
        card = await self._card(view.card_id)
        if not switched or card is None:
            # Someone else switched it a moment before: the card already shows another version.
            return ActionOutcome(applied=False, card=card)
        refs = await self._refresh(view.card_id, card=card)
        notice = t("desk.done_variant", variant=card.variant, variants=card.variants)
        return ActionOutcome(applied=True, notice=notice, card=card, refs=refs)

    async def _fix_intent(
        self, view: CardView, draft_id: int, action: ReviewerAction, reviewer: str
    ) -> ActionOutcome:
        choices = self.intent_choices
        if action.intent not in choices:
            notice = t("desk.unknown_intent", intent=action.intent, choices=", ".join(choices))
            return ActionOutcome(applied=False, notice=notice)
        current = await self._run(partial(self.store.get_draft, draft_id))
        if current is None or current.status is not DraftStatus.PENDING:
            status = current.status.value if current else "?"
            notice = t("desk.not_pending", reason=status)
            return ActionOutcome(applied=False, notice=notice, card=await self._card(view.card_id))
        intent = action.intent
        handled = await self._run(partial(self._redraft, view, intent, reviewer))
        card, refs = await self._show_drafts(handled)
        notice = t("desk.done_fix_intent", intent=intent)
        return ActionOutcome(applied=True, notice=notice, card=card, refs=refs)

    def _redraft(self, view: CardView, intent: str, reviewer: str) -> HandledMessage:
        predicted = str((view.analysis.get("intent") or {}).get("name", "other"))
        self.store.record_intent_correction(
            view.message_pk, predicted=predicted, corrected=intent, reviewer=reviewer
        )
        message = InboundMessage(
            platform=cast(Platform, view.customer_platform),
            conversation_id="",
            customer_id="",
            text=view.message_text,
            received_at=view.received_at,
            attachment_kind=view.attachment_kind,
        )
        recorded = RecordedMessage(
            customer_pk=view.draft.customer_pk,
            conversation_pk=view.draft.conversation_pk,
            message_pk=view.message_pk,
            edited=True,
        )
        return self.copilot.draft_for(message, recorded, intent=intent)

    # --- cards --------------------------------------------------------------------------------

    async def card_for_draft(self, draft_id: int) -> ReviewCard | None:
        """The card showing ``draft_id``'s message now (to pre-fill an edit), or None."""
        card_id = await self._run(partial(self.store.card_of_draft, draft_id))
        return None if card_id is None else await self._card(card_id)

    async def card_at(self, ref: CardRef) -> ReviewCard | None:
        """The card posted at ``ref`` (a reaction or a reply on a card message), or None."""
        card_id = await self._run(
            partial(
                self.store.card_at, desk=ref.desk, chat_id=ref.chat_id, message_id=ref.message_id
            )
        )
        return None if card_id is None else await self._card(card_id)

    async def _card(self, card_id: int) -> ReviewCard | None:
        view = await self._run(partial(self.store.card_view, card_id))
        return None if view is None else self.card_from(view)

    def card_from(self, view: CardView) -> ReviewCard:
        """The platform-neutral card for a stored view, in the reviewers' language."""
        return build_card(
            view,
            zone=self._zone,
            intent_choices=self.intent_choices,
            reviewer_names=self._reviewer_names,
        )

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
            expired = await self._run(partial(self.store.expire_pending, cutoff))
            for card_id in await self._run(partial(self._cards_of_drafts, expired)):
                await self._refresh(card_id)
                done += 1
        # Younger messages and cards may be on their way right now (in another process too).
        settled = now - timedelta(seconds=_POST_GRACE)
        undrafted = await self._run(partial(self.store.undrafted_messages, older_than=settled))
        for message_pk in undrafted:
            try:
                handled = await self._run(partial(self._draft_stored, message_pk))
            except Exception:
                # One message that cannot be drafted must not hold the others back.
                log.exception("review desk: message %s could not be drafted", message_pk)
                continue
            if handled is not None:
                await self._show_drafts(handled)
                done += 1
        if not self._surfaces:
            return done
        for card_id in await self._run(partial(self.store.cards_to_post, older_than=settled)):
            card = await self._card(card_id)
            if card is not None and await self._post(card):
                done += 1
        return done

    def _draft_stored(self, message_pk: int) -> HandledMessage | None:
        stored = self.store.stored_inbound(message_pk)
        if stored is None:
            return None
        message, recorded = stored
        return self.copilot.draft_for(message, recorded)
