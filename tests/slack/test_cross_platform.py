"""Any customer platform, any review desk: Telegram customers reviewed in Slack, Slack customers
reviewed in a Telegram agents group, and Slack through the very service ``replique run`` starts.

Both platform libraries run for real, each against its fake server on loopback.
"""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import pytest

from bot.channels.slack import SlackAdapter
from bot.channels.telegram import TelegramAdapter
from bot.config import AppConfig
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk
from bot.service import running_service
from bot.store import Store
from tests.desks import leading, new_desk, wire_all
from tests.fakes.slack_api import FakeSlackAPI, SlackEventSender, wait_until
from tests.fakes.telegram_api import FakeTelegram
from tests.slack.conftest import (
    CCUST,
    CREVIEW,
    SIGNING_SECRET,
    UCUST,
    UREV,
    HttpServer,
    slack_settings,
)
from tests.slack.test_conversations import brand_config, buttons, draft_of
from tests.telegram.conftest import LEA, MARC, REVIEW_CHAT, telegram_settings

TIMEOUT = 20.0


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = await FakeTelegram().start()
    yield fake
    await fake.stop()


async def both_platforms(
    stack: AsyncExitStack,
    *,
    api: FakeSlackAPI,
    telegram: FakeTelegram,
    config: AppConfig,
    analyser: Analyser,
    database_url: str,
) -> tuple[ReviewDesk, SlackEventSender]:
    """Réplique with the Telegram and the Slack adapters on one desk; stopped with ``stack``."""
    store = Store.open(database_url)
    stack.callback(store.close)
    desk = new_desk(config=config, store=store, analyser=analyser)
    stack.callback(desk.close)
    slack = SlackAdapter(desk=desk, settings=slack_settings(api), config=config)
    tele = TelegramAdapter(
        desk=desk,
        settings=telegram_settings(telegram, slack_bot_token=None),
        config=config,
    )
    leader = leading(store)
    wire_all(desk, slack, tele, leader=leader)
    server = await stack.enter_async_context(HttpServer(slack.routes()))
    for adapter in (slack, tele):
        await adapter.start()
        stack.push_async_callback(adapter.stop)
    await desk.start()
    stack.push_async_callback(desk.stop)
    await leader.start()  # the only process leads: it polls Telegram
    stack.push_async_callback(leader.stop)
    sender = SlackEventSender(url=f"{server.url}/slack/events", signing_secret=SIGNING_SECRET)
    stack.push_async_callback(sender.close)
    return desk, sender


async def test_a_telegram_customer_is_reviewed_in_slack(
    api: FakeSlackAPI,
    telegram: FakeTelegram,
    app_config: AppConfig,
    analyser: Analyser,
    sqlite_url: str,
):
    config = brand_config(app_config, telegram_chat_id=None)
    async with AsyncExitStack() as stack:
        _, slack = await both_platforms(
            stack, api=api, telegram=telegram, config=config, analyser=analyser,
            database_url=sqlite_url,
        )  # fmt: skip

        telegram.customer_says("Bonjour, où est ma commande 88123 ?", user=LEA)
        [posted] = await api.wait_for("chat.postMessage", channel=CREVIEW, timeout=TIMEOUT)
        card = api.message(CREVIEW, posted.result["ts"])
        assert "· telegram" in json.dumps(card["blocks"], ensure_ascii=False)
        assert "88123" in json.dumps(card["blocks"], ensure_ascii=False)
        draft = draft_of(card)

        await slack.click(
            user=UREV, action_id="replique_send", value=buttons(card)["replique_send"]["value"],
            channel=CREVIEW, message_ts=card["ts"],
        )  # fmt: skip

        [reply] = await telegram.wait_for_call(
            "sendMessage", lambda c: c.chat_id == LEA["id"], timeout=TIMEOUT
        )
        assert html.unescape(reply.text) == draft
        await wait_until(lambda: not buttons(api.message(CREVIEW, card["ts"])), what="decided")
    assert telegram.calls_to("sendMessage", chat_id=REVIEW_CHAT) == []  # no Telegram desk


async def test_a_slack_customer_is_reviewed_in_a_telegram_group(
    api: FakeSlackAPI,
    telegram: FakeTelegram,
    app_config: AppConfig,
    analyser: Analyser,
    sqlite_url: str,
):
    config = brand_config(
        app_config,
        slack_channel=None,
        telegram_chat_id=REVIEW_CHAT,
        reviewers={"telegram": [MARC["id"]], "slack": [UREV]},
    )
    async with AsyncExitStack() as stack:
        _, slack = await both_platforms(
            stack, api=api, telegram=telegram, config=config, analyser=analyser,
            database_url=sqlite_url,
        )  # fmt: skip
        event = slack.message_event(channel=CCUST, user=UCUST, text="Hi! Where is my order 88123?")
        status, _ = await slack.event(event)
        assert status == 200

        await telegram.wait_for_call(
            "sendMessage", lambda c: c.chat_id == REVIEW_CHAT, timeout=TIMEOUT
        )
        [card] = telegram.bot_messages(REVIEW_CHAT)
        assert "Léa Tremblay" in card["text"]
        telegram.click(card, "✅", user=MARC)

        [reply] = await api.wait_for("chat.postMessage", channel=CCUST, timeout=TIMEOUT)
        assert reply.args["thread_ts"] == event["ts"]
        assert reply.args["text"]
    assert api.called("chat.postMessage", channel=CREVIEW) == []  # no Slack desk


async def test_the_service_serves_slack_events_and_a_conversation_goes_through(
    api: FakeSlackAPI, app_config: AppConfig, sqlite_url: str, tmp_path: Any
):
    settings = slack_settings(api, database_url=sqlite_url, replique_host="127.0.0.1")
    async with running_service(settings=settings, config=brand_config(app_config)) as service:
        assert [a.platform for a in service.adapters] == ["slack"]
        sender = SlackEventSender(url=f"{service.url}/slack/events", signing_secret=SIGNING_SECRET)
        try:
            forged, _ = await sender.message(
                channel=CCUST, user=UCUST, text="forged", signature="v0=" + "2" * 64
            )
            ok, _ = await sender.message(channel=CCUST, user=UCUST, text="Hello there!")
            [posted] = await api.wait_for("chat.postMessage", channel=CREVIEW, timeout=60)
            card = api.message(CREVIEW, posted.result["ts"])
            await sender.click(
                user=UREV, action_id="replique_send",
                value=buttons(card)["replique_send"]["value"], channel=CREVIEW,
                message_ts=card["ts"],
            )  # fmt: skip
            await api.wait_for("chat.postMessage", channel=CCUST, timeout=TIMEOUT)
            async with aiohttp.ClientSession() as http, http.get(f"{service.url}/healthz") as r:
                health = r.status
        finally:
            await sender.close()

    assert (forged, ok, health) == (401, 200, 200)
    assert "forged" not in json.dumps([c.args for c in api.calls])
    assert len(api.called("chat.postMessage", channel=CCUST)) == 1
