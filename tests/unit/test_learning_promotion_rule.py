"""The promotion rule of ``replique learn``: a retrained model is not worse when it loses at most
one evaluation message (the noise of retraining alone) and no held-out fix."""

from __future__ import annotations

from bot.learning.learn import TOLERATED_EVAL_LOSS, Figures


def _figures(right: int, *, n: int = 345, held_out: float | None = None) -> Figures:
    return Figures(
        model="m",
        accuracy=right / n,
        macro_f1=0.0,
        n=n,
        held_out_accuracy=held_out,
        held_out_n=0 if held_out is None else 4,
    )


def test_one_lost_evaluation_message_is_noise_two_are_worse() -> None:
    before = _figures(323)
    assert TOLERATED_EVAL_LOSS == 1
    assert _figures(323).not_worse_on_eval(before)
    assert _figures(322).not_worse_on_eval(before)
    assert not _figures(321).not_worse_on_eval(before)
    assert not _figures(300).not_worse_than(before)


def test_held_out_fixes_still_decide() -> None:
    before = _figures(323, held_out=0.5)
    assert _figures(322, held_out=0.75).not_worse_than(before)
    assert not _figures(330, held_out=0.25).not_worse_than(before)
