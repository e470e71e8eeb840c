"""The web channel's pure edges: browser JSON → domain values, cards → JSON, the page language,
the SVG charts and the event hub — no server needed."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain import DraftStatus, ReviewAction
from bot.i18n import LANGUAGES, MESSAGES
from bot.review.cards import ReviewCard
from bot.web import i18n
from bot.web.charts import Bars, Columns, Series, stacked_bars, stacked_columns
from bot.web.hub import EventHub, PageEvent
from bot.web.insights_page import duration
from bot.web.payloads import (
    MAX_TEXT,
    BadRequest,
    action_from_json,
    card_to_json,
    conversation_key,
    customer_post_from_json,
    inbound_message,
)
from tests.cards import sample_card

NOW = datetime(2024, 5, 1, 14, 2, tzinfo=UTC)
ZONE = ZoneInfo("America/Toronto")


def card(**changes: object) -> ReviewCard:
    values: dict[str, object] = {
        "customer_name": "Léa <b>",
        "customer_platform": "web",
        "message_text": "<script>alert(1)</script> {{ x }}",
        "intent": "complaint",
        "confidence": 0.92,
        "sentiment": "negative",
        "draft_text": "Hi Léa",
        "intent_choices": ("complaint", "order_status"),
    }
    values.update(changes)
    return sample_card(**values)


# --- customer messages -----------------------------------------------------------------------


def test_customer_post_becomes_one_inbound_message_per_named_customer() -> None:
    post = customer_post_from_json(
        {"name": "  Léa   Tremblay ", "look": "slack", "text": "Hello", "client_id": "abc12345"}
    )
    message = inbound_message(post, received_at=NOW)
    assert message.platform == "web"
    assert message.customer_name == "Léa Tremblay"
    assert message.conversation_id == message.customer_id == "léa tremblay"
    assert message.platform_message_id == "abc12345"
    assert message.text == "Hello"
    assert message.received_at == NOW
    assert post.look == "slack"
    assert conversation_key("LÉA  tremblay") == conversation_key("léa tremblay")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"text": "hi"}, "no_name"),
        ({"name": "   ", "text": "hi"}, "no_name"),
        ({"name": "Léa", "text": "   "}, "empty_text"),
        ({"name": "Léa", "text": 42}, "empty_text"),
        ({"name": "Léa", "text": "x" * (MAX_TEXT + 1)}, "too_long"),
        ({"name": "Léa", "text": "hi", "look": "myspace"}, "bad_request"),
        ({"name": "Léa", "text": "hi", "client_id": "<script>"}, "bad_request"),
    ],
)
def test_bad_customer_posts_are_refused_with_a_code(payload: dict[str, object], code: str) -> None:
    with pytest.raises(BadRequest) as refused:
        customer_post_from_json(payload)
    assert refused.value.code == code


def test_a_message_of_exactly_the_limit_is_accepted_and_a_client_id_is_made_up() -> None:
    post = customer_post_from_json({"name": "Léa", "text": "x" * MAX_TEXT})
    assert len(post.text) == MAX_TEXT
    assert len(post.client_id) >= 8


# --- reviewer actions ------------------------------------------------------------------------


def test_actions_carry_the_draft_and_the_playground_reviewer() -> None:
    action = action_from_json(
        {"action": "edit", "draft_id": 21, "edited_text": "Bonjour"},
        reviewer_id="playground",
        reviewer_name="Reviewer",
    )
    assert action.action is ReviewAction.EDIT
    assert (action.platform, action.reviewer_id, action.draft_id) == ("web", "playground", 21)
    assert action.edited_text == "Bonjour"
    fix = action_from_json(
        {"action": "fix_intent", "draft_id": 3, "intent": "order_status"},
        reviewer_id="p",
        reviewer_name="R",
    )
    assert fix.intent == "order_status"


@pytest.mark.parametrize(
    "payload",
    [
        {"action": "launch", "draft_id": 1},
        {"action": "send"},
        {"action": "send", "draft_id": "1"},
        {"action": "send", "draft_id": True},
        {"action": "send", "draft_id": 0},
        {"action": "edit", "draft_id": 1, "edited_text": "  "},
        {"action": "fix_intent", "draft_id": 1, "intent": "Robert'); DROP"},
    ],
)
def test_bad_actions_are_refused(payload: dict[str, object]) -> None:
    with pytest.raises(BadRequest):
        action_from_json(payload, reviewer_id="p", reviewer_name="R")


def test_card_json_keeps_customer_text_as_plain_strings() -> None:
    shown = card_to_json(card(status=DraftStatus.SENT, decided_at=NOW, decided_by="Léa"), ZONE)
    assert shown["message_text"] == "<script>alert(1)</script> {{ x }}"
    assert shown["customer_name"] == "Léa <b>"
    assert shown["entities"] == [{"label": "ORDER_NUMBER", "text": "88123"}]
    assert shown["status"] == "sent"
    assert shown["decided"] is True
    assert shown["decided_at"] == "2024-05-01T14:02:00+00:00"
    assert shown["intent_choices"] == ["complaint", "order_status"]
    assert shown["status_line"] == "✅ Sent by Léa at 10:02"  # 14:02 UTC, in the brand's zone
    assert shown["summary"] == "complaint 92% · negative · en · order_number 88123"


# --- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ("fr", "en-US,en;q=0.9", "fr"),
        (None, "fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        (None, "de-DE,en;q=0.5,fr;q=0.7", "fr"),
        (None, "de-DE,en;q=0.5", "en"),
        (None, "fr;q=0,en", "en"),
        ("xx", "fr-FR", "fr"),
    ],
)
def test_page_language(query: str | None, header: str, expected: str) -> None:
    assert i18n.pick_language(query=query, accept_language=header) == expected


def test_without_a_browser_preference_the_process_language_decides(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    assert i18n.pick_language(query=None, accept_language=None) == "fr"


def test_every_ui_string_exists_in_both_languages() -> None:
    for lang in LANGUAGES:
        strings = i18n.ui_strings(lang)
        assert set(strings) == {key.removeprefix("web.") for key in i18n.UI_KEYS}
        assert all(strings.values())
    assert all(key in MESSAGES for key in i18n.UI_KEYS)
    assert i18n.text("web.card_from", "fr", name="Léa", platform="web") == "Léa sur web"


# --- charts --------------------------------------------------------------------------------------


def test_charts_escape_their_labels_and_give_exact_counts() -> None:
    hostile = "<script>x</script>"
    bars = stacked_bars(
        Bars(
            title="Drafts & templates",
            description="d",
            rows=(hostile, "en/pricing/a"),
            series=(Series("sent", "#1e7b34", (2.0, 5.0)), Series("edited", "#9e7000", (1.0, 0.0))),
        ),
        tip=lambda label, value: f"{label}: {value:.0f}",
    )
    assert "<script>" not in bars
    assert "&lt;script&gt;x&lt;/script&gt; · sent: 2" in bars
    assert "en/pricing/a · sent: 5" in bars
    assert "en/pricing/a · edited" not in bars  # a zero draws no segment
    assert 'role="img"' in bars
    assert "Drafts &amp; templates" in bars
    columns = stacked_columns(
        Columns(
            title="t",
            description="d",
            days=(date(2024, 5, 1), date(2024, 5, 2)),
            series=(Series("complaint", "#1f5fa8", (0.0, 3.0)),),
        ),
        tip=lambda label, value: f"{label}: {value:.0f}",
    )
    assert columns.count("<rect") == 1
    assert "2024-05-02 · complaint: 3" in columns


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(4.4, "4 s"), (61, "1 min 01 s"), (3 * 3600 + 600, "3 h 10 min"), (3 * 86400, "3 d 0 h")],
)
def test_durations_read_like_a_person_says_them(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown


# --- event hub -----------------------------------------------------------------------------------


async def test_hub_fans_out_and_close_ends_every_stream() -> None:
    hub = EventHub()
    got: dict[str, list[str]] = {"a": [], "b": []}

    async def listen(name: str) -> None:
        async for event in hub.listen(first=PageEvent("hello", {})):
            got[name].append(event.kind)

    tasks = [asyncio.create_task(listen(n)) for n in got]
    while hub.listeners < 2:
        await asyncio.sleep(0)
    hub.publish(PageEvent("card", {"card": {}}))
    hub.close()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
    assert got == {"a": ["hello", "card"], "b": ["hello", "card"]}
    assert hub.listeners == 0
    assert [e async for e in hub.listen()] == []  # a page arriving after stop ends at once
