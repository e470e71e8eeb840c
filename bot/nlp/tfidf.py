"""A TF-IDF text classifier as a spaCy ``textcat`` architecture (``replique.TextCatTfidf.v1``).

What TF-IDF + a linear SVM does well, inside spaCy, trained by ``nlp.update`` like any textcat:

* features: folded word uni- and bi-grams, and character n-grams inside each word (with word
  boundaries), so "transfered", "transferred" and "transfer" share most of their features;
* weights: ``(1 + log count) * idf``, each block (words, characters) scaled to unit length, so long
  messages do not drown short ones and words seen everywhere count little;
* an exact feature index built from the training data (``fit_feature_index``) instead of spaCy's
  hashed table: no collisions, a weight matrix the size of the vocabulary (not 2^18 rows times
  the labels), which made training about ten times faster and prediction a gather of rows.

With ``hidden_width`` the weighted features feed a hidden layer (ReLU, dropout) before the output
layer instead of the output directly: the hidden layer learns which features mean the same thing
("card not here yet" and "still waiting for my card"), which a linear layer over the same features
cannot. It is worth it with a few thousand examples or more (see docs/benchmarks.md).

Tokens are folded here (:func:`bot.nlp.normalize.fold`) and cached by their ``ORTH``, so the model
reads the same features whether or not a normaliser ran before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy
from spacy.attrs import IS_SPACE, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, chain, softmax_activation

from bot.nlp.normalize import fold
from bot.nlp.row_gradients import stash_row_gradient, takes_rows

csr_matrix: Any
try:  # a sparse product is ~10x faster than numpy's gather-and-sum; installed with scikit-learn
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped,no-redef]
except ImportError:  # the numpy path below gives the same scores, more slowly
    csr_matrix = None

__all__ = ["FEATURES_NAME", "build_tfidf_text_classifier", "fit_feature_index"]

#: Name of the feature layer, which :func:`fit_feature_index` looks for in a textcat model.
FEATURES_NAME = "replique_tfidf_features"
_LINEAR_NAME = "replique_indexed_linear"
_HIDDEN_NAME = "replique_relu_dropout"
_SUM_NAME = "replique_sum"
#: Standard deviation of a hidden layer's initial weights (zeros would keep its units identical).
_HIDDEN_INIT_SCALE = 0.02
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


def build_tfidf_text_classifier(
    exclusive_classes: bool,
    ngram_size: int = 2,
    char_min: int = 2,
    char_max: int = 5,
    min_count: int = 1,
    hidden_width: int = 0,
    hidden_dropout: float = 0.5,
    wide: bool = False,
    nO: int | None = None,
) -> Model[Any, Any]:
    """Word n-grams and in-word character n-grams, TF-IDF weighted, into a softmax layer.

    ``min_count``: a feature must appear in that many training messages to enter the index.
    ``hidden_width``: units of a hidden ReLU layer between the features and the output (0: none,
    the output layer reads the features directly); ``hidden_dropout`` is its dropout in training.
    """
    features = _tfidf_features(ngram_size, char_min, char_max, min_count)
    output = softmax_activation() if exclusive_classes else _sigmoid()
    model: Model[Any, Any]
    if hidden_width > 0 and wide:
        hidden = _indexed_linear(hidden_width, init_scale=_HIDDEN_INIT_SCALE, row_wise=True)
        output_layer: Model[Any, Any] = Linear(nO)
        deep: Model[Any, Any] = chain(hidden, _relu_dropout(hidden_dropout), output_layer)
        wide_layer = _indexed_linear(nO)
        model = chain(features, _summed(wide_layer, deep), output)
        model.set_ref("wide_layer", wide_layer)
    elif hidden_width > 0:
        # Row-wise updates: a batch uses a few thousand of the hidden layer's rows, and updating
        # all of them at every step took 80 % of the training time (bot/training/row_updates.py).
        hidden = _indexed_linear(hidden_width, init_scale=_HIDDEN_INIT_SCALE, row_wise=True)
        output_layer = Linear(nO)
        model = chain(features, hidden, _relu_dropout(hidden_dropout), output_layer, output)
    else:
        output_layer = _indexed_linear(nO)
        model = chain(features, output_layer, output)
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", output_layer)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = _resize_output
    return model


def fit_feature_index(model: Model[Any, Any], docs: Iterable[Doc]) -> int:
    """Build the feature index (and inverse document frequencies) of ``model`` from ``docs``.

    Call it on the training messages before ``nlp.initialize``: the linear layer is sized from the
    index. Returns the number of features kept.
    """
    features = next((node for node in model.walk() if node.name == FEATURES_NAME), None)
    if features is None:
        return 0
    docs = list(docs)
    keys, _, doc_ids = features.attrs["extract"](docs)
    # Document frequency: count each (feature, doc) pair once.
    order = numpy.lexsort((doc_ids, keys))
    keys, doc_ids = keys[order], doc_ids[order]
    first = numpy.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (doc_ids[1:] != doc_ids[:-1])
    unique_keys, doc_freq = numpy.unique(keys[first], return_counts=True)
    kept = doc_freq >= int(features.attrs["min_count"])
    unique_keys, doc_freq = unique_keys[kept], doc_freq[kept]
    idf = numpy.log((1.0 + len(docs)) / (1.0 + doc_freq)) + 1.0
    features.attrs["keys"] = unique_keys.astype("uint64")
    features.attrs["idf"] = idf.astype("float32")
    for node in model.walk():
        if node.name == _LINEAR_NAME:
            node.set_dim("nI", int(unique_keys.shape[0]), force=True)
    return int(unique_keys.shape[0])


def _tfidf_features(
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

    def extract(docs: list[Doc]) -> _Batch:
        """Every feature key of every doc, with its block and the index of its doc."""
        keys: list[Any] = []
        blocks: list[Any] = []
        doc_ids: list[Any] = []
        ops: Any = model.ops
        for i, doc in enumerate(docs):
            # Token ids from one array call: building Token objects cost more than the rest.
            rows = doc.to_array([ORTH, IS_SPACE])
            if not len(rows):
                continue
            strings = doc.vocab.strings
            tokens = [
                cache.get(orth) or token_keys(orth, strings[orth])
                for orth, space in rows.tolist()
                if not space
            ]
            if not tokens:
                continue
            words: Any = numpy.asarray([word for word, _ in tokens], dtype="uint64")
            parts = [words] + [
                ops.ngrams(n, words) for n in range(2, ngram_size + 1) if len(words) >= n
            ]
            word_keys = numpy.concatenate(parts).astype("uint64")
            char_keys = numpy.concatenate([chars for _, chars in tokens])
            keys += [word_keys, char_keys]
            blocks += [
                numpy.zeros(len(word_keys), dtype="int8"),
                numpy.ones(len(char_keys), dtype="int8"),
            ]
            doc_ids.append(numpy.full(len(word_keys) + len(char_keys), i, dtype="int64"))
        if not keys:
            empty = numpy.zeros((0,), dtype="uint64")
            return empty, numpy.zeros((0,), dtype="int8"), numpy.zeros((0,), dtype="int64")
        return numpy.concatenate(keys), numpy.concatenate(blocks), numpy.concatenate(doc_ids)

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
        block (0 words, 1 characters) and doc, in the order ``extract`` gives their keys: per
        doc, word 1- to n-grams, then the character n-grams of each token."""
        if located_in[0] is not index:
            located.clear()
            located_in[0] = index
        arrays = [doc.to_array([ORTH, IS_SPACE]).reshape(-1, 2) for doc in docs]
        rows = numpy.concatenate(arrays) if arrays else numpy.zeros((0, 2), dtype="uint64")
        rows_docs = numpy.repeat(numpy.arange(len(docs)), [len(a) for a in arrays])
        words_only = rows[:, 1] == 0
        if not words_only.any():
            return _EMPTY_POSITIONS
        # Each distinct token is looked up once per batch, then spread back to its places.
        distinct, places = numpy.unique(rows[words_only, 0], return_inverse=True)
        orths = distinct.tolist()
        # Read once: another thread may clear the cache meanwhile (a model's first batches).
        cached = [located.get(orth) for orth in orths]
        new = [orth for orth, entry in zip(orths, cached, strict=True) if entry is None]
        found = locate_new_tokens(new, docs[0].vocab.strings, index) if new else {}
        entries = [
            entry if entry is not None else found[orth]
            for orth, entry in zip(orths, cached, strict=True)
        ]
        word_docs = rows_docs[words_only].astype("int64")
        word_keys = numpy.asarray([e[0] for e in entries], dtype="uint64")[places]
        unigrams = numpy.asarray([e[1] for e in entries], dtype="int64")[places]
        token_chars = [entries[j][2] for j in places.tolist()]
        chars_per_token = numpy.asarray([len(e[2]) for e in entries], dtype="int64")[places]
        ops: Any = model.ops
        parts = [unigrams[unigrams >= 0]]
        part_docs = [word_docs[unigrams >= 0]]
        for n in range(2, ngram_size + 1):
            if len(word_keys) < n:
                break
            # n-grams of the whole batch, less those that straddle two messages.
            within = word_docs[: len(word_keys) - n + 1] == word_docs[n - 1 :]
            grams = ops.ngrams(n, word_keys)[within]
            at: Any = numpy.searchsorted(index, grams)
            at[at >= len(index)] = 0
            known = index[at] == grams
            parts.append(at[known])
            part_docs.append(word_docs[: len(word_keys) - n + 1][within][known])
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


