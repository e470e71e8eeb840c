"""The Telegram review card (HTML text and inline keyboard) and its callback data, offline."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.channels.telegram_cards import (
    MAX_MESSAGE,
    Callback,
    decode_callback,
    encode_callback,
    intent_keyboard,
    render_card,
)
from bot.domain import DraftStatus, ReviewAction
from tests.cards import entity, sample_card, sample_why

ZONE = ZoneInfo("America/Toronto")
CARD = sample_card(
    customer_name="Léa Tremblay",
    message_text="Où est ma commande 88123 ?",
    language="fr",
    confidence=0.93,
    draft_text="Bonjour Léa, votre commande 88123 est en route.",
    template="fr/order_status/with_number",
    variants=3,
)


def labels(markup: object) -> list[str]:
    assert markup is not None
    return [b.text for row in markup.inline_keyboard for b in row]  # type: ignore[attr-defined]


def datas(markup: object) -> list[str]:
    assert markup is not None
    return [b.callback_data for row in markup.inline_keyboard for b in row]  # type: ignore[attr-defined]


def test_pending_card_shows_everything_with_four_buttons_and_the_intent_menu() -> None:
    text, keyboard = render_card(CARD, ZONE)
    assert "<b>Léa Tremblay · Telegram</b>" in text
    assert "<blockquote>Où est ma commande 88123 ?</blockquote>" in text
    assert "order_status 93%" in text
    assert "order_number 88123" in text
    assert "Draft (1/3)" in text
    assert CARD.draft_text in text
    assert "<i>order_status 90% · neutral · uses order_number</i>" in text
    assert [label[0] for label in labels(keyboard)] == ["✅", "✏", "🔁", "❌", "🏷"]
    assert datas(keyboard) == ["s:42", "e:42", "v:42", "d:42", "m:42"]


def test_decided_card_has_no_buttons_and_says_who_did_what() -> None:
    decided = replace(
        CARD,
        status=DraftStatus.EDITED,
        final_text="Elle arrive jeudi.",
        decided_by="Marc",
        decided_at=datetime(2026, 11, 28, 19, 2, tzinfo=UTC),
    )
    text, keyboard = render_card(decided, ZONE)  # 19:02 UTC is 14:02 in Toronto
    assert keyboard is None
    assert "Edited and sent by Marc at 14:02" in text
    assert "Elle arrive jeudi." in text
    assert "Draft (1/3)" not in text


@pytest.mark.parametrize(
    "nasty",
    [
        "<b>bold</b> <script>alert(1)</script>",
        "<!channel> @here @channel",
        "*bold* _it_ `code` [link](http://x)",
        "{{ brand.secret }} {% raw %}",
        "a & b < c > d <3",
    ],
)
def test_customer_text_is_escaped_everywhere(nasty: str) -> None:
    card = sample_card(
        customer_name=nasty,
        message_text=nasty,
        entities=(entity("PRODUCT", nasty),),
        draft_text=nasty,
        why=sample_why(legacy_text=nasty),
    )
    text, _ = render_card(card, ZONE)
    assert html.escape(nasty, quote=False) in text
    # Only the card's own tags remain.
    tags = set(re.findall(r"</?([a-z]+)", text))
    assert tags <= {"b", "i", "blockquote"}


def test_a_huge_message_is_clipped_to_fit_telegram() -> None:
    card = replace(CARD, message_text="&<>" * 5000, draft_text="é" * 3000)
    text, _ = render_card(card, ZONE)
    assert len(text) <= MAX_MESSAGE
    assert "more characters" in text
    assert "é" * 200 in text  # the draft, what the reviewer decides on, is kept longest


def test_an_attachment_is_named() -> None:
    text, _ = render_card(replace(CARD, attachment_kind="photo", message_text=""), ZONE)
    assert "[sent a photo, no text]" in text
    assert "<blockquote>" not in text
    captioned, _ = render_card(replace(CARD, attachment_kind="voice", message_text="listen"), ZONE)
    assert "[sent a voice]" in captioned
    assert "<blockquote>listen</blockquote>" in captioned


def test_promotional_drafts_say_so() -> None:
    text, _ = render_card(replace(CARD, promotional=True), ZONE)
    assert "promotional" in text


def test_intent_menu_marks_the_current_intent_and_comes_back() -> None:
    keyboard = intent_keyboard(CARD)
    assert labels(keyboard) == ["• order_status", "complaint", "other", "↩ Back"]
    assert datas(keyboard) == ["f:42:order_status", "f:42:complaint", "f:42:other", "b:42"]


@pytest.mark.parametrize("action", list(ReviewAction))
def test_callback_data_round_trips(action: ReviewAction) -> None:
    intent = "complaint" if action is ReviewAction.FIX_INTENT else None
    data = encode_callback(123456789012, action=action, intent=intent)
    assert data is not None
    assert len(data.encode()) <= 64
    assert decode_callback(data) == Callback(draft_id=123456789012, action=action, intent=intent)


def test_navigation_round_trips() -> None:
    assert decode_callback(encode_callback(5, navigation="menu")) == Callback(5, navigation="menu")
    assert decode_callback(encode_callback(5, navigation="back")) == Callback(5, navigation="back")


def test_an_intent_too_long_for_callback_data_is_left_out() -> None:
    long_name = "x" * 80
    assert encode_callback(1, action=ReviewAction.FIX_INTENT, intent=long_name) is None
    keyboard = intent_keyboard(replace(CARD, intent_choices=("complaint", long_name)))
    assert labels(keyboard) == ["complaint", "↩ Back"]


@pytest.mark.parametrize("data", [None, "", "s", "s:", "s:abc", "z:12", "f:12", "f:12:", "s:-1"])
def test_foreign_or_forged_callback_data_is_ignored(data: str | None) -> None:
    assert decode_callback(data) is None
