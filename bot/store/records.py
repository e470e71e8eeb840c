"""Values the store hands back: plain frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import Analysis, DraftStatus, Refusal, Why

__all__ = [
    "CardPost",
    "CardView",
    "DecisionResult",
    "OutboxItem",
    "RecordedMessage",
    "SavedDrafts",
    "StoredDraft",
]


@dataclass(frozen=True, slots=True)
class RecordedMessage:
    """Where an inbound message landed; ``edited`` when it replaced the text of a known message,
    ``repeated`` when that message was stored before with the same text (work done again)."""

    customer_pk: int
    conversation_pk: int
    message_pk: int
    edited: bool
    repeated: bool = False


@dataclass(frozen=True, slots=True)
class SavedDrafts:
    """The new pending drafts, and the drafts of the conversation they replaced."""

    draft_ids: tuple[int, ...]
    superseded_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StoredDraft:
    """A draft as stored, with its review state; ``version`` grows on every status change."""

    id: int
    conversation_pk: int
    message_pk: int
    customer_pk: int
    rank: int
    text: str
    template: str
    promotional: bool
    why: Why
    language: str
    status: DraftStatus
    version: int
    created_at: datetime
    decided_at: datetime | None
    final_text: str | None
    offer_blocked: str | None = None


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """Outcome of a review decision: ``applied`` only for the first decision on a pending draft.

    ``draft`` is the draft as it is after the attempt (None when it does not exist);
    ``refusal`` says why nothing was applied (sent by slack:U1 at 14:02, superseded…).
    """

    applied: bool
    draft: StoredDraft | None
    refusal: Refusal | None = None
    #: The outbox row of the reply the decision queued (send and edit only).
    outbox_id: int | None = None


@dataclass(frozen=True, slots=True)
class CardPost:
    """Where a review card was posted: the desk's platform, chat and platform message id."""

    desk: str
    chat_id: str
    message_id: str
    #: The draft that message shows (None: not known, posted before it was recorded).
    shown_draft_id: int | None = None


@dataclass(frozen=True, slots=True)
class CardView:
    """What a review card shows, read in one transaction (the desk turns it into a card)."""

    card_id: int
    draft: StoredDraft
    message_pk: int
    message_text: str
    attachment_kind: str | None
    received_at: datetime
    customer_name: str
    customer_platform: str
    analysis: Analysis
    #: The ranked drafts made together with the shown one (the card's versions), best first.
    siblings: tuple[StoredDraft, ...]
    decided_action: str | None
    decided_by: str | None
    decided_at: datetime | None

    @property
    def sibling_ids(self) -> tuple[int, ...]:
        return tuple(s.id for s in self.siblings)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """An approved reply in the outbox, with where it goes."""

    id: int
    draft_id: int
    platform: str
    conversation_id: str
    customer_id: str
    thread_id: str | None
    reply_to_message_id: str | None
    text: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    platform_message_id: str | None
