"""The hand-over point between the TF-IDF layers and a row-wise optimiser.

A layer with one weight row per feature can hand the gradient of the rows a batch used to an
optimiser that updates only those rows (``bot/training/row_updates.py``), instead of a dense
gradient for the whole matrix. The runtime needs nothing of this but the questions below, so the
layers (``bot/nlp/tfidf.py``) ask here, and the trainer, which lives apart from the runtime, takes
a layer over and collects what it stashed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["release", "stash_row_gradient", "take_over", "take_rows", "takes_rows"]

#: Row gradients waiting for the optimiser, by layer id. A layer present here hands its weight
#: gradient over as rows instead of a dense matrix.
_PENDING: dict[int, list[tuple[Any, Any]] | None] = {}


def takes_rows(layer_id: int) -> bool:
    """Whether a row-wise optimiser currently updates this layer's weights."""
    return layer_id in _PENDING


def stash_row_gradient(layer_id: int, rows: Any, gradient: Any) -> None:
    """Keep the gradient of ``rows`` for the optimiser that took the layer over (check
    :func:`takes_rows` first: a gradient with nobody to apply it would be lost)."""
    if layer_id not in _PENDING:
        raise RuntimeError(f"layer {layer_id} is not updated row-wise: its gradient would be lost")
    pending = _PENDING[layer_id]
    if pending is None:
        _PENDING[layer_id] = [(rows, gradient)]
    else:
        pending.append((rows, gradient))


def take_over(layer_id: int) -> None:
    """From now on, the layer stashes row gradients instead of dense ones."""
    _PENDING[layer_id] = None


def take_rows(layer_id: int) -> list[tuple[Any, Any]]:
    """The row gradients stashed since the last call (empty when there are none)."""
    pending = _PENDING.get(layer_id)
    _PENDING[layer_id] = None
    return pending or []


def release(layer_id: int) -> None:
    """The layer goes back to dense gradients."""
    _PENDING.pop(layer_id, None)
