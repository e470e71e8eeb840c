"""Slack end to end: real slack-bolt and slack-sdk, the real desk, store, analyser and outbox.

customer writes in Slack → a card appears in the review channel with the right analysis →
a reviewer clicks ✅ (or reacts 👍, edits, asks for another version, fixes the intent, discards)
→ the customer receives the approved text, once.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import pytest

from bot.channels.slack import SlackAdapter
from bot.config import AppConfig
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk
from bot.store import Store
from tests.desks import new_desk, wire_all
from tests.fakes.slack_api import FakeSlackAPI, SlackEventSender, wait_until
from tests.slack.conftest import (
    CCUST,
    CREVIEW,
    SIGNING_SECRET,
    UCUST,
    UNOPE,
    UREV,
    UREV2,
    HttpServer,
    slack_settings,
)

TIMEOUT = 20.0


def brand_config(base: AppConfig, **review: Any) -> AppConfig:
    """The demo brand, reviewed in Slack's CREVIEW by Marc and Chloé, customers in CCUST."""
    values = {"slack_channel": CREVIEW, "reviewers": {"slack": [UREV, UREV2]}, **review}
    return AppConfig.model_validate(
        {
            **base.model_dump(exclude={"base_dir"}),
            "review": values,
            "slack": {"customer_channels": [CCUST]},
            "base_dir": base.base_dir,
        }
    )


