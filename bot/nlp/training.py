"""Training a text classifier (intent or sentiment) into a spaCy pipeline directory.

The saved pipeline is ``normalizer`` + one ``textcat`` named after what it predicts (``intent`` or
``sentiment``); the analyser sources that component into its runtime pipeline. A validation split
drives early stopping, the best epoch's weights are kept, and for intents the confidence below
which a message goes to a person (as ``other``) is calibrated on that split and saved with the
model. Seeded: the same data, settings and seed give the same model.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import spacy
from confection import Config
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example
from thinc.api import Adam, fix_random_seed

from bot.domain import HANDOFF_INTENT
from bot.errors import TrainingDataError
from bot.messages import t
from bot.nlp import components  # noqa: F401  (registers the factories and architectures)
from bot.nlp.datasets import LabelledText, labels_of
from bot.nlp.evaluation import Scores, score

__all__ = [
    "ARCHITECTURES",
    "EpochReport",
    "TrainSettings",
    "TrainedModel",
    "predict_labels",
    "train_classifier",
]

_CONFIGS = Path(__file__).parent / "configs"
ARCHITECTURES: tuple[str, ...] = ("bow", "bow_words", "ensemble")
#: Candidate hand-off thresholds tried during calibration.
_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(15))


@dataclass(frozen=True, slots=True)
class TrainSettings:
    lang: str
    component: str = "intent"
    arch: str = "bow"
    seed: int = 0
    max_epochs: int = 40
    patience: int = 5
    dev_fraction: float = 0.1
    dropout: float = 0.1
    learn_rate: float = 0.002


@dataclass(frozen=True, slots=True)
class EpochReport:
    epoch: int
    loss: float
    dev: Scores
    best: bool


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

    def save(self, out_dir: Path, *, extra_meta: dict[str, Any] | None = None) -> Path:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.nlp.meta["name"] = f"replique_{self.settings.component}"
        self.nlp.meta["version"] = "1.0.0"
        self.nlp.meta["replique"] = {
            "component": self.settings.component,
            "arch": self.settings.arch,
            "seed": self.settings.seed,
            "threshold": self.threshold,
            "labels": list(_textcat(self.nlp, self.settings.component).labels),
            "dev_accuracy": round(self.dev.accuracy, 4),
            "dev_macro_f1": round(self.dev.macro_f1, 4),
            "epochs": self.epochs,
            "n_train": self.n_train,
            "n_dev": self.n_dev,
            **(extra_meta or {}),
        }
        self.nlp.to_disk(out_dir)
        return out_dir


def _batches(items: Sequence[Example]) -> list[Sequence[Example]]:
    """Small batches first, growing to 32: early updates are many and cheap (spaCy's habit)."""
    batches, start, size = [], 0, 4.0
    while start < len(items):
        batches.append(items[start : start + int(size)])
        start += int(size)
        size = min(size * 1.001, 32.0)
    return batches


def _textcat(nlp: Language, name: str) -> TextCategorizer:
    return cast(TextCategorizer, nlp.get_pipe(name))


def architecture(name: str) -> dict[str, Any]:
    """The ``model`` block of a textcat component, from configs/textcat.cfg."""
    config = Config().from_disk(_CONFIGS / "textcat.cfg")
    if name not in config:
        raise TrainingDataError(
            t("training.unknown_arch", name=name, choices=", ".join(ARCHITECTURES))
        )
    return dict(config[name])


def _split(
    examples: Sequence[LabelledText], fraction: float, rng: random.Random
) -> tuple[list[LabelledText], list[LabelledText]]:
    """Stratified split: every label keeps most of its examples for training."""
    by_label: dict[str, list[LabelledText]] = defaultdict(list)
    for example in examples:
        by_label[example.label].append(example)
    train, dev = [], []
    for label in sorted(by_label):
        items = by_label[label][:]
        rng.shuffle(items)
        n_dev = int(len(items) * fraction) if len(items) >= 5 else 0
        dev.extend(items[:n_dev])
        train.extend(items[n_dev:])
    return train, dev


def predict_labels(
    nlp: Language, component: str, texts: Sequence[str], *, threshold: float = 0.0
) -> list[tuple[str, float]]:
    """Top label and confidence for each text; below ``threshold`` the label is ``other``."""
    labels = set(_textcat(nlp, component).labels)
    results = []
    for doc in nlp.pipe(texts, batch_size=256):
        cats = {k: v for k, v in doc.cats.items() if k in labels}
        label, confidence = max(cats.items(), key=lambda kv: kv[1])
        if confidence < threshold and HANDOFF_INTENT in labels:
            label = HANDOFF_INTENT
        results.append((label, float(confidence)))
    return results


#: What a hand-off is worth next to a right (1) or a wrong (0) intent: a person gets a neutral
#: holding reply to adapt, which is slower than a right draft but does no harm.
HANDOFF_VALUE = 0.5


def handoff_utility(
    predictions: Sequence[tuple[str, float]], gold: Sequence[str], threshold: float
) -> float:
    """Mean value of the drafts a threshold leads to: right 1, handed to a person 0.5, wrong 0."""
    total = 0.0
    for (label, confidence), expected in zip(predictions, gold, strict=True):
        routed = label if confidence >= threshold else HANDOFF_INTENT
        if routed == expected:
            total += 1.0
        elif routed == HANDOFF_INTENT:
            total += HANDOFF_VALUE
    return total / len(gold) if gold else 0.0


#: Most messages a threshold may hand to a person on the validation split: past one in ten the
#: copilot stops saving the team time (the split is small, and utility alone would sometimes hand
#: off a sixth of the messages for a gain within noise). policies.min_intent_confidence overrides.
MAX_HANDOFF_RATE = 0.10
#: Below this the model is guessing among several intents: such a message always goes to a person,
#: whatever the validation split says.
MIN_THRESHOLD = 0.2


def _calibrate(predictions: Sequence[tuple[str, float]], gold: Sequence[str]) -> float:
    """The hand-off threshold with the best utility on held-out data among those handing off at
    most ``MAX_HANDOFF_RATE`` (lowest on ties), and never below ``MIN_THRESHOLD``."""
    if not gold or HANDOFF_INTENT not in gold:
        return 0.0
    best_threshold, best_value = MIN_THRESHOLD, -1.0
    for threshold in _THRESHOLDS:
        if threshold < MIN_THRESHOLD:
            continue
        handed_off = sum(conf < threshold for _, conf in predictions)
        if handed_off > MAX_HANDOFF_RATE * len(predictions):
            break  # higher thresholds only hand off more
        value = handoff_utility(predictions, gold, threshold)
        if value > best_value + 1e-9:
            best_threshold, best_value = threshold, value
    return best_threshold


def train_classifier(
    examples: Sequence[LabelledText],
    settings: TrainSettings,
    *,
    on_epoch: Callable[[EpochReport], None] | None = None,
) -> TrainedModel:
    """Train a ``textcat`` on ``examples``; the best epoch on the validation split is kept."""
    labels = labels_of(examples)
    if len(labels) < 2:
        raise TrainingDataError(t("training.one_label"))
    started = time.perf_counter()
    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    train, dev = _split(examples, settings.dev_fraction, rng)

    nlp = spacy.blank(settings.lang)
    normalizer = nlp.add_pipe("replique_normalizer_v1", name="normalizer")
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

    def to_example(item: LabelledText) -> Example:
        # The normaliser is not trainable, so run it here: the textcat reads the NORM it sets.
        doc = normalizer(nlp.make_doc(item.text))
        return Example.from_dict(doc, {"cats": {lb: float(lb == item.label) for lb in labels}})

    train_examples = [to_example(item) for item in train]
    optimizer = Adam(settings.learn_rate)
    nlp.initialize(lambda: train_examples, sgd=optimizer)

    dev_texts, dev_gold = [e.text for e in dev], [e.label for e in dev]
    best: tuple[float, int, bytes] | None = None
    epoch = 0
    for epoch in range(1, settings.max_epochs + 1):
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        for batch in _batches(train_examples):
            nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
        if dev:
            predicted = [label for label, _ in predict_labels(nlp, settings.component, dev_texts)]
            dev_scores = score(dev_gold, predicted)
            objective = dev_scores.macro_f1
        else:
            dev_scores, objective = score([], []), float(epoch)
        improved = best is None or objective > best[0] + 1e-6
        if improved:
            best = (objective, epoch, textcat.to_bytes())
        if on_epoch is not None:
            on_epoch(EpochReport(epoch, losses.get(settings.component, 0.0), dev_scores, improved))
        if best is not None and epoch - best[1] >= settings.patience:
            break
    if best is not None:
        textcat.from_bytes(best[2])

    threshold = 0.0
    final_dev = score([], [])
    if dev:
        predictions = predict_labels(nlp, settings.component, dev_texts)
        if settings.component == "intent":
            threshold = _calibrate(predictions, dev_gold)
        final_dev = score(
            dev_gold,
            [lb if c >= threshold else HANDOFF_INTENT for lb, c in predictions],
        )
    return TrainedModel(
        nlp=nlp,
        settings=settings,
        dev=final_dev,
        threshold=threshold,
        epochs=best[1] if best else epoch,
        seconds=time.perf_counter() - started,
        n_train=len(train),
        n_dev=len(dev),
    )
