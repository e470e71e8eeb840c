"""The shipped training data keeps its promises, and the shipped models were trained on it."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bot.domain import DEFAULT_INTENTS, SENTIMENTS
from bot.nlp.analyser import DEFAULT_MODELS
from bot.training.build_default import default_fingerprint
from bot.training.datasets import TRAINING_DATA, load_examples

LANGS = ("fr", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_default_intent_has_enough_training_and_evaluation_examples(lang: str) -> None:
    train = Counter(e.label for e in load_examples(TRAINING_DATA / lang / "intents.yml"))
    evaluation = Counter(e.label for e in load_examples(TRAINING_DATA / lang / "intents_eval.yml"))
    assert set(train) == set(DEFAULT_INTENTS) == set(evaluation)
    assert min(train.values()) >= 60
    assert min(evaluation.values()) >= 15


@pytest.mark.parametrize(
    ("lang", "kind"), [(lang, k) for lang in LANGS for k in ("intents", "sentiment")]
)
def test_evaluation_never_overlaps_training(lang: str, kind: str) -> None:
    section = "intents" if kind == "intents" else "sentiment"
    train = {
        e.text.casefold()
        for e in load_examples(TRAINING_DATA / lang / f"{kind}.yml", section=section)
    }
    evaluation = load_examples(TRAINING_DATA / lang / f"{kind}_eval.yml", section=section)
    assert not [e.text for e in evaluation if e.text.casefold() in train]


@pytest.mark.parametrize("lang", LANGS)
def test_sentiment_data_covers_the_three_moods(lang: str) -> None:
    labels = Counter(
        e.label for e in load_examples(TRAINING_DATA / lang / "sentiment.yml", section="sentiment")
    )
    assert set(labels) == set(SENTIMENTS)


@pytest.mark.parametrize(
    ("lang", "component"), [(lang, c) for lang in LANGS for c in ("intent", "sentiment")]
)
def test_shipped_model_matches_its_data(lang: str, component: str) -> None:
    meta = json.loads((DEFAULT_MODELS / lang / component / "meta.json").read_text())["replique"]
    assert meta["fingerprint"] == default_fingerprint(lang, component), (
        f"bot/nlp/models/{lang}/{component} is stale: run 'make models'"
    )


@pytest.mark.parametrize(
    ("lang", "component"), [(lang, c) for lang in LANGS for c in ("intent", "sentiment")]
)
def test_shipped_models_use_the_trainers_default_recipe(lang: str, component: str) -> None:
    from bot.training.build_default import shipped_settings

    meta = json.loads((DEFAULT_MODELS / lang / component / "meta.json").read_text())["replique"]
    # The architecture is pinned per model (``auto``'s hidden layer would be a model about 17
    # times larger): the wide and deep one for English intents, word vectors for French moods,
    # the linear one elsewhere; everything else is the trainer's default recipe.
    pinned = {("en", "intent"): "tfidf_wide", ("fr", "sentiment"): "tfidf_vectors"}
    expected = pinned.get((lang, component), "tfidf")
    assert shipped_settings(lang, component)["arch"] == meta["arch"] == expected
    assert meta["refit"] is True
    # Scored on the evaluation set at build time, never trained on it.
    assert meta["eval_n"] == len(
        load_examples(
            TRAINING_DATA
            / lang
            / f"{'intents' if component == 'intent' else 'sentiment'}_eval.yml",
            section="intents" if component == "intent" else "sentiment",
        )
    )
