"""The default trainer (TF-IDF features in a spaCy textcat) on small slices: it learns, it is
reproducible, it saves and loads, and ``replique train`` / ``replique eval`` work end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import cast

import pytest
from spacy.pipeline import TextCategorizer
from typer.testing import CliRunner

import bot.nlp.tfidf as tfidf
from bot.cli import app
from bot.training.datasets import LabelledText
from bot.training.model_io import load_classifier
from bot.training.trainer import (
    HIDDEN_LAYER_FROM,
    TrainSettings,
    predict_labels,
    resolve_arch,
    train_classifier,
)
from tests.training_slices import labelled_slice

_slice = labelled_slice


@pytest.fixture(scope="module")
def hidden_model() -> object:
    return train_classifier(
        _slice("en", 40), TrainSettings(lang="en", arch="tfidf_hidden", seed=4, max_epochs=12)
    )


@pytest.fixture(scope="module")
def wide_model() -> object:
    return train_classifier(
        _slice("en", 40), TrainSettings(lang="en", arch="tfidf_wide", seed=4, max_epochs=12)
    )


@pytest.fixture(scope="module")
def french_model() -> object:
    return train_classifier(_slice("fr", 50), TrainSettings(lang="fr", seed=2, max_epochs=10))


def test_default_architecture_is_tfidf_on_small_data_and_learns(
    french_model: object, tmp_path: Path
) -> None:
    trained = french_model
    # ``auto`` resolves to the linear model below HIDDEN_LAYER_FROM examples, and says so.
    assert trained.settings.arch == "tfidf"  # type: ignore[attr-defined]
    evaluation = _slice("fr", 100, "intents_eval.yml")
    predicted = predict_labels(trained.nlp, "intent", [e.text for e in evaluation])  # type: ignore[attr-defined]
    right = sum(label == e.label for (label, _), e in zip(predicted, evaluation, strict=True))
    assert right / len(evaluation) > 0.7
    out = trained.save(tmp_path / "model")  # type: ignore[attr-defined]
    loaded = load_classifier(out)
    # No normaliser in the saved pipeline: the features fold case and accents themselves.
    assert loaded.nlp.pipe_names == ["intent"]
    meta = json.loads((out / "meta.json").read_text())["replique"]
    assert meta["arch"] == "tfidf"
    assert meta["refit"] is True
    texts = [e.text for e in evaluation]
    assert predict_labels(loaded.nlp, "intent", texts) == predict_labels(
        trained.nlp,  # type: ignore[attr-defined]
        "intent",
        texts,
    )


def test_case_and_accents_do_not_change_the_answer(french_model: object) -> None:
    nlp = french_model.nlp  # type: ignore[attr-defined]
    accented = ["Je veux être remboursé pour ma commande", "Où est rendu mon colis ?"]
    plain = ["JE VEUX ETRE REMBOURSE POUR MA COMMANDE", "ou est rendu mon colis ?"]
    assert predict_labels(nlp, "intent", accented) == predict_labels(nlp, "intent", plain)


def test_misspelt_words_share_character_features(french_model: object) -> None:
    nlp = french_model.nlp  # type: ignore[attr-defined]
    (label, _), *_ = predict_labels(nlp, "intent", ["je voudrais un rembourssement svp"])
    assert label == "return_refund"


@pytest.mark.parametrize("fixture", ["french_model", "hidden_model", "wide_model"])
def test_numpy_path_scores_like_the_sparse_product(
    fixture: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    nlp = request.getfixturevalue(fixture).nlp
    texts = ["merci beaucoup", "arrêtez les textos", "", "colis 4821 pas reçu", "thanks a lot"]
    fast = predict_labels(nlp, "intent", texts)
    monkeypatch.setattr(tfidf, "csr_matrix", None)
    slow = predict_labels(nlp, "intent", texts)
    assert [label for label, _ in fast] == [label for label, _ in slow]
    assert max(abs(a - b) for (_, a), (_, b) in zip(fast, slow, strict=True)) < 1e-5


def test_auto_adds_the_hidden_layer_from_enough_examples() -> None:
    assert resolve_arch("auto", HIDDEN_LAYER_FROM - 1) == "tfidf"
    assert resolve_arch("auto", HIDDEN_LAYER_FROM) == "tfidf_hidden"
    assert resolve_arch("bow", 10**6) == "bow"


@pytest.mark.parametrize(
    ("fixture", "arch"), [("hidden_model", "tfidf_hidden"), ("wide_model", "tfidf_wide")]
)
def test_hidden_layer_model_learns_saves_and_loads(
    fixture: str, arch: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    trained = request.getfixturevalue(fixture)
    evaluation = _slice("en", 100, "intents_eval.yml")
    texts = [e.text for e in evaluation]
    predicted = predict_labels(trained.nlp, "intent", texts)
    right = sum(label == e.label for (label, _), e in zip(predicted, evaluation, strict=True))
    assert right / len(evaluation) > 0.7
    out = trained.save(tmp_path / "model")
    assert json.loads((out / "meta.json").read_text())["replique"]["arch"] == arch
    loaded = load_classifier(out)
    assert predict_labels(loaded.nlp, "intent", texts) == predicted


@pytest.mark.parametrize(
    ("arch", "lang", "text"),
    [
        ("tfidf", "en", "where is my parcel"),
        ("tfidf_hidden", "en", "where is my parcel"),
        ("tfidf_wide", "en", "where is my parcel"),
        ("tfidf_vectors", "fr", "où est mon colis"),
    ],
)
def test_a_label_added_after_training_starts_improbable(arch: str, lang: str, text: str) -> None:
    # Every output layer of the architecture (the hidden layer's, the linear one beside it, the
    # vectors' one) gets the new column.
    settings = TrainSettings(lang=lang, arch=arch, seed=2, max_epochs=2)
    nlp = train_classifier(_slice(lang, 15), settings).nlp
    textcat = cast(TextCategorizer, nlp.get_pipe("intent"))
    before = predict_labels(nlp, "intent", [text])
    textcat.add_label("loyalty_points")
    scores = textcat.predict([nlp.make_doc(text)])
    assert scores.shape[1] == len(textcat.labels)
    assert float(scores[0, -1]) < 1e-6
    assert predict_labels(nlp, "intent", [text])[0][0] == before[0][0]


@pytest.mark.parametrize("arch", ["auto", "tfidf_hidden", "tfidf_wide"])
def test_same_seed_same_model(arch: str) -> None:
    data = _slice("en", 25)
    settings = TrainSettings(lang="en", arch=arch, seed=3, max_epochs=3, patience=10)
    a, b = train_classifier(data, settings), train_classifier(data, settings)
    texts = ["thx a lot", "stop texting me", "parcel still not here", "refund please"]
    assert predict_labels(a.nlp, "intent", texts) == predict_labels(b.nlp, "intent", texts)


def test_feature_index_keeps_features_seen_often_enough() -> None:
    import spacy
    from thinc.api import Model

    nlp = spacy.blank("en")
    docs = [nlp.make_doc(text) for text in ("refund me", "refund now", "hello")]
    model: Model = tfidf.build_tfidf_text_classifier(exclusive_classes=True, min_count=2)
    kept = tfidf.fit_feature_index(model, docs)
    everything = tfidf.fit_feature_index(
        tfidf.build_tfidf_text_classifier(exclusive_classes=True, min_count=1), docs
    )
    assert 0 < kept < everything


def _write_csv(path: Path, examples: list[LabelledText]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows([(e.text, e.label) for e in examples])
    return path


def test_cli_trains_with_plain_progress_lines_and_evaluates(tmp_path: Path) -> None:
    runner = CliRunner()
    train_csv = _write_csv(tmp_path / "train.csv", _slice("en", 30))
    test_csv = _write_csv(tmp_path / "test.csv", _slice("en", 100, "intents_eval.yml"))
    out = tmp_path / "model"
    result = runner.invoke(
        app,
        [
            "train",
            "--data",
            str(train_csv),
            "--out",
            str(out),
            "--lang",
            "en",
            "--seed",
            "1",
            "--max-epochs",
            "4",
        ],
    )
    assert result.exit_code == 0, result.output
    # Not a terminal: one plain line per epoch, no progress bar escape codes.
    assert result.output.count("\n") >= 4
    assert "\x1b[" not in result.output
    assert (out / "meta.json").exists()
    result = runner.invoke(app, ["eval", "--model", str(out), "--data", str(test_csv), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) == {"accuracy", "macro_f1", "n", "messages_per_second"}
    assert scores["n"] == len(_slice("en", 100, "intents_eval.yml"))
    assert scores["accuracy"] > 0.6
    readable = runner.invoke(app, ["eval", "--model", str(out), "--data", str(test_csv)])
    assert readable.exit_code == 0
    assert "order_status" in readable.output


def test_baseline_runs_on_a_slice() -> None:
    from benchmarks.baseline import run_baseline

    train, test = _slice("en", 40), _slice("en", 100, "intents_eval.yml")
    result = run_baseline(
        ([e.text for e in train], [e.label for e in train]),
        ([e.text for e in test], [e.label for e in test]),
        repeats=1,
    )
    assert result.n == len(test)
    assert 0.5 < result.accuracy <= 1.0


@pytest.mark.parametrize("arch", ["auto", "tfidf_hidden", "tfidf_wide"])
def test_a_trained_model_named_in_the_config_drives_the_analyser(arch: str, tmp_path: Path) -> None:
    from bot.config import AppConfig
    from bot.nlp.analyser import Analyser

    # A brand intent the shipped model does not know proves the brand's model is the one used.
    examples = _slice("en", 30) + [
        LabelledText(text, "loyalty_points")
        for text in (
            "how many loyalty points do I have",
            "can I spend my reward points",
            "my points balance is wrong",
            "do points expire",
            "how do I earn more points",
            "loyalty points not added after purchase",
            "transfer my points to my partner",
            "what can I get with 500 points",
        )
    ]
    # The hidden layer learns at a fifth of the linear rate: on 158 examples (a few updates an
    # epoch) it needs more epochs before the validation score moves.
    hidden = arch == "tfidf_hidden"
    settings = TrainSettings(
        lang="en", arch=arch, seed=1, max_epochs=20 if hidden else 8, patience=10 if hidden else 3
    )
    trained = train_classifier(examples, settings)
    trained.save(tmp_path / "en-intent")
    config = AppConfig.model_validate(
        {
            "models": {"en": "en-intent"},
            "base_dir": tmp_path,
            "brand": {"languages": ["en"]},
            "catalog": None,
        }
    )
    analysis = Analyser(config).analyse("how many loyalty points do I have left?", hint="en")
    assert analysis.intent.name == "loyalty_points"


def test_early_stopping_never_keeps_fewer_than_the_minimum_epochs() -> None:
    reports: list[int] = []
    settings = TrainSettings(lang="en", seed=2, max_epochs=12, patience=1, min_epochs=5)
    trained = train_classifier(
        _slice("en", 20), settings, on_epoch=lambda r: reports.append(r.epoch) if r.best else None
    )
    assert trained.epochs >= 5
    assert min(reports) >= 5  # no earlier epoch was ever marked as the best one


def test_a_message_scores_the_same_alone_and_in_a_batch(french_model: object) -> None:
    # Features are looked up for the whole batch at once: word n-grams must never run from one
    # message into the next, and blank or one-word messages must keep their place. (An empty
    # message alone gets spaCy's all-zero scores, not the model's: not compared here.)
    import numpy

    from bot.training.trainer import predict_scores

    nlp = french_model.nlp  # type: ignore[attr-defined]
    texts = [
        "où est ma commande",
        "je voudrais savoir où est ma",
        "commande 4821",
        "   ",
        "merci",
        "commande où est",
        "je veux me désabonner de l'infolettre",
        "est ma commande arrivée ?",
    ]
    together = predict_scores(nlp, "intent", texts)
    alone = numpy.vstack([predict_scores(nlp, "intent", [text]) for text in texts])
    assert numpy.allclose(together, alone, atol=1e-6)
    # The word order matters (bigrams), so the two orderings of the same words differ.
    assert not numpy.allclose(together[0], together[5])
