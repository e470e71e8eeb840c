"""Drafting in two transactions: what the desk reads before analysing, and all it writes after.

Every customer message used to cost a dozen short transactions (record, profile, pending drafts,
analysis, language, drafts, card…). Each one is a BEGIN/COMMIT round and, on SQLite, a turn at the
single writer lock; under a burst of messages they were most of the time spent per message. Here
the same steps are grouped around the one slow thing that needs no database, the analysis:

1. ``take_in_many``: store a batch of queued messages (their platform events were claimed when
   they were queued, ``WorkStore.enqueue``), read each customer's profile and the earlier
   messages still waiting for their reply;
2. ``save_drafting``: store the analysis, the customer's language and opt-out, the drafts
   (superseding pending ones) and point the message's review card at the best draft, returning
   what the desk needs to post or refresh cards.

The statements themselves are the ``*_in`` functions of ``intake.py``, ``review.py`` and
``delivery.py``, run here inside one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from bot.domain import Analysis, CustomerProfile, Draft, InboundMessage
from bot.store.base import StoreBase
from bot.store.card_rows import card_of_draft_in, card_view_in, open_card_in, show_on_card_in
from bot.store.intake import profile_in, record_inbound_in, save_analysis_in
from bot.store.models import (
    INBOUND,
    OUTBOUND,
    CardPostRow,
    ConversationRow,
    CustomerRow,
    DraftRow,
    MessageRow,
    ReviewCardRow,
    utcnow,
)
from bot.store.queries import aware, lock_row
from bot.store.records import CardView, RecordedMessage, SavedDrafts
from bot.store.review import save_drafts_in

__all__ = ["Drafting", "DraftingStore", "Intake", "SavedDrafting"]

#: Statuses of a draft a reviewer (or time) settled: its message needs no other answer.
DECIDED = ("sent", "edited", "discarded", "expired")


@dataclass(frozen=True, slots=True)
class Intake:
    """A stored customer message and what the drafter must know before answering it."""

    recorded: RecordedMessage
    profile: CustomerProfile
    #: Earlier customer messages of the conversation still waiting for a reply (no reply went
    #: out after them, their card was not decided), oldest first: the draft answers them too.
    unanswered: tuple[str, ...] = ()
    #: The message already has a card (it was drafted before).
    has_card: bool = False

    @property
    def answers_earlier(self) -> bool:
        """An earlier message of the conversation still waits for its reply."""
        return bool(self.unanswered)


@dataclass(frozen=True, slots=True)
class Drafting:
    """What to store after drafting one message."""

    recorded: RecordedMessage
    analysis: Analysis
    drafts: tuple[Draft, ...]
    language: str | None = None
    opted_out_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SavedDrafting:
    """The stored drafts and the state of the message's review card."""

    saved: SavedDrafts
    #: The card now showing the best new draft (None when there is no draft).
    card: CardView | None
    #: The card was already on a desk and still open (an edited message, a fixed intent): update
    #: it in place. A decided card is never reopened: an edited message then gets a new card.
    card_was_posted: bool
    #: Other cards whose drafts the new ones superseded (earlier messages of the conversation).
    superseded_cards: tuple[int, ...]
    #: The message had a card before this drafting (it is drafted again).
    card_existed: bool = False


class DraftingStore(StoreBase):
    """The two transactions around each analysis."""

    def take_in(self, message: InboundMessage) -> Intake:
        """Store ``message`` and read what drafting it needs, in one transaction."""
        return self.take_in_many([message])[0]

    def take_in_many(self, messages: Sequence[InboundMessage]) -> list[Intake]:
        """``take_in`` for several messages (of different conversations), in one transaction."""
        now = utcnow()

        def work(session: Session) -> list[Intake]:
            return [
                _intake(session, record_inbound_in(session, message=message, now=now))
                for message in messages
            ]

        return self._write(work)

    def intake_of(self, recorded: RecordedMessage) -> Intake:
        """What drafting an already stored message needs (drafting it again)."""
        return self._read(lambda session: _intake(session, recorded))

    def save_drafting(
        self,
        recorded: RecordedMessage,
        *,
        analysis: Analysis,
        drafts: Sequence[Draft],
        language: str | None = None,
        opted_out_at: datetime | None = None,
    ) -> SavedDrafting:
        """Store the analysis, the customer's ``language`` and opt-out (when given), the drafts,
        and point the message's review card at the best of them — one transaction."""
        return self.save_drafting_many(
            [
                Drafting(
                    recorded,
                    analysis=analysis,
                    drafts=tuple(drafts),
                    language=language,
                    opted_out_at=opted_out_at,
                )
            ]
        )[0]

    def save_drafting_many(self, items: Sequence[Drafting]) -> list[SavedDrafting]:
        """``save_drafting`` for several messages (of different conversations), in one
        transaction."""
        now = utcnow()
        for item in items:
            aware(item.opted_out_at, "opted_out_at")
        return self._write(
            lambda session: [_save_drafting_in(session, item, now=now) for item in items]
        )


