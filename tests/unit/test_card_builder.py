"""The card's one-line analysis, worded once for every surface."""

from __future__ import annotations

import pytest

from bot.review.card_builder import summary_line
from bot.review.cards import CardEntity


def test_the_summary_names_intent_mood_language_and_the_details_that_matter_first() -> None:
    line = summary_line(
        {
            "intent": {"name": "complaint", "confidence": 0.92},
            "sentiment": "negative",
            "language": "fr",
        },
        (
            CardEntity("PERSON", "Julie"),
            CardEntity("LOC", "Laval"),
            CardEntity("ORDER_NUMBER", "88123"),
        ),
    )
    assert line == "complaint 92% · negative · fr · order_number 88123 · person Julie"


def test_a_handoff_says_why_a_person_must_take_over() -> None:
    line = summary_line(
        {
            "intent": {"name": "other", "confidence": 0.2},
            "sentiment": "neutral",
            "language": "other",
            "handoff_reason": "language not supported",
        },
        (),
    )
    assert line.endswith("· for a person: language not supported")


def test_the_summary_speaks_the_reviewers_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    line = summary_line(
        {
            "intent": {"name": "thanks", "confidence": 0.5},
            "sentiment": "positive",
            "language": "en",
        },
        (),
    )
    assert line == "thanks 50% · positif · en"
