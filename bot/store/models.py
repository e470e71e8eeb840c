"""Tables of the store, as SQLAlchemy typed declarative models.

These classes never leave ``bot.store``: the ``Store`` methods turn rows into domain values. The
initial Alembic migration creates exactly this schema, and a test compares the two so they cannot
drift apart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.domain import DraftStatus, ReviewAction

__all__ = [
    "INBOUND",
    "NAMING_CONVENTION",
    "OUTBOUND",
    "OUTBOX_STATUSES",
    "POST_KINDS",
    "WORK_LANES",
    "WORK_STATUSES",
    "AnalysisRow",
    "AuditRow",
    "Base",
    "CardPostRow",
    "ConversationRow",
    "CustomerRow",
    "DecisionRow",
    "DraftRow",
    "IntentCorrectionRow",
    "LeaseRow",
    "MessageRow",
    "ModelPromotionRow",
    "OutboxRow",
    "ProcessedEventRow",
    "ReviewCardRow",
    "UTCDateTime",
    "WorkItemRow",
    "utcnow",
]

#: Deterministic constraint names, so later migrations can drop or alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

INBOUND = "inbound"
OUTBOUND = "outbound"

#: An outbox row waits (``pending``), is being sent by one worker (``sending``, until its lease
#: ends), went out (``delivered``) or cannot go out (``failed``: the platform refused for good).
OUTBOX_STATUSES = ("pending", "sending", "delivered", "failed")
#: Work waits (``pending``), is being done by one process (``claimed``, until its lease ends),
#: is done, or failed for good.
WORK_STATUSES = ("pending", "claimed", "done", "failed")
#: The work lanes: customer messages to draft, reviewer actions to apply. Separate lanes, so a
#: flood of messages never holds a click back.
WORK_LANES = ("inbound", "action")
#: What a card post is: the card itself, or the prompt that asks a reviewer for an edit.
POST_KINDS = ("card", "edit_prompt")


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (the only kind the store accepts)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns aware UTC datetimes.

    SQLite has no time zones and PostgreSQL returns ``timestamptz`` in the session's zone; this
    type hides both differences. Naive datetimes are refused because their zone is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime (e.g. in UTC)")
        value = value.astimezone(UTC)
        # SQLite stores text: dropping the (always UTC) offset keeps one sortable format.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base whose metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012 - SQLAlchemy reads it as a class attribute
        datetime: UTCDateTime(),
        str: String(),
    }


def _one_of(column: str, values: list[str]) -> str:
    """A CHECK expression that keeps ``column`` within ``values``."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class CustomerRow(Base):
    """A person who writes to the brand, once per platform account."""

    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str]
    platform_user_id: Mapped[str]
    display_name: Mapped[str | None]
    language: Mapped[str | None]
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None]
    last_offer_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationRow(Base):
    """A chat, channel or thread in which a customer writes; ``thread_id`` is "" for no thread."""

    __tablename__ = "conversations"
    # thread_id is "" rather than NULL because NULLs never collide in a unique constraint.
    __table_args__ = (UniqueConstraint("platform", "platform_conversation_id", "thread_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    platform: Mapped[str]
    platform_conversation_id: Mapped[str]
    thread_id: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageRow(Base):
    """A message of a conversation: from the customer (inbound) or a reply that went out."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "direction", "platform_message_id"),
        CheckConstraint(_one_of("direction", [INBOUND, OUTBOUND]), name="direction"),
        Index("ix_messages_conversation_received", "conversation_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    direction: Mapped[str]
    text: Mapped[str] = mapped_column(Text)
    platform_message_id: Mapped[str | None]
    attachment_kind: Mapped[str | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]


class AnalysisRow(Base):
    """What the analyser understood of one message; ``payload`` is the whole ``Analysis``."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    language: Mapped[str]
    intent: Mapped[str]
    intent_confidence: Mapped[float] = mapped_column(Float)
    sentiment: Mapped[str]
    sentiment_confidence: Mapped[float] = mapped_column(Float)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DraftRow(Base):
    """A candidate reply awaiting or past review; ``version`` grows on every status change."""

    __tablename__ = "drafts"
    __table_args__ = (
        CheckConstraint(_one_of("status", [s.value for s in DraftStatus]), name="status"),
        Index("ix_drafts_conversation_status", "conversation_id", "status"),
        Index("ix_drafts_message_status", "message_id", "status"),
        Index("ix_drafts_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    rank: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    template: Mapped[str]
    promotional: Mapped[bool] = mapped_column(Boolean)
    #: The "why" as a sentence, kept only for drafts stored before ``reasons`` existed.
    why: Mapped[str] = mapped_column(Text)
    #: The draft's ``Why`` (what was understood, used and held back), as JSON.
    reasons: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    language: Mapped[str]
    status: Mapped[str] = mapped_column(default=DraftStatus.PENDING.value)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    final_text: Mapped[str | None] = mapped_column(Text)
    #: The offer policy that held an offer back (a message key such as "offer.unhappy").
    offer_blocked: Mapped[str | None]


class DecisionRow(Base):
    """The one review decision that changed a draft's status (losers of a race leave no row)."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(_one_of("action", [a.value for a in ReviewAction]), name="action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    action: Mapped[str]
    reviewer: Mapped[str]
    edited_text: Mapped[str | None] = mapped_column(Text)
    intent_correction: Mapped[str | None]
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedEventRow(Base):
    """A platform event already handled, so a redelivered webhook is ignored."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


class IntentCorrectionRow(Base):
    """A reviewer's fix of a predicted intent: training data for the next model."""

    __tablename__ = "intent_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    predicted: Mapped[str]
    corrected: Mapped[str]
    reviewer: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewCardRow(Base):
    """A review card of one customer message: which of its drafts the card shows now.

    A message has one card until a reviewer decides it; a customer who then edits the message
    gets a new card (the decided one is never reopened): the newest card is the message's."""

    __tablename__ = "review_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CardPostRow(Base):
    """Where a card was posted: one row per review desk (Slack channel, Telegram group, web)."""

    __tablename__ = "card_posts"
    __table_args__ = (UniqueConstraint("desk", "chat_id", "platform_message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("review_cards.id"), index=True)
    desk: Mapped[str]
    chat_id: Mapped[str]
    platform_message_id: Mapped[str]
    #: "card", or "edit_prompt": a message asking a reviewer for the edited text of the card
    #: (a reply to it is the edit, whichever replica receives it).
    kind: Mapped[str] = mapped_column(default="card", server_default="card")
    #: The draft this platform message shows (set when posted, and after each update that
    #: succeeded): a reaction on it acts on that draft, or is refused once the card moved on.
    shown_draft_id: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxRow(Base):
    """An approved reply, stored before it is sent; one per approved draft, so it goes out once."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(_one_of("status", list(OUTBOX_STATUSES)), name="status"),
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), unique=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    text: Mapped[str] = mapped_column(Text)
    reply_to_message_id: Mapped[str | None]
    status: Mapped[str] = mapped_column(default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    platform_message_id: Mapped[str | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    #: The sender holding the row while ``sending``: it checks, just before sending, that the
    #: lease is still its own (a long wait for the platform's pace must not send twice).
    claimed_by: Mapped[str | None]


class WorkItemRow(Base):
    """A unit of work, stored before the platform is told "received": a customer message to
    draft, or a reviewer action to apply. Any process may do it; one does."""

    __tablename__ = "work_items"
    __table_args__ = (
        CheckConstraint(_one_of("status", list(WORK_STATUSES)), name="status"),
        CheckConstraint(_one_of("lane", list(WORK_LANES)), name="lane"),
        Index("ix_work_items_lane_status_not_before", "lane", "status", "not_before"),
        Index("ix_work_items_conversation", "conversation_key", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    lane: Mapped[str]
    platform: Mapped[str]
    #: The platform's id of the event (Telegram update_id, Slack event_id), when it has one.
    event_id: Mapped[str | None]
    #: Work of one conversation is done one item at a time, oldest first (None: no order).
    conversation_key: Mapped[str | None]
    #: The domain value to act on (an ``InboundMessage`` or a ``ReviewerAction``), as JSON.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class LeaseRow(Base):
    """A named role one process holds at a time (the leader that polls Telegram and sweeps), on
    a database without advisory locks (SQLite)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(primary_key=True)
    holder: Mapped[str]
    until: Mapped[datetime]


class AuditRow(Base):
    """One reviewer action, accepted or refused, or one privacy operation: who, what, when.

    Never customer text: an edit's words, a message or a name stay in their own tables, so the
    audit trail can outlive them. ``card_id`` is a plain number, not a foreign key: the card may
    be erased later (``replique forget``) while the entry that someone acted on it remains.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: ``platform:user id`` of who acted (a reviewer, or someone refused), or ``cli:<login>``.
    actor: Mapped[str]
    #: Where it came from: slack, telegram, web, console, cli.
    platform: Mapped[str]
    #: send, edit, variant, discard, fix_intent; forget, retention for privacy operations.
    action: Mapped[str]
    #: applied, refused or not_reviewer.
    outcome: Mapped[str]
    #: Why it was refused (a notice kind such as ``not_pending``), or what a privacy operation
    #: removed (row counts); never customer text.
    reason: Mapped[str | None]
    card_id: Mapped[int | None] = mapped_column(Integer)


class ModelPromotionRow(Base):
    """A model ``replique learn`` promoted for one language: the newest one not rolled back is
    the one the analyser uses (unless ``replique.yml`` pins ``models:``).

    ``figures`` holds what the promotion was decided on (old and new model, on the shipped
    evaluation set and on the held-out corrections): never customer text.
    """

    __tablename__ = "model_promotions"
    __table_args__ = (
        Index("ix_model_promotions_language_promoted", "language", "component", "promoted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    language: Mapped[str]
    component: Mapped[str] = mapped_column(default="intent")
    #: The model's folder name (``var/models/<lang>/intent/<model_id>/``).
    model_id: Mapped[str]
    path: Mapped[str] = mapped_column(Text)
    corrections: Mapped[int] = mapped_column(Integer)
    confirmed: Mapped[int] = mapped_column(Integer)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    promoted_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Set by ``replique learn --rollback``: the model before this one is used again.
    rolled_back_at: Mapped[datetime | None]
