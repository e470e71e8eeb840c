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
        self._table: Any = numpy.zeros(1)

    def __enter__(self) -> RowUpdates:
        for layer in self.layers:
            row_gradients.take_over(layer.id)
        return self

    def __exit__(self, *exc: object) -> None:
        for layer in self.layers:
            row_gradients.release(layer.id)

    def _key(self, layer: Model[Any, Any]) -> tuple[int, str]:
        return (layer.id, "W")

    def _decays_until(self, step: int) -> Any:
        """The table of cumulative log decays, long enough to read step ``step``."""
        if len(self._log_decay) <= step:
            while len(self._log_decay) <= step:
                s = len(self._log_decay)
                decay = min((1.0 + s) / (10.0 + s), _MAX_DECAY)
                self._log_decay.append(self._log_decay[-1] + math.log(decay))
            self._table = numpy.asarray(self._log_decay)
        return self._table

    def _averages(self, layer: Model[Any, Any]) -> Any:
        """The running averages of the layer's ``W`` (None when the optimiser keeps none)."""
        averages = self.optimizer.averages
        if averages is None:
            return None
        key = self._key(layer)
        if key not in averages:
            W: Any = layer.get_param("W")
            averages[key] = numpy.zeros_like(W)
        return averages[key]

    def step(self) -> None:
        """Apply the row gradients the layers stashed since the last step.

        Each array is gathered and scattered once per step for the rows used: the averages catch
        up to the step before with the old weights and take this step's decay with the new ones
        in the same pass.
        """
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
            table = self._decays_until(t)
            old: Any = W[rows]
            if opt.L2 != 0 and not opt.L2_is_weight_decay:
                gradient = gradient + opt.L2 * old
            if opt.grad_clip:
                norm = float(numpy.linalg.norm(gradient))
                if norm >= opt.grad_clip:
                    gradient = gradient * (opt.grad_clip / norm)
            # Adam, computed in place in the few arrays gathered: a fresh array per operation
            # cost more (in first-touch page faults) than the arithmetic itself.
            mom1, mom2 = self._moments[layer.id]
            m: Any = mom1[rows]
            m *= opt.b1
            scratch: Any = gradient * (1.0 - opt.b1)
            m += scratch
            v: Any = mom2[rows]
            v *= opt.b2
            numpy.multiply(gradient, 1.0 - opt.b2, out=scratch)
            scratch *= gradient
            v += scratch
            mom1[rows], mom2[rows] = m, v
            rate = opt.learn_rate * math.sqrt(1.0 - opt.b2**t) / (1.0 - opt.b1**t)
            denominator = numpy.sqrt(v, out=scratch)
            denominator += opt.eps
            new = m  # m is stored; its array becomes the new weights
            new *= rate
            numpy.divide(new, denominator, out=new)
            numpy.subtract(old, new, out=new)
            if opt.L2 != 0 and opt.L2_is_weight_decay:
                new -= (opt.learn_rate * opt.L2 * new).astype("float32")
            W[rows] = new
            average = self._averages(layer)
            if average is not None:
                # Caught up to the step before with the old weights, then this step's decay
                # with the new ones.
                last = self._last_step[layer.id][rows]
                missed = numpy.exp(table[t - 1] - table[last])[:, None].astype("float32")
                decay = numpy.float32(math.exp(table[t] - table[t - 1]))
                rows_average: Any = average[rows]
                rows_average -= old
                rows_average *= missed
                rows_average += old
                rows_average -= new
                rows_average *= decay
                rows_average += new
                average[rows] = rows_average
                self._last_step[layer.id][rows] = t

    def sync_averages(self) -> None:
        """Bring every row's average to the current step (call before using the averages).

        Most rows are behind by then, so the whole matrix is caught up in place (a row already
        current gets a factor of one) rather than gathered and scattered row by row.
        """
        for layer in self.layers:
            if layer.id not in self._last_step:
                continue
            average = self._averages(layer)
            if average is None:
                continue
            t = self.optimizer.nr_update[self._key(layer)]
            table = self._decays_until(t)
            last = self._last_step[layer.id]
            W: Any = layer.get_param("W")
            factor = numpy.exp(table[t] - table[last])[:, None].astype("float32")
            average -= W
            average *= factor
            average += W
            last[:] = t


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