def flat(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@dataclass
class Replique:
    """Réplique with the Slack adapter, and the conversation helpers of these tests."""

    api: FakeSlackAPI
    slack: SlackEventSender
    desk: ReviewDesk
    adapter: SlackAdapter
    store: Store

    # customer writes … → card shows … → reviewer clicks … → customer receives …

    async def customer_writes(self, text: str, *, user: str = UCUST, **fields: Any) -> dict:
        event = self.slack.message_event(channel=CCUST, user=user, text=text, **fields)
        status, _ = await self.slack.event(event)
        assert status == 200
        return event

    async def card_for(self, text: str) -> dict[str, Any]:
        """The card quoting ``text`` in the review channel, as it looks now."""

        def find() -> dict[str, Any] | None:
            for card in self.api.posts(CREVIEW):
                quotes = [b for b in card.get("blocks") or () if b["type"] == "rich_text"]
                quoted = "".join(q["elements"][0]["elements"][0]["text"] for q in quotes)
                if text in quoted:
                    return card
            return None

        return await wait_until(find, timeout=TIMEOUT, what=f"a card quoting {text!r}")

    def card_now(self, card: dict[str, Any]) -> dict[str, Any]:
        return self.api.message(CREVIEW, card["ts"])

    async def card_changes(self, card: dict[str, Any], predicate: Any) -> dict[str, Any]:
        await wait_until(lambda: predicate(self.card_now(card)), timeout=TIMEOUT, what="card")
        return self.card_now(card)

    async def click(self, card: dict[str, Any], button: str, *, user: str = UREV) -> None:
        draft = str(buttons(card)[f"replique_{button}"]["value"])
        status, _ = await self.slack.click(
            user=user, action_id=f"replique_{button}", value=draft, channel=CREVIEW,
            message_ts=card["ts"],
        )  # fmt: skip
        assert status == 200

    async def react(self, card: dict[str, Any], name: str, *, user: str = UREV) -> None:
        status, _ = await self.slack.reaction(user=user, name=name, channel=CREVIEW, ts=card["ts"])
        assert status == 200

    async def customer_receives(self, *, count: int = 1, channel: str = CCUST) -> list[str]:
        calls = await self.api.wait_for(
            "chat.postMessage", count=count, channel=channel, timeout=TIMEOUT
        )
        return [c.args["text"] for c in calls]

    def delivered(self, channel: str = CCUST) -> list[str]:
        return [c.args["text"] for c in self.api.called("chat.postMessage", channel=channel)]

    async def notices_for(self, user: str, *, count: int = 1) -> list[str]:
        calls = await self.api.wait_for("chat.postEphemeral", count=count, user=user)
        return [c.args["text"] for c in calls]


def draft_of(card: dict[str, Any]) -> str:
    """The draft a card shows: the plain text right after its "*Draft*" heading."""
    blocks = card["blocks"]
    heading = next(
        i for i, b in enumerate(blocks)
        if b["type"] == "section" and b["text"]["text"].startswith(("*Draft*", "*Reply*"))
    )  # fmt: skip
    return str(blocks[heading + 1]["text"]["text"])


def buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    actions = [b for b in card.get("blocks") or () if b["type"] == "actions"]
    return {e["action_id"]: e for block in actions for e in block["elements"]}


class running:
    """Store, desk, Slack adapter and its HTTP server against ``api``; all stopped on exit."""

    def __init__(
        self,
        api: FakeSlackAPI,
        *,
        config: AppConfig,
        analyser: Analyser,
        database_url: str,
        deliver: bool = True,
    ) -> None:
        self.api, self.config, self.analyser = api, config, analyser
        self.database_url = database_url
        self.deliver = deliver
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> Replique:
        stack = self._stack
        store = Store.open(self.database_url)
        stack.callback(store.close)
        desk = new_desk(config=self.config, store=store, analyser=self.analyser)
        stack.callback(desk.close)
        adapter = SlackAdapter(desk=desk, settings=slack_settings(self.api), config=self.config)
        wire_all(desk, adapter)
        server = await stack.enter_async_context(HttpServer(adapter.routes()))
        await adapter.start()
        stack.push_async_callback(adapter.stop)
        if self.deliver:
            await desk.start()
            stack.push_async_callback(desk.stop)
        else:
            # Messages are drafted and decisions applied, but nothing is delivered.
            for lane in (desk.inbound, desk.actions):
                await lane.start()
                stack.push_async_callback(lane.stop)
        sender = SlackEventSender(url=f"{server.url}/slack/events", signing_secret=SIGNING_SECRET)
        stack.push_async_callback(sender.close)
        return Replique(api=self.api, slack=sender, desk=desk, adapter=adapter, store=store)

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()


@pytest.fixture
def config(app_config: AppConfig) -> AppConfig:
    return brand_config(app_config)


@pytest.fixture
async def replique(
    api: FakeSlackAPI, config: AppConfig, analyser: Analyser, sqlite_url: str
) -> AsyncIterator[Replique]:
    async with running(api, config=config, analyser=analyser, database_url=sqlite_url) as r:
        yield r


# --- the everyday conversation -----------------------------------------------------------------


async def test_a_slack_customer_is_answered_after_a_reviewer_clicks_send(replique: Replique):
    await replique.customer_writes("Hi, where is my order 88123? It has not arrived.")

    card = await replique.card_for("where is my order 88123?")
    shown = flat(card["blocks"])
    assert "Léa Tremblay · slack" in shown
    assert "order_status" in shown  # the analysis line
    assert "88123" in shown
    assert [b["text"]["text"][0] for b in buttons(card).values() if b["type"] == "button"] == [
        "✅", "✏", "🔁", "❌",
    ]  # fmt: skip
    draft = draft_of(card)

    await replique.click(card, "send")

    [reply] = await replique.customer_receives()
    assert reply == draft.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    decided = await replique.card_changes(card, lambda c: not buttons(c))
    assert "✅ Sent by Marc at" in flat(decided["blocks"])
    assert replique.delivered() == [reply]


async def test_a_thumbs_up_reaction_sends_like_the_button(replique: Replique):
    await replique.customer_writes("Are you open on Sunday?")
    card = await replique.card_for("Are you open on Sunday?")

    await replique.react(card, "+1")

    [reply] = await replique.customer_receives()
    assert reply
    decided = await replique.card_changes(card, lambda c: not buttons(c))
    assert "Sent by Marc" in flat(decided["blocks"])


async def test_edit_through_the_modal_sends_the_reviewers_text(replique: Replique):
    event = await replique.customer_writes("My parcel is late, order 88123")
    card = await replique.card_for("My parcel is late")

    await replique.click(card, "edit")
    [opened] = await replique.api.wait_for("views.open", timeout=TIMEOUT)
    view = opened.args["view"]
    field = view["blocks"][0]
    assert field["element"]["initial_value"]  # the draft, ready to correct
    await replique.slack.submit_view(
        user=UREV,
        view=view,
        values={field["block_id"]: {"text": "Léa, it left the warehouse today: <tracking soon>"}},
    )

    [reply] = await replique.customer_receives()
    assert reply == "Léa, it left the warehouse today: &lt;tracking soon&gt;"
    [sent] = replique.api.called("chat.postMessage", channel=CCUST)
    assert sent.args["thread_ts"] == event["ts"]
    decided = await replique.card_changes(card, lambda c: not buttons(c))
    assert "Edited and sent by Marc" in flat(decided["blocks"])


async def test_another_version_then_discard_and_nothing_is_sent(replique: Replique):
    await replique.customer_writes("Hello!")
    card = await replique.card_for("Hello!")
    first = flat(card["blocks"])

    await replique.click(card, "variant")
    changed = await replique.card_changes(card, lambda c: flat(c["blocks"]) != first)
    assert buttons(changed)  # still waiting for a decision
    assert "*Draft* (1/" in first
    assert "*Draft* (2/" in flat(changed["blocks"])
    assert draft_of(changed) != draft_of(card)

    await replique.react(replique.card_now(card), "x")

    decided = await replique.card_changes(card, lambda c: not buttons(c))
    assert "Discarded by Marc" in flat(decided["blocks"])
    assert await replique.desk.outbox.deliver_due() == 0
    assert replique.delivered() == []


async def test_fixing_the_intent_redrafts_the_card(replique: Replique):
    await replique.customer_writes("I want to talk to someone about my account")
    card = await replique.card_for("talk to someone")
    picker = next(b for b in card["blocks"] if b["type"] == "actions")

    await replique.slack.select(
        user=UREV, block_id=picker["block_id"], value="complaint", channel=CREVIEW,
        message_ts=card["ts"],
    )  # fmt: skip

    fixed = await replique.card_changes(
        card, lambda c: json.dumps(c["blocks"]).count("complaint") > flat(card["blocks"]).count(
            "complaint")
    )  # fmt: skip
    summary = next(b for b in fixed["blocks"] if b["type"] == "context")["elements"][0]["text"]
    assert summary.startswith("complaint")
    assert buttons(fixed)["replique_intent"]["initial_option"]["value"] == "complaint"


# --- only reviewers, exactly once ------------------------------------------------------------


async def test_a_non_reviewer_click_changes_nothing_and_is_told_privately(replique: Replique):
    await replique.customer_writes("Where is my order?")
    card = await replique.card_for("Where is my order?")

    await replique.click(card, "send", user=UNOPE)
    await replique.react(card, "white_check_mark", user=UNOPE)

    notices = await replique.notices_for(UNOPE, count=2)
    assert all("Only the reviewers" in n for n in notices)
    assert buttons(replique.card_now(card))
    assert await replique.desk.outbox.deliver_due() == 0
    assert replique.delivered() == []


async def test_a_double_click_two_reviewers_and_a_reaction_send_once(replique: Replique):
    await replique.customer_writes("Do you have oat milk?")
    card = await replique.card_for("oat milk")

    await asyncio.gather(
        replique.click(card, "send"),
        replique.click(card, "send"),
        replique.click(card, "send", user=UREV2),
        replique.react(card, "white_check_mark", user=UREV2),
        replique.react(card, "+1"),
    )

    await replique.customer_receives()
    await replique.card_changes(card, lambda c: not buttons(c))
    await replique.adapter.idle()
    assert await replique.desk.outbox.deliver_due() == 0
    assert len(replique.delivered()) == 1


async def test_the_same_event_three_times_and_across_a_restart_makes_one_card(
    api: FakeSlackAPI, config: AppConfig, analyser: Analyser, sqlite_url: str
):
    async with running(api, config=config, analyser=analyser, database_url=sqlite_url) as r:
        event = r.slack.message_event(channel=CCUST, user=UCUST, text="Is delivery free?")
        event_id = r.slack.new_event_id()
        for retry in (None, 1, 2):
            status, _ = await r.slack.event(event, event_id=event_id, retry_num=retry)
            assert status == 200
        await r.card_for("Is delivery free?")
        await r.adapter.idle()
    async with running(api, config=config, analyser=analyser, database_url=sqlite_url) as r:
        status, _ = await r.slack.event(event, event_id=event_id, retry_num=3)
        assert status == 200
        await r.adapter.idle()

    assert len(api.called("chat.postMessage", channel=CREVIEW)) == 1


async def test_a_forged_signature_is_rejected_and_nothing_is_stored(replique: Replique):
    event = replique.slack.message_event(channel=CCUST, user=UCUST, text="forged hello")

    status, _ = await replique.slack.event(event, signature="v0=" + "1" * 64)
    stale, _ = await replique.slack.event(event, timestamp=1_000_000_000)

    assert (status, stale) == (401, 401)
    await replique.adapter.idle()
    assert await replique.desk.sweep() == 0
    assert api_calls_besides_auth(replique.api) == []


def api_calls_besides_auth(api: FakeSlackAPI) -> list[str]:
    return [c.method for c in api.calls if c.method != "auth.test"]


# --- delivery: rate limits, errors, restarts ------------------------------------------------


@pytest.mark.parametrize(
    "failure", [{"status": 429, "retry_after": 1}, {"status": 500}], ids=["429", "500"]
)
async def test_a_rate_limited_or_failed_send_is_delivered_once_later(
    replique: Replique, failure: dict[str, Any]
):
    await replique.customer_writes("Where is my order 88123?")
    card = await replique.card_for("Where is my order 88123?")
    replique.api.fail("chat.postMessage", **failure)

    await replique.click(card, "send")

    [reply] = await replique.customer_receives()
    attempts = [
        c for c in replique.api.attempts("chat.postMessage") if c.args.get("channel") == CCUST
    ]
    assert [c.status for c in attempts] == [failure["status"], 200]
    if "retry_after" in failure:
        assert attempts[1].at - attempts[0].at >= 0.9  # Retry-After honoured
    assert replique.delivered() == [reply]


async def test_an_approval_made_just_before_a_crash_is_delivered_after_the_restart(
    api: FakeSlackAPI, config: AppConfig, analyser: Analyser, sqlite_url: str
):
    # The outbox sender is not running: the process "dies" after the approval, before delivery.
    async with running(
        api, config=config, analyser=analyser, database_url=sqlite_url, deliver=False
    ) as before:
        await before.customer_writes("Can I return a mug?")
        card = await before.card_for("Can I return a mug?")
        await before.click(card, "send")
        await before.card_changes(card, lambda c: not buttons(c))
        assert before.delivered() == []

    async with running(api, config=config, analyser=analyser, database_url=sqlite_url) as after:
        [reply] = await after.customer_receives()
        await after.adapter.idle()
        assert await after.desk.outbox.deliver_due() == 0
    assert reply
    assert len(api.called("chat.postMessage", channel=CCUST)) == 1


# --- conversations -----------------------------------------------------------------------------


async def test_a_follow_up_supersedes_the_pending_card(replique: Replique):
    await replique.customer_writes("Hello")
    first = await replique.card_for("Hello")
    await replique.customer_writes("where is my order 88123?")

    second = await replique.card_for("where is my order 88123?")
    old = await replique.card_changes(first, lambda c: not buttons(c))

    assert "Superseded" in flat(old["blocks"])
    assert buttons(second)
    assert second["ts"] != first["ts"]


async def test_a_dm_and_a_thread_are_answered_where_they_were_asked(replique: Replique):
    await replique.slack.message(
        channel="D0LEA", user=UCUST, text="Hi from my DM, is the cafe open?", channel_type="im"
    )
    dm_card = await replique.card_for("Hi from my DM")
    await replique.customer_writes("Do you sell gift cards?", thread_ts="1710000000.000777")
    thread_card = await replique.card_for("gift cards")

    await replique.click(dm_card, "send")
    await replique.click(thread_card, "send", user=UREV2)

    await replique.customer_receives(channel="D0LEA")
    [in_thread] = await replique.api.wait_for("chat.postMessage", channel=CCUST, timeout=TIMEOUT)
    [in_dm] = replique.api.called("chat.postMessage", channel="D0LEA")
    assert in_thread.args["thread_ts"] == "1710000000.000777"
    assert in_dm.args.get("thread_ts") is None


async def test_customer_markup_is_shown_literally_everywhere(replique: Replique):
    nasty = "<!channel> @here <b>hi</b> **bold** {{ brand.name }} <@UREV> where is order 88123?"
    await replique.customer_writes(nasty)

    card = await replique.card_for("{{ brand.name }}")

    quote = next(b for b in card["blocks"] if b["type"] == "rich_text")
    assert quote["elements"][0]["elements"][0] == {"type": "text", "text": nasty}
    for block in card["blocks"]:
        text = block.get("text") or {}
        if text.get("type") == "mrkdwn":
            assert "<!channel>" not in text["text"]
            assert "<@UREV>" not in text["text"]
    assert "<!channel>" not in card["text"]
    await replique.click(card, "send")
    [reply] = await replique.customer_receives()
    assert "<!channel>" not in reply
    assert "<@" not in reply


async def test_an_edited_customer_message_redrafts_its_card_in_place(replique: Replique):
    original = await replique.customer_writes("Hello")
    card = await replique.card_for("Hello")
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

    updated = await replique.card_changes(card, lambda c: "88123" in flat(c["blocks"]))
    assert "order_status" in flat(updated["blocks"])
    assert buttons(updated)
    assert len(replique.api.called("chat.postMessage", channel=CREVIEW)) == 1


async def test_a_photo_without_text_gets_a_card_that_says_so(replique: Replique):
    await replique.customer_writes(
        "", subtype="file_share", files=[{"mimetype": "image/png", "name": "parcel.png"}]
    )

    card = await replique.card_for("[sent a photo, no text]")

    assert buttons(card)
    assert draft_of(card)  # a hand-off draft a reviewer can send
