"""Model benchmarks (the ``models`` section of ``make bench``): accuracy first, then speed.

- Banking77: Réplique's trainer against the TF-IDF + LinearSVC baseline (benchmarks/baseline.py),
  side by side in one run: accuracy, macro-F1, messages per second, training time;
- CLINC150: in-scope accuracy and out-of-scope recall at the hand-off threshold the trainer
  calibrates (the one the product uses), with the threshold and how it was chosen;
- sentiment: the shipped sentiment models on the UMSAB tweet test sets (fr, en) and the airline
  customer tweets, never trained on: accuracy, macro-F1 and negative recall;
- the shipped intent models on their own evaluation sets, per language, plus the French variants
  (no accents, Québec spelling, mixed with English), and the shipped recipe cross-validated on
  each language's training data (5 folds), which compares the languages on data written alike.

The public data sets live outside the repository (``../shared/data`` by default, or
``REPLIQUE_DATA``); a missing one is reported and skipped, never faked.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.baseline import run_baseline
from bot.domain import HANDOFF_INTENT
from bot.nlp.analyser import DEFAULT_MODELS
from bot.training.build_default import shipped_settings, training_examples
from bot.training.datasets import TRAINING_DATA, LabelledText, load_examples
from bot.training.evaluation import score
from bot.training.model_io import load_classifier
from bot.training.trainer import TrainSettings, predict_labels, train_classifier

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("REPLIQUE_DATA", ROOT.parent / "shared" / "data"))
_SENTIMENT_LABELS = {"0": "negative", "1": "neutral", "2": "positive"}
#: Settings on top of what ``replique train`` uses for a brand's data: none, the trainer's own
#: defaults (``auto`` architecture) are what is measured.
TRAINER_DEFAULTS: dict[str, Any] = {}


def _timed(function: Callable[[], Any], repeats: int = 3) -> tuple[Any, float]:
    """Result of ``function`` and its best wall time over ``repeats`` calls."""
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return result, best


def _round(values: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in values.items()}


def _csv_examples(path: Path) -> list[LabelledText]:
    return load_examples(path)


def banking77(*, seed: int = 0) -> dict[str, Any]:
    """Ours against the baseline, same train and test files, same process, one after the other."""
    folder = DATA / "banking77"
    train, test = _csv_examples(folder / "train.csv"), _csv_examples(folder / "test.csv")
    texts, gold = [e.text for e in test], [e.label for e in test]
    baseline = run_baseline(([e.text for e in train], [e.label for e in train]), (texts, gold))

    settings = TrainSettings(lang="en", seed=seed, **TRAINER_DEFAULTS)
    trained = train_classifier(train, settings)
    predict_labels(trained.nlp, "intent", texts[:64])  # warm-up: caches, first allocations
    predicted, seconds = _timed(lambda: predict_labels(trained.nlp, "intent", texts))
    ours = score(gold, [label for label, _ in predicted])
    return {
        "ours": _round(
            {
                "arch": trained.settings.arch,
                "accuracy": ours.accuracy,
                "macro_f1": ours.macro_f1,
                "n": ours.n,
                "messages_per_second": len(texts) / seconds,
                "train_seconds": trained.seconds,
                "epochs": trained.epochs,
            }
        ),
        "baseline": _round(
            {
                "arch": "tfidf_word12_char25_linearsvc",
                "accuracy": baseline.accuracy,
                "macro_f1": baseline.macro_f1,
                "n": baseline.n,
                "messages_per_second": baseline.messages_per_second,
                "train_seconds": baseline.train_seconds,
            }
        ),
    }


def clinc150(*, seed: int = 0) -> dict[str, Any]:
    """Train on the training split (out-of-scope examples labelled ``other``), score on test.

    The hand-off threshold is the one ``train_classifier`` calibrates on its own validation split
    (best reviewer utility among thresholds handing off at most 10 %, never below 0.2), exactly
    as for a brand's model; the test split never influences it.
    """
    data = json.loads((DATA / "clinc150" / "data_full.json").read_text(encoding="utf-8"))

    def examples(split: str) -> list[LabelledText]:
        return [
            LabelledText(text, HANDOFF_INTENT if label == "oos" else label)
            for text, label in data[split]
        ]

    train = examples("train") + examples("oos_train")
    settings = TrainSettings(lang="en", seed=seed, **TRAINER_DEFAULTS)
    trained = train_classifier(train, settings)
    threshold = trained.threshold
    in_scope, oos = examples("test"), examples("oos_test")
    started = time.perf_counter()
    predicted_in = predict_labels(
        trained.nlp, "intent", [e.text for e in in_scope], threshold=threshold
    )
    predicted_oos = predict_labels(
        trained.nlp, "intent", [e.text for e in oos], threshold=threshold
    )
    seconds = time.perf_counter() - started
    in_scope_accuracy = sum(
        label == e.label for (label, _), e in zip(predicted_in, in_scope, strict=True)
    ) / len(in_scope)
    oos_recall = sum(label == HANDOFF_INTENT for label, _ in predicted_oos) / len(oos)
    in_scope_handoff = sum(label == HANDOFF_INTENT for label, _ in predicted_in) / len(in_scope)
    return _round(
        {
            "arch": trained.settings.arch,
            "threshold": threshold,
            "threshold_rule": "validation split: best utility (right 1, hand-off 0.5, wrong 0), "
            "at most 10 % handed off, floor 0.2",
            "in_scope_accuracy": in_scope_accuracy,
            "oos_recall": oos_recall,
            "in_scope_handed_off": in_scope_handoff,
            "n_in_scope": len(in_scope),
            "n_oos": len(oos),
            "train_seconds": trained.seconds,
            "messages_per_second": (len(in_scope) + len(oos)) / seconds,
        }
    )


def _umsab(lang: str) -> list[LabelledText]:
    folder = DATA / "umsab_tweet_sentiment_en_fr" / {"fr": "french", "en": "english"}[lang]
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").splitlines()
    labels = (folder / "test_labels.txt").read_text(encoding="utf-8").splitlines()
    return [
        LabelledText(text, _SENTIMENT_LABELS[label.strip()])
        for text, label in zip(texts, labels, strict=True)
    ]


def _airline() -> list[LabelledText]:
    with (DATA / "airline_sentiment_nc" / "Tweets.csv").open(encoding="utf-8") as handle:
        return [
            LabelledText(row["text"], row["airline_sentiment"]) for row in csv.DictReader(handle)
        ]


def sentiment_scores(model_dir: Path, examples: Sequence[LabelledText]) -> dict[str, Any]:
    loaded = load_classifier(model_dir)
    predicted = [
        label
        for label, _ in predict_labels(loaded.nlp, loaded.component, [e.text for e in examples])
    ]
    gold = [e.label for e in examples]
    scores = score(gold, predicted)
    negatives = [p for g, p in zip(gold, predicted, strict=True) if g == "negative"]
    return _round(
        {
            "accuracy": scores.accuracy,
            "macro_f1": scores.macro_f1,
            "negative_recall": sum(p == "negative" for p in negatives) / max(len(negatives), 1),
            "n": scores.n,
        }
    )


def sentiment() -> dict[str, Any]:
    """The shipped sentiment models on public sets they never saw."""
    return {
        "umsab_fr": sentiment_scores(DEFAULT_MODELS / "fr" / "sentiment", _umsab("fr")),
        "umsab_en": sentiment_scores(DEFAULT_MODELS / "en" / "sentiment", _umsab("en")),
        "airline_en": sentiment_scores(DEFAULT_MODELS / "en" / "sentiment", _airline()),
    }


def shipped_intents() -> dict[str, Any]:
    """The shipped intent models on their evaluation sets (and the French variants)."""
    results: dict[str, Any] = {}
    sets = {
        "en": TRAINING_DATA / "en" / "intents_eval.yml",
        "fr": TRAINING_DATA / "fr" / "intents_eval.yml",
        "fr_variants": TRAINING_DATA / "fr" / "intents_eval_variants.yml",
    }
    for name, path in sets.items():
        lang = name[:2]
        loaded = load_classifier(DEFAULT_MODELS / lang / "intent")
        examples = load_examples(path)
        predicted = predict_labels(
            loaded.nlp, "intent", [e.text for e in examples], threshold=loaded.threshold
        )
        scores = score([e.label for e in examples], [label for label, _ in predicted])
        results[name] = _round(
            {"accuracy": scores.accuracy, "macro_f1": scores.macro_f1, "n": scores.n}
        )
    # The evaluation sets of the two languages are different messages; cross-validation on the
    # training data compares the languages on data written the same way.
    for lang in ("en", "fr"):
        results[f"{lang}_cross_validation"] = cross_validation(lang)
    results["settings"] = {lang: shipped_settings(lang, "intent") for lang in ("en", "fr")}
    return results


def cross_validation(lang: str, folds: int = 5) -> dict[str, Any]:
    """The shipped recipe on ``folds`` held-out parts of the shipped intent training data in turn
    (each message predicted once, by a model that did not see it). The classifier alone, without
    the hand-off threshold: calibrated on a fold's small validation split, it varies more from
    fold to fold than the classifiers do."""
    examples = training_examples(lang, "intent")
    order = list(range(len(examples)))
    random.Random(0).shuffle(order)
    gold: list[str] = []
    predicted: list[str] = []
    for fold in range(folds):
        held = order[fold::folds]
        held_set = set(held)
        train = [examples[i] for i in order if i not in held_set]
        settings = TrainSettings(lang=lang, **shipped_settings(lang, "intent"))
        trained = train_classifier(train, settings)
        texts = [examples[i].text for i in held]
        predicted += [label for label, _ in predict_labels(trained.nlp, "intent", texts)]
        gold += [examples[i].label for i in held]
    scores = score(gold, predicted)
    return _round(
        {"accuracy": scores.accuracy, "macro_f1": scores.macro_f1, "n": scores.n, "folds": folds}
    )


SECTIONS: dict[str, Callable[[], dict[str, Any]]] = {
    "banking77": banking77,
    "clinc150": clinc150,
    "sentiment": sentiment,
    "shipped_intents": shipped_intents,
}


def run_models(only: Sequence[str] = ()) -> dict[str, Any]:
    """Every model benchmark (or those named in ``only``); a missing data set is reported."""
    results: dict[str, Any] = {}
    for name, function in SECTIONS.items():
        if only and name not in only:
            continue
        print(f"  {name}…", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            results[name] = function()
        except FileNotFoundError as exc:
            results[name] = {"skipped": f"data not found: {exc.filename}"}
        print(
            f"  {name}: {json.dumps(results[name])} ({time.perf_counter() - started:.0f}s)",
            file=sys.stderr,
            flush=True,
        )
    return results


def print_models(results: dict[str, Any]) -> None:
    """The figures as a table a person can read."""
    bank = results.get("banking77", {})
    if "ours" in bank:
        print(f"\n{'Banking77':<34}{'accuracy':>9}{'macro-F1':>9}{'msg/s':>9}{'train s':>9}")
        for who in ("ours", "baseline"):
            r = bank[who]
            print(
                f"  {who + ' (' + r['arch'] + ')':<32}{r['accuracy']:>9.4f}{r['macro_f1']:>9.4f}"
                f"{r['messages_per_second']:>9.0f}{r['train_seconds']:>9.1f}"
            )
    clinc = results.get("clinc150", {})
    if "threshold" in clinc:
        print(
            f"\nCLINC150 at threshold {clinc['threshold']:.2f}: in-scope accuracy "
            f"{clinc['in_scope_accuracy']:.4f}, out-of-scope recall {clinc['oos_recall']:.4f}"
        )
    senti = results.get("sentiment", {})
    if senti:
        print(f"\n{'sentiment (shipped)':<34}{'accuracy':>9}{'macro-F1':>9}{'neg rec':>9}{'n':>7}")
        for name, r in senti.items():
            if "accuracy" in r:
                print(
                    f"  {name:<32}{r['accuracy']:>9.4f}{r['macro_f1']:>9.4f}"
                    f"{r['negative_recall']:>9.4f}{r['n']:>7}"
                )
    shipped = results.get("shipped_intents", {})
    if shipped:
        title = "intents (shipped eval sets, 5-fold)"
        print(f"\n{title:<34}{'accuracy':>9}{'macro-F1':>9}{'n':>7}")
        for name, r in shipped.items():
            if isinstance(r, dict) and "accuracy" in r:
                print(f"  {name:<32}{r['accuracy']:>9.4f}{r['macro_f1']:>9.4f}{r['n']:>7}")
    for name, r in results.items():
        if isinstance(r, dict) and "skipped" in r:
            print(f"\n{name}: skipped ({r['skipped']})")
