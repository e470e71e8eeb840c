"""The analyser: from a customer's text to an ``Analysis`` (language, intent, sentiment, entities…).

One spaCy pipeline per language, assembled from ``configs/analyser_<lang>.cfg`` with the trained
intent and sentiment components sourced from model directories. Pipelines load on first use, so a
French-only conversation never pays for English and ``replique draft`` starts fast; ``warm_up()``
loads everything up front for a long-running service.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol, cast

import numpy
import spacy
from confection import Config
from spacy.language import Language as SpacyLanguage
from spacy.pipeline import EntityRuler, TextCategorizer
from spacy.tokens import Doc

from bot.config import AppConfig
from bot.domain import (
    HANDOFF_INTENT,
    SENTIMENTS,
    Analysis,
    HandoffReason,
    IntentScore,
    Language,
    Sentiment,
)
from bot.errors import ModelError
from bot.nlp import components, french  # noqa: F401  (components registers the factories)
from bot.nlp.calibration import scale
from bot.nlp.entities import catalog_patterns, extract_entities
from bot.nlp.language import LanguageGuess, LanguageIdentifier
from bot.nlp.text import clean_text, doc_text, has_words, is_stop_keyword

__all__ = ["DEFAULT_MODELS", "Analyser", "AnalysisRequest", "IntentModelSource"]

log = logging.getLogger(__name__)

#: Models shipped with Réplique: ``<lang>/intent`` and ``<lang>/sentiment``.
DEFAULT_MODELS = Path(__file__).parent / "models"
_CONFIGS = Path(__file__).parent / "configs"
_ALTERNATIVES = 3


@dataclass(frozen=True, slots=True)
class AnalysisRequest:
    text: str
    #: What is already known of the language: the customer's, or the platform's ("fr-CA").
    hint: str | None = None
    #: The day relative dates ("hier", "yesterday") are resolved against.
    today: date | None = None


class IntentModelSource(Protocol):
    """Where promoted intent models come from (``bot/learning/promoted.py`` reads the store)."""

    def intent_models(self) -> Mapping[str, Path]:
        """The intent model folder each language should use now (absent: the shipped one)."""
        ...


@dataclass(frozen=True, slots=True)
class _LoadedPipeline:
    nlp: SpacyLanguage
    intent_labels: frozenset[str]
    sentiment_labels: frozenset[str]
    threshold: float
    #: The sentiment model's calibration (``meta.json``; 1.0 for models trained before it).
    sentiment_temperature: float = 1.0
    intent_path: Path | None = None


class Analyser:
    """Analyses customer messages in every language the brand enables.

    With ``learned``, the intent model of a language ``replique.yml`` does not pin is the one
    ``learned`` names; it is asked again every ``models.check_every`` seconds, and a language
    whose answer changed gets a new pipeline, loaded aside and swapped in whole, so a running
    service picks up a promotion (or a rollback) without a restart.
    """

    def __init__(self, config: AppConfig, *, learned: IntentModelSource | None = None) -> None:
        self._config = config
        self._languages = tuple(lang for lang in config.brand.languages if lang in ("fr", "en"))
        if not self._languages:
            raise ModelError("analyser.no_language")
        default = config.brand.default_language
        self._default = default if default in self._languages else self._languages[0]
        self._identifier = LanguageIdentifier(default=self._default)
        self._pipelines: dict[str, _LoadedPipeline] = {}
        self._lock = threading.Lock()
        self._learned = learned
        self._learned_paths: dict[str, Path] = {}
        self._checked_at: float | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        return self._languages

    def warm_up(self) -> None:
        """Load every enabled language's pipeline now rather than on first message."""
        self.refresh()
        for lang in self._languages:
            self._pipeline(lang)

    def model_path(self, lang: str, component: str) -> Path:
        configured = getattr(self._config.models, lang, None) if component == "intent" else None
        if configured:
            path = self._config.resolve(configured)
        elif component == "intent" and lang in self._learned_paths:
            path = self._learned_paths[lang]
        else:
            path = DEFAULT_MODELS / lang / component
        if not (path / "meta.json").exists():
            raise ModelError("analyser.no_model", component=component, lang=lang, path=path)
        return path

    def intent_model(self, lang: str) -> Path | None:
        """The intent model folder ``lang``'s loaded pipeline uses (None: not loaded yet)."""
        loaded = self._pipelines.get(lang)
        return loaded.intent_path if loaded is not None else None

    def refresh(self, *, force: bool = False) -> tuple[str, ...]:
        """Ask ``learned`` which intent models to use, at most every ``models.check_every``
        seconds (``force``: now), and swap in the pipelines that changed; returns their
        languages. A model that cannot be read is logged and the current one kept."""
        if self._learned is None:
            return ()
        with self._lock:
            now = time.monotonic()
            due = (
                self._checked_at is None
                or now - self._checked_at >= self._config.models.check_every
            )
            if not (force or due):
                return ()
            self._checked_at = now
        try:
            found = dict(self._learned.intent_models())
        except Exception as exc:  # a store outage must never stop the analysis
            log.warning("could not look for promoted models, keeping the current ones: %s", exc)
            return ()
        wanted: dict[str, Path] = {}
        for lang in self._languages:
            path = found.get(lang)
            if path is None or getattr(self._config.models, lang, None):
                continue
            if (path / "meta.json").exists():
                wanted[lang] = path
            else:
                log.warning("promoted %s intent model %s is not on this machine", lang, path)
                if lang in self._learned_paths:
                    wanted[lang] = self._learned_paths[lang]
        changed = tuple(
            lang for lang in self._languages if wanted.get(lang) != self._learned_paths.get(lang)
        )
        previous, self._learned_paths = self._learned_paths, wanted
        for lang in changed:
            if lang not in self._pipelines:
                continue  # loads on first use, from the new path
            try:
                loaded = self._load(lang)
            except ModelError as exc:
                log.warning(
                    "promoted %s intent model not loaded, keeping the current one: %s", lang, exc
                )
                if lang in previous:
                    self._learned_paths[lang] = previous[lang]
                else:
                    self._learned_paths.pop(lang, None)
                continue
            # One assignment: a batch already running keeps the pipeline it started with.
            self._pipelines[lang] = loaded
            log.info("%s intent model now %s", lang, self.model_path(lang, "intent"))
        return changed

    def _pipeline(self, lang: str) -> _LoadedPipeline:
        loaded = self._pipelines.get(lang)
        if loaded is not None:
            return loaded
        with self._lock:
            loaded = self._pipelines.get(lang)
            if loaded is None:
                loaded = self._load(lang)
                self._pipelines[lang] = loaded
        return loaded

    def _load(self, lang: str) -> _LoadedPipeline:
        intent_path = self.model_path(lang, "intent")
        sentiment_path = self.model_path(lang, "sentiment")
        config = Config().from_disk(
            _CONFIGS / f"analyser_{lang}.cfg",
            overrides={
                "paths.intent_model": str(intent_path),
                "paths.sentiment_model": str(sentiment_path),
            },
        )
        french.prepare(lang)
        try:
            nlp = spacy.util.load_model_from_config(config, auto_fill=True)
        except (OSError, ValueError) as exc:
            raise ModelError("analyser.cannot_load", lang=lang, error=exc) from exc
        patterns = catalog_patterns(self._config.catalog_data)
        if patterns:
            cast(EntityRuler, nlp.get_pipe("products")).add_patterns(patterns)
        else:
            # No catalogue, no product to find (and spaCy would warn at every message).
            nlp.remove_pipe("products")
        intent_meta = _replique_meta(intent_path)
        configured = self._config.policies.min_intent_confidence
        threshold = configured if configured is not None else float(intent_meta["threshold"])
        return _LoadedPipeline(
            nlp=nlp,
            intent_labels=frozenset(cast(TextCategorizer, nlp.get_pipe("intent")).labels),
            sentiment_labels=frozenset(cast(TextCategorizer, nlp.get_pipe("sentiment")).labels),
            threshold=threshold,
            sentiment_temperature=float(
                _replique_meta(sentiment_path).get("temperature", 1.0) or 1.0
            ),
            intent_path=intent_path,
        )

    def analyse(self, text: str, *, hint: str | None = None, today: date | None = None) -> Analysis:
        return self.analyse_many([AnalysisRequest(text, hint, today)])[0]

    def reads_alike(self, first: AnalysisRequest, second: AnalysisRequest) -> bool:
        """True when ``first`` and ``second`` are analysed alike: the same text and day, and hints
        that do not change the language guess (a hint decides only when the text does not)."""
        if first.text != second.text or first.today != second.today:
            return False
        if first.hint == second.hint:
            return True
        text = clean_text(first.text)
        one = self._identifier.identify(text, hint=first.hint)
        other = self._identifier.identify(text, hint=second.hint)
        return (one.language, one.confidence) == (other.language, other.confidence)

    def analyse_many(self, requests: Sequence[AnalysisRequest]) -> list[Analysis]:
        """Analyse many messages at once, batching each language through its pipeline."""
        self.refresh()
        results: list[Analysis | None] = [None] * len(requests)
        cleaned = [clean_text(r.text) for r in requests]
        guesses: list[LanguageGuess] = []
        by_lang: dict[str, list[int]] = {}
        for i, (request, text) in enumerate(zip(requests, cleaned, strict=True)):
            guess = self._identifier.identify(text, hint=request.hint)
            guesses.append(guess)
            if not has_words(text):
                results[i] = self._nothing_to_read(guess)
                continue
            lang = guess.language if guess.language in self._languages else self._default
            by_lang.setdefault(lang, []).append(i)
        for lang, indexes in by_lang.items():
            loaded = self._pipeline(lang)
            docs = loaded.nlp.pipe((cleaned[i] for i in indexes), batch_size=128)
            for i, doc in zip(indexes, docs, strict=True):
                today = requests[i].today or date.today()
                results[i] = self._read(doc, loaded, guesses[i], today)
        return [r for r in results if r is not None]

    def _nothing_to_read(self, guess: LanguageGuess) -> Analysis:
        return Analysis(
            language=_as_language(guess.language, self._default),
            language_confidence=guess.confidence,
            intent=IntentScore(HANDOFF_INTENT, 1.0),
            alternatives=(),
            sentiment="neutral",
            sentiment_confidence=0.0,
            handoff_reason=HandoffReason("nothing_to_read"),
        )

    def _read(
        self, doc: Doc, loaded: _LoadedPipeline, guess: LanguageGuess, today: date
    ) -> Analysis:
        intents = sorted(
            ((k, v) for k, v in doc.cats.items() if k in loaded.intent_labels),
            key=lambda kv: kv[1],
            reverse=True,
        )
        top = IntentScore(intents[0][0], round(float(intents[0][1]), 4))
        alternatives = tuple(IntentScore(k, round(float(v), 4)) for k, v in intents[1:])
        if is_stop_keyword(doc_text(doc)) and "opt_out" in loaded.intent_labels:
            # A bare STOP is an opt-out by convention (carriers, platforms), not by prediction.
            alternatives = tuple(a for a in (top, *alternatives) if a.name != "opt_out")
            top = IntentScore("opt_out", 1.0)
        sentiment, sentiment_confidence = _sentiment(
            doc, loaded.sentiment_labels, loaded.sentiment_temperature
        )

        handoff_reason: HandoffReason | None = None
        predicted: IntentScore | None = None
        intent = top
        if guess.language == "other":
            handoff_reason = HandoffReason("other_language")
        elif top.confidence < loaded.threshold and top.name != HANDOFF_INTENT:
            handoff_reason = HandoffReason(
                "unsure", intent=top.name, confidence=top.confidence, threshold=loaded.threshold
            )
        elif top.name == HANDOFF_INTENT:
            handoff_reason = HandoffReason("no_intent")
        if handoff_reason is not None and top.name != HANDOFF_INTENT:
            predicted, intent = top, IntentScore(HANDOFF_INTENT, top.confidence)
        return Analysis(
            language=_as_language(guess.language, self._default),
            language_confidence=round(guess.confidence, 4),
            intent=intent,
            alternatives=alternatives[:_ALTERNATIVES],
            sentiment=sentiment,
            sentiment_confidence=sentiment_confidence,
            entities=extract_entities(doc, today=today),
            formality=doc._.formality,
            is_question=bool(doc._.is_question),
            is_urgent=bool(doc._.is_urgent),
            handoff_reason=handoff_reason,
            predicted_intent=predicted,
        )


def _sentiment(doc: Doc, labels: frozenset[str], temperature: float) -> tuple[Sentiment, float]:
    names = [k for k in doc.cats if k in labels]
    calibrated = scale(numpy.asarray([[doc.cats[k] for k in names]]), temperature)[0]
    column = int(calibrated.argmax())
    label, confidence = names[column], float(calibrated[column])
    for known in SENTIMENTS:
        if known == label:
            return known, round(float(confidence), 4)
    return "neutral", 0.0


def _as_language(code: str, default: str) -> Language:
    for known in ("fr", "en", "other"):
        if code == known:
            return known
    return "fr" if default == "fr" else "en"


def _replique_meta(path: Path) -> dict[str, Any]:
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    extra = meta.get("replique")
    if not isinstance(extra, dict):
        raise ModelError("model.not_replique", path=path)
    return extra
