"""Intake: customers, conversations and messages as they arrive, what the drafter reads back (the
customer's profile), the analyses, and the platform event ids already processed.

The statements are functions run inside the transactions of ``DraftingStore`` (``take_in``,
``save_drafting``); ``stored_inbound`` reads a message back to draft it again."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import case, exists, func, select, update
from sqlalchemy.orm import Session

from bot.domain import Analysis, CustomerProfile, InboundMessage, PastContact, Platform
from bot.store.base import StoreBase
from bot.store.codec import analysis_to_json
from bot.store.models import (
    INBOUND,
    OUTBOUND,
    AnalysisRow,
    ConversationRow,
    CustomerRow,
    DraftRow,
    MessageRow,
    ProcessedEventRow,
    utcnow,
)
from bot.store.queries import (
    MAX_PAST_INTENTS,
    WENT_OUT,
    aware,
    insert_for,
    scalar_int,
    storable,
)
from bot.store.records import RecordedMessage

__all__ = ["IntakeStore"]


class IntakeStore(StoreBase):
    """Recording what customers send and what went out to them."""

    def is_analysed(self, message_pk: int) -> bool:
        """Whether the message has an analysis (its drafts were stored with it)."""

        def work(session: Session) -> bool:
            return bool(
                session.execute(
                    select(exists().where(AnalysisRow.message_id == message_pk))
                ).scalar_one()
            )

        return self._read(work)

    def stored_inbound(self, message_pk: int) -> tuple[InboundMessage, RecordedMessage] | None:
        """A stored customer message as it came in, with where it is stored (to draft it again
        after a restart), or None."""

        def work(session: Session) -> tuple[InboundMessage, RecordedMessage] | None:
            row = session.execute(
                select(MessageRow, ConversationRow, CustomerRow)
                .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
                .join(CustomerRow, ConversationRow.customer_id == CustomerRow.id)
                .where(MessageRow.id == message_pk, MessageRow.direction == INBOUND)
            ).one_or_none()
            if row is None:
                return None
            message, conversation, customer = row
            inbound = InboundMessage(
                platform=cast(Platform, conversation.platform),
                conversation_id=conversation.platform_conversation_id,
                customer_id=customer.platform_user_id,
                text=message.text,
                customer_name=customer.display_name,
                language_hint=customer.language,
                thread_id=conversation.thread_id or None,
                platform_message_id=message.platform_message_id,
                received_at=message.received_at,
                attachment_kind=message.attachment_kind,
            )
            return inbound, RecordedMessage(customer.id, conversation.id, message.id, edited=False)

        return self._read(work)


def record_inbound_in(
    session: Session, *, message: InboundMessage, now: datetime
) -> RecordedMessage:
    received = aware(message.received_at, "received_at") or now
    text = storable(message.text)
    customers = insert_for(session, CustomerRow).values(
        platform=message.platform,
        platform_user_id=message.customer_id,
        display_name=message.customer_name,
        opted_out=False,
        created_at=now,
    )
    customer_pk = scalar_int(
        session,
        customers.on_conflict_do_update(
            index_elements=[CustomerRow.platform, CustomerRow.platform_user_id],
            # A message without a name (some platforms omit it) keeps the known one.
            set_={
                "display_name": func.coalesce(
                    customers.excluded.display_name, CustomerRow.display_name
                )
            },
        ).returning(CustomerRow.id),
    )
    conversations = insert_for(session, ConversationRow).values(
        customer_id=customer_pk,
        platform=message.platform,
        platform_conversation_id=message.conversation_id,
        thread_id=message.thread_id or "",
        created_at=now,
        last_message_at=received,
    )
    newer = conversations.excluded.last_message_at
    conversation_pk = scalar_int(
        session,
        conversations.on_conflict_do_update(
            index_elements=[
                ConversationRow.platform,
                ConversationRow.platform_conversation_id,
                ConversationRow.thread_id,
            ],
            # Late or redelivered messages must not move the conversation back in time.
            set_={
                "last_message_at": case(
                    (ConversationRow.last_message_at < newer, newer),
                    else_=ConversationRow.last_message_at,
                )
            },
        ).returning(ConversationRow.id),
    )
    values = {
        "conversation_id": conversation_pk,
        "direction": INBOUND,
        "text": text,
        "platform_message_id": message.platform_message_id,
        "attachment_kind": message.attachment_kind,
        "received_at": received,
    }
    if message.platform_message_id is None:
        message_pk = scalar_int(
            session, insert_for(session, MessageRow).values(values).returning(MessageRow.id)
        )
        return RecordedMessage(customer_pk, conversation_pk, message_pk, edited=False)
    # INSERT … ON CONFLICT DO NOTHING then UPDATE stays correct when two workers receive
    # the same message at once; a SELECT first would let both insert.
    inserted = session.execute(
        insert_for(session, MessageRow)
        .values(values)
        .on_conflict_do_nothing(
            index_elements=[
                MessageRow.conversation_id,
                MessageRow.direction,
                MessageRow.platform_message_id,
            ]
        )
        .returning(MessageRow.id)
    ).scalar_one_or_none()
    if inserted is not None:
        return RecordedMessage(customer_pk, conversation_pk, int(inserted), edited=False)
    known = session.execute(
        select(MessageRow.id, MessageRow.text).where(
            MessageRow.conversation_id == conversation_pk,
            MessageRow.direction == INBOUND,
            MessageRow.platform_message_id == message.platform_message_id,
        )
    ).one()
    if known.text == text:
        # The same message again: a redelivery, or queued work a stopped process left.
        return RecordedMessage(
            customer_pk, conversation_pk, int(known.id), edited=False, repeated=True
        )
    message_pk = scalar_int(
        session,
        update(MessageRow)
        .where(
            MessageRow.conversation_id == conversation_pk,
            MessageRow.direction == INBOUND,
            MessageRow.platform_message_id == message.platform_message_id,
        )
        .values(text=text, edited_at=now)
        .returning(MessageRow.id)
        .execution_options(synchronize_session=False),
    )
    return RecordedMessage(customer_pk, conversation_pk, message_pk, edited=True)


def claim_event_in(session: Session, *, platform: str, event_id: str, now: datetime) -> bool:
    """Claim a platform event in ``session``: True the first time it is seen."""
    claimed = session.execute(
        insert_for(session, ProcessedEventRow)
        .values(platform=platform, event_id=event_id, processed_at=now)
        .on_conflict_do_nothing(
            index_elements=[ProcessedEventRow.platform, ProcessedEventRow.event_id]
        )
        .returning(ProcessedEventRow.event_id)
    ).scalar_one_or_none()
    return claimed is not None


def profile_in(
    session: Session, *, customer_pk: int, conversation_pk: int | None, history: int = 5
) -> CustomerProfile:
    """What the drafter should know of a customer, and of the conversation being answered.

    ``earlier_messages`` are the last ``history`` customer messages of the conversation before
    the newest one, oldest first; ``greeted`` is True once a reply went out in it.
    """
    customer = session.get(CustomerRow, customer_pk)
    if customer is None:
        raise LookupError(f"No customer {customer_pk}: record one of its messages first.")
    last_seen = func.max(MessageRow.received_at)
    intents = session.execute(
        select(AnalysisRow.intent)
        .join(MessageRow, AnalysisRow.message_id == MessageRow.id)
        .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
        .where(ConversationRow.customer_id == customer_pk)
        .group_by(AnalysisRow.intent)
        .order_by(last_seen.desc(), func.max(MessageRow.id).desc())
        .limit(MAX_PAST_INTENTS)
    ).scalars()
    greeted = False
    earlier: tuple[str, ...] = ()
    if conversation_pk is not None:
        greeted = bool(
            session.execute(
                select(
                    exists().where(
                        DraftRow.conversation_id == conversation_pk,
                        DraftRow.status.in_(WENT_OUT),
                    )
                    | exists().where(
                        MessageRow.conversation_id == conversation_pk,
                        MessageRow.direction == OUTBOUND,
                    )
                )
            ).scalar_one()
        )
        newest_first = session.execute(
            select(MessageRow.text)
            .where(
                MessageRow.conversation_id == conversation_pk,
                MessageRow.direction == INBOUND,
            )
            .order_by(MessageRow.received_at.desc(), MessageRow.id.desc())
            .offset(1)
            .limit(history)
        ).scalars()
        earlier = tuple(reversed(list(newest_first)))
    contacts, known_email = _contacts_in(session, customer_pk=customer_pk)
    return CustomerProfile(
        customer_id=customer.platform_user_id,
        name=customer.display_name,
        language=customer.language,
        opted_out=customer.opted_out,
        last_offer_at=customer.last_offer_at,
        past_intents=tuple(intents),
        greeted=greeted,
        earlier_messages=earlier,
        contacts=contacts,
        known_email=known_email,
    )


#: Earlier messages read for the customer's history line and a known e-mail.
_CONTACTS = 20


def _contacts_in(
    session: Session, *, customer_pk: int
) -> tuple[tuple[PastContact, ...], str | None]:
    """The customer's earlier messages in every conversation (newest first, the newest message,
    being answered, left out) with their intents, and the last e-mail they gave."""
    rows = session.execute(
        select(MessageRow.received_at, AnalysisRow.intent, AnalysisRow.payload)
        .join(ConversationRow, MessageRow.conversation_id == ConversationRow.id)
        .outerjoin(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
        .where(ConversationRow.customer_id == customer_pk, MessageRow.direction == INBOUND)
        .order_by(MessageRow.received_at.desc(), MessageRow.id.desc())
        .offset(1)
        .limit(_CONTACTS)
    ).all()
    contacts = tuple(PastContact(at, intent) for at, intent, _ in rows)
    email = None
    for _, _, payload in rows:
        for entity in (payload or {}).get("entities") or ():
            if isinstance(entity, dict) and entity.get("label") == "EMAIL":
                email = str(entity.get("value") or entity.get("text"))
                break
        if email:
            break
    return contacts, email


def save_analysis_in(session: Session, *, message_pk: int, analysis: Analysis) -> None:
    """Store what the analyser understood of a message (just stored in the same transaction),
    replacing an earlier analysis."""
    row = {
        "message_id": message_pk,
        "language": analysis.language,
        "intent": analysis.intent.name,
        "intent_confidence": analysis.intent.confidence,
        "sentiment": analysis.sentiment,
        "sentiment_confidence": analysis.sentiment_confidence,
        "payload": analysis_to_json(analysis),
        "created_at": utcnow(),
    }
    analyses = insert_for(session, AnalysisRow).values(row)
    session.execute(
        analyses.on_conflict_do_update(
            index_elements=[AnalysisRow.message_id],
            set_={k: v for k, v in row.items() if k != "message_id"},
        )
    )
