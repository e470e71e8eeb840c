"""Language identification that stays right on short customer messages.

Character n-gram identifiers (py3langid, lingua) guess wildly on two-word messages: "Salut!" comes
out German, "merci bcp" Italian, "svp" German. Customer messages are mostly that short, so the
main evidence here is a lexicon of marker words (bot/nlp/data/language_markers.yml) compared
lower-cased and without accents. py3langid only adds evidence on texts of several words, where it
is reliable, and helps decide that a long text is in none of our languages.

A message is called "other" only on clear evidence (markers of another language, a non-Latin
script, or py3langid sure of another language on a long text with almost no French or English
words). When the evidence is weak or tied ("STOP", "ok", "👍", "#4821") the guess falls back to
what we already knew (the hint), else to the configured default, with a low confidence.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final, cast

import yaml

from bot.domain import Language
from bot.nlp.normalize import fold
from bot.nlp.text import APOSTROPHES, clean_text

__all__ = ["LanguageGuess", "LanguageIdentifier", "load_markers", "normalise_language"]

_MARKERS_RESOURCE: Final = "data/language_markers.yml"

# Only the start of a long message is read: the language of the first 1,000 characters (some 170
# words) is the language of the message, and it keeps identify() fast on pasted e-mails.
_MAX_CHARS: Final = 1000

# Marker thresholds, in marker points (strong word = 3, medium = 2, weak = 1, faint = 0.5).
_MIN_SCORE: Final = 2.0  # the winner needs at least one medium marker's worth of evidence
_MIN_MARGIN: Final = 1.5  # and must beat the runner-up by more than one weak marker
_OTHER_MIN_SCORE: Final = 3.0  # "other" needs a strong marker's worth of evidence
_OTHER_MIN_MARGIN: Final = 2.0  # and a clear lead over French and English
# When we know the customer writes French or English, one foreign word ("Hola!", "Gracias") is
# more likely play than a change of language: "other" then needs more than one strong marker.
_OTHER_HINTED_MARGIN: Final = 4.0
# Confidence = margin / (margin + _CONF_HALF): one strong marker alone gives 0.6.
_CONF_HALF: Final = 2.0
_MAX_CONFIDENCE: Final = 0.99
_WEAK_CONFIDENCE_CAP: Final = 0.45

# py3langid is trusted from 4 words on, and more with each word: its points are
# _LID_POINTS_PER_WORD × (words − 3), capped, times its probability for each language.
_LID_MIN_WORDS: Final = 4
_LID_POINTS_PER_WORD: Final = 0.5
_LID_MAX_POINTS: Final = 20.0
# A long text is "other" on py3langid alone when it is sure of another language and French and
# English markers cover almost none of the words.
_LID_OTHER_MIN_WORDS: Final = 8
_LID_OTHER_MIN_PROB: Final = 0.6
# py3langid is the slowest step; skip it when the markers already leave no doubt: most words are
# French or English markers, one language leads clearly, and no other language scored.
_DECISIVE_COVERAGE: Final = 0.5
_DECISIVE_MARGIN: Final = 3 * _MIN_MARGIN
_LID_OTHER_MAX_COVERAGE: Final = 0.15

# Letters with accents: French ones count a little for French ("arrivé" folds to English
# "arrive"), the others point at the other languages. Capped so that a long text is not decided
# on accents alone.
_ACCENT_POINTS: Final = 1.0
_ACCENT_MAX_POINTS: Final = 3.0
_FRENCH_ACCENTS: Final = frozenset("éèêëàâçùûôîïœæÿ")
_OTHER_ACCENTS: Final[Mapping[str, frozenset[str]]] = {
    "es": frozenset("ñáíóú"),
    "pt": frozenset("ãõáíóú"),
    "de": frozenset("ßäö"),
    "it": frozenset("ìò"),
}

# Spanish opens questions and exclamations with "¿" and "¡": nobody else does.
_SPANISH_OPENERS: Final = frozenset("¿¡")
_SPANISH_OPENER_POINTS: Final = 2.0

# A message mostly written in another script (Cyrillic, Arabic, CJK…) is not French or English.
_NON_LATIN_MIN_FRACTION: Final = 0.5

# URLs, e-mail addresses, @mentions and #tags carry no language; "amazon.com" must not read as
# Portuguese "com".
_NOT_PROSE = re.compile(
    r"https?://\S+|www\.\S+|(?<!\S)[^\s@]+@\S+|[@#]\w+|\b\w+\.(?:com|net|org|ca|fr|io)\b"
)
# A word: letters, possibly joined by apostrophes ("c'est", "don't", "aujourd'hui").
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")

_HINT_ALIASES: Final[Mapping[str, Language]] = {
    "fr": "fr",
    "fra": "fr",
    "fre": "fr",
    "french": "fr",
    "francais": "fr",
    "en": "en",
    "eng": "en",
    "english": "en",
    "anglais": "en",
    "other": "other",
}
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# ISO 639 codes that name no language: undetermined, multiple, no linguistic content, uncoded.
_NOT_A_LANGUAGE: Final = frozenset({"und", "mul", "zxx", "mis"})


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The language of one message, how sure we are, and why, for the reviewer and the logs."""

    language: Language
    confidence: float
    reason: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")


