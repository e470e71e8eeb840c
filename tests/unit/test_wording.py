"""The core's values worded once for every surface: the one-line analysis, the "why", the status
of a decided card, the notices and refusals — in the reader's language, in the brand's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain import DraftStatus, HandoffReason, HeldOffer, Refusal
from bot.review.cards import Notice, NoticeKind
from bot.wording import notice_text, refusal_text, status_line, summary_line, why_line
from tests.cards import entity, sample_analysis, sample_card, sample_why

ZONE = ZoneInfo("America/Toronto")
AT = datetime(2026, 11, 28, 19, 2, tzinfo=UTC)  # 14:02 in Toronto


def test_the_summary_names_intent_mood_language_and_the_details_that_matter_first() -> None:
    analysis = sample_analysis(
        intent="complaint",
        confidence=0.92,
        sentiment="negative",
        language="fr",
        entities=(
            entity("PERSON", "Julie"),
            entity("LOC", "Laval"),
            entity("ORDER_NUMBER", "88123"),
        ),
    )
    assert summary_line(analysis) == (
        "complaint 92% · negative · fr · order_number 88123 · person Julie"
    )


def test_a_handoff_says_why_a_person_must_take_over() -> None:
    unsure = sample_analysis(
        intent="other",
        confidence=0.2,
        entities=(),
        handoff=HandoffReason("unsure", intent="pricing", confidence=0.2, threshold=0.45),
    )
    assert summary_line(unsure).endswith(
        "· for a person: unsure of the intent (pricing at 20%, below 45%)"
    )
    other = sample_analysis(intent="other", entities=(), handoff=HandoffReason("other_language"))
    assert "a language Réplique does not answer" in summary_line(other)


def test_the_summary_speaks_the_reviewers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    analysis = sample_analysis(intent="thanks", confidence=0.5, sentiment="positive", entities=())
    assert summary_line(analysis) == "thanks 50% · positif · en"


def test_the_why_line_says_what_was_understood_used_and_held_back() -> None:
    why = sample_why(
        uses=("first_name", "order_number"),
        sentiment="negative",
        formality="vous",
        held_offer=HeldOffer("offer.unhappy"),
        urgent=True,
    )
    assert why_line(why) == (
        "order_status 90% · negative · uses first name, order_number · vous · "
        "no offer: customer unhappy · urgent"
    )
    assert why_line(sample_why(model_intent="pricing")).startswith("order_status 90% (model said")
    held = sample_why(held_offer=HeldOffer("offer.already_sent", last_offer_on="2026-11-02"))
    assert "offer already sent 2026-11-02" in why_line(held)
    assert why_line(sample_why(legacy_text="as stored before")) == "as stored before"


def test_a_decided_card_says_who_and_when_in_the_brands_time_zone() -> None:
    sent = sample_card(status=DraftStatus.SENT, decided_by="Léa", decided_at=AT)
    assert status_line(sent, ZONE) == "✅ Sent by Léa at 14:02"
    assert status_line(sample_card(), ZONE) is None
    expired = sample_card(status=DraftStatus.EXPIRED, decided_at=AT)
    assert status_line(expired, ZONE) == "⌛ Expired at 14:02"


def test_a_refusal_names_who_decided_first() -> None:
    assert refusal_text(Refusal(DraftStatus.SENT, by="Léa", at=AT), ZONE) == (
        "already sent by Léa at 2026-11-28 14:02"
    )
    assert refusal_text(Refusal(None), ZONE) == "no such draft"
    superseded = refusal_text(Refusal(DraftStatus.SUPERSEDED, at=AT), ZONE)
    assert superseded.startswith("already superseded at 2026-11-28 14:02")


def test_notices_are_worded_for_the_person_who_acted(monkeypatch: pytest.MonkeyPatch) -> None:
    assert notice_text(Notice(NoticeKind.DONE_SEND), ZONE) == "Sent."
    variant = Notice(NoticeKind.DONE_VARIANT, variant=2, variants=3)
    assert notice_text(variant, ZONE) == "Showing version 2 of 3."
    refused = Notice(NoticeKind.NOT_PENDING, refusal=Refusal(DraftStatus.DISCARDED, "Marc", AT))
    assert notice_text(refused, ZONE) == (
        "Nothing was done: already discarded by Marc at 2026-11-28 14:02."
    )
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    assert notice_text(Notice(NoticeKind.DONE_SEND), ZONE) == "Envoyé."
