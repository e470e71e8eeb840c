"""Reviewer actions applied once: send, edit, discard, another version, another intent.

Send, edit and discard are the store's compare-and-set (``Store.decide``): the first decision on
a pending draft wins, whatever mix of double clicks, reviewers, buttons, reactions and processes
arrives, and a reply that goes out is queued in the outbox in the same transaction. Another
version is a compare-and-set on the card; another intent records the correction and drafts the
stored message again. Every copy of the card is then updated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from bot import metrics
from bot.domain import DraftStatus, Refusal, ReviewAction
from bot.review.blast import BlastGuard, hold_send
from bot.review.board import Board
from bot.review.cards import (
    ActionOutcome,
    CardRef,
    Notice,
    NoticeKind,
    ReviewCard,
    ReviewerAction,
)
from bot.review.drafts import DraftMaker
from bot.review.worker import RunSync
from bot.store import CardView, Store

__all__ = ["Decisions"]

_DONE = {
    ReviewAction.SEND: NoticeKind.DONE_SEND,
    ReviewAction.EDIT: NoticeKind.DONE_EDIT,
    ReviewAction.DISCARD: NoticeKind.DONE_DISCARD,
}


class Decisions:
    """Applies reviewer actions; the reviewer allow-list is checked by the caller."""

    def __init__(
        self,
        *,
        store: Store,
        board: Board,
        drafts: DraftMaker,
        deciding: RunSync,
        drafting: RunSync,
        intent_choices: Callable[[], tuple[str, ...]],
        reply_queued: Callable[[], None],
        guard: BlastGuard | None = None,
    ) -> None:
        self._store = store
        self._board = board
        self._drafts = drafts
        self._deciding = deciding
        self._drafting = drafting
        self._intent_choices = intent_choices
        self._reply_queued = reply_queued
        self._guard = guard

    async def apply(self, action: ReviewerAction) -> ActionOutcome:
        """Apply ``action`` (from a reviewer) once."""
        kind = action.action.value
        reviewer = f"{action.platform}:{action.reviewer_id}"
        if action.reviewer_name:
            self._board.reviewer_names[reviewer] = action.reviewer_name
        found = await self._deciding(partial(self._view_for, action))
        if found is None:
            metrics.ACTIONS.labels(kind, "refused").inc()
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.NO_CARD))
        view, seen = found
        draft_id = action.draft_id if action.draft_id is not None else seen
        if seen != view.draft.id or draft_id is None or draft_id not in (seen, *view.sibling_ids):
            # Not the version the card shows now: nobody decides on text they did not see.
            outcome = await self._moved_on(view)
        elif action.action is ReviewAction.VARIANT:
            outcome = await self._variant(view)
        elif action.action is ReviewAction.FIX_INTENT:
            outcome = await self._fix_intent(view, draft_id, action, reviewer)
        else:
            outcome = await self._decide(view, draft_id, action, reviewer)
        metrics.ACTIONS.labels(kind, "applied" if outcome.applied else "refused").inc()
        return outcome

    def _view_for(self, action: ReviewerAction) -> tuple[CardView, int | None] | None:
        """The card ``action`` was made on, and the version the reviewer saw there: the one a
        button carries, or the one the platform message reacted on shows (the store records
        it each time that message is updated)."""
        card_id: int | None = None
        seen: int | None = None
        if action.draft_id is not None:
            card_id = self._store.card_of_draft(action.draft_id)
            seen = action.draft_id if action.shown_draft_id is None else action.shown_draft_id
        elif action.card is not None:
            # An edit names the prompt it answers (only a reply to that prompt edits); every
            # other action names the card itself.
            found = self._store.shown_at(
                desk=action.card.desk,
                chat_id=action.card.chat_id,
                message_id=action.card.message_id,
                kind="edit_prompt" if action.action is ReviewAction.EDIT else "card",
            )
            if found is not None:
                card_id, seen = found
        view = None if card_id is None else self._store.card_view(card_id)
        return None if view is None else (view, seen)

    async def _moved_on(self, view: CardView) -> ActionOutcome:
        """Refuse an action on a version the card no longer shows, and show the card as it is
        now wherever a copy still shows an older version (an update that did not go through)."""
        card = await self._board.card(view.card_id)
        if view.draft.status is not DraftStatus.PENDING:
            return ActionOutcome(applied=False, notice=self._refused(view), card=card)
        refs = await self._board.refresh(view.card_id, card=card, only_stale=True)
        return ActionOutcome(
            applied=False, notice=Notice(NoticeKind.DRAFT_CHANGED), card=card, refs=refs
        )

    def _named(self, notice: Notice) -> Notice:
        """``notice`` with the name of the reviewer who decided first, when one is known."""
        refusal = notice.refusal
        if refusal is None or refusal.by is None:
            return notice
        name = self._board.reviewer_names.get(refusal.by)
        if name is None:
            return notice
        return replace(notice, refusal=replace(refusal, by=name))

    def _refused(self, view: CardView) -> Notice:
        """The notice for an action on a card whose draft is no longer pending."""
        refusal = Refusal(view.draft.status, by=view.decided_by, at=view.decided_at)
        return self._named(Notice(NoticeKind.NOT_PENDING, refusal=refusal))

    async def _decide(
        self, view: CardView, draft_id: int, action: ReviewerAction, reviewer: str
    ) -> ActionOutcome:
        if action.action is ReviewAction.EDIT and not (action.edited_text or "").strip():
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.EDIT_NEEDS_TEXT))
        if action.action is ReviewAction.SEND and self._guard is not None and not action.confirmed:
            # The anti-blast guard (bot/review/blast.py): above the cap, a second confirmation.
            held = await self._deciding(partial(hold_send, self._store, self._guard, draft_id))
            if held is not None:
                card = await self._board.card(view.card_id)
                refs = await self._board.refresh(view.card_id, card=card)
                notice = Notice(
                    NoticeKind.CONFIRM_BLAST, customers=held.customers, hours=held.hours
                )
                return ActionOutcome(applied=False, notice=notice, card=card, refs=refs)
        result = await self._deciding(
            partial(
                self._store.decide,
                draft_id,
                action=action.action,
                reviewer=reviewer,
                edited_text=action.edited_text if action.action is ReviewAction.EDIT else None,
            )
        )
        if not result.applied:
            card = await self._board.card(view.card_id)
            notice = self._named(Notice(NoticeKind.NOT_PENDING, refusal=result.refusal))
            return ActionOutcome(applied=False, notice=notice, card=card)
        if result.outbox_id is not None:
            self._reply_queued()
        card = await self._board.card(view.card_id)
        if card is not None and card.draft_id != draft_id:
            # A version listed beside the shown one (the console), or a 🔁 that landed after
            # the check: the card shows what was decided.
            await self._deciding(partial(self._store.show_on_card, view.card_id, draft_id))
            card = await self._board.card(view.card_id)
        refs = await self._board.refresh(view.card_id, card=card)
        return ActionOutcome(
            applied=True, notice=Notice(_DONE[action.action]), card=card, refs=refs
        )

    async def _variant(self, view: CardView) -> ActionOutcome:
        if view.draft.status is not DraftStatus.PENDING:
            card = await self._board.card(view.card_id)
            return ActionOutcome(applied=False, notice=self._refused(view), card=card)
        siblings = view.sibling_ids
        if len(siblings) < 2 or view.draft.id not in siblings:
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.NO_OTHER_VERSION))
        following = siblings[(siblings.index(view.draft.id) + 1) % len(siblings)]
        switched = await self._deciding(
            partial(
                self._store.switch_card_draft,
                view.card_id,
                expected=view.draft.id,
                draft_id=following,
            )
        )
        card = await self._board.card(view.card_id)
        if not switched or card is None:
            # Someone else switched it a moment before: the card already shows another version.
            return ActionOutcome(applied=False, card=card)
        refs = await self._board.refresh(view.card_id, card=card)
        notice = Notice(NoticeKind.DONE_VARIANT, variant=card.variant, variants=card.variants)
        return ActionOutcome(applied=True, notice=notice, card=card, refs=refs)

    async def _fix_intent(
        self, view: CardView, draft_id: int, action: ReviewerAction, reviewer: str
    ) -> ActionOutcome:
        choices = self._intent_choices()
        if action.intent not in choices:
            notice = Notice(NoticeKind.UNKNOWN_INTENT, intent=action.intent, choices=choices)
            return ActionOutcome(applied=False, notice=notice)
        current = await self._deciding(partial(self._store.get_draft, draft_id))
        if current is None or current.status is not DraftStatus.PENDING:
            shown = await self._board.card(view.card_id)
            return ActionOutcome(applied=False, notice=self._refused(view), card=shown)
        intent = action.intent
        await self._deciding(
            partial(
                self._store.record_intent_correction,
                view.message_pk,
                predicted=view.analysis.intent.name,
                corrected=intent,
                reviewer=reviewer,
            )
        )
        saved = await self._drafting(
            partial(self._drafts.draft_stored, view.message_pk, intent=intent)
        )
        card: ReviewCard | None = None
        refs: tuple[CardRef, ...] = ()
        if saved is not None:
            card, refs = await self._board.show(saved)
        notice = Notice(NoticeKind.DONE_FIX_INTENT, intent=intent)
        return ActionOutcome(applied=True, notice=notice, card=card, refs=refs)
