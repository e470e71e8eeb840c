"""The Slack adapter against Slack's fake Web API and signed events, with a fake desk.

Each test reads as a conversation: a customer writes in Slack → the desk receives one normalised
message and a card appears in the review channel → a reviewer clicks or reacts → the desk gets
the action → the customer receives the reply. The real desk runs in test_conversations.py.
"""

from __future__ import annotations

import json
import time

import aiohttp
import pytest

from bot.domain import ReviewAction
from bot.errors import ConfigError
from bot.review.ports import DeliveryFailed, ReplyAddress
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, wait_until
from tests.slack.conftest import (
    CCUST,
    CREVIEW,
    SIGNING_SECRET,
    UCUST,
    UNOPE,
    UREV,
    UREV2,
    SlackRig,
    slack_config,
    slack_settings,
)


def texts(blocks: list[dict]) -> str:
    """Every piece of text in ``blocks``, for reading a card like a person would."""
    return json.dumps(blocks, ensure_ascii=False)


def buttons(card: dict) -> dict[str, dict]:
    actions = [b for b in card["blocks"] if b["type"] == "actions"]
    return {e["action_id"]: e for block in actions for e in block["elements"]}


async def customer_writes(rig: SlackRig, text: str, **fields) -> dict:
    event = rig.sender.message_event(channel=CCUST, user=UCUST, text=text, **fields)
    status, _ = await rig.sender.event(event)
    assert status == 200
    return event


async def test_a_customer_message_becomes_one_card_with_buttons_and_picker(rig: SlackRig):
    event = await customer_writes(rig, "Where is my order 88123?")

    [card] = await rig.wait_cards(1)
    [(message, event_id)] = rig.desk.received
    assert message.platform == "slack"
    assert message.text == "Where is my order 88123?"
    assert message.customer_id == UCUST
    assert message.customer_name == "Léa Tremblay"  # from users.info
    assert message.conversation_id == f"{CCUST}:{UCUST}"  # one customer in a shared channel
    assert message.platform_message_id == event["ts"]
    assert event_id is not None
    assert event_id.startswith("Ev")

    assert card["channel"] == CREVIEW
    assert card["unfurl_links"] is False
    assert card["unfurl_media"] is False
    assert "Léa Tremblay" in card["text"]
    labels = [b["text"]["text"] for b in buttons(card).values() if b["type"] == "button"]
    assert [label[0] for label in labels] == ["✅", "✏", "🔁", "❌"]
    assert {b["value"] for b in buttons(card).values() if b["type"] == "button"} == {"1"}
    picker = buttons(card)["replique_intent"]
    assert [o["value"] for o in picker["options"]] == ["order_status", "complaint", "other"]
    assert picker["initial_option"]["value"] == "order_status"
    assert "Where is my order 88123?" in texts(card["blocks"])


async def test_dms_and_threads_are_conversations_of_their_own(rig: SlackRig):
    await rig.sender.message(channel="D0DM", user=UCUST, text="hello from a DM", channel_type="im")
    await customer_writes(rig, "in a thread", thread_ts="1710000000.000001")

    await wait_until(lambda: len(rig.desk.received) == 2, what="two messages")
    conversations = sorted(m.conversation_id for m, _ in rig.desk.received)
    assert conversations == [f"{CCUST}/1710000000.000001", "D0DM"]
    threaded = next(m for m, _ in rig.desk.received if m.thread_id)
    assert threaded.thread_id == "1710000000.000001"


async def test_bots_the_app_itself_system_messages_and_other_channels_are_not_customers(
    rig: SlackRig,
):
    send = rig.sender.message
    await send(
        channel=CCUST, user="UOTHERBOT", text="beep", bot_id="B0OTHER", subtype="bot_message"
    )
    await send(channel=CCUST, user=BOT_USER_ID, text="my own reply", bot_id=BOT_ID)
    await send(channel=CCUST, user=UCUST, text="<@UCUST> has joined", subtype="channel_join")
    await send(channel="CRANDOM", user=UCUST, text="off topic in #random")
    await send(channel=CREVIEW, user=UREV, text="reviewers chatting in the review channel")
    await customer_writes(rig, "the one real customer message")

    await wait_until(lambda: rig.desk.received, what="the customer message")
    await rig.adapter.idle()
    assert [m.text for m, _ in rig.desk.received] == ["the one real customer message"]