def _indexed_linear(
    nO: int | None, init_scale: float = 0.0, row_wise: bool = False
) -> Model[Any, Any]:
    """Linear layer over indexed sparse features: one weight row per feature, gathered.

    ``init_scale``: standard deviation of the initial weights (0: zeros, right for an output layer).
    """

    def forward(model: Model[Any, Any], inputs: Any, is_train: bool) -> tuple[Any, Any]:
        features, weights, doc_ids, n_docs = inputs
        W: Any = model.get_param("W")
        b: Any = model.get_param("b")
        if csr_matrix is not None:
            indptr: Any = numpy.zeros(n_docs + 1, dtype="int64")
            numpy.cumsum(numpy.bincount(doc_ids, minlength=n_docs), out=indptr[1:])
            X = csr_matrix((weights, features, indptr), shape=(n_docs, W.shape[0]))
            product: Any = numpy.asarray(X @ W, dtype="float32") + b

            def backprop_sparse(d_scores: Any) -> Any:
                model.inc_grad("b", d_scores.sum(axis=0))
                if takes_rows(model.id):
                    # Only the rows this batch used have a gradient: hand them over as rows to the
                    # trainer's row-wise optimiser (bot/training/row_updates.py).
                    rows, columns = numpy.unique(features, return_inverse=True)
                    used = csr_matrix((weights, columns, indptr), shape=(n_docs, len(rows)))
                    d_rows: Any = numpy.asarray(used.T @ d_scores, dtype="float32")
                    stash_row_gradient(model.id, rows, d_rows)
                else:
                    dW: Any = numpy.asarray(X.T @ d_scores, dtype="float32")
                    model.inc_grad("W", dW)
                return []

            return product, backprop_sparse
        scores: Any = numpy.zeros((n_docs, W.shape[1]), dtype="float32")
        if len(features):
            # Rows come grouped by doc: sum each doc's slice of weighted feature rows.
            starts = numpy.flatnonzero(numpy.r_[True, doc_ids[1:] != doc_ids[:-1]])
            scores[doc_ids[starts]] = numpy.add.reduceat(W[features] * weights[:, None], starts)
        scores += b

        def backprop(d_scores: Any) -> Any:
            model.inc_grad("b", d_scores.sum(axis=0))
            if takes_rows(model.id):
                rows, inverse = numpy.unique(features, return_inverse=True)
                d_rows: Any = numpy.zeros((len(rows), W.shape[1]), dtype="float32")
                numpy.add.at(d_rows, inverse, d_scores[doc_ids] * weights[:, None])
                stash_row_gradient(model.id, rows, d_rows)
            else:
                dense: Any = numpy.zeros_like(W)
                numpy.add.at(dense, features, d_scores[doc_ids] * weights[:, None])
                model.inc_grad("W", dense)
            return []

        return scores, backprop

    def init(model: Model[Any, Any], X: Any = None, Y: Any = None) -> None:
        if Y is not None and not model.has_dim("nO"):
            model.set_dim("nO", Y.shape[1])
        n_in = model.get_dim("nI") if model.has_dim("nI") else 1
        W: Any = numpy.zeros((n_in, model.get_dim("nO")), dtype="float32")
        if model.attrs["init_scale"]:
            # Seeded through thinc's fix_random_seed, which seeds numpy's global generator.
            W += numpy.random.normal(0.0, model.attrs["init_scale"], W.shape).astype("float32")
        b: Any = numpy.zeros((model.get_dim("nO"),), dtype="float32")
        model.set_param("W", W)
        model.set_param("b", b)

    return Model(
        _LINEAR_NAME,
        forward,
        init=init,
        params={"W": None, "b": None},
        dims={"nO": nO, "nI": None},
        attrs={"init_scale": init_scale, "row_wise": row_wise},
    )


