"""Model architectures Réplique registers with spaCy.

spaCy's own ``TextCatBOW`` hashes the verbatim token text (``ORTH``), so "Commande", "commande" and
"comande" are three unrelated features. Customer messages come in any case and often without
accents, so our bag-of-words reads ``NORM`` instead, which ``replique_normalizer_v1`` sets to a
lower-cased, accent-stripped form. Everything else is spaCy's own building blocks.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from spacy.attrs import NORM
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.ml.models.textcat import resize_and_set_ref
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

__all__ = ["build_norm_bow_text_classifier"]

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
    model: Model[Any, Any] = chain(extract_ngrams(ngram_size, attr=NORM), resizable_layer)
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
