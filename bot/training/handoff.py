"""The hand-off threshold of an intent model: below it, a message goes to a person as ``other``.

The trainer calibrates it on its validation split (``calibrate_threshold``); the benchmarks and
``make models`` report the utility it gives (``handoff_utility``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.domain import HANDOFF_INTENT

__all__ = [
    "HANDOFF_VALUE",
    "MAX_HANDOFF_RATE",
    "MIN_THRESHOLD",
    "THRESHOLDS",
    "calibrate_threshold",
    "handoff_utility",
]

#: Candidate hand-off thresholds tried during calibration.
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(15))

#: What a hand-off is worth next to a right (1) or a wrong (0) intent: a person gets a neutral
#: holding reply to adapt, which is slower than a right draft but does no harm.
HANDOFF_VALUE = 0.5


def handoff_utility(
    predictions: Sequence[tuple[str, float]], gold: Sequence[str], threshold: float
) -> float:
    """Mean value of the drafts a threshold leads to: right 1, handed to a person 0.5, wrong 0."""
    total = 0.0
    for (label, confidence), expected in zip(predictions, gold, strict=True):
        routed = label if confidence >= threshold else HANDOFF_INTENT
        if routed == expected:
            total += 1.0
        elif routed == HANDOFF_INTENT:
            total += HANDOFF_VALUE
    return total / len(gold) if gold else 0.0


#: Most messages a threshold may hand to a person on the validation split: past one in ten the
#: copilot stops saving the team time (the split is small, and utility alone would sometimes hand
#: off a sixth of the messages for a gain within noise). policies.min_intent_confidence overrides.
MAX_HANDOFF_RATE = 0.10
#: Below this the model is guessing among several intents: such a message always goes to a person,
#: whatever the validation split says.
MIN_THRESHOLD = 0.2


def calibrate_threshold(predictions: Sequence[tuple[str, float]], gold: Sequence[str]) -> float:
    """The hand-off threshold for the reviewer: the lowest one whose utility on held-out data is
    within one standard error of the best, among those handing off at most ``MAX_HANDOFF_RATE``
    and never below ``MIN_THRESHOLD``.

    The validation split is written like the training data, so the model is surer of it than of
    real messages: on public data nobody here wrote, the threshold chosen that way handed off
    three to six times the share it handed off on the shipped evaluation sets, which are written
    the same way (docs/benchmarks.md). A higher threshold must therefore
    earn more than the split's noise before more messages go to a person."""
    if not gold or HANDOFF_INTENT not in gold:
        return 0.0
    values: list[tuple[float, float]] = []
    for threshold in THRESHOLDS:
        if threshold < MIN_THRESHOLD:
            continue
        handed_off = sum(conf < threshold for _, conf in predictions)
        if handed_off > MAX_HANDOFF_RATE * len(predictions):
            break  # higher thresholds only hand off more
        values.append((threshold, handoff_utility(predictions, gold, threshold)))
    if not values:
        return MIN_THRESHOLD
    best = max(value for _, value in values)
    standard_error = math.sqrt(max(best * (1.0 - best), 0.0) / len(gold))
    return min(threshold for threshold, value in values if value >= best - standard_error - 1e-9)
