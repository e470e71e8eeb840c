"""Learning from the reviewers (the ``learning`` section of ``make bench``): how long
``replique learn`` takes on a night's worth of intent fixes, and what it changes.

A SQLite store is filled with ``--learning-corrections`` French messages (2,000 by default)
whose intent a reviewer fixed, written straight through the store's API (the review desk's path
is tested in tests/integration/test_learning.py): a fifth are the loyalty-points family of
tests/learning_family.py (the shipped model reads it as ``pricing``), the rest are shipped
training messages of every intent, each with a greeting or a sign-off a customer would add, under
their own intent (reviewers fixing what the model got wrong across the board). The evaluation
set is never among them.

Figures: the time of one ``learn_language`` run (reading the store, scoring the model in use,
training, scoring the new one, writing it), the training time alone, accuracy on the shipped
evaluation set and on the held-out fixes before and after, the share of fresh paraphrases of the
family read right before and after, and whether the new model was promoted. Target: 2,000
corrections in at most 120 s.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import RESOURCES, load_config
from bot.domain import Analysis, InboundMessage, IntentScore
from bot.learning import PromotedModels, learn_language
from bot.nlp.analyser import Analyser, AnalysisRequest
from bot.store import Store
from bot.training.datasets import TRAINING_DATA, load_examples
from tests.learning_family import FIXED, PARAPHRASES, TARGET

__all__ = ["TARGET_SECONDS", "print_learning", "run_learning"]

#: The issue's bar: a nightly run on 2,000 corrections.
TARGET_SECONDS = 120.0
_OPENINGS = ("", "Bonjour, ", "Salut ! ", "Allo, ", "Bonsoir, ", "Re-bonjour, ", "Hello, ")
_CLOSINGS = ("", " Merci !", " svp", " Merci d'avance.", " Bonne journée", " :)", " — Julie")


def _corrections(n: int, rng: random.Random) -> list[tuple[str, str]]:
    family = [
        (f"{opening}{text}{closing}".strip(), TARGET)
        for text in FIXED
        for opening in _OPENINGS
        for closing in _CLOSINGS
    ]
    rng.shuffle(family)
    shipped = load_examples(TRAINING_DATA / "fr" / "intents.yml")
    others = [
        (f"{rng.choice(_OPENINGS)}{e.text}{rng.choice(_CLOSINGS)}".strip(), e.label)
        for e in rng.sample(shipped, min(len(shipped), n))
    ]
    chosen = family[: n // 5] + others[: n - min(len(family), n // 5)]
    return chosen[:n]


def _fill(store: Store, corrections: list[tuple[str, str]]) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    for i, (text, intent) in enumerate(corrections):
        intake = store.take_in(
            InboundMessage(
                platform="web",
                conversation_id=f"c{i}",
                customer_id=f"c{i}",
                text=text,
                received_at=start + timedelta(seconds=i),
            )
        )
        analysis = Analysis(
            language="fr",
            language_confidence=0.99,
            intent=IntentScore("pricing", 0.4),
            alternatives=(),
            sentiment="neutral",
            sentiment_confidence=0.8,
        )
        store.save_drafting(intake.recorded, analysis=analysis, drafts=[])
        store.record_intent_correction(
            intake.recorded.message_pk, predicted="pricing", corrected=intent, reviewer="bench"
        )


def _family_share(analyser: Analyser) -> float:
    found = analyser.analyse_many([AnalysisRequest(text, hint="fr") for text in PARAPHRASES])
    return sum(a.intent.name == TARGET for a in found) / len(PARAPHRASES)


def run_learning(n: int = 2000) -> dict[str, Any]:
    config = load_config(RESOURCES / "replique.yml")
    with tempfile.TemporaryDirectory() as tmp, Store.open(f"sqlite:///{tmp}/r.db") as store:
        _fill(store, _corrections(n, random.Random(7)))
        analyser = Analyser(config, learned=PromotedModels(store))
        family_before = _family_share(analyser)
        started = time.perf_counter()
        report = learn_language(store, config, "fr", models_dir=Path(tmp) / "models")
        seconds = time.perf_counter() - started
        analyser.refresh(force=True)
        family_after = _family_share(analyser)
        train_seconds = (
            store.active_models()["fr"].figures["train_seconds"] if report.promoted else None
        )
    figures = report.as_json()
    return {
        "corrections": report.corrections,
        "learn_seconds": round(seconds, 1),
        "train_seconds": train_seconds,
        "target_seconds": TARGET_SECONDS,
        "before": figures["before"],
        "after": figures["after"],
        "family_before": round(family_before, 4),
        "family_after": round(family_after, 4),
        "promoted": report.promoted,
        "outcome": report.outcome,
    }


def print_learning(results: dict[str, Any]) -> None:
    before, after = results["before"], results["after"] or {}
    rows = [
        ("corrections (fr)", str(results["corrections"]), ""),
        ("learning time", f"{results['learn_seconds']:.1f} s", f"<= {TARGET_SECONDS:.0f} s"),
        ("  of which training", f"{results['train_seconds'] or 0:.1f} s", ""),
        (
            "evaluation set accuracy",
            f"{before['accuracy']:.3f} -> {after.get('accuracy', 0):.3f}",
            "not worse",
        ),
        (
            "held-out fixes accuracy",
            f"{before['held_out_accuracy'] or 0:.3f} -> {after.get('held_out_accuracy') or 0:.3f}"
            f" (n={before['held_out_n']})",
            "not worse",
        ),
        (
            "fresh paraphrases right",
            f"{results['family_before']:.0%} -> {results['family_after']:.0%}",
            ">= 80 %",
        ),
        ("promoted", str(results["promoted"]), ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    print(f"{'':{width}}  {'measured':<26} target")
    for name, value, target in rows:
        print(f"{name:{width}}  {value:<26} {target}")
