"""Training a classifier on a small slice: it learns, it is reproducible, it saves and loads."""

from __future__ import annotations

from pathlib import Path

from bot.training.datasets import TRAINING_DATA, LabelledText, load_examples
from bot.training.model_io import load_classifier
from bot.training.trainer import TrainSettings, predict_labels, train_classifier


def _slice(per_label: int) -> list[LabelledText]:
    examples = load_examples(TRAINING_DATA / "en" / "intents.yml")
    keep = {"order_status", "thanks", "opt_out", "other"}
    counts: dict[str, int] = {}
    out = []
    for e in examples:
        if e.label in keep and counts.get(e.label, 0) < per_label:
            counts[e.label] = counts.get(e.label, 0) + 1
            out.append(e)
    return out


def test_trains_saves_and_reloads(tmp_path: Path) -> None:
    trained = train_classifier(_slice(40), TrainSettings(lang="en", seed=1, max_epochs=12))
    assert trained.n_dev > 0
    assert trained.dev.accuracy > 0.6
    out = trained.save(tmp_path / "model")
    loaded = load_classifier(out)
    assert loaded.component == "intent"
    assert loaded.threshold == trained.threshold
    (label, confidence), *_ = predict_labels(
        loaded.nlp, "intent", ["where is my order? it's been two weeks"]
    )
    assert label == "order_status"
    assert 0.0 < confidence <= 1.0


def test_same_seed_same_model() -> None:
    data = _slice(25)
    settings = TrainSettings(lang="en", seed=3, max_epochs=4, patience=10)
    a = train_classifier(data, settings)
    b = train_classifier(data, settings)
    texts = ["thx a lot", "stop texting me", "parcel still not here"]
    assert predict_labels(a.nlp, "intent", texts) == predict_labels(b.nlp, "intent", texts)


def test_handoff_threshold_is_chosen_for_the_reviewer() -> None:
    from bot.training.handoff import calibrate_threshold, handoff_utility

    # A hundred confident right answers, ten unsure wrong ones: handing the unsure ones to a
    # person (worth 0.5 each) beats drafting them wrongly (worth 0) by more than the noise.
    confident = [("thanks", 0.9), ("order_status", 0.8)] * 50
    unsure = [("thanks", 0.3), ("pricing", 0.25)] * 5
    gold = ["thanks", "order_status"] * 50 + ["complaint", "other"] * 5
    predictions = confident + unsure
    assert handoff_utility(unsure, ["complaint", "other"] * 5, 0.0) == 0.0
    assert handoff_utility(unsure, ["complaint", "other"] * 5, 0.35) == (0.5 + 1) / 2
    assert 0.3 < calibrate_threshold(predictions, gold) <= 0.8
    # Without an "other" label there is nothing to hand off to.
    assert calibrate_threshold(predictions, [g if g != "other" else "pricing" for g in gold]) == 0.0


def test_a_gain_within_the_splits_noise_hands_nothing_more_to_a_person() -> None:
    from bot.training.handoff import MIN_THRESHOLD, calibrate_threshold, handoff_utility

    # One unsure wrong answer in a hundred: handing it off gains half a point of utility, less
    # than the split's standard error, so the lowest threshold stays (real messages fall below a
    # threshold far more often than the split's do).
    predictions = [("thanks", 0.9), ("order_status", 0.8)] * 50 + [("pricing", 0.3)]
    gold = ["thanks", "order_status"] * 50 + ["complaint"]
    assert handoff_utility(predictions, gold, 0.35) > handoff_utility(predictions, gold, 0.2)
    assert calibrate_threshold(predictions, gold) == 0.0  # no `other` label: nothing to hand off to
    gold_with_other = [*gold[:-2], "other", "complaint"]
    predictions_with_other = [*predictions[:-2], ("other", 0.9), ("pricing", 0.3)]
    assert calibrate_threshold(predictions_with_other, gold_with_other) == MIN_THRESHOLD


def test_calibration_never_hands_off_more_than_one_in_ten() -> None:
    from bot.training.handoff import MAX_HANDOFF_RATE, calibrate_threshold

    # Every wrong answer is unsure, but they are a third of the messages: handing them all to a
    # person would maximise utility and leave the team doing a third of the work by hand.
    predictions = [("thanks", 0.9)] * 20 + [("pricing", 0.2)] * 10
    gold = ["thanks"] * 20 + ["other"] * 10
    threshold = calibrate_threshold(predictions, gold)
    handed_off = sum(conf < threshold for _, conf in predictions)
    assert handed_off <= MAX_HANDOFF_RATE * len(predictions)


def test_a_guess_always_goes_to_a_person() -> None:
    from bot.training.handoff import MIN_THRESHOLD, calibrate_threshold

    # All confident and right: nothing to gain from hand-offs, but the floor still applies.
    predictions = [("thanks", 0.9), ("other", 0.8)] * 10
    assert calibrate_threshold(predictions, ["thanks", "other"] * 10) == MIN_THRESHOLD
