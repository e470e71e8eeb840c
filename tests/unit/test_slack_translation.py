"""The Slack adapter's pure translations: events in, Block Kit out, Slack errors to the outbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.errors import SlackApiError

from bot.channels.slack_blocks import card_blocks, card_fallback, edit_modal, modal_draft_id
from bot.channels.slack_events import (
    customer_message,
    delivery_failure,
    parse_conversation,
    reaction_action,
    user_name,
)
from bot.domain import DraftStatus, InboundMessage, ReviewAction
from bot.review.cards import CardRef
from tests.cards import sample_card

ZONE = ZoneInfo("America/Toronto")

CUSTOMER_CHANNELS = ("CCUST",)


def card(**changes):
    return sample_card(
        **{
            "customer_name": "Léa <b>",
            "message_text": "Where is <!channel> order 88123? *now*",
            **changes,
        }
    )


def event(**fields) -> dict:
    return {"type": "message", "channel": "CCUST", "user": "U1", "text": "hi", "ts": "17.000100",
            "channel_type": "channel", **fields}  # fmt: skip


# --- events → InboundMessage ---------------------------------------------------------------


def test_a_channel_message_is_one_conversation_per_customer():
    message = customer_message(event(), customer_channels=CUSTOMER_CHANNELS)
    assert message == InboundMessage(
        platform="slack",
        conversation_id="CCUST:U1",
        customer_id="U1",
        text="hi",
        platform_message_id="17.000100",
        received_at=datetime.fromtimestamp(17.0001, UTC),
    )


@pytest.mark.parametrize(
    ("fields", "conversation", "thread"),
    [
        ({"thread_ts": "16.5"}, "CCUST/16.5", "16.5"),
        ({"channel": "D9", "channel_type": "im"}, "D9", None),
        ({"channel": "D9", "channel_type": "im", "thread_ts": "16.5"}, "D9/16.5", "16.5"),
    ],
)
def test_threads_and_dms_are_conversations_and_the_key_leads_back(fields, conversation, thread):
    message = customer_message(event(**fields), customer_channels=CUSTOMER_CHANNELS)
    assert message is not None
    assert (message.conversation_id, message.thread_id) == (conversation, thread)
    where = parse_conversation(message.conversation_id)
    assert (where.channel, where.thread_ts) == (fields.get("channel", "CCUST"), thread)


@pytest.mark.parametrize(
    "fields",
    [
        {"bot_id": "B1"},
        {"subtype": "bot_message"},
        {"subtype": "channel_join"},
        {"subtype": "message_deleted"},
        {"user": "UBOT"},
        {"channel": "COTHER"},
        {"channel": "CREVIEW"},
        {"user": None},
    ],
)
def test_what_is_not_a_customer_message(fields):
    found = customer_message(
        event(**fields),
        customer_channels=(*CUSTOMER_CHANNELS, "CREVIEW"),
        bot_user_id="UBOT",
        review_channel="CREVIEW",
    )
    assert found is None


def test_an_edit_keeps_the_original_ts_and_an_unchanged_text_is_not_an_edit():
    inner = {"type": "message", "user": "U1", "text": "new", "ts": "17.000100"}
    changed = event(subtype="message_changed", message=inner, previous_message={"text": "old"})
    unfurl = event(subtype="message_changed", message=inner, previous_message={"text": "new"})

    message = customer_message(changed, customer_channels=CUSTOMER_CHANNELS)

    assert message is not None
    assert (message.text, message.platform_message_id) == ("new", "17.000100")
    assert customer_message(unfurl, customer_channels=CUSTOMER_CHANNELS) is None


def test_a_shared_photo_says_what_arrived():
    files = [{"mimetype": "image/jpeg", "name": "parcel.jpg"}]
    message = customer_message(
        event(subtype="file_share", files=files, text=""), customer_channels=CUSTOMER_CHANNELS
    )
    assert message is not None
    assert (message.attachment_kind, message.text) == ("photo", "")


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("white_check_mark", ReviewAction.SEND),
        ("+1", ReviewAction.SEND),
        ("thumbsup::skin-tone-5", ReviewAction.SEND),
        ("x", ReviewAction.DISCARD),
        ("-1", ReviewAction.DISCARD),
        ("thumbsdown", ReviewAction.DISCARD),
        ("repeat", ReviewAction.VARIANT),
    ],
)
def test_card_reactions(name, action):
    found = reaction_action(
        {"reaction": name, "item": {"type": "message", "channel": "CR", "ts": "1.2"}}
    )
    assert found == (action, CardRef("slack", "CR", "1.2"))


def test_other_reactions_and_reactions_on_files_mean_nothing():
    assert reaction_action({"reaction": "tada", "item": {"type": "message", "channel": "C",
                                                         "ts": "1"}}) is None  # fmt: skip
    assert reaction_action({"reaction": "+1", "item": {"type": "file", "file": "F1"}}) is None


def test_user_names_prefer_the_display_name():
    assert (
        user_name({"name": "lea", "profile": {"display_name": " Léa ", "real_name": "L T"}})
        == "Léa"
    )
    assert (
        user_name({"name": "lea", "profile": {"display_name": "", "real_name": "Léa T"}}) == "Léa T"
    )
    assert user_name({"name": "lea"}) == "lea"
    assert user_name({}) is None


# --- ReviewCard → Block Kit ----------------------------------------------------------------


def test_a_pending_card_has_four_buttons_carrying_the_draft_and_an_intent_picker():
    blocks = card_blocks(card(), ZONE)
    [actions] = [b for b in blocks if b["type"] == "actions"]
    labels = [e["text"]["text"] for e in actions["elements"] if e["type"] == "button"]
    assert labels == ["✅ Send", "✏️ Edit", "🔁 Another version", "❌ Discard"]
    assert {e["value"] for e in actions["elements"] if e["type"] == "button"} == {"42"}
    picker = actions["elements"][-1]
    assert picker["type"] == "static_select"
    assert actions["block_id"] == "replique_actions:42"
    assert picker["initial_option"]["value"] == "order_status"
    assert "*Draft* (1/2)" in json.dumps(blocks, ensure_ascii=False)


def test_customer_words_are_never_mrkdwn_and_the_fallback_is_escaped():
    blocks = card_blocks(card(), ZONE)
    for block in blocks:
        for obj in [block.get("text") or {}, *(block.get("elements") or [])]:
            if obj.get("type") == "mrkdwn":
                assert "<!channel>" not in obj["text"]
                assert "Léa" not in obj["text"]
    quote = next(b for b in blocks if b["type"] == "rich_text")
    assert quote["elements"][0]["elements"][0]["text"] == "Where is <!channel> order 88123? *now*"
    assert (
        card_fallback(card(), ZONE)
        == "Draft for Léa &lt;b&gt;: Hi Léa, your order 88123 left today."
    )


def test_a_decided_card_shows_the_text_sent_and_who_and_has_no_buttons():
    decided = card(
        status=DraftStatus.EDITED,
        final_text="Edited text",
        decided_by="Marc",
        decided_at=datetime(2026, 11, 28, 19, 2, tzinfo=UTC),
    )
    blocks = card_blocks(decided, ZONE)  # 19:02 UTC is 14:02 in Toronto
    shown = json.dumps(blocks, ensure_ascii=False)
    assert not [b for b in blocks if b["type"] == "actions"]
    assert "Edited text" in shown
    assert "✏️ Edited and sent by Marc at 14:02" in shown
    assert "Marc" in card_fallback(decided, ZONE)


def test_a_ten_thousand_character_message_fits_block_kit_limits():
    blocks = card_blocks(card(message_text="é" * 10_000, draft_text="d" * 5000), ZONE)
    quotes = [b["elements"][0]["elements"][0]["text"] for b in blocks if b["type"] == "rich_text"]
    assert "".join(quotes) == "é" * 10_000
    assert all(len(q) <= 3000 for q in quotes)
    assert len(blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")


def test_a_photo_without_text_says_so():
    blocks = card_blocks(card(message_text="", attachment_kind="photo"), ZONE)
    quote = next(b for b in blocks if b["type"] == "rich_text")
    assert quote["elements"][0]["elements"][0]["text"] == "[sent a photo, no text]"


def test_the_edit_modal_is_prefilled_and_remembers_its_draft():
    modal = edit_modal(card())
    assert modal["blocks"][0]["element"]["initial_value"] == "Hi Léa, your order 88123 left today."
    assert modal_draft_id(modal) == 42
    assert modal_draft_id({"private_metadata": "not json"}) is None
    assert len(modal["title"]["text"]) <= 24


def test_french_reviewers_read_french(monkeypatch):
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    labels = [
        e["text"]["text"]
        for b in card_blocks(card(), ZONE)
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    ]
    assert labels == ["✅ Envoyer", "✏️ Modifier", "🔁 Autre version", "❌ Écarter"]
    assert len(edit_modal(card())["title"]["text"]) <= 24


# --- Slack errors → the outbox's retry decision --------------------------------------------


def api_error(status: int, error: str, headers: dict | None = None) -> SlackApiError:
    response = SimpleNamespace(status_code=status, data={"ok": False, "error": error},
                               headers=headers or {})  # fmt: skip
    response.get = lambda key, default=None: response.data.get(key, default)
    return SlackApiError("failed", response)


@pytest.mark.parametrize(
    ("status", "error", "headers", "retry_after", "permanent"),
    [
        (429, "ratelimited", {"retry-after": "12"}, 12.0, False),
        (429, "ratelimited", {}, 1.0, False),
        (500, "internal_error", {}, None, False),
        (503, "service_unavailable", {}, None, False),
        (200, "channel_not_found", {}, None, True),
        (200, "not_in_channel", {}, None, True),
        (200, "is_archived", {}, None, True),
        (200, "invalid_auth", {}, None, True),
        (200, "fatal_error", {}, None, False),
    ],
)
def test_slack_errors_become_delivery_failures(status, error, headers, retry_after, permanent):
    failure = delivery_failure(api_error(status, error, headers))
    assert (failure.retry_after, failure.permanent) == (retry_after, permanent)
    assert failure.reason.startswith("slack")
