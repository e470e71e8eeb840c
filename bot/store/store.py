"""The store: customers, conversations, messages, analyses, drafts and review decisions.

Every public method is one short transaction and returns domain values or plain ids. Review
decisions are compare-and-set (``UPDATE … WHERE status = 'pending'``), so two reviewers clicking at
once, or a click racing a reaction, decide a draft exactly once — across threads and processes.

Locks are always taken in the same order — customer, then conversation, then drafts — so
concurrent transactions wait for each other instead of deadlocking; a deadlock or serialization
failure PostgreSQL reports anyway is retried.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict
from datetime import UTC, datetime
from functools import partial
from typing import Any, Final, TypeVar

from alembic.util import CommandError
from sqlalchemy import (
    Engine,
    Select,
    case,
    exists,
    func,
    make_url,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain import (
    Analysis,
    CustomerProfile,
    Draft,
    DraftStatus,
    InboundMessage,
    ReviewAction,
)
from bot.errors import StoreError
from bot.messages import t
from bot.store import migrate
from bot.store.engine import (
    WRITE_OPTION,
    create_store_engine,
    failure_reason,
    is_sqlite_memory,
    is_transient,
    normalise_url,
    password_of,
    redact_url,
)
from bot.store.models import (
    INBOUND,
    OUTBOUND,
    AnalysisRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    DraftRow,
    IntentCorrectionRow,
    MessageRow,
    ProcessedEventRow,
    utcnow,
)
from bot.store.records import DecisionResult, RecordedMessage, SavedDrafts, StoredDraft

__all__ = ["Store"]

T = TypeVar("T")

#: How many times a transaction PostgreSQL aborted as a deadlock or serialization failure is run.
_ATTEMPTS: Final = 3

_DECIDING: Final[dict[ReviewAction, DraftStatus]] = {
    ReviewAction.SEND: DraftStatus.SENT,
    ReviewAction.EDIT: DraftStatus.EDITED,
    ReviewAction.DISCARD: DraftStatus.DISCARDED,
}
#: Statuses meaning a reply went out to the customer.
_WENT_OUT: Final = (DraftStatus.SENT.value, DraftStatus.EDITED.value)
_PENDING: Final = DraftStatus.PENDING.value
_MAX_PAST_INTENTS: Final = 10

_Insert = postgresql.Insert | sqlite.Insert


class Store:
    """Réplique's database, behind domain-level methods. Create it with ``Store.open(url)``."""

    def __init__(self, engine: Engine, *, shown_url: str) -> None:
        """Wrap an engine already configured by ``Store.open`` (use that instead)."""
        self._engine = engine
        self._shown_url = shown_url
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
        self._write_sessions = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}),
            expire_on_commit=False,
            autoflush=False,
        )
        # An in-memory SQLite database is one shared connection: transactions must take turns.
        self._serial: AbstractContextManager[object] = (
            threading.RLock() if is_sqlite_memory(engine.url) else nullcontext()
        )

    # -- opening and closing ---------------------------------------------------------------------

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` (SQLite or PostgreSQL) and migrate its schema to the latest revision.

        Raises StoreError, without the password, when the database cannot be reached or migrated.
        """
        shown = redact_url(url)
        engine: Engine | None = None
        try:
            parsed = normalise_url(make_url(url))
            engine = create_store_engine(parsed)
            store = cls(engine, shown_url=shown)
            with store._write_sessions() as session, session.begin():
                migrate.upgrade(session.connection())
        except (SQLAlchemyError, CommandError, OSError, ValueError, ImportError) as exc:
            if engine is not None:
                engine.dispose()
            reason = failure_reason(exc, password_of(url))
            # "from None": the chained driver error could carry connection details into a log.
            raise StoreError(t("store.cannot_open", url=shown, reason=reason)) from None
        return store

    def close(self) -> None:
        """Close every pooled connection; the store must not be used afterwards."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self._shown_url!r})"

    # -- customers and messages ------------------------------------------------------------------

    def record_inbound(self, message: InboundMessage) -> RecordedMessage:
        """Store a customer message, creating its customer and conversation on first sight.

        A message whose platform id is already known in the conversation is an edit: its text is
        replaced, ``edited_at`` set, and the result says ``edited=True``.
        """
        now = utcnow()
        received = _aware(message.received_at, "received_at") or now
        text = _storable(message.text)

        def work(session: Session) -> RecordedMessage:
            customers = _insert(session, CustomerRow).values(
                platform=message.platform,
                platform_user_id=message.customer_id,
                display_name=message.customer_name,
                opted_out=False,
                created_at=now,
            )
            customer_pk = _scalar_int(
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
            conversations = _insert(session, ConversationRow).values(
                customer_id=customer_pk,
                platform=message.platform,
                platform_conversation_id=message.conversation_id,
                thread_id=message.thread_id or "",
                created_at=now,
                last_message_at=received,
            )
            newer = conversations.excluded.last_message_at
            conversation_pk = _scalar_int(
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
                message_pk = _scalar_int(
                    session, _insert(session, MessageRow).values(values).returning(MessageRow.id)
                )
                return RecordedMessage(customer_pk, conversation_pk, message_pk, edited=False)
            # INSERT … ON CONFLICT DO NOTHING then UPDATE stays correct when two workers receive
            # the same message at once; a SELECT first would let both insert.
            inserted = session.execute(
                _insert(session, MessageRow)
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
            message_pk = _scalar_int(
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

        return self._write(work)

    def record_outbound(
        self,
        conversation_pk: int,
        *,
        text: str,
        platform_message_id: str | None = None,
        at: datetime | None = None,
    ) -> int:
        """Store a reply that went out to the customer; returns its message id.

        Recording the same platform message twice (a retried send) keeps one row.
        """
        sent_at = _aware(at, "at") or utcnow()
        body = _storable(text)

        def work(session: Session) -> int:
            _require(session, ConversationRow, conversation_pk, "conversation")
            messages = _insert(session, MessageRow).values(
                conversation_id=conversation_pk,
                direction=OUTBOUND,
                text=body,
                platform_message_id=platform_message_id,
                received_at=sent_at,
            )
            message_pk = _scalar_int(
                session,
                messages.on_conflict_do_update(
                    index_elements=[
                        MessageRow.conversation_id,
                        MessageRow.direction,
                        MessageRow.platform_message_id,
                    ],
                    set_={"text": messages.excluded.text},
                ).returning(MessageRow.id),
            )
            _touch_conversation(session, conversation_pk, sent_at)
            return message_pk

        return self._write(work)

    def profile(
        self, customer_pk: int, *, conversation_pk: int | None = None, history: int = 5
    ) -> CustomerProfile:
        """What the drafter should know of a customer, and of the conversation being answered.

        ``earlier_messages`` are the last ``history`` customer messages of the conversation before
        the newest one, oldest first; ``greeted`` is True once a reply went out in it.
        """
        if history < 0:
            raise ValueError(f"history must be 0 or more, not {history}")

        def work(session: Session) -> CustomerProfile:
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
                .limit(_MAX_PAST_INTENTS)
            ).scalars()
            greeted = False
            earlier: tuple[str, ...] = ()
            if conversation_pk is not None:
                greeted = bool(
                    session.execute(
                        select(
                            exists().where(
                                DraftRow.conversation_id == conversation_pk,
                                DraftRow.status.in_(_WENT_OUT),
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
            return CustomerProfile(
                customer_id=customer.platform_user_id,
                name=customer.display_name,
                language=customer.language,
                opted_out=customer.opted_out,
                last_offer_at=customer.last_offer_at,
                past_intents=tuple(intents),
                greeted=greeted,
                earlier_messages=earlier,
            )

        return self._read(work)

    def set_language(self, customer_pk: int, language: str) -> None:
        """Remember the language to answer this customer in."""
        self._update_customer(customer_pk, language=language)

    def set_opt_out(self, customer_pk: int, *, opted_out: bool, at: datetime | None = None) -> None:
        """Record that the customer refuses (or accepts again) offers and follow-ups."""
        when = (_aware(at, "at") or utcnow()) if opted_out else None
        self._update_customer(customer_pk, opted_out=opted_out, opted_out_at=when)

    def record_offer(self, customer_pk: int, *, at: datetime) -> None:
        """Record that an offer reached the customer (offers have a cool-down)."""
        self._update_customer(customer_pk, last_offer_at=_aware(at, "at"))

    # -- analyses and drafts ---------------------------------------------------------------------

    def save_analysis(self, message_pk: int, analysis: Analysis) -> None:
        """Store what the analyser understood of a message, replacing an earlier analysis."""
        row = {
            "message_id": message_pk,
            "language": analysis.language,
            "intent": analysis.intent.name,
            "intent_confidence": analysis.intent.confidence,
            "sentiment": analysis.sentiment,
            "sentiment_confidence": analysis.sentiment_confidence,
            "payload": asdict(analysis),
            "created_at": utcnow(),
        }

        def work(session: Session) -> None:
            _require(session, MessageRow, message_pk, "message")
            analyses = _insert(session, AnalysisRow).values(row)
            session.execute(
                analyses.on_conflict_do_update(
                    index_elements=[AnalysisRow.message_id],
                    set_={k: v for k, v in row.items() if k != "message_id"},
                )
            )

        self._write(work)

    def save_drafts(
        self, *, conversation_pk: int, message_pk: int, drafts: Sequence[Draft]
    ) -> SavedDrafts:
        """Store new pending drafts answering ``message_pk``; older pending ones are superseded."""
        now = utcnow()

        def work(session: Session) -> SavedDrafts:
            owner = session.execute(
                select(MessageRow.conversation_id).where(MessageRow.id == message_pk)
            ).scalar_one_or_none()
            if owner is None:
                raise LookupError(f"No message {message_pk}: record it before drafting replies.")
            if owner != conversation_pk:
                raise ValueError(
                    f"Message {message_pk} belongs to conversation {owner}, not {conversation_pk}."
                )
            _lock(session, ConversationRow, conversation_pk)
            superseded = session.execute(
                update(DraftRow)
                .where(DraftRow.conversation_id == conversation_pk, DraftRow.status == _PENDING)
                .values(
                    status=DraftStatus.SUPERSEDED.value,
                    version=DraftRow.version + 1,
                    decided_at=now,
                )
                .returning(DraftRow.id)
                .execution_options(synchronize_session=False)
            ).scalars()
            superseded_ids = tuple(sorted(int(pk) for pk in superseded))
            rows = [
                DraftRow(
                    conversation_id=conversation_pk,
                    message_id=message_pk,
                    rank=draft.rank,
                    text=_storable(draft.text),
                    template=draft.template,
                    promotional=draft.promotional,
                    why=_storable(draft.why),
                    language=draft.language,
                    status=_PENDING,
                    version=1,
                    created_at=now,
                )
                for draft in drafts
            ]
            session.add_all(rows)
            session.flush()
            return SavedDrafts(tuple(row.id for row in rows), superseded_ids)

        return self._write(work)

    def pending_drafts(self, conversation_pk: int) -> list[StoredDraft]:
        """The drafts of a conversation still waiting for a reviewer, best rank first."""

        def work(session: Session) -> list[StoredDraft]:
            rows = session.execute(
                _draft_query()
                .where(DraftRow.conversation_id == conversation_pk, DraftRow.status == _PENDING)
                .order_by(DraftRow.message_id.desc(), DraftRow.rank, DraftRow.id)
            ).all()
            return [_stored_draft(draft, customer_pk) for draft, customer_pk in rows]

        return self._read(work)

    def get_draft(self, draft_id: int) -> StoredDraft | None:
        """One draft with its review state, or None."""
        return self._read(partial(_load_draft, draft_id=draft_id))

    def decide(
        self,
        draft_id: int,
        *,
        action: ReviewAction,
        reviewer: str,
        edited_text: str | None = None,
        intent_correction: str | None = None,
        at: datetime | None = None,
    ) -> DecisionResult:
        """Apply a reviewer's decision to a pending draft, once: the first decision wins.

        SEND sends the draft as is, EDIT sends ``edited_text`` instead, DISCARD drops it. Sending
        one draft supersedes its pending siblings (the other drafts for the same message), and
        sending a promotional draft records the offer on the customer, in the same transaction.
        A draft that is no longer pending is left alone: ``applied`` is False and ``reason`` says
        who decided it first.
        """
        status = _DECIDING.get(action)
        if status is None:
            raise ValueError(
                f"{action.value!r} does not decide a draft: use send, edit or discard."
            )
        if action is ReviewAction.EDIT and not (edited_text and edited_text.strip()):
            raise ValueError("An edit needs the edited text that goes out instead of the draft.")
        when = _aware(at, "at") or utcnow()
        final = _storable(edited_text) if edited_text is not None else None

        def work(session: Session) -> DecisionResult:
            head = session.execute(
                select(
                    DraftRow.message_id,
                    DraftRow.conversation_id,
                    DraftRow.text,
                    DraftRow.promotional,
                    ConversationRow.customer_id,
                )
                .join(ConversationRow, DraftRow.conversation_id == ConversationRow.id)
                .where(DraftRow.id == draft_id)
            ).one_or_none()
            if head is None:
                return DecisionResult(applied=False, draft=None, reason="no such draft")
            # Serialises decisions within a conversation: two reviewers sending two different
            # drafts of one message must not both go out. The status check below is the
            # compare-and-set that makes a single draft decided once.
            _lock(session, CustomerRow, head.customer_id)
            _lock(session, ConversationRow, head.conversation_id)
            sent_text = {
                DraftStatus.SENT: head.text,
                DraftStatus.EDITED: final,
                DraftStatus.DISCARDED: None,
            }[status]
            won = session.execute(
                update(DraftRow)
                .where(DraftRow.id == draft_id, DraftRow.status == _PENDING)
                .values(
                    status=status.value,
                    version=DraftRow.version + 1,
                    decided_at=when,
                    final_text=sent_text,
                )
                .returning(DraftRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            if won is None:
                current = _load_draft(session, draft_id=draft_id)
                return DecisionResult(
                    applied=False, draft=current, reason=_why_not(session, current)
                )
            session.add(
                DecisionRow(
                    draft_id=draft_id,
                    action=action.value,
                    reviewer=reviewer,
                    edited_text=final,
                    intent_correction=intent_correction,
                    decided_at=when,
                )
            )
            if status.value in _WENT_OUT:
                session.execute(
                    update(DraftRow)
                    .where(
                        DraftRow.message_id == head.message_id,
                        DraftRow.status == _PENDING,
                        DraftRow.id != draft_id,
                    )
                    .values(
                        status=DraftStatus.SUPERSEDED.value,
                        version=DraftRow.version + 1,
                        decided_at=when,
                    )
                    .execution_options(synchronize_session=False)
                )
                if head.promotional:
                    session.execute(
                        update(CustomerRow)
                        .where(CustomerRow.id == head.customer_id)
                        .values(last_offer_at=when)
                        .execution_options(synchronize_session=False)
                    )
            session.flush()
            return DecisionResult(applied=True, draft=_load_draft(session, draft_id=draft_id))

        return self._write(work)

    def expire_pending(self, older_than: datetime) -> int:
        """Expire the drafts still pending that were created before ``older_than``; returns how
        many."""
        cutoff = _aware(older_than, "older_than")
        now = utcnow()

        def work(session: Session) -> int:
            expired = session.execute(
                update(DraftRow)
                .where(DraftRow.status == _PENDING, DraftRow.created_at < cutoff)
                .values(
                    status=DraftStatus.EXPIRED.value,
                    version=DraftRow.version + 1,
                    decided_at=now,
                )
                .returning(DraftRow.id)
                .execution_options(synchronize_session=False)
            ).all()
            return len(expired)

        return self._write(work)

    # -- events and training data ----------------------------------------------------------------

    def mark_event_processed(self, platform: str, event_id: str) -> bool:
        """Claim a platform event: True the first time, False when any process claimed it before."""

        def work(session: Session) -> bool:
            claimed = session.execute(
                _insert(session, ProcessedEventRow)
                .values(platform=platform, event_id=event_id, processed_at=utcnow())
                .on_conflict_do_nothing(
                    index_elements=[ProcessedEventRow.platform, ProcessedEventRow.event_id]
                )
                .returning(ProcessedEventRow.event_id)
            ).scalar_one_or_none()
            return claimed is not None

        return self._write(work)

    def record_intent_correction(
        self, message_pk: int, *, predicted: str, corrected: str, reviewer: str
    ) -> int:
        """Keep a reviewer's fix of a predicted intent for the next training run; returns its id."""

        def work(session: Session) -> int:
            _require(session, MessageRow, message_pk, "message")
            row = IntentCorrectionRow(
                message_id=message_pk,
                predicted=predicted,
                corrected=corrected,
                reviewer=reviewer,
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)

    # -- plumbing --------------------------------------------------------------------------------

    def _update_customer(self, customer_pk: int, **values: Any) -> None:
        """Set columns of one customer, or raise LookupError when there is no such customer."""

        def work(session: Session) -> None:
            found = session.execute(
                update(CustomerRow)
                .where(CustomerRow.id == customer_pk)
                .values(**values)
                .returning(CustomerRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            if found is None:
                raise LookupError(f"No customer {customer_pk}: record one of its messages first.")

        self._write(work)

    def _read(self, work: Callable[[Session], T]) -> T:
        return self._run(work, sessions=self._sessions)

    def _write(self, work: Callable[[Session], T]) -> T:
        return self._run(work, sessions=self._write_sessions)

    def _run(self, work: Callable[[Session], T], *, sessions: sessionmaker[Session]) -> T:
        """Run ``work`` in one transaction; retry deadlocks; a lost database becomes StoreError."""
        attempt = 1
        while True:
            try:
                with self._serial, sessions() as session, session.begin():
                    return work(session)
            except DBAPIError as exc:
                if attempt < _ATTEMPTS and is_transient(exc):
                    attempt += 1
                    continue
                if isinstance(exc, OperationalError | InterfaceError):
                    raise StoreError(
                        t("store.failed", url=self._shown_url, reason=failure_reason(exc, None))
                    ) from exc
                raise


# -- helpers -------------------------------------------------------------------------------------


def _insert(session: Session, model: type[Any]) -> _Insert:
    """An INSERT that supports ON CONFLICT, in the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def _scalar_int(session: Session, statement: Any) -> int:
    return int(session.execute(statement).scalar_one())


def _lock(session: Session, model: type[CustomerRow] | type[ConversationRow], pk: int) -> None:
    """Lock one row until the transaction ends (PostgreSQL; SQLite's writer lock covers it).

    FOR NO KEY UPDATE, unlike FOR UPDATE, does not block inserts whose foreign key points at it.
    """
    session.execute(select(model.id).where(model.id == pk).with_for_update(key_share=True))


def _require(session: Session, model: type[Any], pk: int, what: str) -> None:
    if session.get(model, pk) is None:
        raise LookupError(f"No {what} {pk} in the store.")


def _touch_conversation(session: Session, conversation_pk: int, at: datetime) -> None:
    """Move ``last_message_at`` forward (never back) to ``at``."""
    session.execute(
        update(ConversationRow)
        .where(ConversationRow.id == conversation_pk, ConversationRow.last_message_at < at)
        .values(last_message_at=at)
        .execution_options(synchronize_session=False)
    )


def _draft_query() -> Select[DraftRow, int]:
    return select(DraftRow, ConversationRow.customer_id).join(
        ConversationRow, DraftRow.conversation_id == ConversationRow.id
    )


def _load_draft(session: Session, *, draft_id: int) -> StoredDraft | None:
    row = session.execute(_draft_query().where(DraftRow.id == draft_id)).one_or_none()
    return None if row is None else _stored_draft(row[0], row[1])


def _stored_draft(row: DraftRow, customer_pk: int) -> StoredDraft:
    return StoredDraft(
        id=row.id,
        conversation_pk=row.conversation_id,
        message_pk=row.message_id,
        customer_pk=customer_pk,
        rank=row.rank,
        text=row.text,
        template=row.template,
        promotional=row.promotional,
        why=row.why,
        language=row.language,
        status=DraftStatus(row.status),
        version=row.version,
        created_at=row.created_at,
        decided_at=row.decided_at,
        final_text=row.final_text,
    )


#: How ``_why_not`` names the status of a draft that was already decided.
_STATUS_KEYS = {
    DraftStatus.PENDING: "store.status_pending",
    DraftStatus.SENT: "store.status_sent",
    DraftStatus.EDITED: "store.status_edited",
    DraftStatus.DISCARDED: "store.status_discarded",
}


def _why_not(session: Session, draft: StoredDraft | None) -> str:
    """Why a decision on ``draft`` was refused, naming who decided it first and when."""
    if draft is None:
        return t("store.no_such_draft")
    when = t("store.at_time", time=_show(draft.decided_at)) if draft.decided_at else ""
    if draft.status is DraftStatus.SUPERSEDED:
        return t("store.superseded", when=when)
    if draft.status is DraftStatus.EXPIRED:
        return t("store.expired", when=when)
    decision = session.execute(
        select(DecisionRow.reviewer, DecisionRow.decided_at)
        .where(DecisionRow.draft_id == draft.id)
        .order_by(DecisionRow.decided_at.desc(), DecisionRow.id.desc())
        .limit(1)
    ).one_or_none()
    status = t(_STATUS_KEYS[draft.status]) if draft.status in _STATUS_KEYS else draft.status.value
    if decision is None:
        return t("store.already", status=status, when=when)
    return t(
        "store.already_by",
        status=status,
        reviewer=decision.reviewer,
        time=_show(decision.decided_at),
    )


def _show(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _aware(moment: datetime | None, name: str) -> datetime | None:
    """``moment`` in UTC; a naive datetime is refused, since its zone would be a guess."""
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (e.g. datetime.now(UTC)), not {moment!r}")
    return moment.astimezone(UTC)


def _storable(text: str) -> str:
    """``text`` as both databases can hold it: PostgreSQL rejects NUL, so it becomes U+FFFD."""
    return text.replace("\x00", "\ufffd")
