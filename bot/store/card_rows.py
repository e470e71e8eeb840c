"""Statements on review cards run inside a transaction: which card a message's new drafts go
on, which card a draft belongs to, everything a card shows.

A message has one card until a reviewer decides it; a customer who edits the message after that
gets a new card, and the decided one stays as it was. The newest card is the message's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.domain import DraftStatus
from bot.store.codec import analysis_from_json
from bot.store.models import (
    AnalysisRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    DraftRow,
    MessageRow,
    ReviewCardRow,
)
from bot.store.queries import (
    PENDING,
    draft_query,
    insert_for,
    load_draft,
    scalar_int,
    stored_draft,
)
from bot.store.records import CardView

__all__ = ["card_of_draft_in", "card_view_in", "open_card_in", "show_on_card_in"]


def open_card_in(session: Session, *, message_pk: int) -> int | None:
    """The message's card when it is still open (its draft pending: new drafts may replace it
    there), else None: a decided card is never reopened, the message gets a new one."""
    found = session.execute(
        select(ReviewCardRow.id, DraftRow.status)
        .join(DraftRow, DraftRow.id == ReviewCardRow.draft_id)
        .where(ReviewCardRow.message_id == message_pk)
        .order_by(ReviewCardRow.id.desc())
        .limit(1)
    ).one_or_none()
    return int(found.id) if found is not None and found.status == PENDING else None


def show_on_card_in(
    session: Session, *, message_pk: int, draft_id: int, now: datetime, card_id: int | None
) -> int:
    """Make card ``card_id`` (``open_card_in``) show ``draft_id``, or give the message a new
    card showing it when ``card_id`` is None; returns the card's id."""
    if card_id is not None:
        session.execute(
            update(ReviewCardRow)
            .where(ReviewCardRow.id == card_id)
            .values(draft_id=draft_id, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return card_id
    return scalar_int(
        session,
        insert_for(session, ReviewCardRow)
        .values(message_id=message_pk, draft_id=draft_id, created_at=now, updated_at=now)
        .returning(ReviewCardRow.id),
    )


def card_view_in(session: Session, *, card_id: int) -> CardView | None:
    """``DeliveryStore.card_view`` within ``session``."""
    head = session.execute(
        select(
            ReviewCardRow.draft_id,
            ReviewCardRow.message_id,
            MessageRow.text,
            MessageRow.attachment_kind,
            MessageRow.received_at,
            CustomerRow.display_name,
            CustomerRow.platform_user_id,
            CustomerRow.platform,
            AnalysisRow.payload,
        )
        .join(MessageRow, ReviewCardRow.message_id == MessageRow.id)
        .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
        .join(CustomerRow, ConversationRow.customer_id == CustomerRow.id)
        .outerjoin(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
        .where(ReviewCardRow.id == card_id)
    ).one_or_none()
    if head is None:
        return None
    draft = load_draft(session, draft_id=head.draft_id)
    if draft is None:
        return None
    siblings = tuple(
        stored_draft(row, customer_pk)
        for row, customer_pk in session.execute(
            draft_query()
            .where(
                DraftRow.message_id == head.message_id,
                DraftRow.created_at == draft.created_at,
            )
            .order_by(DraftRow.rank, DraftRow.id)
        ).all()
    )
    decision = None
    if draft.status is not DraftStatus.PENDING:  # a pending draft has no decision to show
        decision = session.execute(
            select(DecisionRow.action, DecisionRow.reviewer, DecisionRow.decided_at)
            .where(DecisionRow.draft_id == draft.id)
            .order_by(DecisionRow.id.desc())
            .limit(1)
        ).one_or_none()
    return CardView(
        card_id=card_id,
        draft=draft,
        message_pk=int(head.message_id),
        message_text=head.text,
        attachment_kind=head.attachment_kind,
        received_at=head.received_at,
        customer_name=head.display_name or head.platform_user_id,
        customer_platform=head.platform,
        analysis=analysis_from_json(head.payload),
        siblings=siblings,
        decided_action=None if decision is None else decision.action,
        decided_by=None if decision is None else decision.reviewer,
        decided_at=None if decision is None else decision.decided_at,
    )


def card_of_draft_in(session: Session, *, draft_id: int) -> int | None:
    """``DeliveryStore.card_of_draft`` within ``session``: of the message's cards, the newest
    one created no later than the draft (a card shows the drafts made while it is the message's
    newest; they are stored in the transaction that creates it, with the same time)."""
    draft = session.execute(
        select(DraftRow.message_id, DraftRow.created_at).where(DraftRow.id == draft_id)
    ).one_or_none()
    if draft is None:
        return None
    cards = select(ReviewCardRow.id).where(ReviewCardRow.message_id == draft.message_id)
    newest_first = (ReviewCardRow.created_at.desc(), ReviewCardRow.id.desc())
    found = session.execute(
        cards.where(ReviewCardRow.created_at <= draft.created_at).order_by(*newest_first).limit(1)
    ).scalar_one_or_none()
    if found is None:
        found = session.execute(cards.order_by(*newest_first).limit(1)).scalar_one_or_none()
    return None if found is None else int(found)
