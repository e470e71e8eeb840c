"""The customer's data: everything held about one customer (export), erasing it (forget), and
the retention sweep that erases what is older than ``privacy.retention_days``.

What belongs to a customer: their ``customers`` row, the conversations credited to them, every
message of those conversations with its analysis, the drafts, decisions (an edit's words), intent
corrections, review cards and where they were posted, the outbox rows, and the audit entries of
their own attempts (a customer who pressed a review button). A conversation is credited to the
customer who wrote first in it: in a Slack thread or a Telegram group thread that several
customers share, forgetting that first customer erases the whole thread.

Erasing leaves nothing readable behind on SQLite: connections run with ``secure_delete`` (deleted
content is overwritten with zeros, see ``bot.store.engine``) and the write-ahead log is
checkpointed and truncated afterwards, so neither the database file's free pages nor the WAL keep
the text. On PostgreSQL deleted rows stay on disk until VACUUM reuses their space (the docs say
so).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, delete, exists, literal, or_, select, update
from sqlalchemy.orm import Session

from bot.store.audit import AuditStore, record_audit_in
from bot.store.models import (
    AnalysisRow,
    AuditRow,
    Base,
    CardPostRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    DraftRow,
    IntentCorrectionRow,
    MessageRow,
    OutboxRow,
    ProcessedEventRow,
    ReviewCardRow,
    WorkItemRow,
    utcnow,
)
from bot.store.queries import aware

__all__ = ["CUSTOMER_TABLES", "Forgotten", "PrivacyStore", "customer_key", "parse_customer_key"]

#: The tables that hold a customer's data, in the order rows are erased (children first).
CUSTOMER_TABLES: Final = (
    "card_posts",
    "review_cards",
    "outbox",
    "decisions",
    "intent_corrections",
    "analyses",
    "drafts",
    "messages",
    # Before conversations: the customer's queued messages are found through them.
    "work_items",
    "conversations",
    "audit_log",
    "customers",
)
#: Outbox rows the retention sweep may erase: the reply went out, or never will.
_SETTLED_OUTBOX: Final = ("delivered", "failed")
#: Messages the retention sweep erases per call; the periodic sweep comes back for the rest.
RETENTION_BATCH: Final = 500


def customer_key(platform: str, user_id: str) -> str:
    """``platform:id``, as ``replique export`` and ``forget`` take it and the audit log keeps it."""
    return f"{platform}:{user_id}"


def parse_customer_key(value: str) -> tuple[str, str] | None:
    """``("slack", "U0123ABCD")`` for ``"slack:U0123ABCD"``; None when it is not ``platform:id``.

    Only the first colon separates: a platform id may hold colons itself."""
    platform, colon, user_id = value.strip().partition(":")
    if not colon or not platform or not user_id:
        return None
    return platform, user_id


class Forgotten(dict[str, int]):
    """Rows erased, per table; ``scrubbed`` is False when SQLite's log could not be truncated
    at once (a long reader held it): the text is zeroed in the file, and the log is rewritten
    at its next checkpoint."""

    scrubbed: bool = True

    @property
    def total(self) -> int:
        return sum(self.values())


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(session: Session, model: type[Base], where: ColumnElement[bool]) -> list[dict[str, Any]]:
    table = Base.metadata.tables[model.__tablename__]
    columns = list(table.columns)
    query = select(*columns).where(where).order_by(*table.primary_key.columns)
    return [
        {column.name: _plain(value) for column, value in zip(columns, row, strict=True)}
        for row in session.execute(query)
    ]


class _Scope:
    """Subqueries selecting one customer's rows in every table."""

    def __init__(self, customer_pk: int, key: str) -> None:
        self.key = key
        self.customer: ColumnElement[bool] = CustomerRow.id == customer_pk
        conversations = select(ConversationRow.id).where(ConversationRow.customer_id == customer_pk)
        messages = select(MessageRow.id).where(MessageRow.conversation_id.in_(conversations))
        drafts = select(DraftRow.id).where(
            or_(DraftRow.conversation_id.in_(conversations), DraftRow.message_id.in_(messages))
        )
        cards = select(ReviewCardRow.id).where(
            or_(ReviewCardRow.message_id.in_(messages), ReviewCardRow.draft_id.in_(drafts))
        )
        self.where: dict[str, ColumnElement[bool]] = {
            "card_posts": CardPostRow.card_id.in_(cards),
            "review_cards": ReviewCardRow.id.in_(cards),
            "outbox": or_(
                OutboxRow.draft_id.in_(drafts), OutboxRow.conversation_id.in_(conversations)
            ),
            "decisions": DecisionRow.draft_id.in_(drafts),
            "intent_corrections": IntentCorrectionRow.message_id.in_(messages),
            "analyses": AnalysisRow.message_id.in_(messages),
            "drafts": DraftRow.id.in_(drafts),
            "messages": MessageRow.id.in_(messages),
            # Stored messages not drafted yet (and finished ones not swept yet) are keyed by
            # conversation, as the desk queues them.
            "work_items": and_(
                WorkItemRow.lane == "inbound",
                WorkItemRow.conversation_key.in_(
                    select(
                        ConversationRow.platform
                        + literal(":")
                        + ConversationRow.platform_conversation_id
                    ).where(ConversationRow.customer_id == customer_pk)
                ),
            ),
            "conversations": ConversationRow.id.in_(conversations),
            # A customer who pressed a review button left an entry under their own account.
            "audit_log": AuditRow.actor == key,
            "customers": self.customer,
        }


