"""Statements and conversions the store's transactions share: dialect-aware inserts, row locks,
draft loading, the reason a decision was refused, and the checks on values going in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Select, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.domain import DraftStatus, Refusal, ReviewAction
from bot.store.codec import why_from_json
from bot.store.models import ConversationRow, CustomerRow, DecisionRow, DraftRow
from bot.store.records import StoredDraft

__all__ = [
    "ATTEMPTS",
    "DECIDING",
    "MAX_PAST_INTENTS",
    "PENDING",
    "WENT_OUT",
    "Insert",
    "aware",
    "draft_query",
    "insert_for",
    "load_draft",
    "lock_row",
    "refusal_of",
    "require_row",
    "scalar_int",
    "storable",
    "stored_draft",
    "touch_conversation",
]

#: How many times a transaction PostgreSQL aborted as a deadlock or serialization failure is run.
ATTEMPTS: Final = 3

DECIDING: Final[dict[ReviewAction, DraftStatus]] = {
    ReviewAction.SEND: DraftStatus.SENT,
    ReviewAction.EDIT: DraftStatus.EDITED,
    ReviewAction.DISCARD: DraftStatus.DISCARDED,
}
#: Statuses meaning a reply went out to the customer.
WENT_OUT: Final = (DraftStatus.SENT.value, DraftStatus.EDITED.value)
PENDING: Final = DraftStatus.PENDING.value
MAX_PAST_INTENTS: Final = 10

Insert = postgresql.Insert | sqlite.Insert


def insert_for(session: Session, model: type[Any]) -> Insert:
    """An INSERT that supports ON CONFLICT, in the session's dialect.

    A Core statement on the model's table: the ORM's bulk-insert machinery costs more than the
    statement itself on the hot path (every stored message goes through here)."""
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def scalar_int(session: Session, statement: Any) -> int:
    return int(session.execute(statement).scalar_one())


def lock_row(session: Session, model: type[CustomerRow] | type[ConversationRow], pk: int) -> None:
    """Lock one row until the transaction ends (PostgreSQL; SQLite's writer lock covers it).

    FOR NO KEY UPDATE, unlike FOR UPDATE, does not block inserts whose foreign key points at it.
    """
    session.execute(select(model.id).where(model.id == pk).with_for_update(key_share=True))


def require_row(session: Session, model: type[Any], pk: int, what: str) -> None:
    if session.get(model, pk) is None:
        raise LookupError(f"No {what} {pk} in the store.")


def touch_conversation(session: Session, conversation_pk: int, at: datetime) -> None:
    """Move ``last_message_at`` forward (never back) to ``at``."""
    session.execute(
        update(ConversationRow)
        .where(ConversationRow.id == conversation_pk, ConversationRow.last_message_at < at)
        .values(last_message_at=at)
        .execution_options(synchronize_session=False)
    )


def draft_query() -> Select[DraftRow, int]:
    return select(DraftRow, ConversationRow.customer_id).join(
        ConversationRow, DraftRow.conversation_id == ConversationRow.id
    )


def load_draft(session: Session, *, draft_id: int) -> StoredDraft | None:
    row = session.execute(draft_query().where(DraftRow.id == draft_id)).one_or_none()
    return None if row is None else stored_draft(row[0], row[1])


def stored_draft(row: DraftRow, customer_pk: int) -> StoredDraft:
    return StoredDraft(
        id=row.id,
        conversation_pk=row.conversation_id,
        message_pk=row.message_id,
        customer_pk=customer_pk,
        rank=row.rank,
        text=row.text,
        template=row.template,
        promotional=row.promotional,
        why=why_from_json(row.reasons, legacy_text=row.why or ""),
        language=row.language,
        status=DraftStatus(row.status),
        version=row.version,
        created_at=row.created_at,
        decided_at=row.decided_at,
        final_text=row.final_text,
        offer_blocked=row.offer_blocked,
    )


def refusal_of(session: Session, draft: StoredDraft | None) -> Refusal:
    """Why a decision on ``draft`` was refused: its status, and who decided it first and when."""
    if draft is None:
        return Refusal(None)
    if draft.status in (DraftStatus.SUPERSEDED, DraftStatus.EXPIRED):
        return Refusal(draft.status, at=draft.decided_at)
    decision = session.execute(
        select(DecisionRow.reviewer, DecisionRow.decided_at)
        .where(DecisionRow.draft_id == draft.id)
        .order_by(DecisionRow.decided_at.desc(), DecisionRow.id.desc())
        .limit(1)
    ).one_or_none()
    if decision is None:
        return Refusal(draft.status, at=draft.decided_at)
    return Refusal(draft.status, by=decision.reviewer, at=aware(decision.decided_at, "decided_at"))


def aware(moment: datetime | None, name: str) -> datetime | None:
    """``moment`` in UTC; a naive datetime is refused, since its zone would be a guess."""
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (e.g. datetime.now(UTC)), not {moment!r}")
    return moment.astimezone(UTC)


def storable(text: str) -> str:
    """``text`` as both databases can hold it: PostgreSQL rejects NUL, so it becomes U+FFFD."""
    return text.replace("\x00", "\ufffd")
