"""Nothing the models are scored on is in what they learn from.

- No text of the external evaluation data (public messages nobody on the project wrote, read from
  ``shared/data/external_eval`` at test time and never copied) is in any file of
  ``bot/training/data``, exactly or as a near duplicate, once normalised (case folded, accents
  stripped, punctuation and spaces collapsed). Near duplicate: character 3-gram Jaccard >= 0.8.
  Short formulas that anyone writes ("thank you so much", "where is my order") are not evidence
  of copying, so only external texts of at least ``MIN_WORDS`` words are checked.
- No row of a shipped evaluation file is in the data its model is trained on, exactly
  (normalised, any length) or as a near duplicate (same floor as above). The sentiment model also
  learns from the intent examples whose mood is not in doubt, so those count as its training data.

The external data lives outside the repository. When it is missing the first test is skipped with
the reason, unless ``REPLIQUE_REQUIRE_EXTERNAL_EVAL=1`` (set by .ci/run, whose clone has
``shared/`` beside it): then it fails. Failures name our training rows and the external set's row
ids, never the external text.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
import yaml

from bot.training.build_default import _SENTIMENT_FROM_INTENT
from bot.training.datasets import TRAINING_DATA

ROOT = Path(__file__).resolve().parents[2]
MIN_WORDS = 6
NEAR = 0.8
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case folded, accents stripped, every run of punctuation or space one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def trigrams(text: str) -> frozenset[str]:
    padded = f" {text} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


class NearIndex:
    """Finds, among ``texts``, one whose 3-gram Jaccard with a query is at least ``threshold``.

    Exact, not approximate (prefix filtering): two sets with Jaccard >= t share at least one of the
    first ``|A| - ceil(t |A|) + 1`` grams of each, in any one global order (rarest first here,
    so the candidate lists stay short).
    """

    def __init__(self, texts: Sequence[str], threshold: float = NEAR) -> None:
        self.threshold = threshold
        self.grams = [trigrams(t) for t in texts]
        self.frequency: Counter[str] = Counter()
        for grams in self.grams:
            self.frequency.update(grams)
        self.index: dict[str, list[int]] = defaultdict(list)
        for k, grams in enumerate(self.grams):
            for gram in self._prefix(grams):
                self.index[gram].append(k)

    def _prefix(self, grams: frozenset[str]) -> list[str]:
        ordered = sorted(grams, key=lambda g: (self.frequency[g], g))
        return ordered[: len(ordered) - math.ceil(self.threshold * len(ordered)) + 1]

    def find(self, text: str) -> tuple[int, float] | None:
        grams = trigrams(text)
        candidates = {k for gram in self._prefix(grams) for k in self.index.get(gram, ())}
        for k in sorted(candidates):
            similarity = jaccard(grams, self.grams[k])
            if similarity >= self.threshold:
                return k, similarity
        return None


def _rows(path: Path, sections: Iterable[str] = ("intents", "sentiment")) -> list[tuple[str, str]]:
    """(label, text) of every example of a YAML data file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = []
    for section in sections:
        for label, texts in (data.get(section) or {}).items():
            rows += [(str(label), str(text)) for text in texts or ()]
    return rows


def _external_folder() -> Path | None:
    configured = os.environ.get("REPLIQUE_DATA")
    if configured:
        candidates = [Path(configured)]
    else:
        candidates = [parent / "shared" / "data" for parent in ROOT.parents]
    for folder in candidates:
        if (folder / "external_eval").is_dir():
            return folder / "external_eval"
    return None


def _external_rows() -> list[tuple[str, str]]:
    """(set:id, text) of every external row, or a skip (a failure when CI requires the data)."""
    folder = _external_folder()
    if folder is None or not any(folder.glob("*.jsonl")):
        reason = (
            "external evaluation data not found (shared/data/external_eval beside the repository, "
            "or $REPLIQUE_DATA/external_eval)"
        )
        if os.environ.get("REPLIQUE_REQUIRE_EXTERNAL_EVAL") == "1":
            pytest.fail(reason + ": REPLIQUE_REQUIRE_EXTERNAL_EVAL=1 requires it")
        pytest.skip(reason)
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                if line.strip():
                    raw = json.loads(line)
                    rows.append((f"{path.stem}:{raw.get('id', n)}", raw["text"]))
    return rows


