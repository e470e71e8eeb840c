"""Drafts that know the order: the facts in the wording, the privacy rule, a failing order system
that never blocks a draft, ``replique draft --json``'s ``facts``, the cards' lines, the customer's
history from the store."""

from __future__ import annotations

import io
import json
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import AppConfig, OrdersConfig, Reviewers
from bot.domain import (
    CustomerProfile,
    Facts,
    History,
    InboundMessage,
    Order,
    OrderItem,
    OrderStatus,
    PastContact,
)
from bot.drafting.replier import Replier
from bot.drafting.session import Drafted, DraftRequest, DraftSession
from bot.jsonl import run_jsonl
from bot.nlp.analyser import Analyser
from bot.orders import OrderLookup, References, customer_history, vip_tier
from bot.orders.fakes import StaticProvider
from bot.review.desk import ReviewDesk
from bot.review.fakes import MemoryChannel, MemorySurface
from bot.review.outbox import OutboxSender, Pacer
from bot.store import Store
from bot.wording import facts_line, history_line, why_line
from tests.waiting import wait_until

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
SOPHIE = Order(
    number="48213",
    status="in_transit",
    carrier="Postes Canada",
    tracking_number="7023210039414604",
    tracking_url="https://track.example/7023210039414604",
    eta="2026-12-10",
    items=(OrderItem("Moulin Manuel Taïga", 1),),
    email="sophie@example.com",
    first_name="Sophie",
    orders_count=7,
)


def _session(
    app_config: AppConfig, analyser: Analyser, provider: StaticProvider, *, budget_ms: int = 800
) -> DraftSession:
    orders = OrdersConfig(provider="http", url="http://127.0.0.1:9/x", budget_ms=budget_ms)
    config = app_config.model_copy(update={"orders": orders})
    lookup = OrderLookup(provider, budget_ms=budget_ms)
    return DraftSession(config, replier=Replier(config, analyser=analyser, orders=lookup))


def _draft(session: DraftSession, text: str) -> tuple[Drafted, list[str]]:
    drafted = session.draft_many([DraftRequest(text)], now=NOW)[0]
    return drafted, [d.text for d in drafted.result.drafts]


def test_the_first_draft_states_where_the_order_is_in_the_customers_language(
    app_config: AppConfig, analyser: Analyser
) -> None:
    session = _session(app_config, analyser, StaticProvider([SOPHIE]))
    fr = session.draft_many([DraftRequest("Bonjour, où est ma commande 48213 ?")], now=NOW)[0]
    en = session.draft_many([DraftRequest("Hi, where is my order 48213?")], now=NOW)[0]
    first_fr, first_en = fr.result.drafts[0], en.result.drafts[0]
    assert first_fr.template == "fr/order_status/with_order"
    assert "en route avec Postes Canada" in first_fr.text
    assert "jeudi 10 décembre" in first_fr.text
    assert "7023210039414604" in first_fr.text
    assert "Moulin Manuel Taïga" in first_fr.text
    assert first_en.template == "en/order_status/with_order"
    assert "Thursday, December 10" in first_en.text
    assert first_fr.why.facts == (
        "status",
        "carrier",
        "tracking_number",
        "tracking_url",
        "eta",
        "items",
    )
    assert "order 48213 (static): status, carrier, tracking, tracking link, ETA, items" in why_line(
        first_en.why
    )
    # A draft that states nothing of the order names no fact.
    assert all(d.why.facts == () for d in fr.result.drafts[1:])
    assert fr.facts is not None
    assert fr.facts.found


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("paid", "hasn't shipped yet"),
        ("delivered", "already been delivered"),
        ("refunded", "already cancelled and refunded"),
    ],
)
def test_a_cancellation_follows_the_orders_status(
    app_config: AppConfig, analyser: Analyser, status: OrderStatus, words: str
) -> None:
    order = replace(SOPHIE, status=status)
    session = _session(app_config, analyser, StaticProvider([order]))
    _drafted, texts = _draft(session, "I want to cancel order 48213 please")
    assert words in texts[0]


def test_an_order_of_another_email_is_never_described(
    app_config: AppConfig, analyser: Analyser
) -> None:
    session = _session(app_config, analyser, StaticProvider([SOPHIE]))
    drafted, texts = _draft(session, "Where is order 48213? My e-mail is mallory@example.com")
    assert drafted.result.drafts[0].template == "en/order_status/confirm_email"
    assert "confirm the e-mail address used for order 48213" in texts[0]
    for text in texts:
        for fact in ("Postes Canada", "7023210039414604", "Taïga", "December 10", "on its way"):
            assert fact not in text
    assert drafted.facts is not None
    assert drafted.facts.problem == "email_mismatch"
    assert "no order facts: the e-mail given is not the order's" in why_line(
        drafted.result.drafts[0].why
    )


