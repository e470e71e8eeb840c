"""Insights read from the store, on SQLite and PostgreSQL: counts per day in the brand's zone,
what reviewers did per template and intent, the median wait, offers held back by policy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import Analysis, Draft, HeldOffer, InboundMessage, IntentScore, ReviewAction, Why
from bot.store import Store
from bot.store.insights import DailyCount, Outcomes

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def analysis(intent: str, sentiment: str) -> Analysis:
    return Analysis(
        language="en",
        language_confidence=0.99,
        intent=IntentScore(intent, 0.9),
        alternatives=(),
        sentiment=sentiment,  # type: ignore[arg-type]
        sentiment_confidence=0.8,
    )


def message(
    store: Store,
    *,
    who: str,
    at: datetime,
    intent: str,
    sentiment: str,
    templates: tuple[str, ...] = ("t/a",),
    offer_blocked: str | None = None,
    why: Why | None = None,
) -> list[int]:
    """A customer message, analysed and drafted; returns its draft ids."""
    intake = store.take_in(
        InboundMessage(
            platform="web",
            conversation_id=who,
            customer_id=who,
            text="…",
            received_at=at,
            platform_message_id=f"{who}-{at.timestamp()}",
        )
    )
    reasons = why or Why(
        intent=intent,
        confidence=0.9,
        sentiment=sentiment,
        held_offer=HeldOffer(offer_blocked, intent=intent) if offer_blocked else None,
    )
    drafts = [
        Draft(
            text="reply",
            template=name,
            promotional=False,
            why=reasons,
            rank=rank,
            offer_blocked=offer_blocked,
        )
        for rank, name in enumerate(templates, start=1)
    ]
    saved = store.save_drafting(
        intake.recorded, analysis=analysis(intent, sentiment), drafts=drafts
    )
    return list(saved.saved.draft_ids)


def test_empty_store_has_nothing_to_show(store: Store) -> None:
    found = store.insights(since=T0 - timedelta(days=30), until=T0)
    assert found.messages == found.decisions == 0
    assert found.messages_by_intent == ()
    assert found.outcomes_by_template == ()
    assert found.median_decision_seconds is None
    assert found.offers_blocked == ()


def test_insights_count_what_customers_and_reviewers_did(store: Store) -> None:
    # 03:30 UTC on 2 May is still 1 May in Toronto: days belong to the brand's time zone.
    late = datetime(2024, 5, 2, 3, 30, tzinfo=UTC)
    lea = message(
        store,
        who="lea",
        at=T0,
        intent="complaint",
        sentiment="negative",
        templates=("en/complaint/a", "en/complaint/b"),
        offer_blocked="offer.unhappy",
    )
    sam = message(
        store,
        who="sam",
        at=late,
        intent="store_hours",
        sentiment="neutral",
        templates=("en/store_hours/a",),
    )
    noah = message(
        store,
        who="noah",
        at=T0 + timedelta(days=2),
        intent="complaint",
        sentiment="negative",
        # The "why" says nothing of the offer: what is counted is the policy on the draft.
        why=Why(intent="complaint", confidence=0.8, sentiment="negative"),
        templates=("en/complaint/a",),
        offer_blocked="offer.unhappy",
    )
    outside = message(
        store,
        who="old",
        at=T0 - timedelta(days=40),
        intent="greeting",
        sentiment="positive",
    )
    store.decide(lea[0], action=ReviewAction.SEND, reviewer="web:x", at=T0 + timedelta(seconds=30))
    store.decide(
        sam[0],
        action=ReviewAction.EDIT,
        reviewer="web:x",
        edited_text="Open 9-5",
        at=late + timedelta(seconds=90),
    )
    store.decide(
        noah[0],
        action=ReviewAction.DISCARD,
        reviewer="web:x",
        at=T0 + timedelta(days=2, seconds=600),
    )
    store.decide(outside[0], action=ReviewAction.SEND, reviewer="web:x", at=T0 - timedelta(days=40))

    now = datetime.now(UTC)
    found = store.insights(
        since=T0 - timedelta(days=1), until=T0 + timedelta(days=5), zone="America/Toronto"
    )

    assert found.messages == 3
    assert found.decisions == 3
    assert found.messages_by_intent == (
        DailyCount(date(2024, 5, 1), "complaint", 1),
        DailyCount(date(2024, 5, 1), "store_hours", 1),
        DailyCount(date(2024, 5, 3), "complaint", 1),
    )
    assert DailyCount(date(2024, 5, 1), "negative", 1) in found.messages_by_sentiment
    assert DailyCount(date(2024, 5, 1), "neutral", 1) in found.messages_by_sentiment
    assert found.outcomes_by_template == (
        Outcomes("en/complaint/a", sent=1, discarded=1),
        Outcomes("en/store_hours/a", edited=1),
    )
    assert found.outcomes_by_intent == (
        Outcomes("complaint", sent=1, discarded=1),
        Outcomes("store_hours", edited=1),
    )
    assert found.median_decision_seconds == 90
    assert found.median_decision_by_intent == (("complaint", 315.0), ("store_hours", 90.0))
    # Drafts are created now, so the offer window must include now.
    offers = store.insights(since=now - timedelta(minutes=5), until=now + timedelta(minutes=5))
    # Two messages (Léa with two drafts counts once, Noah's "why" silent on it), one reason.
    assert offers.offers_blocked == (("offer.unhappy", 2),)


def test_a_policy_this_version_does_not_know_counts_as_other(store: Store) -> None:
    now = datetime.now(UTC)
    message(
        store,
        who="a",
        at=now,
        intent="pricing",
        sentiment="neutral",
        offer_blocked="offer.moon_is_full",
    )
    message(
        store,
        who="b",
        at=now,
        intent="pricing",
        sentiment="neutral",
        offer_blocked="offer.opted_out",
    )
    message(store, who="c", at=now, intent="pricing", sentiment="neutral")
    found = store.insights(since=now - timedelta(minutes=5), until=now + timedelta(minutes=5))
    assert found.offers_blocked == (("offer.opted_out", 1), ("other", 1))


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.insights(since=datetime(2024, 5, 1), until=T0)