def normalise_language(code: str | None) -> Language | None:
    """Map a language code or name ("fr-CA", "en_US", "FR", "french", "es") to our Language.

    Codes of any other language map to "other"; None, empty or unreadable codes map to None.
    """
    if not code or not isinstance(code, str):
        return None
    primary = re.split(r"[-_\s]", code.strip().lower(), maxsplit=1)[0]
    primary = fold(primary)
    if primary in _HINT_ALIASES:
        return _HINT_ALIASES[primary]
    if _LANGUAGE_CODE.fullmatch(primary) and primary not in _NOT_A_LANGUAGE:
        return "other"
    return None


@dataclass(frozen=True, slots=True)
class _Markers:
    """The marker lexicon: per folded word, the evidence it gives each language."""

    weights: Mapping[str, Mapping[str, float]]
    neutral: frozenset[str]


@cache
def load_markers() -> _Markers:
    """Load and check the marker lexicon once per process.

    Raises ValueError on a malformed file: a word listed twice for one language (after folding),
    a multi-word entry, or a neutral word listed for French or English.
    """
    raw_text = (
        resources.files(__package__ or "bot.nlp")
        .joinpath(_MARKERS_RESOURCE)
        .read_text(encoding="utf-8")
    )
    raw = yaml.safe_load(raw_text)
    if not isinstance(raw, dict):
        raise ValueError(f"{_MARKERS_RESOURCE}: expected a mapping at top level")
    tier_weights = {str(k): float(v) for k, v in _mapping(raw, "weights").items()}
    neutral_words = raw.get("neutral") or ()
    if not all(isinstance(w, str) for w in neutral_words):
        raise ValueError(f"{_MARKERS_RESOURCE}: neutral words must be strings (quote yes/no/on)")
    neutral = frozenset(fold(w) for w in neutral_words)
    weights: dict[str, dict[str, float]] = {}
    for language, tiers in _mapping(raw, "languages").items():
        if not isinstance(tiers, dict):
            raise ValueError(f"{_MARKERS_RESOURCE}: {language}: expected tiers")
        for tier, words in tiers.items():
            if tier not in tier_weights:
                raise ValueError(f"{_MARKERS_RESOURCE}: {language}: unknown tier {tier!r}")
            for word in words or ():
                if not isinstance(word, str):
                    # YAML reads unquoted yes/no/on as booleans: quote them in the file.
                    raise ValueError(f"{_MARKERS_RESOURCE}: {language}: not a string: {word!r}")
                key = fold(word.strip())
                if not _WORD.fullmatch(key.strip("'")):
                    raise ValueError(f"{_MARKERS_RESOURCE}: {language}: not one word: {word!r}")
                if language in ("fr", "en") and key in neutral:
                    raise ValueError(f"{_MARKERS_RESOURCE}: {language}: {word!r} is neutral")
                per_language = weights.setdefault(key, {})
                if language in per_language:
                    raise ValueError(f"{_MARKERS_RESOURCE}: {language}: {word!r} listed twice")
                per_language[str(language)] = tier_weights[tier]
    return _Markers(weights=weights, neutral=neutral)


