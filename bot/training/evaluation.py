"""Scores for a classifier: accuracy, macro-F1, per-label figures and the most confused pairs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["LabelScore", "Scores", "score"]


@dataclass(frozen=True, slots=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Scores:
    accuracy: float
    macro_f1: float
    n: int
    per_label: tuple[LabelScore, ...] = ()
    #: (gold, predicted, count), most frequent first.
    confusions: tuple[tuple[str, str, int], ...] = field(default=())


def score(gold: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Accuracy and macro-F1 over the labels that appear in ``gold`` or ``predicted``."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have the same length")
    n = len(gold)
    if n == 0:
        return Scores(accuracy=0.0, macro_f1=0.0, n=0)
    true_pos: Counter[str] = Counter()
    pred_count: Counter[str] = Counter(predicted)
    gold_count: Counter[str] = Counter(gold)
    mistakes: Counter[tuple[str, str]] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        if g == p:
            true_pos[g] += 1
        else:
            mistakes[(g, p)] += 1
    per_label = []
    for label in sorted(set(gold_count) | set(pred_count)):
        tp = true_pos[label]
        precision = tp / pred_count[label] if pred_count[label] else 0.0
        recall = tp / gold_count[label] if gold_count[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label.append(LabelScore(label, precision, recall, f1, gold_count[label]))
    return Scores(
        accuracy=sum(true_pos.values()) / n,
        macro_f1=sum(s.f1 for s in per_label) / len(per_label),
        n=n,
        per_label=tuple(per_label),
        confusions=tuple((g, p, c) for (g, p), c in mistakes.most_common(10)),
    )
