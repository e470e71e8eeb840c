"""Every review surface shows the order facts and the customer's history kept with the draft,
escaped like the rest of the card; a card without them shows neither line."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.channels.slack_blocks import card_blocks
from bot.channels.telegram_cards import render_card
from bot.domain import Facts, History, Order, OrderItem
from bot.review.cards import ReviewCard
from bot.web.payloads import card_to_json
from tests.cards import sample_card, sample_why

ZONE = ZoneInfo("America/Toronto")
ORDER = Order(
    number="48213",
    status="in_transit",
    carrier="Postes <Canada>",
    tracking_number="7023210039414604",
    eta="2026-12-10",
    items=(OrderItem("Moulin Manuel Taïga", 1),),
)
HISTORY = History(messages_this_week=3, first_contact=False, last_intent="complaint",
                  last_days_ago=2, orders_count=7)  # fmt: skip
FACTS_LINE = (
    "Order 48213 · in transit · Postes <Canada> 7023210039414604 · ETA Thursday, December 10 · "
    "1 × Moulin Manuel Taïga"
)
HISTORY_LINE = "3rd message this week · last: complaint, 2 days ago · 7 orders"


def _card(**why: object) -> ReviewCard:
    return sample_card(why=sample_why(**why))


def test_slack_shows_the_facts_and_the_history() -> None:
    card = _card(order_facts=Facts("shopify", True, 3.0, ORDER), history=HISTORY, facts=("eta",))
    texts = [
        e["text"]
        for block in card_blocks(card, ZONE)
        if block["type"] == "context"
        for e in block["elements"]
    ]
    assert f"🕘 {HISTORY_LINE}" in texts
    assert f"📦 {FACTS_LINE}" in texts
    assert any("order 48213 (shopify): ETA" in text for text in texts)


def test_telegram_escapes_the_facts_line() -> None:
    card = _card(order_facts=Facts("shopify", True, 3.0, ORDER), history=HISTORY)
    html, _ = render_card(card, ZONE)
    assert f"📦 {FACTS_LINE.replace('<', '&lt;').replace('>', '&gt;')}" in html
    assert f"🕘 {HISTORY_LINE}" in html
    assert "<Canada>" not in html


def test_the_playground_gets_both_lines() -> None:
    payload = card_to_json(
        _card(order_facts=Facts("csv", False, 800.0, problem="timeout", asked="48213")), ZONE
    )
    assert payload["facts"] == "Order 48213: order system too slow (over the time budget)"
    assert payload["history"] is None


def test_a_card_without_an_order_system_has_no_facts_line() -> None:
    card = sample_card()
    assert card_to_json(card, ZONE)["facts"] is None
    assert not any("📦" in str(block) for block in card_blocks(card, ZONE))
    assert "📦" not in render_card(card, ZONE)[0]