def _mapping(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{_MARKERS_RESOURCE}: {key!r} must be a mapping")
    return cast(Mapping[str, Any], value)


@dataclass(slots=True)
class _Evidence:
    """What one message says about each candidate language."""

    scores: dict[str, float]
    words: int
    non_latin_words: int
    #: Words that are French or English markers, for the "almost no fr/en words" test.
    fr_en_hits: int
    lid_top: tuple[str, float] | None = None


class LanguageIdentifier:
    """Identifies the language of customer messages as "fr", "en" or "other".

    One instance loads py3langid (about a second, done on the first message of four words or
    more, or by :meth:`warm_up`) and is then safe to share between threads.
    """

    def __init__(
        self, *, default: str = "fr", others: tuple[str, ...] = ("es", "de", "it", "pt", "nl")
    ) -> None:
        resolved = normalise_language(default)
        if resolved is None or (resolved == "other" and default.strip().lower() != "other"):
            raise ValueError(f"default must be 'fr', 'en' or 'other', got {default!r}")
        for code in others:
            if not _LANGUAGE_CODE.fullmatch(code) or code in ("fr", "en"):
                raise ValueError(f"others must be ISO 639-1 codes other than fr/en, got {code!r}")
        self._default: Language = resolved
        self._others: tuple[str, ...] = tuple(dict.fromkeys(others))
        self._candidates: tuple[str, ...] = ("fr", "en", *self._others)
        markers = load_markers()
        # Keep only the languages in play, so a lookup is one dict access per word.
        self._lexicon: dict[str, tuple[tuple[str, float], ...]] = {}
        for word, per_language in markers.weights.items():
            entries = tuple(
                (lang, w) for lang, w in per_language.items() if lang in self._candidates
            )
            if entries:
                self._lexicon[word] = entries
        self._accents = {
            lang: chars for lang, chars in _OTHER_ACCENTS.items() if lang in self._others
        }
        self._lid: Any = None
        self._lid_lock = threading.Lock()

    @property
    def default(self) -> Language:
        """The language assumed when a message gives no evidence and there is no hint."""
        return self._default

    def warm_up(self) -> None:
        """Load py3langid now rather than on the first long message."""
        self._langid()

    def identify(self, text: str, *, hint: str | None = None) -> LanguageGuess:
        """Return the language of ``text``.

        ``hint`` is what we already know: the customer's previous language or the platform's
        language code ("fr-CA", "en"). It decides only when the text itself does not.
        """
        hinted = normalise_language(hint)
        fallback: Language = hinted or self._default
        fallback_why = f"hint {hint!r}" if hinted else "default"
        text = clean_text(
            text[: _MAX_CHARS * 2] if isinstance(text, str) else "", max_chars=_MAX_CHARS
        )
        evidence = self._evidence(text)
        if evidence.words == 0:
            return LanguageGuess(fallback, 0.0, f"no letters; {fallback_why} -> {fallback}")

        if evidence.non_latin_words / evidence.words >= _NON_LATIN_MIN_FRACTION:
            share = evidence.non_latin_words / evidence.words
            return LanguageGuess(
                "other", round(min(0.95, 0.5 + 0.45 * share), 3), "non-Latin script"
            )

        other = self._clear_other(evidence, hinted)
        if other is not None:
            return other

        fr, en = evidence.scores["fr"], evidence.scores["en"]
        summary = self._summary(evidence)
        best: Language = "fr" if fr > en else "en"
        top, margin = max(fr, en), abs(fr - en)
        if top >= _MIN_SCORE and margin >= _MIN_MARGIN:
            return LanguageGuess(best, _confidence(margin), summary)

        # Weak or tied evidence: what we knew before the message wins over a faint lead.
        if hinted is not None:
            if top == 0:
                confidence = 0.25  # nothing against the hint
            elif margin == 0 or hinted == best:
                confidence = 0.35  # the faint evidence agrees with the hint
            else:
                confidence = 0.2  # the hint overrules a faint lead the other way
            return LanguageGuess(
                hinted, confidence, f"weak evidence ({summary}); used {fallback_why}"
            )
        if margin > 0:
            confidence = min(_WEAK_CONFIDENCE_CAP, _confidence(margin))
            return LanguageGuess(best, confidence, f"weak evidence ({summary})")
        confidence = 0.2 if top > 0 else 0.1
        return LanguageGuess(fallback, confidence, f"no evidence ({summary}); used default")

    # -- evidence --------------------------------------------------------------------------------

    def _evidence(self, text: str) -> _Evidence:
        """Count marker, accent and script evidence, and ask py3langid on longer texts."""
        scores = dict.fromkeys(self._candidates, 0.0)
        accent_points = dict.fromkeys(self._candidates, 0.0)
        words = non_latin = fr_en_hits = 0
        lower = APOSTROPHES.sub("'", _NOT_PROSE.sub(" ", text).lower())
        lexicon = self._lexicon
        for token in _WORD.findall(lower):
            words += 1
            if token.isascii():
                key = token
            else:
                if not _is_latin(token[0]):
                    non_latin += 1
                    continue
                self._count_accents(token, accent_points)
                key = fold(token)
            entries = lexicon.get(key)
            if entries is None and "'" in key:
                entries = self._split_lookup(key)
            if entries:
                hit_fr_en = False
                for lang, weight in entries:
                    scores[lang] += weight
                    hit_fr_en = hit_fr_en or lang in ("fr", "en")
                fr_en_hits += hit_fr_en
        for lang, points in accent_points.items():
            scores[lang] += min(points, _ACCENT_MAX_POINTS)
        if "es" in scores and not _SPANISH_OPENERS.isdisjoint(text):
            scores["es"] += _SPANISH_OPENER_POINTS

        evidence = _Evidence(scores, words, non_latin, fr_en_hits)
        latin_words = words - non_latin
        if (
            latin_words >= _LID_MIN_WORDS
            and non_latin / max(words, 1) < _NON_LATIN_MIN_FRACTION
            and not self._decisive(evidence, latin_words)
        ):
            ranked: list[tuple[str, float]] = self._langid().rank(text)
            points = min(_LID_MAX_POINTS, _LID_POINTS_PER_WORD * (latin_words - _LID_MIN_WORDS + 1))
            for lang, prob in ranked:
                if lang in scores:
                    scores[lang] += points * float(prob)
            if ranked:
                evidence.lid_top = (ranked[0][0], float(ranked[0][1]))
        return evidence

    def _decisive(self, evidence: _Evidence, latin_words: int) -> bool:
        scores = evidence.scores
        if evidence.fr_en_hits < _DECISIVE_COVERAGE * latin_words:
            return False
        if abs(scores["fr"] - scores["en"]) < _DECISIVE_MARGIN:
            return False
        return all(scores[lang] == 0 for lang in self._others)

    def _count_accents(self, token: str, points: dict[str, float]) -> None:
        chars = set(token)
        if not chars.isdisjoint(_FRENCH_ACCENTS):
            points["fr"] += _ACCENT_POINTS
        for lang, accents in self._accents.items():
            if not chars.isdisjoint(accents):
                points[lang] += _ACCENT_POINTS

    def _split_lookup(self, key: str) -> tuple[tuple[str, float], ...]:
        """Look up "c'est" as "c'" + "est" and "don't" as "don" + "'t"."""
        parts = key.split("'")
        lexicon = self._lexicon
        found: list[tuple[str, float]] = []
        first, last = parts[0], parts[-1]
        found.extend(lexicon.get(first + "'") or lexicon.get(first) or ())
        for middle in parts[1:-1]:
            found.extend(lexicon.get(middle, ()))
        found.extend(lexicon.get("'" + last) or lexicon.get(last) or ())
        return tuple(found)

    def _clear_other(self, evidence: _Evidence, hinted: Language | None) -> LanguageGuess | None:
        """Return an "other" guess when another language is clearly ahead, else None."""
        if not self._others:
            return None
        scores = evidence.scores
        fr_en = max(scores["fr"], scores["en"])
        lang = max(self._others, key=scores.__getitem__)
        lead = scores[lang] - fr_en
        min_lead = _OTHER_HINTED_MARGIN if hinted in ("fr", "en") else _OTHER_MIN_MARGIN
        if scores[lang] >= _OTHER_MIN_SCORE and lead >= min_lead:
            return LanguageGuess("other", _confidence(lead), f"{lang} ({self._summary(evidence)})")
        lid = evidence.lid_top
        latin_words = evidence.words - evidence.non_latin_words
        if (
            lid is not None
            and lid[0] in self._others
            and lid[1] >= _LID_OTHER_MIN_PROB
            and latin_words >= _LID_OTHER_MIN_WORDS
            and evidence.fr_en_hits / latin_words <= _LID_OTHER_MAX_COVERAGE
        ):
            # A little below py3langid's own probability: there are no markers to back it.
            return LanguageGuess(
                "other", round(lid[1] * 0.9, 3), f"py3langid {lid[0]} {lid[1]:.2f}, few fr/en words"
            )
        return None

    def _summary(self, evidence: _Evidence) -> str:
        """The scores behind a guess, for its ``reason``: "fr 7.0, en 4.5, py3langid fr 0.99"."""
        parts = [f"fr {evidence.scores['fr']:.1f}", f"en {evidence.scores['en']:.1f}"]
        if self._others:
            lang = max(self._others, key=evidence.scores.__getitem__)
            if evidence.scores[lang] > 0:
                parts.append(f"{lang} {evidence.scores[lang]:.1f}")
        if evidence.lid_top is not None:
            parts.append(f"py3langid {evidence.lid_top[0]} {evidence.lid_top[1]:.2f}")
        return ", ".join(parts)

    def _langid(self) -> Any:
        """The py3langid identifier restricted to our candidates, loaded on first use.

        Raises ValueError when ``others`` names a language py3langid does not know.
        """
        if self._lid is None:
            with self._lid_lock:
                if self._lid is None:
                    # Imported here: short-message-only callers never pay for numpy and the model.
                    from py3langid import langid

                    lid = langid.LanguageIdentifier.from_model_file(
                        langid.MODEL_FILE, norm_probs=True
                    )
                    lid.set_languages(list(self._candidates))
                    self._lid = lid
        return self._lid


def _confidence(margin: float) -> float:
    """Turn a score margin into a confidence in [0, 1): more margin, more confidence."""
    if margin <= 0 or math.isnan(margin):
        return 0.0
    return round(min(_MAX_CONFIDENCE, margin / (margin + _CONF_HALF)), 3)


def _is_latin(char: str) -> bool:
    """Tell whether a letter is Latin (ASCII, Latin-1, Latin Extended A/B and Additional)."""
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF
