"""Platform-neutral values that flow through Réplique.

Channel adapters translate platform events into these types at the edge; the analyser, the drafter,
the review desk and the store speak only these. They are frozen and slotted: a change of state goes
through the store's compare-and-set transitions, never through mutation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

__all__ = [
    "DEFAULT_INTENTS",
    "HANDOFF_INTENT",
    "SENTIMENTS",
    "Analysis",
    "CustomerProfile",
    "Draft",
    "DraftStatus",
    "Entity",
    "Formality",
    "InboundMessage",
    "IntentScore",
    "Language",
    "Platform",
    "ReviewAction",
    "Sentiment",
]

Platform = Literal["telegram", "slack", "web", "cli"]
Language = Literal["fr", "en", "other"]
Sentiment = Literal["negative", "neutral", "positive"]
Formality = Literal["tu", "vous"]

SENTIMENTS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")

#: The intent of messages a person must take over; low confidence falls back to it.
HANDOFF_INTENT = "other"

#: The intents every language ships training data, templates and evaluation data for.
DEFAULT_INTENTS: tuple[str, ...] = (
    "greeting",
    "thanks",
    "question",
    "pricing",
    "purchase_intent",
    "order_status",
    "return_refund",
    "complaint",
    "technical_support",
    "account_billing",
    "cancellation",
    "opt_out",
    "human_agent",
    "store_hours",
    "other",
)


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One customer message, as every channel adapter normalises it."""

    platform: Platform
    #: One customer's conversation with the brand. The store credits a conversation to one
    #: customer (greetings, pending drafts, offers), so where several customers share a chat
    #: (a Telegram group, an unthreaded Slack channel) the adapter keys it per customer, e.g.
    #: f"{chat_id}:{user_id}"; a private chat or a thread is one conversation as it is.
    conversation_id: str
    customer_id: str
    text: str
    customer_name: str | None = None
    language_hint: str | None = None
    thread_id: str | None = None
    platform_message_id: str | None = None
    received_at: datetime | None = None
    #: What arrived when it was not text (photo, sticker, voice…); the text is then a caption or "".
    attachment_kind: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A detail the customer mentioned; ``value`` is its normal form (ISO date, E.164 phone…)."""

    label: str
    text: str
    start_char: int
    end_char: int
    value: str | None = None


@dataclass(frozen=True, slots=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the analyser understood of one message, always with confidences."""

    language: Language
    language_confidence: float
    intent: IntentScore
    alternatives: tuple[IntentScore, ...]
    sentiment: Sentiment
    sentiment_confidence: float
    entities: tuple[Entity, ...] = ()
    formality: Formality | None = None
    is_question: bool = False
    is_urgent: bool = False
    #: Why a person must take over (low confidence, unknown language, nothing to read), in plain
    #: words for the reviewer; None when Réplique can draft on its own.
    handoff_reason: str | None = None
    #: The model's own top intent when low confidence turned it into ``other``.
    predicted_intent: IntentScore | None = None

    @property
    def handoff(self) -> bool:
        """True when a person must take over; ``handoff_reason`` says why."""
        return self.handoff_reason is not None

    def first(self, label: str) -> Entity | None:
        """The first entity with ``label``, or None."""
        return next((e for e in self.entities if e.label == label), None)


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """What Réplique knows of a customer when it drafts for them."""

    customer_id: str
    name: str | None = None
    language: str | None = None
    opted_out: bool = False
    last_offer_at: datetime | None = None
    past_intents: tuple[str, ...] = ()
    #: True once a reply to this conversation has greeted the customer (do not greet twice).
    greeted: bool = False
    #: Earlier customer messages of the same conversation, oldest first.
    earlier_messages: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Draft:
    """One candidate reply, ranked, with the reasons a reviewer needs to trust it."""

    text: str
    template: str
    promotional: bool
    why: str
    rank: int = 1
    language: str = "en"
    #: The offer policy that held an offer back from this reply ("offer.unhappy"), if one did.
    offer_blocked: str | None = None


class DraftStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    EDITED = "edited"
    DISCARDED = "discarded"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"


class ReviewAction(enum.StrEnum):
    SEND = "send"
    EDIT = "edit"
    VARIANT = "variant"
    DISCARD = "discard"
    FIX_INTENT = "fix_intent"
