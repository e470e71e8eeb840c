"""The review desk: from a customer message to a card, from a reviewer's click to a queued reply.

(Skeleton of the interface; the implementation is being written.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.channels.base import CardRef, CustomerChannel, ReviewSurface
from bot.domain import InboundMessage, Platform
from bot.review.cards import ActionOutcome, ReviewCard, ReviewerAction

__all__ = ["ReceiveOutcome", "ReviewDesk"]


@dataclass(frozen=True, slots=True)
class ReceiveOutcome:
    """What came of a customer message: ``duplicate`` when its event id was seen before."""

    duplicate: bool
    card: ReviewCard | None = None
    refs: tuple[CardRef, ...] = field(default=())


class ReviewDesk:
    """Turns customer messages into review cards and reviewer actions into replies, once."""

    def attach_surface(self, surface: ReviewSurface) -> None:
        """Post this surface's cards too (a desk may have several: Slack, Telegram, web)."""
        raise NotImplementedError

    def attach_channel(self, channel: CustomerChannel) -> None:
        """Deliver approved replies to customers of ``channel.platform`` through it."""
        raise NotImplementedError

    def is_reviewer(self, platform: Platform, user_id: str) -> bool:
        """True when ``user_id`` is listed in ``review.reviewers`` for ``platform``."""
        raise NotImplementedError

    async def receive(self, message: InboundMessage, *, event_id: str | None = None) -> ReceiveOutcome:
        """Record, analyse and draft ``message``, then post (or update) its card on every surface.

        ``event_id`` (Telegram ``update_id``, Slack ``event_id``) is claimed in the same
        transaction as the message: a redelivered event returns ``duplicate=True`` and does nothing.
        An edited message (same ``platform_message_id``) re-drafts and updates its card in place.
        """
        raise NotImplementedError

    async def act(self, action: ReviewerAction) -> ActionOutcome:
        """Apply a reviewer's action: send / edit / variant / discard / fix_intent, once."""
        raise NotImplementedError

    async def card_for_draft(self, draft_id: int) -> ReviewCard | None:
        """The card showing ``draft_id`` now (to pre-fill an edit), or None."""
        raise NotImplementedError

    async def card_at(self, ref: CardRef) -> ReviewCard | None:
        """The card posted at ``ref`` (a reaction or a reply on a card message), or None."""
        raise NotImplementedError
