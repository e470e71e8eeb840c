"""Values the store hands back: plain frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import Draft, DraftStatus

__all__ = ["DecisionResult", "RecordedMessage", "SavedDrafts", "StoredDraft"]


@dataclass(frozen=True, slots=True)
class RecordedMessage:
    """Where an inbound message landed; ``edited`` when it replaced the text of a known message."""

    customer_pk: int
    conversation_pk: int
    message_pk: int
    edited: bool


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
    why: str
    language: str
    status: DraftStatus
    version: int
    created_at: datetime
    decided_at: datetime | None
    final_text: str | None

    def as_draft(self) -> Draft:
        """The domain ``Draft`` this row was saved from."""
        return Draft(
            text=self.text,
            template=self.template,
            promotional=self.promotional,
            why=self.why,
            rank=self.rank,
            language=self.language,
        )


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """Outcome of a review decision: ``applied`` only for the first decision on a pending draft.

    ``draft`` is the draft as it is after the attempt (None when it does not exist); ``reason``
    says why nothing was applied, e.g. "already sent by slack:U1 at 2024-05-01 14:02 UTC".
    """

    applied: bool
    draft: StoredDraft | None
    reason: str | None = None