def _summed(*layers: Model[Any, Any]) -> Model[Any, Any]:
    """The sum of the scores of ``layers``, all reading the same features (thinc's ``add``
    would size its layers from the width of its input, which the feature tuple does not have)."""

    def forward(model: Model[Any, Any], X: Any, is_train: bool) -> tuple[Any, Any]:
        results = [layer(X, is_train) for layer in model.layers]
        Y: Any = results[0][0]
        for other, _ in results[1:]:
            Y = Y + other

        def backprop(dY: Any) -> Any:
            for _, callback in results:
                callback(dY)
            return []

        return Y, backprop

    def init(model: Model[Any, Any], X: Any = None, Y: Any = None) -> None:
        for layer in model.layers:
            layer.initialize(X=X, Y=Y)

    return Model(_SUM_NAME, forward, init=init, layers=list(layers), dims={"nO": None})


def _relu_dropout(rate: float) -> Model[Any, Any]:
    """ReLU, then dropout while training. The rate is its own (``hidden_dropout``), not the
    ``drop`` of ``nlp.update``, which the feature layer already uses as feature dropout."""

    def forward(model: Model[Any, Any], X: Any, is_train: bool) -> tuple[Any, Any]:
        mask: Any = X > 0
        if is_train and model.attrs["hidden_dropout"] > 0:
            keep = 1.0 - model.attrs["hidden_dropout"]
            mask = mask * (numpy.random.random_sample(X.shape) < keep) / keep
        Y: Any = (X * mask).astype("float32")

        def backprop(dY: Any) -> Any:
            return (dY * mask).astype("float32")

        return Y, backprop

    return Model(_HIDDEN_NAME, forward, attrs={"hidden_dropout": rate})


