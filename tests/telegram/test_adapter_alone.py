"""The adapter alone, with a desk that only posts cards: what python-telegram-bot, the adapter
and the fake cost per message, and that a burst loses or doubles nothing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.channels.telegram import TelegramAdapter
from bot.config import AppConfig
from bot.domain import InboundMessage
from bot.review.cards import (
    ActionOutcome,
    CardRef,
    ReceiveOutcome,
    RecordedAction,
    ReviewCard,
    ReviewerAction,
)
from tests.cards import sample_card
from tests.desks import polling
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_bench import measure_card_latency
from tests.telegram.conftest import LEA, REVIEW_CHAT, telegram_settings

CARD = sample_card()


@dataclass
class PostingDesk:
    """Posts a card for every message at once; remembers the order messages came in."""

    surfaces: list[Any] = field(default_factory=list)
    received: list[InboundMessage] = field(default_factory=list)

    def is_reviewer(self, platform: str, user_id: str) -> bool:
        return True

    async def receive(
        self, message: InboundMessage, *, event_id: str | None = None
    ) -> ReceiveOutcome:
        raise AssertionError("the adapter only stores messages (accept)")

    async def record(
        self, action: ReviewerAction, *, event_id: str | None = None
    ) -> RecordedAction | None:
        raise AssertionError("no reviewer acts in these tests")

    async def apply(self, recorded: RecordedAction) -> ActionOutcome:
        raise AssertionError("no reviewer acts in these tests")

    async def act(self, action: ReviewerAction, *, event_id: str | None = None) -> ActionOutcome:
        raise AssertionError("no reviewer acts in these tests")

    async def card_for_draft(self, draft_id: int) -> ReviewCard | None:
        return None

    async def card_at(self, ref: CardRef, *, kind: str = "card") -> ReviewCard | None:
        return None

    async def add_edit_prompt(
        self, card_id: int, prompt: CardRef, *, shown_draft_id: int | None = None
    ) -> None:
        raise AssertionError("no reviewer edits in these tests")

    async def accept(self, message: InboundMessage, *, event_id: str | None = None) -> int | None:
        self.received.append(message)
        card = replace(CARD, message_text=message.text)
        await self.surfaces[0].post_card(card)
        return len(self.received)


async def test_a_burst_of_customers_each_gets_one_card(
    fake: FakeTelegram, config: AppConfig
) -> None:
    desk = PostingDesk()
    adapter = TelegramAdapter(desk=desk, settings=telegram_settings(fake), config=config)
    desk.surfaces.append(adapter)
    await adapter.start()
    try:
        async with polling(adapter):
            result = await measure_card_latency(fake, review_chat_id=REVIEW_CHAT, n=300)
    finally:
        await adapter.stop()
    assert len(result.latencies) == 300  # measure_card_latency fails on a missing or double card
    assert len(desk.received) == 300
    print(
        f"\nadapter alone, burst of 300: p50 {result.percentile(50) * 1000:.0f} ms, "
        f"p99 {result.percentile(99) * 1000:.0f} ms, {result.per_second:.0f} messages/s"
    )


async def test_one_customers_messages_reach_the_desk_in_order(
    fake: FakeTelegram, config: AppConfig
) -> None:
    desk = PostingDesk()
    adapter = TelegramAdapter(desk=desk, settings=telegram_settings(fake), config=config)
    desk.surfaces.append(adapter)
    await adapter.start()
    try:
        async with polling(adapter):
            for i in range(30):
                fake.customer_says(f"message {i}", user=LEA)
            await fake.wait_for(lambda: len(desk.received) == 30)
    finally:
        await adapter.stop()
    assert [m.text for m in desk.received] == [f"message {i}" for i in range(30)]
