"""Model architectures Réplique registers with spaCy.

spaCy's own ``TextCatBOW`` hashes the verbatim token text (``ORTH``), so "Commande", "commande" and
"comande" are three unrelated features. Customer messages come in any case and often without
accents, so our bag-of-words reads ``NORM`` instead, which ``replique_normalizer_v1`` sets to a
lower-cased, accent-stripped form, and ``TextCatNormAffixBOW`` adds word prefixes and suffixes so
misspellings and inflections share features. Everything else is spaCy's own building blocks.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy
from spacy.attrs import NORM
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    Logistic,
    Model,
    SparseLinear_v2,
    chain,
    resizable,
    softmax_activation,
    with_cpu,
)
from thinc.layers.resizable import resize_linear_weighted

__all__ = [
    "build_norm_affix_bow_text_classifier",
    "build_norm_bow_text_classifier",
    "extract_norm_features",
]

# Bias of classes added after training, so they start out improbable (same value as spaCy's).
_NEG_VALUE = -5000.0


def build_norm_bow_text_classifier(
    exclusive_classes: bool,
    ngram_size: int,
    no_output_layer: bool,
    length: int = 65536,
    nO: int | None = None,
) -> Model[Any, Any]:
    """Bag of n-grams of normalised tokens, hashed into ``length`` rows, then a linear layer."""
    features = extract_ngrams(ngram_size, attr=NORM)
    return _linear_classifier(features, exclusive_classes, no_output_layer, length, nO)


def build_norm_affix_bow_text_classifier(
    exclusive_classes: bool,
    ngram_size: int,
    no_output_layer: bool,
    affix_length: int = 4,
    length: int = 65536,
    nO: int | None = None,
) -> Model[Any, Any]:
    """v1 plus the first and last ``affix_length`` letters of each longer normalised word.

    Affixes let "remboursement", "rembourser" and the misspelt "remboursment" share features,
    which matters when a brand has a few dozen examples per intent: on the shipped evaluation
    sets it added 3 to 4 points of accuracy in both languages.
    """
    features = extract_norm_features(ngram_size, affix_length)
    return _linear_classifier(features, exclusive_classes, no_output_layer, length, nO)


def extract_norm_features(ngram_size: int, affix_length: int) -> Model[Any, Any]:
    """Hashed keys of NORM n-grams and NORM prefixes/suffixes, with their counts, per doc."""

    def forward(model: Model[Any, Any], docs: list[Doc], is_train: bool) -> tuple[Any, Any]:
        ops = model.ops
        batch_keys: list[Any] = []
        batch_counts: list[Any] = []
        for doc in docs:
            unigrams: Any = doc.to_array([NORM])
            parts: list[Any] = [unigrams]
            parts += [ops.ngrams(n, unigrams) for n in range(2, ngram_size + 1)]
            affixes = [
                get_string_id(f"{side}{affix}")
                for token in doc
                if len(token.norm_) > affix_length
                for side, affix in (
                    ("<", token.norm_[:affix_length]),
                    (">", token.norm_[-affix_length:]),
                )
            ]
            if affixes:
                parts.append(numpy.asarray(affixes, dtype="uint64"))
            keys, counts = numpy.unique(
                numpy.concatenate(parts).astype("uint64"), return_counts=True
            )
            batch_keys.append(keys)
            batch_counts.append(counts)
        lengths = numpy.asarray([keys.shape[0] for keys in batch_keys], dtype="int32")
        counts_all: Any = numpy.concatenate(batch_counts).astype("float32")
        output = (numpy.concatenate(batch_keys), counts_all, lengths)
        return output, lambda d_output: []

    return Model("extract_norm_features", forward)


def _linear_classifier(
    features: Model[Any, Any],
    exclusive_classes: bool,
    no_output_layer: bool,
    length: int,
    nO: int | None,
) -> Model[Any, Any]:
    """Hashed sparse features into a resizable linear layer, as spaCy's bag-of-words does."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": 0.0, "W": 0.0}
    output_layer: Model[Any, Any] | None = None
    if not no_output_layer:
        fill_defaults["b"] = _NEG_VALUE
        output_layer = softmax_activation() if exclusive_classes else Logistic()
    resizable_layer: Model[Any, Any] = resizable(
        sparse_linear,
        resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults),
    )
    model: Model[Any, Any] = chain(features, resizable_layer)
    model = with_cpu(model, model.ops)
    if output_layer is not None:
        model = chain(model, with_cpu(output_layer, output_layer.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


registry.architectures.register("replique.TextCatNormBOW.v1", func=build_norm_bow_text_classifier)
registry.architectures.register(
    "replique.TextCatNormAffixBOW.v1", func=build_norm_affix_bow_text_classifier
)
