"""Telegram inside the whole service (``build_service``): webhook mode behind its secret, and
Telegram customers reviewed in Slack (the common set-up)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.config import AppConfig, ReviewConfig, Reviewers, Settings
from bot.errors import ConfigError
from bot.service import Service, running_service
from bot.store import Store
from tests.fakes.slack_api import FakeSlackAPI, SlackEventSender
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import LEA, MARC, REVIEW_CHAT, telegram_settings

SECRET = "s3cr3t-Token_value"
PUBLIC_URL = "https://replique.example.com/telegram/webhook"
ORDER = "Bonjour, où en est ma commande 88123 ?"


@pytest.fixture
async def webhook_service(
    fake: FakeTelegram, config: AppConfig, sqlite_url: str
) -> AsyncIterator[Service]:
    settings = telegram_settings(
        fake,
        telegram_webhook_url=PUBLIC_URL,
        telegram_webhook_secret=SecretStr(SECRET),
        replique_playground=False,
    )
    store = Store.open(sqlite_url)
    try:
        async with running_service(settings=settings, config=config, store=store) as service:
            yield service
    finally:
        store.close()


async def test_webhook_is_registered_with_its_secret(
    fake: FakeTelegram, webhook_service: Service
) -> None:
    [call] = fake.calls_to("setWebhook")
    assert call.params["url"] == PUBLIC_URL
    assert call.params["secret_token"] == SECRET
    assert "message_reaction" in call.params["allowed_updates"]
    assert fake.calls_to("getUpdates") == []


async def test_webhook_without_or_with_a_wrong_secret_is_refused(
    fake: FakeTelegram, webhook_service: Service
) -> None:
    url = webhook_service.url + "/telegram/webhook"
    forged = fake.customer_says("forged: no secret", user=LEA, push=False)
    wrong = fake.customer_says("forged: wrong secret", user=LEA, push=False)
    real = fake.customer_says(ORDER, user=LEA, push=False)

    assert await fake.post_webhook(url, forged, secret=None) == 403
    assert await fake.post_webhook(url, wrong, secret="not-the-secret") == 403
    assert await fake.post_webhook(url, real, secret=SECRET) == 200

    [card] = await fake.wait_for_call(
        "sendMessage", lambda c: html.escape(ORDER, quote=False) in c.text
    )
    assert card.chat_id == webhook_service.config.review.telegram_chat_id
    # Nothing of the refused updates was processed: no card, and their update ids were never
    # claimed (the same update, delivered with the secret, is handled as new).
    assert not [c for c in fake.calls_to("sendMessage") if "forged" in c.text]
    assert await fake.post_webhook(url, forged, secret=SECRET) == 200
    await fake.wait_for_call("sendMessage", lambda c: "forged: no secret" in c.text)
    assert len([c for c in fake.calls_to("sendMessage") if "forged" in c.text]) == 1


async def test_webhook_mode_without_a_secret_is_a_clear_config_error(
    fake: FakeTelegram, config: AppConfig, sqlite_url: str
) -> None:
    settings = telegram_settings(fake, telegram_webhook_url=PUBLIC_URL, replique_playground=False)
    store = Store.open(sqlite_url)
    try:
        with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
            async with running_service(settings=settings, config=config, store=store):
                pass
    finally:
        store.close()


# --- Telegram customers, Slack review desk -----------------------------------------------------

SLACK_REVIEW = "CREVIEW"
SLACK_REVIEWER = "UREV"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"


def with_slack(fake: FakeTelegram, slack: FakeSlackAPI) -> Settings:
    """Telegram against ``fake`` and Slack (HTTP mode) against ``slack``, no playground."""
    return telegram_settings(
        fake,
        slack_bot_token=SecretStr(slack.token),
        slack_signing_secret=SecretStr(SIGNING),
        slack_app_token=None,
        slack_api_url=slack.url,
        replique_playground=False,
    )


async def test_telegram_customer_reviewed_in_slack(
    fake: FakeTelegram, app_config: AppConfig, sqlite_url: str
) -> None:
    slack = await FakeSlackAPI().start()
    slack.add_user(SLACK_REVIEWER, "Marc")
    config = app_config.model_copy(
        update={
            "review": ReviewConfig(
                telegram_chat_id=None,
                slack_channel=SLACK_REVIEW,
                reviewers=Reviewers(slack=(SLACK_REVIEWER,)),
            )
        }
    )
    settings = with_slack(fake, slack)
    store = Store.open(sqlite_url)
    try:
        async with running_service(settings=settings, config=config, store=store) as service:
            events = SlackEventSender(url=service.url + "/slack/events", signing_secret=SIGNING)
            try:
                fake.customer_says(ORDER, user=LEA)
                card = await fake.wait_for(
                    lambda: next(
                        iter(slack.called("chat.postMessage", channel=SLACK_REVIEW)), None
                    ),
                    timeout=20,
                )
                shown = str(card.args)
                assert "Léa Tremblay" in shown
                assert "88123" in shown
                draft_id = next(
                    e["value"]
                    for b in card.args["blocks"]
                    for e in b.get("elements", [])
                    if e.get("action_id") == "replique_send"
                )
                ts = slack.posts(SLACK_REVIEW)[0]["ts"]

                status, _ = await events.click(
                    user=SLACK_REVIEWER,
                    action_id="replique_send",
                    value=draft_id,
                    channel=SLACK_REVIEW,
                    message_ts=ts,
                )
                assert status == 200

                [reply] = await fake.wait_for_call(
                    "sendMessage", lambda c: c.chat_id == LEA["id"], timeout=20
                )
                assert reply.text
                assert fake.calls_to("sendMessage", chat_id=None) == [reply]
            finally:
                await events.close()
    finally:
        store.close()
        await slack.stop()


# --- Slack customers, Telegram review desk -----------------------------------------------------

SLACK_CUSTOMERS = "CCUSTOMERS"
SLACK_CUSTOMER = "UCUST"


async def test_slack_customer_reviewed_in_a_telegram_group(
    fake: FakeTelegram, config: AppConfig, sqlite_url: str
) -> None:
    slack = await FakeSlackAPI().start()
    slack.add_user(SLACK_CUSTOMER, "Léa Tremblay")
    config = config.model_copy(
        update={"slack": config.slack.model_copy(update={"customer_channels": (SLACK_CUSTOMERS,)})}
    )
    settings = with_slack(fake, slack)
    store = Store.open(sqlite_url)
    try:
        async with running_service(settings=settings, config=config, store=store) as service:
            events = SlackEventSender(url=service.url + "/slack/events", signing_secret=SIGNING)
            try:
                status, _ = await events.message(
                    channel=SLACK_CUSTOMERS, user=SLACK_CUSTOMER, text=f"{ORDER} <!channel>"
                )
                assert status == 200
                await fake.wait_for_call(
                    "sendMessage", lambda c: c.chat_id == REVIEW_CHAT, timeout=20
                )
                [card] = fake.bot_messages(REVIEW_CHAT)
                assert "Léa Tremblay · Slack" in card["text"]
                assert "&lt;!channel&gt;" in card["text"]

                fake.click(card, "✅", user=MARC)

                reply = await fake.wait_for(
                    lambda: next(
                        iter(slack.called("chat.postMessage", channel=SLACK_CUSTOMERS)), None
                    ),
                    timeout=20,
                )
                assert reply.args["text"]
                decided = await fake.wait_for(
                    lambda: "reply_markup" not in fake.message(REVIEW_CHAT, card["message_id"])
                )
                assert decided
                assert fake.calls_to("sendMessage", chat_id=LEA["id"]) == []
            finally:
                await events.close()
    finally:
        store.close()
        await slack.stop()
