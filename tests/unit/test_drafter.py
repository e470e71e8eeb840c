"""The drafter on hand-built analyses: personal, policy-abiding, never blank."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import AppConfig
from bot.domain import Analysis, CustomerProfile, Entity, IntentScore
from bot.drafting.drafter import Drafter, first_name
from bot.drafting.escaping import escape_for
from bot.wording import why_line

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


def analysis(intent: str, sentiment: str = "neutral", **kwargs: object) -> Analysis:
    base = Analysis(
        language="fr",
        language_confidence=0.9,
        intent=IntentScore(intent, 0.93),
        alternatives=(IntentScore("question", 0.03),),
        sentiment=sentiment,  # type: ignore[arg-type]
        sentiment_confidence=0.8,
    )
    return replace(base, **kwargs)  # type: ignore[arg-type]


ORDER = Entity("ORDER_NUMBER", "#4821", 20, 25, "4821")


@pytest.fixture(scope="module")
def drafter(app_config: AppConfig) -> Drafter:
    return Drafter(app_config)


def test_complaint_with_order_is_personal_apologetic_and_not_promotional(drafter: Drafter) -> None:
    result = drafter.draft(
        analysis("complaint", "negative", entities=(ORDER,)),
        CustomerProfile("c1", name="julie tremblay"),
        now=NOW,
    )
    assert result.drafts, result.skipped
    best = result.drafts[0]
    assert best.text.startswith("Bonjour Julie,")
    assert "4821" in best.text
    assert not any(d.promotional for d in result.drafts)
    assert best.why.held_offer is not None
    assert best.why.intent == "complaint"
    assert "no offer" in why_line(best.why)
    assert best.text.rstrip().endswith("L'équipe Café Boréal")


def test_thanks_from_happy_customer_may_get_one_offer_ranked_last(drafter: Drafter) -> None:
    result = drafter.draft(
        analysis("thanks", "positive"), CustomerProfile("c2", name="Sam"), now=NOW
    )
    flags = [d.promotional for d in result.drafts]
    assert True in flags
    assert flags == sorted(flags), "promotional drafts rank after personal ones"
    assert all(d.offer_blocked is None for d in result.drafts)
    assert any("MERCI10" in d.text for d in result.drafts if d.promotional)


@pytest.mark.parametrize(
    ("profile", "policy"),
    [
        (CustomerProfile("c3", opted_out=True), "offer.opted_out"),
        (CustomerProfile("c3", last_offer_at=NOW - timedelta(days=3)), "offer.already_sent"),
        (CustomerProfile("c3", past_intents=("complaint",)), "offer.recent_complaint"),
    ],
    ids=["opted-out", "offer-3-days-ago", "recent-complaint"],
)
def test_no_offer_when_policy_forbids(
    drafter: Drafter, profile: CustomerProfile, policy: str
) -> None:
    result = drafter.draft(analysis("thanks", "positive"), profile, now=NOW)
    assert result.drafts
    assert not any(d.promotional for d in result.drafts)
    assert result.offer.policy
    # The policy is kept with every draft, for the insights page.
    assert {d.offer_blocked for d in result.drafts} == {policy}


def test_negative_customer_never_gets_an_offer(drafter: Drafter) -> None:
    result = drafter.draft(analysis("purchase_intent", "negative"), CustomerProfile("c4"), now=NOW)
    assert result.drafts
    assert not any(d.promotional for d in result.drafts)


def test_does_not_greet_twice(drafter: Drafter) -> None:
    first = drafter.draft(
        analysis("order_status", entities=(ORDER,)), CustomerProfile("c5", name="Léa")
    )
    later = drafter.draft(
        analysis("order_status", entities=(ORDER,)), CustomerProfile("c5", name="Léa", greeted=True)
    )
    assert first.drafts[0].text.startswith("Bonjour Léa")
    assert not later.drafts[0].text.startswith("Bonjour")


def test_tu_and_vous(drafter: Drafter) -> None:
    vous = drafter.draft(
        analysis("order_status", entities=(ORDER,), formality="vous"), CustomerProfile("c")
    )
    tu = drafter.draft(
        analysis("order_status", entities=(ORDER,), formality="tu"), CustomerProfile("c")
    )
    assert re.search(r"\bvous\b", vous.drafts[0].text)
    assert re.search(r"\b(tu|te|toi|ton|ta|tes)\b", tu.drafts[0].text)
    assert not re.search(r"\b(vous|votre|vos)\b", tu.drafts[0].text)


def test_english_reply_for_english_message(drafter: Drafter) -> None:
    result = drafter.draft(
        analysis("order_status", language="en", entities=(ORDER,)), CustomerProfile("c", name="Sam")
    )
    assert result.language == "en"
    assert result.drafts[0].text.startswith("Hi Sam,")
    assert result.drafts[0].template.startswith("en/order_status/")


def test_missing_detail_falls_back_to_a_variant_that_asks_for_it(drafter: Drafter) -> None:
    result = drafter.draft(analysis("order_status"), CustomerProfile("c"))
    assert result.drafts
    assert all("with_number" not in d.template for d in result.drafts)
    assert any("with_number: needs order_number" in str(s) for s in result.skipped)


def test_at_most_three_ranked_drafts(drafter: Drafter) -> None:
    result = drafter.draft(
        analysis("complaint", "negative", entities=(ORDER,)), CustomerProfile("c")
    )
    assert 1 <= len(result.drafts) <= 3
    assert [d.rank for d in result.drafts] == list(range(1, len(result.drafts) + 1))
    assert len({d.template for d in result.drafts}) == len(result.drafts)


def test_customer_values_are_data_not_template_code(drafter: Drafter) -> None:
    sneaky = Entity("ORDER_NUMBER", "{{ 7*7 }}", 0, 9, "{{ 7*7 }}")
    result = drafter.draft(
        analysis("order_status", entities=(sneaky,)), CustomerProfile("c", name="{% raw %}")
    )
    text = result.drafts[0].text
    assert "{{ 7*7 }}" in text
    assert "49" not in text


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("julie tremblay", "Julie"),
        ("@marc_andre99", "Marc"),
        ("Jean-Luc P.", "Jean-Luc"),
        ("🙂", ""),
        ("", ""),
        (None, ""),
        ("x", ""),
    ],
)
def test_first_name(display: str | None, expected: str) -> None:
    assert first_name(display) == expected


def test_escaping_per_channel() -> None:
    text = "<!channel> & <b>hi</b> @here"
    assert escape_for("slack", text) == "&lt;!channel&gt; &amp; &lt;b&gt;hi&lt;/b&gt; @here"
    assert escape_for("telegram", text) == "&lt;!channel&gt; &amp; &lt;b&gt;hi&lt;/b&gt; @here"
    assert escape_for("cli", text) == text


def test_why_names_only_the_details_each_draft_uses(drafter: Drafter) -> None:
    product = Entity("PRODUCT", "melange boreal", 30, 44, "Mélange Boréal")
    result = drafter.draft(
        analysis("order_status", "negative", entities=(ORDER, product)),
        CustomerProfile("c", name="Julie"),
        now=NOW,
    )
    assert len(result.drafts) >= 2
    for draft in result.drafts:
        assert ("Mélange Boréal" in draft.text) == ("product" in draft.why.uses), draft
        assert ("4821" in draft.text) == ("order_number" in draft.why.uses), draft