def test_an_email_given_earlier_finds_the_order(app_config: AppConfig, analyser: Analyser) -> None:
    session = _session(app_config, analyser, StaticProvider([SOPHIE]))
    session.draft_many(
        [DraftRequest("Hello, my email is sophie@example.com", customer_id="s1")], now=NOW
    )
    drafted = session.draft_many(
        [DraftRequest("Where is my parcel? It has not arrived", customer_id="s1")], now=NOW
    )[0]
    assert drafted.analysis.intent.name == "order_status"
    assert drafted.facts is not None
    assert drafted.facts.order is not None
    assert drafted.facts.order.number == "48213"
    assert "Order 48213" in drafted.result.drafts[0].text


def test_a_hanging_order_system_does_not_block_the_draft(
    app_config: AppConfig, analyser: Analyser
) -> None:
    provider = StaticProvider([SOPHIE], delay=10.0)
    session = _session(app_config, analyser, provider, budget_ms=150)
    started = time.perf_counter()
    drafted, texts = _draft(session, "Where is my order 48213?")
    waited = time.perf_counter() - started
    provider.close()
    assert waited < 2.0
    assert drafted.facts is not None
    assert drafted.facts.problem == "timeout"
    assert texts
    assert all("Postes Canada" not in t for t in texts)
    assert "no order facts: order system too slow" in why_line(drafted.result.drafts[0].why)


def test_a_failing_order_system_still_drafts(app_config: AppConfig, analyser: Analyser) -> None:
    session = _session(app_config, analyser, StaticProvider([SOPHIE], fail=True))
    drafted, texts = _draft(session, "Où en est ma commande 48213 ?")
    assert texts
    assert drafted.facts is not None
    assert drafted.facts.problem == "unreachable"
    assert drafted.result.drafts[0].template != "fr/order_status/with_order"


def test_warm_cache_costs_no_visit(app_config: AppConfig, analyser: Analyser) -> None:
    provider = StaticProvider([SOPHIE])
    lookup = OrderLookup(provider)
    first = lookup.facts(References(order_number="48213"))
    again = [lookup.facts(References(order_number="48213")) for _ in range(50)]
    assert provider.calls == 1
    assert first == again[0]
    assert max(f.ms for f in again) < 5


def test_draft_json_carries_facts(app_config: AppConfig, analyser: Analyser) -> None:
    session = _session(app_config, analyser, StaticProvider([SOPHIE]))
    out = io.StringIO()
    lines = [
        {"text": "Bonjour, où est ma commande 48213 ?"},
        {"text": "Où est ma commande 11111 ?"},
        {"text": "Merci beaucoup !"},
    ]
    run_jsonl(session, io.StringIO("".join(json.dumps(x) + "\n" for x in lines)), out)
    found, missing, nothing = (json.loads(line) for line in out.getvalue().splitlines())
    assert found["facts"]["source"] == "static"
    assert found["facts"]["found"] is True
    assert isinstance(found["facts"]["ms"], float)
    assert found["facts"]["order"] == {
        "number": "48213",
        "status": "in_transit",
        "carrier": "Postes Canada",
        "tracking_number": "7023210039414604",
        "tracking_url": "https://track.example/7023210039414604",
        "eta": "2026-12-10",
        "items": [{"name": "Moulin Manuel Taïga", "quantity": 1}],
    }
    assert "ETA" in found["drafts"][0]["why"]
    assert missing["facts"]["found"] is False
    assert missing["facts"]["problem"] == "not_found"
    assert "order" not in missing["facts"]
    assert nothing["facts"] == {
        "source": "static",
        "found": False,
        "ms": 0.0,
        "problem": "no_reference",
    }


def test_the_card_lines() -> None:
    facts = Facts("csv", True, 1.0, SOPHIE)
    assert facts_line(facts) == (
        "Order 48213 · in transit · Postes Canada 7023210039414604 · "
        "ETA Thursday, December 10 · 1 × Moulin Manuel Taïga"
    )
    assert facts_line(Facts("csv", False, 1.0, problem="unreachable", asked="48213")) == (
        "Order 48213: order system unreachable"
    )
    assert facts_line(Facts("csv", False, 0.0, problem="no_reference")) is None
    history = History(messages_this_week=3, first_contact=False, last_intent="complaint",
                      last_days_ago=2, orders_count=7)  # fmt: skip
    assert history_line(history) == "3rd message this week · last: complaint, 2 days ago · 7 orders"
    assert history_line(History()) == "first contact"


def test_history_from_contacts() -> None:
    contacts = (
        PastContact(NOW - timedelta(days=2), "complaint"),
        PastContact(NOW - timedelta(days=3), "order_status"),
        PastContact(NOW - timedelta(days=20), "greeting"),
    )
    profile = CustomerProfile("u1", contacts=contacts)
    history = customer_history(
        profile, Facts("csv", True, 1.0, SOPHIE), now=NOW, vip_tiers={"VIP": 5, "Gold": 10}
    )
    assert history == History(
        messages_this_week=3,
        first_contact=False,
        last_intent="complaint",
        last_days_ago=2,
        orders_count=7,
        open_complaint_days=2,
        vip="VIP",
    )
    assert vip_tier(12, {"VIP": 5, "Gold": 10}) == "Gold"
    assert vip_tier(None, {"VIP": 1}) is None


def test_a_recent_complaint_is_referred_back_to(app_config: AppConfig, analyser: Analyser) -> None:
    session = _session(app_config, analyser, StaticProvider([SOPHIE]))
    session.draft_many(
        [DraftRequest("Your coffee arrived stale, this is unacceptable", customer_id="c1")],
        now=NOW - timedelta(days=2),
    )
    drafted = session.draft_many(
        [DraftRequest("Still no answer about my complaint, this is terrible", customer_id="c1")],
        now=NOW,
    )[0]
    assert drafted.history is not None
    assert drafted.history.open_complaint_days == 2
    assert drafted.analysis.intent.name == "complaint"
    assert drafted.result.drafts[0].template == "en/complaint/follow_up"
    assert "complaint you raised 2 days ago" in drafted.result.drafts[0].text


# --- the desk: the card shows the facts and the history kept with the draft -----------------


@pytest.fixture
async def desk(
    store: Store, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[tuple[ReviewDesk, MemorySurface]]:
    review = app_config.review.model_copy(update={"reviewers": Reviewers(telegram=(111,))})
    config = app_config.model_copy(update={"review": review})
    outbox = OutboxSender(store=store, pacer=Pacer(per_chat={}, overall={}))
    replier = Replier(config, analyser=analyser, orders=OrderLookup(StaticProvider([SOPHIE])))
    desk = ReviewDesk(config=config, store=store, replier=replier, outbox=outbox)
    surface = MemorySurface("telegram")
    desk.add_surface(surface)
    outbox.add_channel(MemoryChannel("telegram"))
    await desk.start()
    try:
        yield desk, surface
    finally:
        await desk.stop()
        desk.close()


def _says(text: str, msg_id: str, at: datetime) -> InboundMessage:
    return InboundMessage(
        platform="telegram",
        conversation_id="chat-1",
        customer_id="u1",
        customer_name="Sophie",
        text=text,
        platform_message_id=msg_id,
        received_at=at,
    )


async def test_the_card_shows_the_facts_and_the_history(
    desk: tuple[ReviewDesk, MemorySurface],
) -> None:
    service, _ = desk
    await service.receive(
        _says("Bonjour, mon courriel est sophie@example.com", "1", NOW - timedelta(days=1))
    )
    received = await service.receive(_says("Où en est ma commande ?", "2", NOW))
    card = received.card
    assert card is not None
    assert card.facts is not None
    assert card.facts.order is not None
    assert card.facts.order.number == "48213"  # found by the e-mail the store remembered
    assert facts_line(card.facts) is not None
    assert "in transit" in str(facts_line(card.facts))
    line = history_line(card.history)
    assert line is not None
    # The demo brand's tier: 5 orders make a VIP.
    assert line.startswith("⭐ VIP · 2nd message this week · last: ")
    assert line.endswith(", yesterday · 7 orders")
    assert card.history is not None
    assert (card.history.messages_this_week, card.history.first_contact) == (2, False)
    assert card.history.last_days_ago == 1
    assert card.history.orders_count == 7


async def test_each_slow_lookup_counts_once_and_a_late_answer_still_fills_the_cache() -> None:
    orders = [replace(SOPHIE, number=str(n)) for n in range(1, 6)]
    provider = StaticProvider(orders, delay=0.2)
    lookup = OrderLookup(provider, budget_ms=30, breaker_failures=3, breaker_seconds=60)
    problems = [lookup.facts(References(order_number=str(n))).problem for n in (1, 2)]
    # The late answers arrive: they neither reset the count nor add to it.
    await wait_until(lambda: lookup.cached == 2, what="the late answers")
    assert problems == ["timeout", "timeout"]
    assert not lookup.breaker.open
    assert lookup.facts(References(order_number="1")).found  # filled by the late answer
    assert lookup.facts(References(order_number="3")).problem == "timeout"
    assert lookup.breaker.open
    assert lookup.facts(References(order_number="4")).problem == "circuit_open"
    provider.close()
    lookup.close()