async def test_an_edited_message_updates_its_draft_and_an_unfurl_does_not(rig: SlackRig):
    original = await customer_writes(rig, "Where is my ordr?")
    await rig.wait_cards(1)
    edited = {
        "type": "message",
        "user": UCUST,
        "text": "Where is my order 88123?",
        "ts": original["ts"],
    }
    await rig.sender.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": CCUST,
            "channel_type": "channel",
            "hidden": True,
            "message": edited,
            "previous_message": {"type": "message", "user": UCUST, "text": "Where is my ordr?"},
            "ts": rig.sender.new_ts(),
        }
    )
    unfurled = {**edited, "attachments": [{"title": "a link preview"}]}
    await rig.sender.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": CCUST,
            "channel_type": "channel",
            "hidden": True,
            "message": unfurled,
            "previous_message": edited,
            "ts": rig.sender.new_ts(),
        }
    )

    await wait_until(lambda: len(rig.desk.received) >= 2, what="the edit")
    await rig.adapter.idle()
    assert [(m.text, m.platform_message_id) for m, _ in rig.desk.received] == [
        ("Where is my ordr?", original["ts"]),
        ("Where is my order 88123?", original["ts"]),
    ]


async def test_the_same_event_three_times_and_slack_retries_make_one_card(rig: SlackRig):
    event = rig.sender.message_event(channel=CCUST, user=UCUST, text="Is the shop open Sunday?")
    event_id = rig.sender.new_event_id()

    answers = [
        await rig.sender.event(event, event_id=event_id),
        await rig.sender.event(event, event_id=event_id, retry_num=1),
        await rig.sender.event(event, event_id=event_id, retry_num=2),
    ]

    assert [status for status, _ in answers] == [200, 200, 200]
    await rig.wait_cards(1)
    await rig.adapter.idle()
    assert len(rig.desk.received) == 1
    assert len(rig.api.called("chat.postMessage", channel=CREVIEW)) == 1


@pytest.mark.parametrize(
    ("signature", "age_seconds"),
    [("v0=" + "0" * 64, 0), (None, 10 * 60)],
    ids=["forged", "stale"],
)
async def test_a_forged_or_stale_signature_is_rejected_and_nothing_happens(
    rig: SlackRig, signature, age_seconds
):
    event = rig.sender.message_event(channel=CCUST, user=UCUST, text="hello")

    status, _ = await rig.sender.event(
        event, signature=signature, timestamp=int(time.time()) - age_seconds
    )
    # The same event, signed correctly, goes through: the rejection was the signature's doing.
    ok, _ = await rig.sender.event(rig.sender.message_event(channel=CCUST, user=UCUST, text="ok"))

    assert status == 401
    assert ok == 200
    await wait_until(lambda: rig.desk.received, what="the signed message")
    await rig.adapter.idle()
    assert [m.text for m, _ in rig.desk.received] == ["ok"]


async def test_a_button_without_a_valid_signature_does_nothing(rig: SlackRig):
    await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)
    payload = rig.sender.block_action_payload(
        user=UREV,
        action={"type": "button", "action_id": "replique_send", "value": "1"},
        channel=CREVIEW,
        message_ts=card["ts"],
    )

    status, _ = await rig.sender.interaction(payload, signature="v0=" + "f" * 64)

    assert status == 401
    await rig.adapter.idle()
    assert rig.desk.actions == []


async def test_a_reviewer_clicks_send_and_the_customer_gets_the_reply_in_a_thread(rig: SlackRig):
    event = await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)

    status, _ = await rig.sender.click(
        user=UREV, action_id="replique_send", value="1", channel=CREVIEW, message_ts=card["ts"]
    )

    assert status == 200
    [reply] = await rig.api.wait_for("chat.postMessage", channel=CCUST)
    assert reply.args["text"] == "Hi! Your order is on its way."
    assert reply.args["thread_ts"] == event["ts"]  # under the customer's message
    assert reply.args["mrkdwn"] is False
    assert reply.args["unfurl_links"] is False
    [action] = rig.desk.actions
    assert action.action is ReviewAction.SEND
    assert (action.reviewer_id, action.reviewer_name, action.draft_id) == (UREV, "Marc", 1)
    assert action.card is not None
    assert action.card.message_id == card["ts"]
    await rig.api.wait_for("chat.update", ts=card["ts"])
    shown = rig.api.message(CREVIEW, card["ts"])
    assert buttons(shown) == {}
    assert "✅ Sent by Marc" in texts(shown["blocks"])


