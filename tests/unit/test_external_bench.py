"""The external benchmark's scores count what they say (made-up readings, no external data)."""

from __future__ import annotations

from benchmarks.external import (
    Reading,
    complaint_scores,
    coverage_curve,
    expected_calibration_error,
    intent_scores,
)


def reading(intent: str, top: str, confidence: float, sentiment: str = "neutral") -> Reading:
    return Reading(intent, top, confidence, sentiment, 0.5)


def test_a_handed_off_message_is_wrong_with_hand_off_and_judged_on_its_top_intent_without() -> None:
    gold = ["order_status", "order_status", "pricing", "other"]
    readings = [
        reading("order_status", "order_status", 0.9),
        reading("other", "order_status", 0.15),  # handed off, but the classifier was right
        reading("order_status", "order_status", 0.8),  # wrong
        reading("other", "other", 0.7),  # the classifier's own "other", right
    ]
    scores = intent_scores(gold, readings)
    assert scores["accuracy"] == 0.5
    assert scores["accuracy_without_handoff"] == 0.75
    assert scores["handoff_rate"] == round(1 / 3, 4)  # one of the three in-scope messages
    assert scores["accuracy_answered"] == 0.5  # one right of the two given an intent


def test_coverage_falls_and_accuracy_on_the_covered_rises_with_the_threshold() -> None:
    gold = ["pricing", "pricing", "thanks"]
    readings = [
        reading("pricing", "pricing", 0.9),
        reading("thanks", "thanks", 0.25),
        reading("thanks", "thanks", 0.6),
    ]
    curve = {p["threshold"]: p for p in coverage_curve(gold, readings)}
    assert curve[0.0]["coverage"] == 1.0
    assert curve[0.0]["accuracy_covered"] == round(2 / 3, 4)
    assert curve[0.3]["coverage"] == round(2 / 3, 4)
    assert curve[0.3]["accuracy_covered"] == 1.0
    assert curve[0.3]["utility"] == round((1 + 0.5 + 1) / 3, 4)


def test_complaints_are_flagged_by_intent_or_negative_mood() -> None:
    flags = [True, True, False, False]
    readings = [
        reading("complaint", "complaint", 0.9),
        reading("order_status", "order_status", 0.9, "negative"),
        reading("thanks", "thanks", 0.9, "positive"),
        reading("question", "question", 0.9, "negative"),
    ]
    scores = complaint_scores(flags, readings)
    assert scores["flagged_complaints"] == 1.0
    assert scores["flagged_others"] == 0.5


def test_calibration_error_is_zero_when_confidence_matches_accuracy() -> None:
    gold = ["a", "a", "b", "b"]
    assert abs(expected_calibration_error(gold, ["a", "b", "b", "a"], [0.55] * 4) - 0.05) < 1e-9
    assert expected_calibration_error(gold, gold, [1.0] * 4) == 0.0
