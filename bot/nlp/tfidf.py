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
cannot. It is worth it with a few thousand examples or more (see docs/benchmarks.md). With
``wide`` as well, the linear layer and the hidden one read the features side by side and their
scores are summed ("wide and deep": ``tfidf_wide``). With ``vectors``, each message's mean word
vector (``bot/nlp/static_vectors.py``) goes through a linear layer of its own, whose scores are
added too (``tfidf_vectors``).

The feature layer is ``bot/nlp/tfidf_features.py``: it folds tokens itself
(:func:`bot.nlp.normalize.fold`), so the model reads the same features whether or not a
normaliser ran before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, chain, softmax_activation

from bot.nlp.row_gradients import stash_row_gradient, takes_rows
from bot.nlp.static_vectors import static_vectors
from bot.nlp.tfidf_features import FEATURES_NAME, tfidf_features

csr_matrix: Any
try:  # a sparse product is ~10x faster than numpy's gather-and-sum; installed with scikit-learn
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped,no-redef]
except ImportError:  # the numpy path below gives the same scores, more slowly
    csr_matrix = None

__all__ = ["FEATURES_NAME", "build_tfidf_text_classifier", "fit_feature_index"]

_LINEAR_NAME = "replique_indexed_linear"
_HIDDEN_NAME = "replique_relu_dropout"
_SUM_NAME = "replique_sum"
#: Standard deviation of a hidden layer's initial weights (zeros would keep its units identical).
_HIDDEN_INIT_SCALE = 0.02


def build_tfidf_text_classifier(
    exclusive_classes: bool,
    ngram_size: int = 2,
    char_min: int = 2,
    char_max: int = 5,
    min_count: int = 1,
    hidden_width: int = 0,
    hidden_dropout: float = 0.5,
    wide: bool = False,
    vectors: str = "",
    vectors_width: int = 300,
    nO: int | None = None,
) -> Model[Any, Any]:
    """Word n-grams and in-word character n-grams, TF-IDF weighted, into a softmax layer.

    ``min_count``: a feature must appear in that many training messages to enter the index.
    ``hidden_width``: units of a hidden ReLU layer between the features and the output (0: none,
    the output layer reads the features directly); ``hidden_dropout`` is its dropout in training.
    ``vectors``: a spaCy package whose static vectors (``vectors_width`` dimensions) are read
    beside the TF-IDF features, through a linear layer whose scores are added
    (``bot/nlp/static_vectors.py``; empty: none).
    """
    features = tfidf_features(ngram_size, char_min, char_max, min_count)
    output = softmax_activation() if exclusive_classes else _sigmoid()
    # The layers from the features to the TF-IDF scores; the output activation comes after.
    scoring: list[Model[Any, Any]]
    refs: dict[str, Model[Any, Any]] = {}
    if hidden_width > 0 and wide:
        hidden = _indexed_linear(hidden_width, init_scale=_HIDDEN_INIT_SCALE, row_wise=True)
        output_layer: Model[Any, Any] = Linear(nO)
        deep: Model[Any, Any] = chain(hidden, _relu_dropout(hidden_dropout), output_layer)
        refs["wide_layer"] = wide_layer = _indexed_linear(nO)
        scoring = [features, _summed(wide_layer, deep)]
    elif hidden_width > 0:
        # Row-wise updates: a batch uses a few thousand of the hidden layer's rows, and updating
        # all of them at every step took 80 % of the training time (bot/training/row_updates.py).
        hidden = _indexed_linear(hidden_width, init_scale=_HIDDEN_INIT_SCALE, row_wise=True)
        output_layer = Linear(nO)
        scoring = [features, hidden, _relu_dropout(hidden_dropout), output_layer]
    else:
        output_layer = _indexed_linear(nO)
        scoring = [features, output_layer]
    if vectors:
        # The vectors' scores are added to the TF-IDF part's, before the output activation.
        refs["vector_layer"] = vector_layer = Linear(nO, vectors_width)
        reading: Model[Any, Any] = chain(static_vectors(vectors, vectors_width), vector_layer)
        scoring = [_summed(chain(*scoring), reading)]
    model: Model[Any, Any] = chain(*scoring, output)
    for name, layer in refs.items():
        model.set_ref(name, layer)
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
    for ref in ("output_layer", "wide_layer", "vector_layer"):
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
