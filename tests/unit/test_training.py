"""Training a classifier on a small slice: it learns, it is reproducible, it saves and loads."""

from __future__ import annotations

from pathlib import Path

from bot.nlp.datasets import TRAINING_DATA, LabelledText, load_examples
from bot.nlp.model_io import load_classifier
from bot.nlp.training import TrainSettings, predict_labels, train_classifier


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
    from bot.nlp.training import _calibrate, handoff_utility

    # Two confident right answers, two unsure wrong ones: handing the unsure ones to a person
    # (worth 0.5 each) beats drafting them wrongly (worth 0).
    predictions = [("thanks", 0.9), ("order_status", 0.8), ("thanks", 0.3), ("pricing", 0.25)]
    gold = ["thanks", "order_status", "complaint", "other"]
    assert handoff_utility(predictions, gold, 0.0) == 0.5
    assert handoff_utility(predictions, gold, 0.35) == (1 + 1 + 0.5 + 1) / 4
    assert 0.3 < _calibrate(predictions, gold) <= 0.8
    assert _calibrate(predictions, ["thanks", "order_status", "complaint", "pricing"]) == 0.0
