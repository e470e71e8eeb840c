"""The seams the review core needs, owned by the core: where customers are answered, where
reviewers decide.

A channel adapter (Telegram, Slack, the web playground, the terminal console) plays one or both
parts, each a small ``Protocol`` so that a fake needs no inheritance (``bot/review/fakes.py``
ships two):

- ``CustomerChannel``: sends an approved reply back to a customer (called by the outbox sender);
- ``ReviewSurface``: posts a review card to the team's desk and edits it after a decision.

``Desk`` is the other direction: what an adapter may ask of the review desk
(``bot.review.desk.ReviewDesk``), so an adapter's own tests can drive it with a small fake.

Adapters import this module, never the reverse: what comes in becomes an ``InboundMessage``
(handed to ``ReviewDesk.receive``) or a ``ReviewerAction`` (``ReviewDesk.act``); what goes out is
plain text or a ``ReviewCard`` that each surface renders and escapes for its own markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.domain import InboundMessage, Platform
from bot.review.cards import (
    ActionOutcome,
    CardRef,
    ReceiveOutcome,
    RecordedAction,
    ReviewCard,
    ReviewerAction,
)

__all__ = ["CustomerChannel", "DeliveryFailed", "Desk", "ReplyAddress", "ReviewSurface"]


@dataclass(frozen=True, slots=True)
class ReplyAddress:
    """Where an approved reply goes: the customer's conversation as the adapter reported it."""

    platform: Platform
    #: ``InboundMessage.conversation_id`` as the adapter built it (it may carry the chat and the
    #: customer, e.g. "-100123:42" for one customer in a Telegram group).
    conversation_id: str
    customer_id: str
    thread_id: str | None = None
    #: The platform id of the customer message being answered, to reply in place where possible.
    reply_to_message_id: str | None = None


class DeliveryFailed(Exception):
    """A platform refused or failed to take a message.

    ``retry_after`` (seconds) is the platform's own answer to a 429; ``permanent`` means retrying
    cannot help (chat not found, bot blocked by the customer, invalid token): the outbox gives up
    at once and records ``reason`` (the platform's own words, kept for the operator).
    """

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


@runtime_checkable
class CustomerChannel(Protocol):
    """Delivers approved replies to customers of one platform."""

    platform: Platform

    async def send_reply(self, address: ReplyAddress, text: str) -> str | None:
        """Send plain ``text`` (the adapter escapes it); returns the platform message id.

        Raises ``DeliveryFailed`` when the platform did not take it; any other exception is
        treated as a network failure and retried.
        """
        ...

    def pacing_key(self, address: ReplyAddress) -> str:
        """The chat the platform rate-limits a reply to ``address`` under (Slack: the channel,
        Telegram: the chat), which may hold many customers' conversations."""
        ...


@runtime_checkable
class ReviewSurface(Protocol):
    """A review desk on one platform: a Slack channel, a Telegram agents group, a page."""

    platform: Platform

    async def post_card(self, card: ReviewCard) -> CardRef:
        """Post a new card; raises ``DeliveryFailed`` when the platform did not take it."""
        ...

    async def update_card(self, ref: CardRef, card: ReviewCard) -> None:
        """Show ``card`` in place of what ``ref`` shows (decided cards lose their buttons)."""
        ...


class Desk(Protocol):
    """What channel adapters ask of the review desk. Store first (``accept``, ``record``),
    acknowledge the platform, then act (``apply``): nothing acknowledged is ever lost."""

    def is_reviewer(self, platform: Platform | str, user_id: str) -> bool:
        """True when ``user_id`` may act on drafts from ``platform``."""
        ...

    async def accept(self, message: InboundMessage, *, event_id: str | None = None) -> int | None:
        """Store a customer message for drafting (None: ``event_id`` was stored before)."""
        ...

    async def receive(
        self, message: InboundMessage, *, event_id: str | None = None
    ) -> ReceiveOutcome:
        """``accept``, then wait for the message's card."""
        ...

    async def record(
        self, action: ReviewerAction, *, event_id: str | None = None
    ) -> RecordedAction | None:
        """Store a reviewer action, held by this process (None: ``event_id`` seen before)."""
        ...

    async def apply(self, recorded: RecordedAction) -> ActionOutcome:
        """Apply a stored action now, once."""
        ...

    async def act(self, action: ReviewerAction, *, event_id: str | None = None) -> ActionOutcome:
        """``record`` then ``apply``."""
        ...

    async def card_for_draft(self, draft_id: int) -> ReviewCard | None:
        """The card showing ``draft_id``'s message now, or None."""
        ...

    async def card_at(self, ref: CardRef, *, kind: str = "card") -> ReviewCard | None:
        """The card posted at ``ref`` (or the card an edit prompt at ``ref`` asks about)."""
        ...

    async def add_edit_prompt(
        self, card_id: int, prompt: CardRef, *, shown_draft_id: int | None = None
    ) -> None:
        """Remember that ``prompt`` asks for the edited text of ``card_id`` as it showed
        ``shown_draft_id``."""
        ...