async def test_someone_who_is_not_a_reviewer_gets_a_private_notice_and_nothing_happens(
    rig: SlackRig,
):
    await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)

    await rig.sender.click(
        user=UNOPE, action_id="replique_send", value="1", channel=CREVIEW, message_ts=card["ts"]
    )

    [notice] = await rig.api.wait_for("chat.postEphemeral", user=UNOPE)
    assert notice.args["channel"] == CREVIEW
    assert notice.args["text"].startswith("Only the reviewers listed in replique.yml")
    assert rig.api.called("chat.postMessage", channel=CCUST) == []
    assert rig.api.called("chat.update") == []


async def test_edit_opens_a_prefilled_modal_and_its_text_is_what_the_customer_gets(
    rig: SlackRig,
):
    await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)

    await rig.sender.click(
        user=UREV, action_id="replique_edit", value="1", channel=CREVIEW, message_ts=card["ts"]
    )
    [opened] = await rig.api.wait_for("views.open")
    view = opened.args["view"]
    field = view["blocks"][0]
    assert opened.args["trigger_id"].startswith("trigger.")
    assert field["element"]["initial_value"] == "Hi! Your order is on its way."
    assert rig.desk.actions == []  # opening the editor decides nothing

    status, _ = await rig.sender.submit_view(
        user=UREV,
        view=view,
        values={field["block_id"]: {field["element"]["action_id"]: "Shipped today, Léa!"}},
    )

    assert status == 200
    [reply] = await rig.api.wait_for("chat.postMessage", channel=CCUST)
    assert reply.args["text"] == "Shipped today, Léa!"
    [action] = rig.desk.actions
    assert (action.action, action.draft_id, action.edited_text) == (
        ReviewAction.EDIT,
        1,
        "Shipped today, Léa!",
    )


async def test_a_non_reviewer_cannot_even_open_the_editor(rig: SlackRig):
    await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)

    await rig.sender.click(
        user=UNOPE, action_id="replique_edit", value="1", channel=CREVIEW, message_ts=card["ts"]
    )

    [notice] = await rig.api.wait_for("chat.postEphemeral", user=UNOPE)
    assert "Only reviewers" in notice.args["text"]
    assert rig.api.called("views.open") == []


async def test_another_version_and_discard_buttons(rig: SlackRig):
    await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)

    await rig.sender.click(
        user=UREV, action_id="replique_variant", value="1", channel=CREVIEW, message_ts=card["ts"]
    )
    await rig.api.wait_for("chat.update", ts=card["ts"])
    assert "Variant 2" in texts(rig.api.message(CREVIEW, card["ts"])["blocks"])
    assert buttons(rig.api.message(CREVIEW, card["ts"]))  # still pending: buttons stay

    await rig.sender.click(
        user=UREV2, action_id="replique_discard", value="1", channel=CREVIEW, message_ts=card["ts"]
    )
    await rig.api.wait_for("chat.update", count=2, ts=card["ts"])
    assert [a.action for a in rig.desk.actions] == [ReviewAction.VARIANT, ReviewAction.DISCARD]
    assert "❌ Discarded by Chloé" in texts(rig.api.message(CREVIEW, card["ts"])["blocks"])
    assert rig.api.called("chat.postMessage", channel=CCUST) == []


async def test_the_intent_picker_asks_for_a_redraft_with_the_chosen_intent(rig: SlackRig):
    await customer_writes(rig, "This is unacceptable")
    [card] = await rig.wait_cards(1)
    picker_block = next(b for b in card["blocks"] if b["type"] == "actions")

    await rig.sender.select(
        user=UREV,
        block_id=picker_block["block_id"],
        value="complaint",
        channel=CREVIEW,
        message_ts=card["ts"],
    )

    await wait_until(lambda: rig.desk.actions, what="the intent fix")
    [action] = rig.desk.actions
    assert (action.action, action.intent, action.draft_id) == (
        ReviewAction.FIX_INTENT,
        "complaint",
        1,
    )


@pytest.mark.parametrize(
    ("reaction", "expected"),
    [
        ("white_check_mark", ReviewAction.SEND),
        ("+1", ReviewAction.SEND),
        ("thumbsup::skin-tone-3", ReviewAction.SEND),
        ("x", ReviewAction.DISCARD),
        ("-1", ReviewAction.DISCARD),
        ("repeat", ReviewAction.VARIANT),
    ],
)
async def test_reactions_on_a_card_act_like_the_buttons(rig: SlackRig, reaction, expected):
    await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)

    await rig.sender.reaction(user=UREV, name=reaction, channel=CREVIEW, ts=card["ts"])

    await wait_until(lambda: rig.desk.actions, what="the reaction's action")
    [action] = rig.desk.actions
    assert action.action is expected
    assert action.card is not None
    assert (action.card.chat_id, action.card.message_id) == (CREVIEW, card["ts"])


