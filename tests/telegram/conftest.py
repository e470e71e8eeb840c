"""Fixtures of the Telegram tests: the fake Bot API, and Réplique (real desk, real store, real
analyser) running the Telegram adapter against it, with a conversation-style helper.

Names used throughout: ``REVIEW_CHAT`` is the agents group, ``LEA`` and ``TOM`` customers in
private chats, ``GROUP`` a customer group, ``MARC`` and ``CHLOE`` reviewers, ``NOPE`` a member of
the agents group who is not a reviewer.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr

from bot.channels.telegram import TelegramAdapter
from bot.config import AppConfig, ReviewConfig, Reviewers, Settings, TelegramConfig
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk
from bot.store import Store
from tests.desks import leading, new_desk, wire_all
from tests.fakes.telegram_api import FakeTelegram

REVIEW_CHAT = -1001234567890
GROUP = -1005550000
LEA = FakeTelegram.user(4242, "Léa", last_name="Tremblay", language="fr")
TOM = FakeTelegram.user(4343, "Tom", last_name="Baker", language="en")
MARC = FakeTelegram.user(111111111, "Marc", language="en")
CHLOE = FakeTelegram.user(222222222, "Chloé", language="fr")
NOPE = FakeTelegram.user(333333333, "Intrus", language="en")


def telegram_config(base: AppConfig, *, review_chat: int | None = REVIEW_CHAT) -> AppConfig:
    review = ReviewConfig(
        telegram_chat_id=review_chat,
        slack_channel=None,
        reviewers=Reviewers(telegram=(MARC["id"], CHLOE["id"]), slack=("UREV",)),
    )
    # GROUP is a customer group the brand listed; any other group is ignored.
    telegram = TelegramConfig(customer_chats=(GROUP,))
    return base.model_copy(update={"review": review, "telegram": telegram})


def telegram_settings(fake: FakeTelegram, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": SecretStr(fake.token),
        "telegram_api_url": fake.base_url,
        "telegram_webhook_url": None,
        "telegram_webhook_secret": None,
        "slack_bot_token": None,
        "replique_port": 0,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.stop()


@dataclass
class Replique:
    """Réplique running with the Telegram adapter, and the conversation helpers of the tests."""

    fake: FakeTelegram
    desk: ReviewDesk
    adapter: TelegramAdapter
    store: Store
    review_chat: int = REVIEW_CHAT

    # customer says … → card shows … → reviewer clicks … → customer receives …

    def customer_says(self, text: str, *, user: dict[str, Any] = LEA, **kw: Any) -> dict[str, Any]:
        return self.fake.customer_says(text, user=user, **kw)

    async def card_for(self, text: str, *, timeout: float = 20.0) -> dict[str, Any]:
        """The review card quoting ``text`` (escaped as Telegram HTML), as the chat shows it."""
        needle = html.escape(text, quote=False)
        calls = await self.fake.wait_for_call(
            "sendMessage",
            lambda c: c.chat_id == self.review_chat and needle in c.text,
            timeout=timeout,
        )
        cards = [m for m in self.cards() if needle in m["text"]]
        assert cards, calls
        return cards[-1]

    async def edit(self, card: dict[str, Any], text: str, *, user: dict[str, Any] = MARC) -> None:
        """✏️ on ``card``, then ``text`` as the reply to the prompt the bot posts."""
        self.fake.click(card, "✏", user=user)
        [call] = await self.fake.wait_for_call(
            "sendMessage",
            lambda c: (
                c.chat_id == self.review_chat
                and bool(c.params.get("reply_markup", {}).get("force_reply"))
                and c.params.get("reply_parameters", {}).get("message_id") == card["message_id"]
            ),
        )
        prompt = next(
            m
            for m in reversed(self.fake.bot_messages(self.review_chat))
            if m.get("reply_to_message", {}).get("message_id") == card["message_id"]
            and m["text"] == call.text
        )
        self.fake.reviewer_replies(prompt, text, user=user)

    def cards(self) -> list[dict[str, Any]]:
        """Every card message posted in the review chat (prompts and notices left out)."""
        return [m for m in self.fake.bot_messages(self.review_chat) if m["text"].startswith("👤")]

    def card_now(self, card: dict[str, Any]) -> dict[str, Any]:
        return self.fake.message(self.review_chat, card["message_id"])

    async def card_changes(
        self, card: dict[str, Any], predicate: Any, *, timeout: float = 20.0
    ) -> dict[str, Any]:
        """Wait until the card (edited in place) satisfies ``predicate`` and return it."""
        await self.fake.wait_for(lambda: predicate(self.card_now(card)), timeout=timeout)
        return self.card_now(card)

    async def customer_receives(
        self,
        user: dict[str, Any] = LEA,
        *,
        count: int = 1,
        chat_id: int | None = None,
        timeout: float = 20.0,
    ) -> list[str]:
        """The texts delivered to the customer's chat, once ``count`` of them arrived."""
        chat = chat_id or user["id"]
        calls = await self.fake.wait_for_call(
            "sendMessage", lambda c: c.chat_id == chat, count=count, timeout=timeout
        )
        return [html.unescape(c.text) for c in calls]

    def delivered_to(self, chat_id: int) -> list[str]:
        return [
            html.unescape(c.text) for c in self.fake.sent_to(chat_id) if c.params.get("_ok", True)
        ]


@pytest.fixture
def config(app_config: AppConfig) -> AppConfig:
    return telegram_config(app_config)


@pytest.fixture
async def replique(
    fake: FakeTelegram, config: AppConfig, analyser: Analyser, sqlite_url: str
) -> AsyncIterator[Replique]:
    async with running(fake, config=config, analyser=analyser, database_url=sqlite_url) as r:
        yield r


class running:
    """Start store, desk and adapter against ``fake``; stop them all on exit."""

    def __init__(
        self,
        fake: FakeTelegram,
        *,
        config: AppConfig,
        analyser: Analyser,
        database_url: str,
        settings: Settings | None = None,
    ) -> None:
        self.fake = fake
        self.config = config
        self.analyser = analyser
        self.database_url = database_url
        self.settings = settings or telegram_settings(fake)
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> Replique:
        store = Store.open(self.database_url)
        self._stack.callback(store.close)
        desk = new_desk(config=self.config, store=store, analyser=self.analyser)
        self._stack.callback(desk.close)
        adapter = TelegramAdapter(desk=desk, settings=self.settings, config=self.config)
        leader = leading(store)
        wire_all(desk, adapter, leader=leader)
        await desk.start()
        self._stack.push_async_callback(desk.stop)
        await adapter.start()
        self._stack.push_async_callback(adapter.stop)
        # The only process: it leads, so it polls Telegram.
        await leader.start()
        self._stack.push_async_callback(leader.stop)
        return Replique(fake=self.fake, desk=desk, adapter=adapter, store=store)

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()
