"""Slack reviewers decide on the version they saw, or nothing happens and they are told.

Real slack-bolt and slack-sdk, the real desk, store, analyser and outbox, against the fake Web
API: a ✅ on a card that 🔁 has since changed, a ✅ reaction on a card message Slack has not
updated yet, ✏️ on an old version, and a customer editing a message that was already answered.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import AppConfig
from bot.nlp.analyser import Analyser
from tests.fakes.slack_api import FakeSlackAPI, wait_until
from tests.slack.conftest import CCUST, CREVIEW, UCUST, UREV, UREV2
from tests.slack.test_conversations import (
    Replique,
    brand_config,
    buttons,
    draft_of,
    flat,
    running,
)

CHANGED = "The draft changed: look again"


@pytest.fixture
async def replique(
    api: FakeSlackAPI, app_config: AppConfig, analyser: Analyser, sqlite_url: str
) -> AsyncIterator[Replique]:
    config = brand_config(app_config)
    async with running(api, config=config, analyser=analyser, database_url=sqlite_url) as r:
        yield r


async def told(replique: Replique, user: str) -> str:
    """The "draft changed" notice ``user`` was shown privately."""

    def found() -> str | None:
        texts = [c.args["text"] for c in replique.api.called("chat.postEphemeral", user=user)]
        return next((t for t in texts if CHANGED in t), None)

    return await wait_until(found, timeout=20.0, what=f"a notice for {user}")


async def variant_of(replique: Replique, card: dict[str, Any]) -> dict[str, Any]:
    """🔁 on ``card``; the card once Slack shows version 2."""
    await replique.click(card, "variant")
    return await replique.card_changes(card, lambda c: "*Draft* (2/" in flat(c["blocks"]))


async def test_a_send_on_the_version_before_another_version_is_refused(replique: Replique):
    await replique.customer_writes("Hello!")
    first = copy.deepcopy(await replique.card_for("Hello!"))
    second = await variant_of(replique, first)

    await replique.click(first, "send")  # the button of version 1, still on a reviewer's screen

    assert await told(replique, UREV)
    assert await replique.desk.outbox.deliver_due() == 0
    assert replique.delivered() == []
    assert buttons(replique.card_now(first))  # still pending, still version 2
    await replique.click(second, "send", user=UREV2)
    [reply] = await replique.customer_receives()
    assert reply == draft_of(second)


async def test_a_reaction_on_a_message_slack_has_not_updated_is_refused(replique: Replique):
    await replique.customer_writes("Hello there!")
    first = copy.deepcopy(await replique.card_for("Hello there!"))
    replique.api.fail("chat.update", status=500)
    await replique.click(first, "variant")
    await replique.api.wait_for("chat.postEphemeral", user=UREV)  # "Showing version 2 of 3."
    assert replique.card_now(first)["blocks"] == first["blocks"]  # Slack still shows version 1

    await replique.react(first, "white_check_mark", user=UREV2)

    assert await told(replique, UREV2)
    # The refusal also put the current version on the message the update had missed.
    second = await replique.card_changes(first, lambda c: "*Draft* (2/" in flat(c["blocks"]))
    assert await replique.desk.outbox.deliver_due() == 0
    assert replique.delivered() == []
    await replique.react(second, "+1", user=UREV2)
    [reply] = await replique.customer_receives()
    assert reply == draft_of(second)


async def test_the_editor_does_not_open_on_an_old_version(replique: Replique):
    await replique.customer_writes("Hello again!")
    first = copy.deepcopy(await replique.card_for("Hello again!"))
    await variant_of(replique, first)

    await replique.click(first, "edit", user=UREV2)

    assert await told(replique, UREV2)
    assert replique.api.called("views.open") == []


async def test_a_customer_edit_of_an_answered_message_gets_a_new_card(replique: Replique):
    original = await replique.customer_writes("Hello")
    card = await replique.card_for("Hello")
    await replique.click(card, "send")
    await replique.customer_receives()
    decided = copy.deepcopy(await replique.card_changes(card, lambda c: not buttons(c)))
    edited = {"type": "message", "user": UCUST, "text": "Where is my order 88123?",
              "ts": original["ts"]}  # fmt: skip

    await replique.slack.event(
        {
            "type": "message", "subtype": "message_changed", "channel": CCUST,
            "channel_type": "channel", "hidden": True, "message": edited,
            "previous_message": {"type": "message", "user": UCUST, "text": "Hello"},
            "ts": replique.slack.new_ts(),
        }
    )  # fmt: skip

    fresh = await replique.card_for("Where is my order 88123?")
    assert fresh["ts"] != card["ts"]
    assert buttons(fresh)
    assert replique.card_now(card) == decided  # never reopened
    assert len(replique.api.called("chat.update", channel=CREVIEW, ts=card["ts"])) == 1
    await replique.react(decided, "white_check_mark", user=UREV2)  # the old card: nothing to do
    await replique.notices_for(UREV2)
    await replique.click(fresh, "send")
    await replique.customer_receives(count=2)
    assert len(replique.delivered()) == 2
    assert replique.card_now(card) == decided
