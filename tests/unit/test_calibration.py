"""Temperature scaling softens confidences that claim more than they deliver, and never moves the
top label."""

from __future__ import annotations

import numpy

from bot.nlp.calibration import fit_temperature, scale

LABELS = ["negative", "neutral", "positive"]


def test_scaling_keeps_the_top_label_and_softens_above_one() -> None:
    scores = numpy.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    softened = scale(scores, 2.0)
    assert (softened.argmax(axis=1) == scores.argmax(axis=1)).all()
    assert (softened.max(axis=1) < scores.max(axis=1)).all()
    assert numpy.allclose(softened.sum(axis=1), 1.0)
    assert scale(scores, 1.0) is scores


def test_an_overconfident_model_gets_a_temperature_above_one() -> None:
    # Sure at 0.98 every time, right only two times in three.
    scores = numpy.array([[0.98, 0.01, 0.01]] * 30)
    gold = ["negative", "negative", "neutral"] * 10
    assert fit_temperature(scores, LABELS, gold) > 1.5


def test_an_underconfident_model_is_never_sharpened() -> None:
    # Always right at 0.5: a free fit would sharpen; the temperature stays at 1.
    scores = numpy.array([[0.5, 0.3, 0.2]] * 30)
    assert fit_temperature(scores, LABELS, ["negative"] * 30) == 1.0


def test_nothing_to_fit_on_leaves_the_scores_alone() -> None:
    assert fit_temperature(numpy.zeros((0, 3)), LABELS, []) == 1.0
    assert fit_temperature(numpy.array([[0.6, 0.2, 0.2]]), LABELS, ["unknown"]) == 1.0
