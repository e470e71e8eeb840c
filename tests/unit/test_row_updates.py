"""Row-wise Adam (bot/training/row_updates.py) against thinc's dense Adam and running averages."""

from __future__ import annotations

from typing import Any

import numpy
import pytest
from thinc.api import Adam, Model

from bot.nlp.row_gradients import stash_row_gradient, takes_rows
from bot.training.row_updates import RowUpdates


def _layer(rows: int = 6, width: int = 3, seed: int = 0) -> Model[Any, Any]:
    layer: Model[Any, Any] = Model(
        "indexed", lambda model, X, is_train: (X, lambda d: d), attrs={"row_wise": True}
    )
    weights: Any = numpy.random.default_rng(seed).normal(size=(rows, width)).astype("float32")
    layer.set_param("W", weights)
    return layer


def _weights(layer: Model[Any, Any]) -> Any:
    return layer.get_param("W")


def _gradients(steps: int, rows: int, width: int) -> list[Any]:
    rng = numpy.random.default_rng(1)
    return [rng.normal(size=(rows, width)).astype("float32") * 0.3 for _ in range(steps)]


@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_same_weights_and_averages_as_thincs_adam_when_every_row_is_used(l2: float) -> None:
    dense_layer, row_layer = _layer(), _layer()
    dense_opt = Adam(0.01, L2=l2, grad_clip=1.0)
    row_opt = Adam(0.01, L2=l2, grad_clip=1.0)
    every_row = numpy.arange(6)
    with RowUpdates(row_layer, row_opt) as updates:
        for gradient in _gradients(5, 6, 3):
            W, _ = dense_opt((dense_layer.id, "W"), _weights(dense_layer), gradient.copy())
            dense_layer.set_param("W", W)
            stash_row_gradient(row_layer.id, every_row, gradient.copy())
            updates.step()
        updates.sync_averages()
    numpy.testing.assert_allclose(_weights(row_layer), _weights(dense_layer), atol=1e-6)
    assert dense_opt.averages is not None
    assert row_opt.averages is not None
    numpy.testing.assert_allclose(
        row_opt.averages[(row_layer.id, "W")],
        dense_opt.averages[(dense_layer.id, "W")],
        atol=1e-6,
    )


def test_an_unused_row_keeps_its_weights_and_its_average_catches_up_exactly() -> None:
    layer = _layer(rows=2, width=2)
    optimizer = Adam(0.05)
    gradients = _gradients(6, 2, 2)
    with RowUpdates(layer, optimizer) as updates:
        stash_row_gradient(layer.id, numpy.arange(2), gradients[0])
        updates.step()
        after_first = _weights(layer)[1].copy()
        for gradient in gradients[1:]:  # only row 0 from now on
            stash_row_gradient(layer.id, numpy.array([0]), gradient[:1])
            updates.step()
        updates.sync_averages()
    assert numpy.array_equal(_weights(layer)[1], after_first)
    # thinc's averaging, by hand: step 1 from zeros with the first weights, then the same weights.
    expected = numpy.zeros(2, dtype="float32")
    for t in range(1, 7):
        decay = min((1.0 + t) / (10.0 + t), 0.9999)
        expected -= (1 - decay) * (expected - after_first)
    assert optimizer.averages is not None
    numpy.testing.assert_allclose(optimizer.averages[(layer.id, "W")][1], expected, atol=1e-6)


def test_batches_stashed_twice_add_up_per_row() -> None:
    layer = _layer(rows=3, width=1)
    reference = _layer(rows=3, width=1)
    sgd, reference_sgd = Adam(0.1), Adam(0.1)
    with RowUpdates(layer, sgd) as updates:
        stash_row_gradient(layer.id, numpy.array([0, 2]), numpy.array([[1.0], [2.0]], "float32"))
        stash_row_gradient(layer.id, numpy.array([2]), numpy.array([[3.0]], "float32"))
        updates.step()
    with RowUpdates(reference, reference_sgd) as updates:
        stash_row_gradient(
            reference.id, numpy.array([0, 2]), numpy.array([[1.0], [5.0]], "float32")
        )
        updates.step()
    numpy.testing.assert_allclose(_weights(layer), _weights(reference), atol=1e-7)


def test_outside_the_trainer_a_layer_hands_dense_gradients_to_thinc() -> None:
    layer = _layer()
    assert not takes_rows(layer.id)
    with RowUpdates(layer, Adam(0.01)):
        assert takes_rows(layer.id)
    # Leaving the block gives the layer back to thinc's optimiser; a row gradient would be lost.
    assert not takes_rows(layer.id)
    with pytest.raises(RuntimeError, match="not updated row-wise"):
        stash_row_gradient(layer.id, numpy.array([0]), numpy.ones((1, 3), "float32"))


def test_only_layers_that_ask_for_it_are_taken_over() -> None:
    asking = _layer()
    other: Model[Any, Any] = Model("dense", lambda model, X, is_train: (X, lambda d: d))
    from thinc.api import chain

    with RowUpdates(chain(asking, other), Adam(0.01)) as updates:
        assert [layer.id for layer in updates.layers] == [asking.id]
        assert takes_rows(asking.id)
        assert not takes_rows(other.id)