def _sigmoid() -> Model[Any, Any]:
    from thinc.api import sigmoid_activation

    return sigmoid_activation()


def _resize_output(model: Model[Any, Any], new_nO: int) -> Model[Any, Any]:
    """Add output columns for labels added after training (new labels start improbable).

    thinc refuses to change the dimension of a layer that has weights, so each output layer (the
    hidden layer's, and the linear one beside it in a wide model) is replaced by a wider copy.
    """
    for ref in ("output_layer", "wide_layer"):
        if model.has_ref(ref):
            old = model.get_ref(ref)
            new = _wider(old, new_nO)
            for node in model.walk():
                if old in node.layers:
                    node.layers[node.layers.index(old)] = new
                    if node.has_dim("nO"):
                        node.set_dim("nO", new_nO, force=True)
            model.set_ref(ref, new)
    model.set_dim("nO", new_nO, force=True)
    return model


def _wider(old: Model[Any, Any], new_nO: int) -> Model[Any, Any]:
    """A copy of the output layer ``old`` with ``new_nO`` outputs, the new ones improbable."""
    indexed = old.name == _LINEAR_NAME
    if indexed:
        new = _indexed_linear(new_nO, old.attrs["init_scale"], old.attrs["row_wise"])
        if old.has_dim("nI"):
            new.set_dim("nI", old.get_dim("nI"))
    else:  # thinc's Linear after a hidden layer
        new = Linear(new_nO, old.get_dim("nI") if old.has_dim("nI") else None)
    if old.has_param("W"):
        W: Any = old.get_param("W")
        b: Any = old.get_param("b")
        # The indexed layer keeps W as (features, labels), thinc's Linear as (labels, inputs).
        extra = new_nO - (W.shape[1] if indexed else W.shape[0])
        wider: Any = (
            numpy.hstack([W, numpy.zeros((W.shape[0], extra), dtype="float32")])
            if indexed
            else numpy.vstack([W, numpy.zeros((extra, W.shape[1]), dtype="float32")])
        )
        bias: Any = numpy.concatenate([b, numpy.full((extra,), -5000.0, dtype="float32")])
        new.set_param("W", wider)
        new.set_param("b", bias)
    return new


registry.architectures.register("replique.TextCatTfidf.v1", func=build_tfidf_text_classifier)