async def test_other_reactions_and_reactions_outside_the_review_channel_do_nothing(rig: SlackRig):
    event = await customer_writes(rig, "Where is my order?")
    [card] = await rig.wait_cards(1)

    await rig.sender.reaction(user=UREV, name="tada", channel=CREVIEW, ts=card["ts"])
    await rig.sender.reaction(user=UCUST, name="+1", channel=CCUST, ts=event["ts"])
    await rig.sender.reaction(user=UREV, name="+1", channel=CREVIEW, ts=card["ts"])

    await wait_until(lambda: rig.desk.actions, what="the one meaningful reaction")
    await rig.adapter.idle()
    assert [(a.action, a.reviewer_id) for a in rig.desk.actions] == [(ReviewAction.SEND, UREV)]


async def test_customer_text_is_shown_literally_on_the_card_and_in_the_reply(rig: SlackRig):
    nasty = "<!channel> @here <b>bold?</b> *stars* _under_ `code` {{ customer.name }} &amp; <@UREV>"
    await customer_writes(rig, nasty)
    [card] = await rig.wait_cards(1)

    quoted = [b for b in card["blocks"] if b["type"] == "rich_text"]
    assert quoted[0]["elements"][0]["elements"][0] == {"type": "text", "text": nasty}
    # Customer words never sit in a mrkdwn object, where Slack would parse them.
    mrkdwn = [
        b["text"]["text"] for b in card["blocks"] if b.get("text", {}).get("type") == "mrkdwn"
    ]
    assert all(nasty not in text and "<!channel>" not in text for text in mrkdwn)
    assert "<!channel>" not in card["text"]
    assert "<@UREV>" not in card["text"]

    address = ReplyAddress(platform="slack", conversation_id="D0DM", customer_id=UCUST)
    await rig.adapter.send_reply(address, f"You wrote: {nasty}")
    [reply] = await rig.api.wait_for("chat.postMessage", channel="D0DM")
    assert reply.args["text"] == (
        "You wrote: &lt;!channel&gt; @here &lt;b&gt;bold?&lt;/b&gt; *stars* _under_ `code` "
        "{{ customer.name }} &amp;amp; &lt;@UREV&gt;"
    )
    assert reply.args["mrkdwn"] is False


async def test_a_reply_that_slack_rate_limits_or_fails_tells_the_outbox_when_to_retry(
    rig: SlackRig,
):
    address = ReplyAddress(
        platform="slack", conversation_id=f"{CCUST}/1710000000.000009", customer_id=UCUST
    )
    rig.api.fail("chat.postMessage", status=429, retry_after=7)
    rig.api.fail("chat.postMessage", status=500)
    rig.api.fail("chat.postMessage", drop=True)
    rig.api.fail("chat.postMessage", error="channel_not_found")

    with pytest.raises(DeliveryFailed) as limited:
        await rig.adapter.send_reply(address, "hello")
    with pytest.raises(DeliveryFailed) as broken:
        await rig.adapter.send_reply(address, "hello")
    with pytest.raises(aiohttp.ClientError):
        await rig.adapter.send_reply(address, "hello")
    with pytest.raises(DeliveryFailed) as gone:
        await rig.adapter.send_reply(address, "hello")
    ts = await rig.adapter.send_reply(address, "hello")

    assert (limited.value.retry_after, limited.value.permanent) == (7.0, False)
    assert (broken.value.retry_after, broken.value.permanent) == (None, False)
    assert gone.value.permanent
    assert "channel_not_found" in gone.value.reason
    # slack-sdk retried nothing on its own: five attempts, one delivery, in the thread.
    assert len(rig.api.attempts("chat.postMessage")) == 5
    [sent] = rig.api.called("chat.postMessage", channel=CCUST)
    assert (sent.args["thread_ts"], ts) == ("1710000000.000009", sent_ts(rig, CCUST))


def sent_ts(rig: SlackRig, channel: str) -> str:
    [message] = rig.api.posts(channel)
    return message["ts"]


async def test_display_names_come_from_users_info_once_per_person(rig: SlackRig):
    await customer_writes(rig, "first")
    await customer_writes(rig, "second")
    await rig.sender.message(channel=CCUST, user="UNKNOWN", text="who am I")

    await wait_until(lambda: len(rig.desk.received) == 3, what="three messages")
    await rig.adapter.idle()
    names = {m.text: m.customer_name for m, _ in rig.desk.received}
    assert names == {"first": "Léa Tremblay", "second": "Léa Tremblay", "who am I": None}
    assert len(rig.api.called("users.info", user=UCUST)) == 1