def _matches(
    queries: Sequence[tuple[str, str]], corpus: Sequence[tuple[str, str]], *, min_words: int
) -> list[str]:
    """Each query (name, text) equal to or near a corpus (where, text) row once normalised;
    exact matches at any length from ``min_words`` on, near ones too."""
    normalised = [normalise(text) for _, text in corpus]
    exact = {text: k for k, text in enumerate(normalised)}
    near = NearIndex(normalised)
    found = []
    for name, text in queries:
        query = normalise(text)
        if not query or len(query.split()) < min_words:
            continue
        if query in exact:
            where, ours = corpus[exact[query]]
            found.append(f"{name} is {where}: {ours!r}")
            continue
        hit = near.find(query) if len(query.split()) >= MIN_WORDS else None
        if hit is not None:
            where, ours = corpus[hit[0]]
            found.append(f"{name} ~ {where}: {ours!r} (3-gram Jaccard {hit[1]:.2f})")
    return found


def _data_files() -> list[Path]:
    return sorted(TRAINING_DATA.rglob("*.yml"))


def _corpus(paths: Iterable[Path], *, labels: Iterable[str] | None = None) -> list[tuple[str, str]]:
    wanted = set(labels) if labels is not None else None
    corpus = []
    for path in paths:
        where = str(path.relative_to(TRAINING_DATA))
        corpus += [
            (f"{where} [{label}]", text)
            for label, text in _rows(path)
            if wanted is None or label in wanted
        ]
    return corpus


def test_no_external_evaluation_text_is_in_the_training_data() -> None:
    external = _external_rows()
    found = _matches(external, _corpus(_data_files()), min_words=MIN_WORDS)
    assert not found, (
        f"{len(found)} external evaluation text(s) (never train on them) found in "
        "bot/training/data:\n" + "\n".join(found[:40])
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_intent_evaluation_row_is_in_the_intent_training_data(lang: str) -> None:
    evaluation = [
        (f"{lang}/intents_eval.yml [{label}]", text)
        for label, text in _rows(TRAINING_DATA / lang / "intents_eval.yml", ["intents"])
    ]
    training = _corpus([TRAINING_DATA / lang / "intents.yml"])
    found = _matches(evaluation, training, min_words=0)
    assert not found, "evaluation rows found in training:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_sentiment_evaluation_row_is_in_the_sentiment_training_data(lang: str) -> None:
    evaluation = [
        (f"{lang}/sentiment_eval.yml [{label}]", text)
        for label, text in _rows(TRAINING_DATA / lang / "sentiment_eval.yml", ["sentiment"])
    ]
    training = _corpus([TRAINING_DATA / lang / "sentiment.yml"]) + _corpus(
        [TRAINING_DATA / lang / "intents.yml"], labels=_SENTIMENT_FROM_INTENT
    )
    found = _matches(evaluation, training, min_words=0)
    assert not found, "evaluation rows found in training:\n" + "\n".join(found)


def test_the_near_duplicate_search_finds_what_a_pairwise_search_finds() -> None:
    corpus = [
        "where is my parcel i ordered it two weeks ago",
        "i would like to cancel my subscription please",
        "bonjour je voudrais annuler ma commande",
    ]
    index = NearIndex(corpus)
    assert index.find("where is my parcel i ordered it two weeks ago") == (0, 1.0)
    hit = index.find("where is my parcel i ordered it 2 weeks ago")
    assert hit is not None
    assert hit[0] == 0
    assert hit[1] >= NEAR
    assert index.find("what time do you open on sunday") is None
    assert normalise("  Où   est-ELLE ?!  Commandé… ") == "ou est elle commande"
