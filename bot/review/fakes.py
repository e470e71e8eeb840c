"""An in-memory customer channel and review surface, shipped beside the ports they fill.

Like httpx's ``MockTransport``, these live in the package, not in the tests: the tests drive the
real desk with them, and the terminal console is built on them (a handler prints what arrives).
Each keeps what it was given, in order, and can be told to refuse the next calls the way a
platform does (``DeliveryFailed``), to exercise retries and the sweep.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain import Platform
from bot.review.cards import CardRef, ReviewCard
from bot.review.ports import DeliveryFailed, ReplyAddress

__all__ = ["MemoryChannel", "MemorySurface", "SentReply"]

CardHandler = Callable[[ReviewCard], Awaitable[None] | None]
ReplyHandler = Callable[["SentReply"], Awaitable[None] | None]


@dataclass(frozen=True, slots=True)
class SentReply:
    """A reply the channel delivered."""

    address: ReplyAddress
    text: str
    message_id: str


async def _call(handler: Callable[[object], Awaitable[None] | None] | None, value: object) -> None:
    if handler is None:
        return
    result = handler(value)
    if inspect.isawaitable(result):
        await result


class MemoryChannel:
    """A ``CustomerChannel`` that keeps the replies it is asked to send."""

    def __init__(self, platform: Platform = "web", *, on_reply: ReplyHandler | None = None) -> None:
        self.platform: Platform = platform
        self.sent: list[SentReply] = []
        self._on_reply = on_reply
        self._failures: list[DeliveryFailed | Exception] = []

    def fail_next(self, *failures: DeliveryFailed | Exception) -> None:
        """Raise these, one per call, on the next sends (then deliver again)."""
        self._failures.extend(failures)

    def pacing_key(self, address: ReplyAddress) -> str:
        return address.conversation_id

    async def send_reply(self, address: ReplyAddress, text: str) -> str | None:
        if self._failures:
            raise self._failures.pop(0)
        reply = SentReply(address, text, message_id=f"{self.platform}-reply-{len(self.sent) + 1}")
        self.sent.append(reply)
        await _call(self._on_reply, reply)  # type: ignore[arg-type]
        return reply.message_id


class MemorySurface:
    """A ``ReviewSurface`` that keeps every card it shows, and the latest state of each."""

    def __init__(
        self,
        platform: Platform = "web",
        *,
        chat_id: str = "desk",
        on_card: CardHandler | None = None,
    ) -> None:
        self.platform: Platform = platform
        self.chat_id = chat_id
        #: Every card as it was posted or updated, in order.
        self.shown: list[ReviewCard] = []
        #: The latest state of each card, by its platform message id.
        self.cards: dict[str, ReviewCard] = {}
        self._on_card = on_card
        self._failures: list[DeliveryFailed | Exception] = []
        self._posted = 0

    def fail_next(self, *failures: DeliveryFailed | Exception) -> None:
        """Raise these, one per call, on the next posts and updates."""
        self._failures.extend(failures)

    def ref_of(self, card_id: int) -> CardRef | None:
        """Where the card with store id ``card_id`` was posted here, if it was."""
        for message_id, card in self.cards.items():
            if card.card_id == card_id:
                return CardRef(self.platform, self.chat_id, message_id)
        return None

    async def post_card(self, card: ReviewCard) -> CardRef:
        if self._failures:
            raise self._failures.pop(0)
        self._posted += 1
        ref = CardRef(self.platform, self.chat_id, f"card-{self._posted}")
        self.cards[ref.message_id] = card
        self.shown.append(card)
        await _call(self._on_card, card)  # type: ignore[arg-type]
        return ref

    async def update_card(self, ref: CardRef, card: ReviewCard) -> None:
        if self._failures:
            raise self._failures.pop(0)
        self.cards[ref.message_id] = card
        self.shown.append(card)
        await _call(self._on_card, card)  # type: ignore[arg-type]