_MODELS: Final[Mapping[str, type[Base]]] = {
    "card_posts": CardPostRow,
    "review_cards": ReviewCardRow,
    "outbox": OutboxRow,
    "decisions": DecisionRow,
    "intent_corrections": IntentCorrectionRow,
    "analyses": AnalysisRow,
    "drafts": DraftRow,
    "messages": MessageRow,
    "work_items": WorkItemRow,
    "conversations": ConversationRow,
    "audit_log": AuditRow,
    "customers": CustomerRow,
    "processed_events": ProcessedEventRow,
}


def _customer_pk(session: Session, platform: str, user_id: str, *, lock: bool) -> int | None:
    query = select(CustomerRow.id).where(
        CustomerRow.platform == platform, CustomerRow.platform_user_id == user_id
    )
    if lock:
        # FOR UPDATE (not NO KEY UPDATE): a message arriving meanwhile waits, instead of adding a
        # conversation that would keep the customer row from being deleted.
        query = query.with_for_update()
    found = session.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


def _delete_count(session: Session, model: type[Base], where: ColumnElement[bool]) -> int:
    result = session.execute(
        delete(model).where(where).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


class PrivacyStore(AuditStore):
    """Export, erase and expire customer data."""

    def export_customer(self, platform: str, user_id: str) -> dict[str, Any] | None:
        """Every row held about one customer, per table, as JSON-ready values; None when the
        store has no such customer."""
        key = customer_key(platform, user_id)

        def work(session: Session) -> dict[str, Any] | None:
            pk = _customer_pk(session, platform, user_id, lock=False)
            if pk is None:
                return None
            scope = _Scope(pk, key)
            tables = {
                name: _rows(session, _MODELS[name], scope.where[name])
                for name in reversed(CUSTOMER_TABLES)
            }
            return {"customer": key, "exported_at": utcnow().isoformat(), "tables": tables}

        return self._read(work)

    def forget_customer(self, platform: str, user_id: str, *, by: str) -> Forgotten | None:
        """Erase every row about one customer and leave an audit entry (``by`` did it; the
        entry names the platform, never the customer). None when there is no such customer."""
        key = customer_key(platform, user_id)

        def work(session: Session) -> Forgotten | None:
            pk = _customer_pk(session, platform, user_id, lock=True)
            if pk is None:
                return None
            scope = _Scope(pk, key)
            erased = Forgotten(
                (name, _delete_count(session, _MODELS[name], scope.where[name]))
                for name in CUSTOMER_TABLES
            )
            record_audit_in(
                session,
                actor=by,
                platform=platform,
                action="forget",
                outcome="applied",
                reason=f"rows={erased.total}",
            )
            return erased

        erased = self._write(work)
        if erased is not None:
            erased.scrubbed = self._truncate_log()
        return erased

    def apply_retention(
        self, now: datetime, days: int, *, batch: int = RETENTION_BATCH
    ) -> dict[str, int]:
        """Erase customer data older than ``days`` days before ``now``; returns rows erased per
        table (only the tables where some were).

        Messages go with their analyses, drafts, decisions, intent corrections and cards, except
        while a reply of theirs waits in the outbox. Delivered and failed outbox rows, platform
        event ids, conversations left empty and customers left without conversations go too —
        an opted-out customer's row stays, without its name, so no offer reaches them again.
        Refused attempts by people who are not reviewers leave the audit log (their account id
        may be a customer's); reviewers' own entries stay. At most ``batch`` messages per call:
        call again while ``messages`` comes back equal to ``batch``.
        """
        if days < 1:
            raise ValueError(f"days must be at least 1, not {days}")
        cutoff = (aware(now, "now") or now) - timedelta(days=days)
        return self._write(lambda session: _retention_in(session, cutoff=cutoff, batch=batch))

    def _truncate_log(self) -> bool:
        """Checkpoint SQLite's write-ahead log into the file and truncate it, so the pages that
        held erased rows survive nowhere; True when done (always on PostgreSQL)."""
        if self._engine.dialect.name != "sqlite":
            return True
        with self._serial, self._engine.connect() as connection:
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
        # (busy, log frames, checkpointed frames); not in WAL mode (in memory) it is (0, -1, -1).
        return busy is None or int(busy[0]) == 0


def _retention_in(session: Session, *, cutoff: datetime, batch: int) -> dict[str, int]:
    waiting = (
        select(DraftRow.message_id)
        .join(OutboxRow, OutboxRow.draft_id == DraftRow.id)
        .where(OutboxRow.status.not_in(_SETTLED_OUTBOX))
    )
    old = list(
        session.execute(
            select(MessageRow.id)
            .where(MessageRow.received_at < cutoff, MessageRow.id.not_in(waiting))
            .order_by(MessageRow.id)
            .limit(batch)
        ).scalars()
    )
    counts: dict[str, int] = {}

    def erase(name: str, where: ColumnElement[bool]) -> None:
        erased = _delete_count(session, _MODELS[name], where)
        if erased:
            counts[name] = counts.get(name, 0) + erased

    if old:
        drafts = select(DraftRow.id).where(DraftRow.message_id.in_(old))
        cards = select(ReviewCardRow.id).where(
            or_(ReviewCardRow.message_id.in_(old), ReviewCardRow.draft_id.in_(drafts))
        )
        erase("card_posts", CardPostRow.card_id.in_(cards))
        erase("review_cards", ReviewCardRow.id.in_(cards))
        erase("outbox", OutboxRow.draft_id.in_(drafts))
        erase("decisions", DecisionRow.draft_id.in_(drafts))
        erase("intent_corrections", IntentCorrectionRow.message_id.in_(old))
        erase("analyses", AnalysisRow.message_id.in_(old))
        erase("drafts", DraftRow.id.in_(drafts))
        erase("messages", MessageRow.id.in_(old))
    erase("outbox", OutboxRow.status.in_(_SETTLED_OUTBOX) & (OutboxRow.created_at < cutoff))
    erase(
        "conversations",
        (ConversationRow.last_message_at < cutoff)
        & ~exists().where(MessageRow.conversation_id == ConversationRow.id)
        & ~exists().where(DraftRow.conversation_id == ConversationRow.id)
        & ~exists().where(OutboxRow.conversation_id == ConversationRow.id),
    )
    alone = (CustomerRow.created_at < cutoff) & ~exists().where(
        ConversationRow.customer_id == CustomerRow.id
    )
    erase("customers", alone & ~CustomerRow.opted_out)
    session.execute(
        update(CustomerRow)
        .where(alone, CustomerRow.opted_out, CustomerRow.display_name.is_not(None))
        .values(display_name=None)
        .execution_options(synchronize_session=False)
    )
    # Queued messages and reviewer actions (their text, an edit's text) go with the rest.
    erase("work_items", WorkItemRow.created_at < cutoff)
    erase("processed_events", ProcessedEventRow.processed_at < cutoff)
    erase("audit_log", (AuditRow.outcome == "not_reviewer") & (AuditRow.at < cutoff))
    if counts:
        record_audit_in(
            session,
            actor="service",
            platform="store",
            action="retention",
            outcome="applied",
            reason=" ".join(f"{name}={n}" for name, n in sorted(counts.items())),
        )
    return counts
