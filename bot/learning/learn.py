"""Retrain, compare, promote: what ``replique learn`` does for each language.

The new model is trained from scratch, with the same architecture and settings as the shipped
models (``bot/training/build_default.py``), on the shipped training data plus the reviewers'
labels (``bot/learning/examples.py``). Both the model in use and the new one are scored on the
shipped evaluation set and on the held-out intent fixes, each with its own hand-off threshold
(as the analyser reads it); the new one is promoted only when it is not worse on either. A
promoted model is written under ``<models>/<lang>/intent/<id>/`` (figures in its ``meta.json``)
and recorded in the store, which is what the analyser reads.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from bot.config import SHIPPED_LANGUAGES, VAR_DIR, AppConfig
from bot.learning.examples import LearningData, learning_data
from bot.nlp.analyser import DEFAULT_MODELS
from bot.store.promotions import Promotion, PromotionStore
from bot.training.build_default import shipped_settings
from bot.training.datasets import TRAINING_DATA, LabelledText, data_fingerprint, load_examples
from bot.training.evaluation import score
from bot.training.model_io import LoadedClassifier, load_classifier
from bot.training.trainer import TrainSettings, predict_labels, train_classifier

__all__ = [
    "DEFAULT_MODELS_DIR",
    "Figures",
    "LearningReport",
    "Rollback",
    "learn",
    "learn_language",
    "roll_back",
]

#: Where promoted models are written unless told otherwise.
DEFAULT_MODELS_DIR: Final = VAR_DIR / "models"
#: What the model in use is called when it is the shipped one.
SHIPPED: Final = "shipped"


#: Evaluation messages a retrained model may lose and still count as not worse: retraining on
#: the same data in another order alone moves the evaluation set by a message or so.
TOLERATED_EVAL_LOSS = 1


@dataclass(frozen=True, slots=True)
class Figures:
    """One model's scores: on the shipped evaluation set, and on the held-out intent fixes."""

    model: str
    accuracy: float
    macro_f1: float
    n: int
    held_out_accuracy: float | None
    held_out_n: int

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "n": self.n,
            "held_out_accuracy": (
                None if self.held_out_accuracy is None else round(self.held_out_accuracy, 4)
            ),
            "held_out_n": self.held_out_n,
        }

    def not_worse_on_eval(self, other: Figures) -> bool:
        return self.accuracy + TOLERATED_EVAL_LOSS / max(other.n, 1) + 1e-9 >= other.accuracy

    def not_worse_than(self, other: Figures) -> bool:
        eps = 1e-9
        if not self.not_worse_on_eval(other):
            return False
        if self.held_out_accuracy is None or other.held_out_accuracy is None:
            return True
        return self.held_out_accuracy + eps >= other.held_out_accuracy


@dataclass(frozen=True, slots=True)
class LearningReport:
    """What ``replique learn`` did for one language."""

    language: str
    corrections: int
    confirmed: int
    before: Figures
    after: Figures | None
    promoted: bool
    #: promoted, nothing_new (no reviewed message), unchanged (the labels the model in use was
    #: learned from), rolled_back_before (the labels of a model rolled back), worse_on_eval,
    #: worse_on_held_out.
    outcome: str
    seconds: float
    path: Path | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "corrections": self.corrections,
            "confirmed": self.confirmed,
            "before": self.before.as_json(),
            "after": self.after.as_json() if self.after is not None else None,
            "promoted": self.promoted,
            "outcome": self.outcome,
            "path": str(self.path) if self.path is not None else None,
            "seconds": round(self.seconds, 1),
        }


@dataclass(frozen=True, slots=True)
class Rollback:
    """What ``replique learn --rollback`` did for one language."""

    language: str
    rolled_back: Promotion | None
    #: The promoted model in use now; None: the shipped one (or the pinned one).
    now: Promotion | None

    def as_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "rolled_back": self.rolled_back.model_id if self.rolled_back else None,
            "now": self.now.model_id if self.now else SHIPPED,
        }


def _settings(lang: str) -> TrainSettings:
    return TrainSettings(lang=lang, component="intent", **shipped_settings(lang, "intent"))


def _fingerprint(lang: str, data: LearningData) -> str:
    """What a model is learned from: the shipped data, the settings, the reviewers' labels."""
    labels = ";".join(f"{pk}={intent}" for pk, intent in data.labels)
    return data_fingerprint([TRAINING_DATA / lang / "intents.yml"], repr(_settings(lang)), labels)


