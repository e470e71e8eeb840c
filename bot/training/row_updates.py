"""Adam for the rows of a weight matrix that a batch used, instead of the whole matrix.

The hidden layer of the ``tfidf_hidden`` model keeps one weight row per feature of the vocabulary:
tens of thousands of rows, of which a batch of messages uses a few thousand. thinc's optimiser
updates every row at every step (Adam's moments, the running averages), so on Banking77 80 % of
training time went to rows whose gradient was zero. :class:`RowUpdates` takes over that matrix
while the trainer runs: the layer hands it the gradient of the rows the batch used, and it applies
thinc's own Adam to them (same learning rate, betas, epsilon, gradient clipping, weight decay),
"lazily": the moments of unused rows wait, as in TensorFlow's LazyAdam. The running averages,
which the trainer scores and keeps, stay exact: an unused row's weights do not move, so its
average is caught up in one product of the decays it missed, read from a table of their
cumulative logs.

Outside the trainer (``nlp.update`` in someone else's loop) the layers fall back to dense
gradients for thinc's optimiser, so a saved model can still be trained like any spaCy component.
The output layer of the linear ``tfidf`` model keeps thinc's dense Adam: its matrix is small
(features x labels), and the dense updates, whose momentum keeps moving the rows of rare
features, gave more accurate models than lazy ones on Banking77 and on three of the four shipped
sets (docs/benchmarks.md).
"""

from __future__ import annotations

import math
from typing import Any

import numpy
from thinc.api import Model, Optimizer

from bot.nlp import row_gradients

__all__ = ["RowUpdates"]

#: thinc's cap on the averages' decay (``Ops.update_averages``).
_MAX_DECAY = 0.9999


class RowUpdates:
    """Row-wise Adam for the ``W`` of the layers of ``model`` that ask for it (attribute
    ``row_wise``), sharing ``optimizer``'s settings, update counts and averages (so
    ``nlp.use_params(optimizer.averages)`` sees them).

    Use as a context manager around training; call :meth:`step` after each ``nlp.update`` and
    :meth:`sync_averages` before reading ``optimizer.averages``.
    """

    def __init__(self, model: Model[Any, Any], optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.layers = [node for node in model.walk() if node.attrs.get("row_wise")]
        self._moments: dict[int, tuple[Any, Any]] = {}
        self._last_step: dict[int, Any] = {}
        # _log_decay[t] = sum of log(decay(s)) for s in 1..t (thinc's averaging decay at step s).
        self._log_decay: list[float] = [0.0]

    def __enter__(self) -> RowUpdates:
        for layer in self.layers:
            row_gradients.take_over(layer.id)
        return self

    def __exit__(self, *exc: object) -> None:
        for layer in self.layers:
            row_gradients.release(layer.id)

    def _key(self, layer: Model[Any, Any]) -> tuple[int, str]:
        return (layer.id, "W")

    def _decays_until(self, step: int) -> None:
        while len(self._log_decay) <= step:
            s = len(self._log_decay)
            decay = min((1.0 + s) / (10.0 + s), _MAX_DECAY)
            self._log_decay.append(self._log_decay[-1] + math.log(decay))

    def _catch_up(self, layer: Model[Any, Any], rows: Any, until: int) -> None:
        """Bring the averages of ``rows`` to step ``until``, their weights unchanged meanwhile."""
        averages = self.optimizer.averages
        if averages is None:
            return
        W: Any = layer.get_param("W")
        key = self._key(layer)
        if key not in averages:
            averages[key] = numpy.zeros_like(W)
        last = self._last_step[layer.id][rows]
        table = numpy.asarray(self._log_decay)
        factor = numpy.exp(table[until] - table[last])[:, None].astype("float32")
        average = averages[key]
        average[rows] = W[rows] + (average[rows] - W[rows]) * factor
        self._last_step[layer.id][rows] = until

    def step(self) -> None:
        """Apply the row gradients the layers stashed since the last step."""
        opt = self.optimizer
        for layer in self.layers:
            pending = row_gradients.take_rows(layer.id)
            if not pending:
                continue
            rows, gradient = _merge(pending)
            W: Any = layer.get_param("W")
            key = self._key(layer)
            if layer.id not in self._moments:
                self._moments[layer.id] = (numpy.zeros_like(W), numpy.zeros_like(W))
                self._last_step[layer.id] = numpy.zeros(W.shape[0], dtype="int64")
            opt.nr_update[key] += 1
            t = opt.nr_update[key]
            self._decays_until(t)
            # Averages first catch up to the step before this one, with the weights as they were.
            self._catch_up(layer, rows, t - 1)
            if opt.L2 != 0 and not opt.L2_is_weight_decay:
                gradient = gradient + opt.L2 * W[rows]
            if opt.grad_clip:
                norm = float(numpy.linalg.norm(gradient))
                if norm >= opt.grad_clip:
                    gradient = gradient * (opt.grad_clip / norm)
            mom1, mom2 = self._moments[layer.id]
            m = opt.b1 * mom1[rows] + (1.0 - opt.b1) * gradient
            v = opt.b2 * mom2[rows] + (1.0 - opt.b2) * gradient * gradient
            mom1[rows], mom2[rows] = m, v
            rate = opt.learn_rate * math.sqrt(1.0 - opt.b2**t) / (1.0 - opt.b1**t)
            W[rows] -= (rate * m / (numpy.sqrt(v) + opt.eps)).astype("float32")
            if opt.L2 != 0 and opt.L2_is_weight_decay:
                W[rows] -= (opt.learn_rate * opt.L2 * W[rows]).astype("float32")
            self._catch_up(layer, rows, t)

    def sync_averages(self) -> None:
        """Bring every row's average to the current step (call before using the averages)."""
        for layer in self.layers:
            if layer.id not in self._last_step:
                continue
            t = self.optimizer.nr_update[self._key(layer)]
            self._decays_until(t)
            behind = numpy.flatnonzero(self._last_step[layer.id] < t)
            if len(behind):
                self._catch_up(layer, behind, t)


def _merge(pending: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    """One gradient per row from several stashed batches (a row may appear in more than one)."""
    if len(pending) == 1:
        return pending[0]
    rows = numpy.concatenate([r for r, _ in pending])
    grads = numpy.concatenate([g for _, g in pending])
    unique, inverse = numpy.unique(rows, return_inverse=True)
    merged: Any = numpy.zeros((len(unique), grads.shape[1]), dtype=grads.dtype)
    numpy.add.at(merged, inverse, grads)
    return unique, merged