async def test_url_verification_answers_the_challenge(rig: SlackRig):
    body = json.dumps({"token": "t", "challenge": "c4ll3ng3", "type": "url_verification"})
    status, text = await rig.sender.post(body, content_type="application/json")
    assert (status, "c4ll3ng3" in text) == (200, True)


async def test_http_mode_without_a_signing_secret_is_a_clear_configuration_error(api):
    from bot.channels.slack import SlackAdapter
    from tests.slack.conftest import FakeDesk

    with pytest.raises(ConfigError, match=r"SLACK_SIGNING_SECRET is not set.*SLACK_APP_TOKEN"):
        SlackAdapter(
            desk=FakeDesk(),
            settings=slack_settings(api, slack_signing_secret=None),
            config=slack_config(),
        )


async def test_socket_mode_is_chosen_with_an_app_token_and_serves_no_http_route(api):
    from bot.channels.slack import SlackAdapter
    from tests.slack.conftest import FakeDesk

    desk = FakeDesk()
    adapter = SlackAdapter(
        desk=desk,
        settings=slack_settings(api, slack_signing_secret=None, slack_app_token="xapp-1-test"),
        config=slack_config(),
    )

    assert adapter.socket_mode is True
    assert adapter.routes() == []
    assert adapter.reviews  # the service makes it a review surface too
    desk.wire(adapter)
    assert desk.channels == [adapter]
    assert desk.surfaces == [adapter]


async def test_without_a_review_channel_slack_is_only_a_customer_channel(api):
    from bot.channels.slack import SlackAdapter
    from tests.slack.conftest import FakeDesk

    desk = FakeDesk()
    adapter = SlackAdapter(
        desk=desk, settings=slack_settings(api), config=slack_config(slack_channel=None)
    )

    assert not adapter.reviews
    desk.wire(adapter)
    assert desk.channels == [adapter]
    assert desk.surfaces == []
    assert [r.path for r in adapter.routes()] == ["/slack/events"]  # type: ignore[attr-defined]
    assert SIGNING_SECRET not in repr(slack_settings(api))


async def test_in_socket_mode_events_and_clicks_arrive_over_the_websocket_and_are_acked(api):
    from bot.channels.slack import SlackAdapter
    from tests.fakes.slack_api import SlackEventSender
    from tests.slack.conftest import FakeDesk

    desk = FakeDesk()
    adapter = SlackAdapter(
        desk=desk,
        settings=slack_settings(api, slack_signing_secret=None, slack_app_token="xapp-1-test"),
        config=slack_config(),
    )
    desk.wire(adapter)
    slack = SlackEventSender(url="unused: Socket Mode", signing_secret="unused")
    await adapter.start()
    try:
        [opened] = api.called("apps.connections.open")
        assert opened.token == "xapp-1-test"
        envelope = slack.envelope(slack.message_event(channel=CCUST, user=UCUST, text="Hi there"))

        ack = await api.socket_send("events_api", envelope)
        again = await api.socket_send("events_api", envelope, retry_attempt=1)
        [card] = await api.wait_for("chat.postMessage", channel=CREVIEW)
        click = slack.block_action_payload(
            user=UREV,
            action={"type": "button", "action_id": "replique_send", "value": "1"},
            channel=CREVIEW,
            message_ts=card.result["ts"],
        )
        clicked = await api.socket_send("interactive", click)
        [reply] = await api.wait_for("chat.postMessage", channel=CCUST)
        await adapter.idle()
    finally:
        await adapter.stop()

    assert {ack["envelope_id"], again["envelope_id"], clicked["envelope_id"]} == {
        "env-1",
        "env-2",
        "env-3",
    }
    assert [m.text for m, _ in desk.received] == ["Hi there"]
    assert reply.args["text"] == "Hi! Your order is on its way."
    assert api.sockets == []  # stop closed the connection


async def test_the_benchmark_helper_counts_every_card_once(rig: SlackRig):
    from tests.fakes.slack_api import measure_card_latency

    result = await measure_card_latency(
        api=rig.api,
        sender=rig.sender,
        customer_channel=CCUST,
        review_channel=CREVIEW,
        n=30,
        concurrency=5,
    )

    assert (result.messages, result.lost, result.duplicated) == (30, 0, 0)
    assert len(result.latencies_ms) == 30
    assert 0 < result.p50_ms <= result.p99_ms
    assert result.per_second > 0
    assert len(rig.desk.received) == 30
