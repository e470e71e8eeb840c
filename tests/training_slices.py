"""Small slices of the shipped training data, for tests that train models in seconds."""

from __future__ import annotations

from collections.abc import Sequence

from bot.training.datasets import TRAINING_DATA, LabelledText, load_examples

__all__ = ["SLICE_LABELS", "labelled_slice"]

#: Intents distinct enough to be learnt from a few dozen examples each.
SLICE_LABELS = ("order_status", "thanks", "opt_out", "return_refund", "other")


def labelled_slice(
    lang: str, per_label: int, source: str = "intents.yml", labels: Sequence[str] = SLICE_LABELS
) -> list[LabelledText]:
    """The first ``per_label`` examples of each of ``labels`` in ``source``, in file order."""
    counts: dict[str, int] = {}
    out = []
    for e in load_examples(TRAINING_DATA / lang / source):
        if e.label in labels and counts.get(e.label, 0) < per_label:
            counts[e.label] = counts.get(e.label, 0) + 1
            out.append(e)
    return out
