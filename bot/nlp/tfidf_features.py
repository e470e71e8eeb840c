"""The feature layer of the TF-IDF text classifier (``bot/nlp/tfidf.py``).

Folded word 1- to n-grams and character n-grams inside each word, weighted ``(1 + log count) *
idf`` over an exact feature index (set by ``fit_feature_index``), each block (words, characters)
scaled to unit length. Tokens are folded here (:func:`bot.nlp.normalize.fold`) and their keys
cached by ``ORTH``, with where those keys sit in the index: each distinct token of a batch is
looked up once, and word n-grams are built for the whole batch, never across two messages.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import IS_SPACE, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc
from thinc.api import Model

from bot.nlp.normalize import fold

__all__ = ["FEATURES_NAME", "tfidf_features"]

#: Name of the feature layer, which ``fit_feature_index`` looks for in a textcat model.
FEATURES_NAME = "replique_tfidf_features"
#: Tokens whose feature keys are kept in memory per model (a vocabulary rarely needs more).
_TOKEN_CACHE_SIZE = 200_000

_Batch = tuple[Any, Any, Any]  # feature keys (uint64), block (0 words, 1 characters), doc index
_EMPTY_POSITIONS = (
    numpy.zeros((0,), dtype="int64"),
    numpy.zeros((0,), dtype="int8"),
    numpy.zeros((0,), dtype="int64"),
)


def _lookup(index: Any, keys: Any) -> tuple[Any, Any]:
    """Positions of ``keys`` in the sorted ``index``, and which of them it holds."""
    at: Any = numpy.searchsorted(index, keys)
    at[at >= len(index)] = 0
    return at, index[at] == keys


def _no_features(n_docs: int) -> tuple[Any, Any]:
    empty = (numpy.zeros((0,), dtype="int64"), numpy.zeros((0,), dtype="float32"))
    return (*empty, numpy.zeros((0,), dtype="int64"), n_docs), lambda d: []


def tfidf_features(
    ngram_size: int, char_min: int, char_max: int, min_count: int
) -> Model[Any, Any]:
    cache: dict[int, tuple[int, Any]] = {}

    def token_keys(orth: int, text: str) -> tuple[int, Any]:
        found = cache.get(orth)
        if found is None:
            norm = fold(text)
            padded = f" {norm} "
            grams = {
                padded[i : i + n]
                for n in range(char_min, char_max + 1)
                for i in range(len(padded) - n + 1)
            }
            grams.discard(" ")
            chars = numpy.asarray(sorted(get_string_id("#" + g) for g in grams), dtype="uint64")
            found = (get_string_id(norm), chars)
            if len(cache) < _TOKEN_CACHE_SIZE:
                cache[orth] = found
        return found

    def words_of(docs: list[Doc]) -> tuple[list[int], Any, Any] | None:
        """The distinct tokens of ``docs`` (their ORTH, spaces left out), where each word of the
        batch is among them, and the doc of each word; None when there is no word at all."""
        # Token ids from one array call per doc: building Token objects cost more than the rest.
        arrays = [doc.to_array([ORTH, IS_SPACE]).reshape(-1, 2) for doc in docs]
        rows = numpy.concatenate(arrays) if arrays else numpy.zeros((0, 2), dtype="uint64")
        rows_docs = numpy.repeat(numpy.arange(len(docs)), [len(a) for a in arrays])
        words_only = rows[:, 1] == 0
        if not words_only.any():
            return None
        distinct, places = numpy.unique(rows[words_only, 0], return_inverse=True)
        return distinct.tolist(), places, rows_docs[words_only].astype("int64")

    def word_ngrams(word_keys: Any, word_docs: Any) -> list[tuple[Any, Any]]:
        """Keys of the word 2- to n-grams of the whole batch and their docs, less the n-grams
        that would straddle two messages."""
        ops: Any = model.ops
        grams = []
        for n in range(2, ngram_size + 1):
            if len(word_keys) < n:
                break
            starts = word_docs[: len(word_keys) - n + 1]
            within = starts == word_docs[n - 1 :]
            grams.append((ops.ngrams(n, word_keys)[within], starts[within]))
        return grams

    def extract(docs: list[Doc]) -> _Batch:
        """Every feature key of every doc, with its block (0 words, 1 characters) and the index
        of its doc (``fit_feature_index`` builds the index from them)."""
        words = words_of(docs)
        if words is None:
            return numpy.zeros((0,), dtype="uint64"), *_EMPTY_POSITIONS[1:]
        orths, places, word_docs = words
        strings = docs[0].vocab.strings
        entries = [cache.get(orth) or token_keys(orth, strings[orth]) for orth in orths]
        word_keys = numpy.asarray([word for word, _ in entries], dtype="uint64")[places]
        parts, part_docs = [word_keys], [word_docs]
        for grams, gram_docs in word_ngrams(word_keys, word_docs):
            parts.append(grams)
            part_docs.append(gram_docs)
        n_word_keys = sum(len(part) for part in parts)
        parts.append(numpy.concatenate([entries[j][1] for j in places.tolist()]))
        part_docs.append(
            numpy.repeat(word_docs, numpy.asarray([len(e[1]) for e in entries])[places])
        )
        blocks = numpy.ones(sum(len(part) for part in parts), dtype="int8")
        blocks[:n_word_keys] = 0
        return numpy.concatenate(parts).astype("uint64"), blocks, numpy.concatenate(part_docs)

    # Where each token's own features sit in the index (its word, its known character n-grams),
    # for the index they were looked up in: looking up every key of every message again was a
    # third of the prediction time.
    located: dict[int, tuple[int, int, Any]] = {}
    located_in: list[Any] = [None]

    def locate_new_tokens(
        orths: list[int], strings: Any, index: Any
    ) -> dict[int, tuple[int, int, Any]]:
        """Look up the tokens ``orths`` in the index, all at once: for each, its word key, the
        word's position (-1: unknown), the positions of its known character n-grams (kept in
        ``located`` while it has room)."""
        keys = [token_keys(orth, strings[orth]) for orth in orths]
        words = numpy.asarray([word for word, _ in keys], dtype="uint64")
        chars = numpy.concatenate([grams for _, grams in keys])
        owner = numpy.repeat(numpy.arange(len(keys)), [len(grams) for _, grams in keys])
        word_at, word_known = _lookup(index, words)
        char_at, char_known = _lookup(index, chars)
        known_per_token = numpy.bincount(owner[char_known], minlength=len(keys))
        split_at = numpy.cumsum(known_per_token)[:-1]
        known_chars = numpy.split(char_at[char_known], split_at)
        found = {
            orth: (int(words[i]), int(word_at[i]) if word_known[i] else -1, known_chars[i])
            for i, orth in enumerate(orths)
        }
        for orth, entry in found.items():
            if len(located) >= _TOKEN_CACHE_SIZE:
                break
            located[orth] = entry
        return found

    def locate(docs: list[Doc], index: Any) -> tuple[Any, Any, Any]:
        """The index positions of the features of ``docs`` that the index knows, with their
        block (0 words, 1 characters) and doc, per doc: word 1- to n-grams, then the character
        n-grams of each token (the order feature dropout draws in, so seeded models stay as
        they were)."""
        if located_in[0] is not index:
            located.clear()
            located_in[0] = index
        words = words_of(docs)
        if words is None:
            return _EMPTY_POSITIONS
        # Each distinct token is looked up once per batch, then spread back to its places.
        orths, places, word_docs = words
        # Read once: another thread may clear the cache meanwhile (a model's first batches).
        cached = [located.get(orth) for orth in orths]
        new = [orth for orth, entry in zip(orths, cached, strict=True) if entry is None]
        found = locate_new_tokens(new, docs[0].vocab.strings, index) if new else {}
        entries = [
            entry if entry is not None else found[orth]
            for orth, entry in zip(orths, cached, strict=True)
        ]
        word_keys = numpy.asarray([e[0] for e in entries], dtype="uint64")[places]
        unigrams = numpy.asarray([e[1] for e in entries], dtype="int64")[places]
        token_chars = [entries[j][2] for j in places.tolist()]
        chars_per_token = numpy.asarray([len(e[2]) for e in entries], dtype="int64")[places]
        parts = [unigrams[unigrams >= 0]]
        part_docs = [word_docs[unigrams >= 0]]
        for grams, gram_docs in word_ngrams(word_keys, word_docs):
            at, known = _lookup(index, grams)
            parts.append(at[known])
            part_docs.append(gram_docs[known])
        n_word_features = sum(len(part) for part in parts)
        parts.append(numpy.concatenate(token_chars).astype("int64"))
        part_docs.append(numpy.repeat(word_docs, chars_per_token))
        positions = numpy.concatenate(parts)
        doc_ids = numpy.concatenate(part_docs)
        blocks = numpy.zeros(len(positions), dtype="int8")
        blocks[n_word_features:] = 1
        # Back to the order of one doc after the other (stable: each doc's own order is kept).
        order = numpy.argsort(doc_ids, kind="stable")
        return positions[order], blocks[order], doc_ids[order]

    def forward(model: Model[Any, Any], docs: list[Doc], is_train: bool) -> tuple[Any, Any]:
        index = model.attrs["keys"]
        if index is not None and not isinstance(index, numpy.ndarray):
            # Read back from disk as plain lists.
            index = model.attrs["keys"] = numpy.asarray(index, dtype="uint64")
            model.attrs["idf"] = numpy.asarray(model.attrs["idf"], dtype="float32")
        if index is None or len(index) == 0:
            return _no_features(len(docs))
        positions, blocks, doc_ids = locate(docs, index)
        if len(positions) == 0:
            return _no_features(len(docs))
        rate = model.attrs["dropout_rate"]
        if is_train and rate:
            # Feature dropout: each update sees a random part of each message, which keeps the
            # classifier from leaning on a few features (set by nlp.update's ``drop``).
            kept = numpy.random.random_sample(len(positions)) >= rate
            positions, blocks, doc_ids = positions[kept], blocks[kept], doc_ids[kept]
        # One row per (doc, block, feature) with its count.
        combined = (doc_ids * 2 + blocks) * len(index) + positions
        unique, counts = numpy.unique(combined, return_counts=True)
        features = unique % len(index)
        groups = unique // len(index)
        weights = (1.0 + numpy.log(counts.astype("float32"))) * model.attrs["idf"][features]
        norms = numpy.sqrt(numpy.bincount(groups, weights=weights * weights))
        weights = (weights / norms[groups]).astype("float32")
        return (features, weights, groups // 2, len(docs)), lambda d: []

    model: Model[Any, Any] = Model(
        FEATURES_NAME,
        forward,
        attrs={
            "keys": None,
            "idf": None,
            "min_count": min_count,
            "dropout_rate": 0.0,
            "extract": extract,
        },
    )
    return model
