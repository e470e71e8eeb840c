"""People and places from a pretrained spaCy pipeline (``fr_core_news_sm``), only when worth it.

The pretrained model costs milliseconds a message; customer messages are mostly lower-case, where it
finds nothing. So :class:`PretrainedEntityRecognizer` runs it only when a message has a capitalised
word that does not open a sentence and is not a known filler ("Bonjour", "Pouvez"), runs it once per
batch of such messages, trims the greetings it glues to names, and never overwrites an entity the
rules already found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp import french
from bot.nlp.entities import NOT_NAMES, Candidate, add_entities
from bot.nlp.normalize import fold
from bot.nlp.text import doc_text

__all__ = [
    "FALSE_POSITIVES",
    "PretrainedEntityRecognizer",
    "load_pretrained",
    "make_pretrained_entities",
]

_DEFAULT_LABELS: Mapping[str, str] = MappingProxyType({"PER": "PERSON", "LOC": "PLACE"})

#: Words a pretrained model tags as people or places in customer messages, though they never are.
FALSE_POSITIVES = NOT_NAMES | {"commande", "livraison", "colis", "objet", "sujet", "facture"}
_CAPITALISED_RE = re.compile(r"[^\W\d_a-zà-ÿ]")
_SENTENCE_END = frozenset(".!?…:;\n")


@lru_cache(maxsize=4)
def load_pretrained(model: str) -> Language:
    """The pretrained pipeline ``model`` with only its tok2vec and ner loaded, once per process."""
    path = Path(model) if Path(model).exists() else spacy.util.get_package_path(model)
    meta = spacy.util.get_model_meta(path)
    keep = {"tok2vec", "ner"}
    exclude = [c for c in meta.get("components", meta.get("pipeline", [])) if c not in keep]
    french.prepare(str(meta.get("lang", "")))
    # Its serialised tokenizer would recompile spaCy's slowest French expression (see
    # bot/nlp/french.py); the default French tokenizer it gets instead is the same one.
    return spacy.load(model, exclude=[*exclude, "tokenizer"])


class PretrainedEntityRecognizer:
    """Component that adds the people and places a pretrained NER model finds in the message.

    The model runs only when the message has a capitalised word it could be about (see
    :meth:`needs_model`); ``model_calls`` counts how many times it actually ran.
    """

    def __init__(
        self,
        model: Callable[[str], Doc],
        *,
        labels: Mapping[str, str] = _DEFAULT_LABELS,
        max_chars: int = 20_000,
    ) -> None:
        self._model = model
        self.labels = dict(labels)
        self.max_chars = max_chars
        self.model_calls = 0

    def needs_model(self, doc: Doc) -> bool:
        """True when a token could be a name: capitalised, not opening a sentence, not a filler."""
        text = doc_text(doc)
        if len(text) > self.max_chars or not _CAPITALISED_RE.search(text):
            return False
        for token in doc:
            if len(token) < 2 or not token.is_alpha or token.ent_type != 0:
                continue
            if not (token.is_title or token.is_upper) or fold(token.text) in FALSE_POSITIVES:
                continue
            i = token.idx - 1
            while i >= 0 and text[i] in " \t":
                i -= 1
            if i >= 0 and text[i] not in _SENTENCE_END:
                return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        if not self.needs_model(doc):
            return doc
        self.model_calls += 1
        return self._merge(doc, self._model(doc_text(doc)))

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Like ``__call__`` over a stream, running the model once per batch of gated docs:
        its tok2vec is several times cheaper per message in a batch."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._pipe_batch(batch)
                batch = []
        if batch:
            yield from self._pipe_batch(batch)

    def _pipe_batch(self, docs: list[Doc]) -> list[Doc]:
        gated = [doc for doc in docs if self.needs_model(doc)]
        if not gated:
            return docs
        self.model_calls += len(gated)
        texts = [doc_text(doc) for doc in gated]
        pipe = getattr(self._model, "pipe", None)
        predictions = pipe(texts) if callable(pipe) else map(self._model, texts)
        for doc, predicted in zip(gated, predictions, strict=True):
            self._merge(doc, predicted)
        return docs

    def _merge(self, doc: Doc, predicted: Doc) -> Doc:
        candidates = []
        for ent in predicted.ents:
            label = self.labels.get(ent.label_)
            if label is None:
                continue
            # Trim the greetings the model glues to names ("Bonjour Julie") instead of dropping all.
            tokens = [t for t in ent if not (t.is_punct or fold(t.text) in FALSE_POSITIVES)]
            if not tokens:
                continue
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
            if end - start >= 2:
                candidates.append(Candidate(start, end, label, None))
        if candidates:
            add_entities(doc, candidates)
        return doc


def make_pretrained_entities(
    nlp: Language,
    name: str,
    *,
    model: str = "fr_core_news_sm",
    labels: Mapping[str, str] = _DEFAULT_LABELS,
) -> PretrainedEntityRecognizer:
    """Factory of :class:`PretrainedEntityRecognizer` (registered by ``bot.nlp.components``)."""
    return PretrainedEntityRecognizer(load_pretrained(model), labels=labels)