def _figures(
    name: str,
    model: LoadedClassifier,
    evaluation: Sequence[LabelledText],
    held_out: Sequence[LabelledText],
) -> Figures:
    def predicted(items: Sequence[LabelledText]) -> list[str]:
        texts = [e.text for e in items]
        found = predict_labels(model.nlp, model.component, texts, threshold=model.threshold)
        return [label for label, _ in found]

    on_eval = score([e.label for e in evaluation], predicted(evaluation))
    on_held = score([e.label for e in held_out], predicted(held_out)) if held_out else None
    return Figures(
        model=name,
        accuracy=on_eval.accuracy,
        macro_f1=on_eval.macro_f1,
        n=on_eval.n,
        held_out_accuracy=on_held.accuracy if on_held is not None else None,
        held_out_n=len(held_out),
    )


def model_in_use(config: AppConfig, lang: str, active: dict[str, Promotion]) -> tuple[str, Path]:
    """The intent model ``lang`` uses now (its name and folder): the one ``replique.yml`` pins,
    else the newest promoted one, else the shipped one — as the analyser chooses."""
    pinned = getattr(config.models, lang, None)
    if pinned is not None:
        return "pinned", config.resolve(pinned)
    promotion = active.get(lang)
    if promotion is not None and (promotion.path / "meta.json").exists():
        return promotion.model_id, promotion.path
    return SHIPPED, DEFAULT_MODELS / lang / "intent"


def learn_language(
    store: PromotionStore,
    config: AppConfig,
    lang: str,
    *,
    models_dir: Path = DEFAULT_MODELS_DIR,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> LearningReport:
    """Retrain ``lang``'s intent model and promote it when it is not worse (see the module)."""
    started = time.perf_counter()
    data = learning_data(lang, store.reviewed_examples(language=lang))
    active = store.active_models()
    name, current = model_in_use(config, lang, active)
    evaluation = load_examples(TRAINING_DATA / lang / "intents_eval.yml")
    before = _figures(name, load_classifier(current), evaluation, data.held_out)

    def report(
        outcome: str, after: Figures | None = None, path: Path | None = None
    ) -> LearningReport:
        return LearningReport(
            language=lang,
            corrections=data.corrections,
            confirmed=data.confirmed,
            before=before,
            after=after,
            promoted=outcome == "promoted",
            outcome=outcome,
            seconds=time.perf_counter() - started,
            path=path,
        )

    if not data.labels:
        return report("nothing_new")
    fingerprint = _fingerprint(lang, data)
    promotion = active.get(lang)
    if promotion is not None and promotion.figures.get("fingerprint") == fingerprint:
        return report("unchanged")
    if any(
        p.language == lang and p.figures.get("fingerprint") == fingerprint
        for p in store.promotions()
    ):
        # The same labels made a model someone rolled back: learning it again would undo that.
        return report("rolled_back_before")
    shipped = load_examples(TRAINING_DATA / lang / "intents.yml")
    trained = train_classifier([*shipped, *data.train], _settings(lang))
    model_id = f"{now().strftime('%Y%m%d-%H%M%S')}-{fingerprint[:6]}"
    candidate = LoadedClassifier(trained.nlp, "intent", trained.threshold)
    after = _figures(model_id, candidate, evaluation, data.held_out)
    if not after.not_worse_on_eval(before):
        return report("worse_on_eval", after)
    if not after.not_worse_than(before):
        return report("worse_on_held_out", after)
    staging = models_dir / lang / "intent" / f".{model_id}.tmp-{os.getpid()}"
    try:
        figures = {
            "fingerprint": fingerprint,
            "before": before.as_json(),
            "after": after.as_json(),
            "train_n": len(shipped) + len(data.train),
            "train_seconds": round(trained.seconds, 1),
        }
        trained.save(staging, extra_meta={"learned": figures, "corrections": data.corrections})
        final = (models_dir / lang / "intent" / model_id).resolve()
        # Renamed once complete: a service reading the store never finds half a model.
        staging.rename(final)
        store.record_promotion(
            language=lang,
            model_id=model_id,
            path=final,
            corrections=data.corrections,
            confirmed=data.confirmed,
            figures=figures,
        )
        return report("promoted", after, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def learn(
    store: PromotionStore,
    config: AppConfig,
    *,
    languages: Sequence[str] | None = None,
    models_dir: Path = DEFAULT_MODELS_DIR,
) -> list[LearningReport]:
    """``learn_language`` for every enabled language Réplique ships data for."""
    chosen = languages or [lang for lang in config.brand.languages if lang in SHIPPED_LANGUAGES]
    return [learn_language(store, config, lang, models_dir=models_dir) for lang in chosen]


def roll_back(
    store: PromotionStore, config: AppConfig, *, languages: Sequence[str] | None = None
) -> list[Rollback]:
    """Go back to the model each language used before its newest promotion."""
    chosen = languages or [lang for lang in config.brand.languages if lang in SHIPPED_LANGUAGES]
    return [Rollback(lang, *store.roll_back(lang)) for lang in chosen]
