"""Training a text classifier (intent or sentiment) into a spaCy pipeline directory.

The saved pipeline is one ``textcat`` named after what it predicts (``intent`` or ``sentiment``),
after a ``normalizer`` for the architectures that read its NORM (the default ones, ``tfidf`` and
``tfidf_hidden``, fold tokens themselves); the analyser sources that component into its runtime
pipeline. A validation split drives early stopping, the best epoch's (averaged) weights are kept,
and for intents the confidence below which a message goes to a person (as ``other``) is
calibrated on that split and saved with the model. With ``refit`` the model is then trained again
on every example for the chosen number of epochs. Seeded: the same data, settings and seed give
the same model. The rows of a hidden layer are updated row-wise
(``bot/training/row_updates.py``), the rest by thinc's Adam.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import numpy
import spacy
from confection import Config
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example
from thinc.api import Adam, Optimizer, fix_random_seed, set_dropout_rate

from bot.domain import HANDOFF_INTENT
from bot.errors import TrainingDataError
from bot.nlp import components, french  # noqa: F401  (components registers the factories)
from bot.nlp.calibration import fit_temperature
from bot.nlp.static_vectors import fit_static_vectors
from bot.nlp.tfidf import fit_feature_index
from bot.training.datasets import LabelledText, labels_of
from bot.training.evaluation import Scores, score
from bot.training.handoff import MIN_THRESHOLD, calibrate_threshold
from bot.training.row_updates import RowUpdates

__all__ = [
    "ARCHITECTURES",
    "HIDDEN_LAYER_FROM",
    "EpochReport",
    "TrainSettings",
    "TrainedModel",
    "predict_labels",
    "predict_scores",
    "resolve_arch",
    "train_classifier",
]

_CONFIGS = Path(__file__).parent / "configs"
ARCHITECTURES: tuple[str, ...] = (
    "auto",
    "tfidf",
    "tfidf_hidden",
    "tfidf_wide",
    "tfidf_vectors",
    "bow",
    "bow_words",
    "ensemble",
)
#: From this many examples on, ``auto`` trains ``tfidf_hidden``; below, the linear ``tfidf``. On
#: Banking77 (10,000 examples) the hidden layer gained 1.4 points; on the shipped sets (800 to
#: 1,350 examples) it gained nothing within noise and made each model ten times larger.
HIDDEN_LAYER_FROM = 5000
#: Architectures whose features fold tokens themselves (no normaliser before them).
_SELF_FOLDING = ("tfidf", "tfidf_hidden", "tfidf_wide", "tfidf_vectors")
#: Adam's learning rate per architecture when the settings name none: the hidden layer was tuned
#: and measured on Banking77 at 0.001, a fifth of the linear models' rate.
_LEARN_RATES = {"tfidf_hidden": 0.001, "tfidf_wide": 0.001}
_DEFAULT_LEARN_RATE = 0.005
#: Messages per batch when predicting: larger batches spread the per-batch costs (an index lookup
#: per distinct token, the matrix products) over more messages.
_PREDICT_BATCH = 1024
#: How many examples ``nlp.initialize`` is shown (it reads ten).
_INITIALIZE_FROM = 10
#: A training example with its row of expected scores.
_Item = tuple[Example, Any]


@dataclass(frozen=True, slots=True)
class TrainSettings:
    """How to train; the defaults are what ``replique train`` uses (chosen on Banking77 and the
    shipped sets, see docs/benchmarks.md)."""

    lang: str
    component: str = "intent"
    #: ``auto``: ``tfidf_hidden`` from HIDDEN_LAYER_FROM examples on, ``tfidf`` below.
    arch: str = "auto"
    seed: int = 0
    max_epochs: int = 40
    patience: int = 3
    #: Fewest epochs a model is trained for: early stopping chooses among the later ones.
    min_epochs: int = 4
    dev_fraction: float = 0.1
    #: Feature dropout for ``tfidf`` (the share of each message's features hidden per update).
    dropout: float = 0.3
    #: Adam's learning rate; None: the architecture's own (``_LEARN_RATES``).
    learn_rate: float | None = None
    #: Batches grow from ``batch_start`` to ``batch_size`` examples (spaCy's compounding habit).
    batch_start: int = 32
    batch_size: int = 64
    #: Weight decay (L2) applied by the optimiser.
    l2: float = 0.0
    #: Train again on every example (validation split included) for the best number of epochs.
    refit: bool = True


@dataclass(frozen=True, slots=True)
class EpochReport:
    epoch: int
    loss: float
    dev: Scores
    best: bool
    #: An epoch of the final training on every example (no validation score then).
    refit: bool = False
    #: Epochs that final training runs (0 for the epochs scored on the validation split).
    total: int = 0
    #: False when nothing could be held out to score on (too few examples of each label).
    validated: bool = True


@dataclass(frozen=True, slots=True)
class TrainedModel:
    nlp: Language
    settings: TrainSettings
    dev: Scores
    threshold: float
    epochs: int
    seconds: float
    n_train: int
    n_dev: int
    #: Temperature that calibrates the confidences (bot/nlp/calibration.py); sentiment only,
    #: the intent's hand-off threshold is calibrated on the raw scores.
    temperature: float = 1.0

    def save(self, out_dir: Path, *, extra_meta: dict[str, Any] | None = None) -> Path:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.nlp.meta["name"] = f"replique_{self.settings.component}"
        self.nlp.meta["version"] = "1.0.0"
        self.nlp.meta["replique"] = {
            "component": self.settings.component,
            "arch": self.settings.arch,
            "seed": self.settings.seed,
            "threshold": self.threshold,
            "temperature": self.temperature,
            "labels": list(_textcat(self.nlp, self.settings.component).labels),
            "dev_accuracy": round(self.dev.accuracy, 4),
            "dev_macro_f1": round(self.dev.macro_f1, 4),
            "epochs": self.epochs,
            "n_train": self.n_train,
            "n_dev": self.n_dev,
            "refit": self.settings.refit,
            **(extra_meta or {}),
        }
        self.nlp.to_disk(out_dir)
        return out_dir


def _batches(items: Sequence[_Item], first: int, largest: int) -> list[Sequence[_Item]]:
    """Small batches first, growing to ``largest``: early updates are many and cheap (spaCy's
    habit)."""
    batches, start, size = [], 0, float(min(first, largest))
    while start < len(items):
        batches.append(items[start : start + int(size)])
        start += int(size)
        size = min(size * 1.001, float(largest))
    return batches


def _textcat(nlp: Language, name: str) -> TextCategorizer:
    return cast(TextCategorizer, nlp.get_pipe(name))


def architecture(name: str) -> dict[str, Any]:
    """The ``model`` block of a textcat component, from configs/textcat.cfg."""
    config = Config().from_disk(_CONFIGS / "textcat.cfg")
    if name not in config:
        raise TrainingDataError(
            "training.unknown_arch", name=name, choices=", ".join(ARCHITECTURES)
        )
    return dict(config[name])


def resolve_arch(arch: str, n_examples: int) -> str:
    """The architecture ``arch`` means for a data set of ``n_examples`` (only ``auto`` depends on
    it)."""
    if arch != "auto":
        return arch
    return "tfidf_hidden" if n_examples >= HIDDEN_LAYER_FROM else "tfidf"


#: A label needs this many examples before some are held out to validate on.
MIN_TO_HOLD_OUT = 5


def can_validate(examples: Sequence[LabelledText]) -> bool:
    """Whether a validation split can be held out (some label has enough examples)."""
    counts: dict[str, int] = defaultdict(int)
    for example in examples:
        counts[example.label] += 1
    return any(n >= MIN_TO_HOLD_OUT for n in counts.values())


def _split(
    examples: Sequence[LabelledText], fraction: float, rng: random.Random
) -> tuple[list[LabelledText], list[LabelledText]]:
    """Stratified split: every label keeps most of its examples for training; a label with fewer
    than ``MIN_TO_HOLD_OUT`` examples keeps them all."""
    by_label: dict[str, list[LabelledText]] = defaultdict(list)
    for example in examples:
        by_label[example.label].append(example)
    train, dev = [], []
    for label in sorted(by_label):
        items = by_label[label][:]
        rng.shuffle(items)
        n_dev = int(len(items) * fraction) if len(items) >= MIN_TO_HOLD_OUT else 0
        dev.extend(items[:n_dev])
        train.extend(items[n_dev:])
    return train, dev


def predict_scores(
    nlp: Language, component: str, texts: Sequence[str], *, batch_size: int = _PREDICT_BATCH
) -> numpy.ndarray:
    """The classifier's score matrix (one row per text, one column per label, in the order of
    its ``labels``), running the pipeline only up to the classifier."""
    textcat = _textcat(nlp, component)
    before = nlp.pipe_names[: nlp.pipe_names.index(component)]
    disabled = [name for name in nlp.pipe_names if name not in before]
    texts = list(texts)
    blocks = []
    for start in range(0, len(texts), batch_size):
        docs = list(nlp.pipe(texts[start : start + batch_size], disable=disabled))
        blocks.append(numpy.asarray(textcat.predict(docs)))
    if not blocks:
        return numpy.zeros((0, len(textcat.labels)))
    return numpy.concatenate(blocks)


def predict_labels(
    nlp: Language,
    component: str,
    texts: Sequence[str],
    *,
    threshold: float = 0.0,
    batch_size: int = _PREDICT_BATCH,
) -> list[tuple[str, float]]:
    """Top label and confidence for each text; below ``threshold`` the label is ``other``.

    Reads the classifier's score matrix directly: writing 77 ``doc.cats`` entries per message and
    searching them cost more than the classifier itself.
    """
    labels = list(_textcat(nlp, component).labels)
    handoff = HANDOFF_INTENT in labels
    scores = predict_scores(nlp, component, texts, batch_size=batch_size)
    results: list[tuple[str, float]] = []
    for row, column in enumerate(scores.argmax(axis=1).tolist()):
        confidence = float(scores[row, column])
        label = labels[column]
        if confidence < threshold and handoff:
            label = HANDOFF_INTENT
        results.append((label, confidence))
    return results


def _pipeline(settings: TrainSettings, labels: Sequence[str]) -> tuple[Language, TextCategorizer]:
    french.prepare(settings.lang)
    nlp = spacy.blank(settings.lang)
    # The tfidf architectures fold tokens themselves; the others read the NORM the normaliser sets.
    if settings.arch not in _SELF_FOLDING:
        nlp.add_pipe("replique_normalizer_v1", name="normalizer")
    textcat = cast(
        TextCategorizer,
        nlp.add_pipe(
            "textcat",
            name=settings.component,
            config={"model": architecture(settings.arch), "threshold": 0.0},
        ),
    )
    for label in labels:
        textcat.add_label(label)
    return nlp, textcat


def _initialized(
    settings: TrainSettings, labels: Sequence[str], items: Sequence[LabelledText]
) -> tuple[Language, TextCategorizer, list[_Item], Optimizer, RowUpdates]:
    """A fresh pipeline initialised on ``items``, their examples (each with its row of expected
    scores, in the order of the textcat's labels), its optimiser, and the row-wise updates of its
    indexed layers (enter them before training)."""
    nlp, textcat = _pipeline(settings, labels)
    before = [nlp.get_pipe(name) for name in nlp.pipe_names if name != settings.component]

    def to_example(item: LabelledText) -> Example:
        # The normaliser is not trainable, so run it here: the textcat reads the NORM it sets.
        doc = nlp.make_doc(item.text)
        for component in before:
            doc = component(doc)
        return Example.from_dict(doc, {"cats": {lb: float(lb == item.label) for lb in labels}})

    examples = [to_example(item) for item in items]
    # Architectures with an exact feature index (tfidf) build it from the training messages.
    fit_feature_index(textcat.model, [example.reference for example in examples])
    # Architectures with static vectors read them from their package into the model.
    fit_static_vectors(textcat.model, settings.lang)
    learn_rate = settings.learn_rate or _LEARN_RATES.get(settings.arch, _DEFAULT_LEARN_RATE)
    optimizer = Adam(learn_rate, L2=settings.l2, L2_is_weight_decay=True)
    # The labels are already added: spaCy reads only the first examples to initialise the model
    # (going through all of them would add every label of every example again).
    nlp.initialize(lambda: examples[:_INITIALIZE_FROM], sgd=optimizer)
    rows = RowUpdates(textcat.model, optimizer)
    column = {label: i for i, label in enumerate(textcat.labels)}
    truths: Any = numpy.zeros((len(items), len(column)), dtype="float32")
    truths[numpy.arange(len(items)), [column[item.label] for item in items]] = 1.0
    return nlp, textcat, list(zip(examples, truths, strict=True)), optimizer, rows


def _epoch(
    nlp: Language,
    items: list[_Item],
    optimizer: Optimizer,
    rows: RowUpdates,
    settings: TrainSettings,
    rng: random.Random,
) -> float:
    rng.shuffle(items)
    losses: dict[str, float] = {}
    textcat = _textcat(nlp, settings.component)
    alone = nlp.pipe_names == [settings.component]
    for batch in _batches(items, settings.batch_start, settings.batch_size):
        if alone:
            _update_alone(textcat, batch, optimizer, settings.dropout, losses)
        else:
            nlp.update([eg for eg, _ in batch], sgd=optimizer, drop=settings.dropout, losses=losses)
        rows.step()
    rows.sync_averages()
    return losses.get(settings.component, 0.0)


def _update_alone(
    textcat: TextCategorizer,
    batch: Sequence[_Item],
    optimizer: Optimizer,
    drop: float,
    losses: dict[str, float],
) -> None:
    """``TextCategorizer.update`` for a textcat alone in its pipeline, with the expected scores
    computed once rather than at every update: the same step (forward, squared-error gradient,
    backward, optimiser), without copying each example and reading its ``cats`` again, which cost
    a third of the training time on Banking77."""
    losses.setdefault(textcat.name, 0.0)
    docs = [eg.predicted for eg, _ in batch]
    if not any(len(doc) for doc in docs):
        return
    set_dropout_rate(textcat.model, drop)
    scores, backprop = textcat.model.begin_update(docs)
    d_scores = scores - numpy.stack([truth for _, truth in batch])
    backprop(d_scores)
    textcat.finish_update(optimizer)
    losses[textcat.name] += float((d_scores**2).mean())


def train_classifier(
    examples: Sequence[LabelledText],
    settings: TrainSettings,
    *,
    on_epoch: Callable[[EpochReport], None] | None = None,
) -> TrainedModel:
    """Train a ``textcat`` on ``examples``; the best epoch on the validation split is kept.

    With ``settings.refit`` the model is then trained again from scratch on every example
    (validation split included) for that many epochs: the validation split chose the length of
    training and the hand-off threshold, and its examples still teach the final model.
    """
    labels = labels_of(examples)
    if len(labels) < 2:
        raise TrainingDataError("training.one_label")
    settings = replace(settings, arch=resolve_arch(settings.arch, len(examples)))
    started = time.perf_counter()
    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    train, dev = _split(examples, settings.dev_fraction, rng)
    nlp, textcat, train_examples, optimizer, rows = _initialized(settings, labels, train)

    dev_texts, dev_gold = [e.text for e in dev], [e.label for e in dev]
    best: tuple[float, int, bytes] | None = None
    epoch = 0
    with rows:
        for epoch in range(1, settings.max_epochs + 1):
            loss = _epoch(nlp, train_examples, optimizer, rows, settings, rng)
            # Scored and kept with the optimiser's running averages of the weights (as spaCy's
            # own training loop does): steadier than the last update's weights, more accurate.
            with nlp.use_params(optimizer.averages):
                if dev:
                    predicted = [
                        label for label, _ in predict_labels(nlp, settings.component, dev_texts)
                    ]
                    dev_scores = score(dev_gold, predicted)
                    objective = dev_scores.macro_f1
                else:
                    dev_scores, objective = score([], []), float(epoch)
                # The first epochs are not candidates: their averaged weights still lean on the
                # first updates, and a tiny validation split can prefer them by chance.
                eligible = epoch >= min(settings.min_epochs, settings.max_epochs)
                improved = eligible and (best is None or objective > best[0] + 1e-6)
                if improved:
                    best = (objective, epoch, textcat.to_bytes())
            if on_epoch is not None:
                on_epoch(EpochReport(epoch, loss, dev_scores, improved, validated=bool(dev)))
            if best is not None and epoch - best[1] >= settings.patience:
                break
    if best is not None:
        textcat.from_bytes(best[2])
    best_epoch = best[1] if best else epoch

    # Without a validation split there is nothing to calibrate on: the documented floor holds.
    threshold = MIN_THRESHOLD if settings.component == "intent" else 0.0
    final_dev = score([], [])
    temperature = 1.0
    if dev:
        predictions = predict_labels(nlp, settings.component, dev_texts)
        if settings.component == "intent":
            threshold = calibrate_threshold(predictions, dev_gold)
        else:
            dev_scores_matrix = predict_scores(nlp, settings.component, dev_texts)
            temperature = fit_temperature(dev_scores_matrix, list(textcat.labels), dev_gold)
        final_dev = score(
            dev_gold,
            [lb if c >= threshold else HANDOFF_INTENT for lb, c in predictions],
        )
    if settings.refit and dev:
        fix_random_seed(settings.seed)
        rng = random.Random(settings.seed)
        items = list(train) + list(dev)
        nlp, textcat, all_examples, optimizer, rows = _initialized(settings, labels, items)
        with rows:
            for refit_epoch in range(1, best_epoch + 1):
                loss = _epoch(nlp, all_examples, optimizer, rows, settings, rng)
                if on_epoch is not None:
                    on_epoch(
                        EpochReport(
                            refit_epoch, loss, score([], []), False, refit=True, total=best_epoch
                        )
                    )
        with nlp.use_params(optimizer.averages):
            averaged = textcat.to_bytes()
        textcat.from_bytes(averaged)
    return TrainedModel(
        nlp=nlp,
        settings=settings,
        dev=final_dev,
        threshold=threshold,
        epochs=best_epoch,
        seconds=time.perf_counter() - started,
        n_train=len(train),
        n_dev=len(dev),
        temperature=temperature,
    )