def _save_drafting_in(session: Session, item: Drafting, *, now: datetime) -> SavedDrafting:
    recorded = item.recorded
    # The message was stored by take_in: the statements skip checking that it exists.
    save_analysis_in(session, message_pk=recorded.message_pk, analysis=item.analysis)
    changes: dict[str, object] = {}
    if item.language is not None:
        changes["language"] = item.language
    if item.opted_out_at is not None:
        changes.update(opted_out=True, opted_out_at=aware(item.opted_out_at, "opted_out_at"))
    if changes:
        session.execute(
            update(CustomerRow)
            .where(CustomerRow.id == recorded.customer_pk)
            .values(changes)
            .execution_options(synchronize_session=False)
        )
    # Whether the message's card is still open is read under the conversation's lock (decisions
    # take it too), before the new drafts supersede the pending ones.
    lock_row(session, ConversationRow, recorded.conversation_pk)
    open_card = open_card_in(session, message_pk=recorded.message_pk)
    saved = save_drafts_in(
        session,
        conversation_pk=recorded.conversation_pk,
        message_pk=recorded.message_pk,
        drafts=item.drafts,
        now=now,
    )
    if not saved.draft_ids:
        return SavedDrafting(saved, None, card_was_posted=False, superseded_cards=())
    had_card = open_card is not None
    was_posted = open_card is not None and bool(
        session.execute(select(exists().where(CardPostRow.card_id == open_card))).scalar_one()
    )
    card_id = show_on_card_in(
        session,
        message_pk=recorded.message_pk,
        draft_id=saved.draft_ids[0],
        now=now,
        card_id=open_card,
    )
    others = {card_of_draft_in(session, draft_id=d) for d in saved.superseded_ids}
    superseded = tuple(sorted(c for c in others if c is not None and c != card_id))
    return SavedDrafting(
        saved,
        card_view_in(session, card_id=card_id),
        card_was_posted=was_posted,
        superseded_cards=superseded,
        card_existed=had_card,
    )


#: Earlier unanswered messages a draft reads with the new one, at most.
MAX_UNANSWERED = 5


def _intake(session: Session, recorded: RecordedMessage) -> Intake:
    profile = profile_in(
        session, customer_pk=recorded.customer_pk, conversation_pk=recorded.conversation_pk
    )
    last_reply = (
        select(func.coalesce(func.max(MessageRow.id), 0))
        .where(
            MessageRow.conversation_id == recorded.conversation_pk,
            MessageRow.direction == OUTBOUND,
        )
        .scalar_subquery()
    )
    # Decided: the message's card shows a draft that was sent, edited, discarded or expired.
    decided = exists().where(
        ReviewCardRow.message_id == MessageRow.id,
        DraftRow.id == ReviewCardRow.draft_id,
        DraftRow.status.in_(DECIDED),
    )
    newest_first = session.execute(
        select(MessageRow.text)
        .where(
            MessageRow.conversation_id == recorded.conversation_pk,
            MessageRow.direction == INBOUND,
            MessageRow.id != recorded.message_pk,
            MessageRow.id > last_reply,
            ~decided,
        )
        .order_by(MessageRow.received_at.desc(), MessageRow.id.desc())
        .limit(MAX_UNANSWERED)
    ).scalars()
    has_card = recorded.repeated and bool(
        session.execute(
            select(exists().where(ReviewCardRow.message_id == recorded.message_pk))
        ).scalar_one()
    )
    return Intake(
        recorded, profile, unanswered=tuple(reversed(list(newest_first))), has_card=has_card
    )
