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
    "ORDER_STATUSES",
    "SENTIMENTS",
    "Analysis",
    "CustomerProfile",
    "Draft",
    "DraftStatus",
    "Entity",
    "Facts",
    "FactsProblem",
    "Formality",
    "HandoffCode",
    "HandoffReason",
    "HeldOffer",
    "History",
    "InboundMessage",
    "IntentScore",
    "Language",
    "Order",
    "OrderItem",
    "OrderStatus",
    "PastContact",
    "Platform",
    "Refusal",
    "ReviewAction",
    "Sentiment",
    "TrackRecord",
    "Why",
]

Platform = Literal["telegram", "slack", "web", "cli"]
#: Why a person must take over a message (worded for people by ``bot/wording.py``).
HandoffCode = Literal["unsure", "no_intent", "other_language", "nothing_to_read"]
Language = Literal["fr", "en", "other"]
Sentiment = Literal["negative", "neutral", "positive"]
Formality = Literal["tu", "vous"]

SENTIMENTS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")
OrderStatus = Literal[
    "placed",
    "paid",
    "shipped",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "delayed",
    "cancelled",
    "refunded",
]
#: Every status an order can have, in the order an order goes through them.
ORDER_STATUSES: tuple[OrderStatus, ...] = (
    "placed",
    "paid",
    "shipped",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "delayed",
    "cancelled",
    "refunded",
)
#: Why a message has no order facts: nothing to look up by, the order system knows no such
#: order, the e-mail the customer gave is not the order's (or none was given where one must be),
#: the order system failed or took longer than the budget, or it failed so often it is rested.
FactsProblem = Literal[
    "no_reference",
    "not_found",
    "email_mismatch",
    "email_needed",
    "unreachable",
    "timeout",
    "circuit_open",
]

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
class HandoffReason:
    """Why a person must take over: the model was unsure (of ``intent``, at ``confidence``, below
    ``threshold``), found no intent it knows, the language is not one the brand answers in, or
    there was nothing to read (an emoji, a sticker)."""

    code: HandoffCode
    intent: str | None = None
    confidence: float | None = None
    threshold: float | None = None


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
    #: Why a person must take over (low confidence, unknown language, nothing to read); None
    #: when Réplique can draft on its own.
    handoff_reason: HandoffReason | None = None
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
    #: The customer's earlier messages in any conversation, newest first (a few weeks' worth).
    contacts: tuple[PastContact, ...] = ()
    #: The last e-mail address the customer gave in an earlier message.
    known_email: str | None = None


@dataclass(frozen=True, slots=True)
class PastContact:
    """An earlier message of the customer: when, and what it was about (None: not analysed)."""

    at: datetime
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class OrderItem:
    name: str
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class Order:
    """One order as the brand's order system describes it; ``eta`` is an ISO date in the brand's
    time zone; ``email``, ``first_name`` and ``orders_count`` are the ordering customer's."""

    number: str
    status: OrderStatus
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    eta: str | None = None
    items: tuple[OrderItem, ...] = ()
    email: str | None = None
    first_name: str | None = None
    orders_count: int | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """What the order system said for one message: ``order`` only when it may be described
    (found, and the e-mail rule satisfied); ``problem`` says why there is none."""

    source: str
    found: bool
    #: How long the lookup took: a measure, not a fact (two equal lookups are equal facts).
    ms: float = field(compare=False)
    order: Order | None = None
    problem: FactsProblem | None = None
    #: The order number or e-mail asked about ("48213"), for the card of a failed lookup.
    asked: str | None = None


@dataclass(frozen=True, slots=True)
class History:
    """The customer's history in one line of the card: "3rd message this week · last: complaint,
    2 days ago · 7 orders"."""

    #: Messages this week, this one included (1: first this week).
    messages_this_week: int = 1
    first_contact: bool = True
    last_intent: str | None = None
    last_days_ago: int | None = None
    orders_count: int | None = None
    #: Days since a complaint that is still recent enough to refer back to.
    open_complaint_days: int | None = None
    vip: str | None = None


@dataclass(frozen=True, slots=True)
class HeldOffer:
    """An offer the policies held back from a reply: ``policy`` is a stable key
    ("offer.unhappy", "offer.already_sent"…); ``intent`` and ``last_offer_on`` (an ISO date) are
    what the policy looked at, when it says."""

    policy: str
    intent: str | None = None
    last_offer_on: str | None = None


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """What reviewers did with one template's drafts for one intent: sent as they were, edited
    before sending, or discarded."""

    sent: int = 0
    edited: int = 0
    discarded: int = 0

    @property
    def decided(self) -> int:
        return self.sent + self.edited + self.discarded


@dataclass(frozen=True, slots=True)
class Why:
    """Why a draft says what it says, as values: what was understood, which of the customer's
    details it uses, what the policies held back. ``bot/wording.py`` turns it into the reviewer's
    one-line "why", in the reviewer's language."""

    intent: str
    confidence: float
    sentiment: str
    #: The model's own top intent when low confidence handed the message to ``other``.
    model_intent: str | None = None
    #: Details the draft uses: "first_name", "order_number", "product"…
    uses: tuple[str, ...] = ()
    formality: str | None = None
    promotional: bool = False
    held_offer: HeldOffer | None = None
    urgent: bool = False
    #: The order facts the draft states ("status", "eta"…), from ``order_facts``.
    facts: tuple[str, ...] = ()
    #: What the order system said for the message (None: no order system configured).
    order_facts: Facts | None = None
    #: The customer's history, for the card's history line.
    history: History | None = None
    #: The sentence stored by a version of Réplique that kept the "why" as text.
    legacy_text: str | None = None
    #: What reviewers did with this template for this intent so far (``bot/drafting/ranking.py``):
    #: sent as it was, out of ``decided`` decisions (sent, edited or discarded).
    sent_as_is: int = 0
    decided: int = 0
    #: Ranked first while still new (few decisions): the ranking tries it now and then.
    trial: bool = False
    #: The draft is a reply approved before for a similar message (its day, ISO), adapted to
    #: this customer.
    earlier_on: str | None = None
    #: Near-identical texts that went to this many other customers in the last
    #: ``blast_hours`` hours; ``blast_over_cap`` when that is above ``review.blast_cap`` (a send
    #: then needs a second confirmation).
    blast: int = 0
    blast_hours: float = 0.0
    blast_over_cap: bool = False
    #: How many facts about this customer the draft's text uses (name, order, product…).
    personal: int = 0


@dataclass(frozen=True, slots=True)
class Draft:
    """One candidate reply, ranked, with the reasons a reviewer needs to trust it."""

    text: str
    template: str
    promotional: bool
    why: Why
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


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a decision on a draft was not applied: the draft is no longer pending (``status``),
    decided by ``by`` ("slack:U123") at ``at`` when a reviewer decided it; ``status`` None: there
    is no such draft."""

    status: DraftStatus | None
    by: str | None = None
    at: datetime | None = None
