"""From the reviewers' labels to training and held-out examples, per language.

A fixed share of the intent fixes is held out to score the old and the new model on what
reviewers corrected; which ones is decided by a hash of the message's id, so the same fix is
held out on every run and the comparison never scores a model on what it was trained on.
Confirmed intents (replies that went out without a fix) only teach: the model in use already
agreed with them, so scoring on them would favour it.

Customer text is personal data, and a trained model keeps pieces of the words it saw: e-mail
addresses, phone and order numbers are masked (``bot/logmask.py``) before a message teaches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.logmask import mask
from bot.store.promotions import ReviewedExample
from bot.training.datasets import LabelledText

__all__ = ["HELD_OUT_SHARE", "LearningData", "is_held_out", "learning_data"]

#: The share of intent fixes kept aside to compare the old and the new model on.
HELD_OUT_SHARE: Final = 0.2


@dataclass(frozen=True, slots=True)
class LearningData:
    """One language's reviewed examples, split for training and for scoring."""

    language: str
    #: Intent fixes and confirmed intents the new model learns from.
    train: tuple[LabelledText, ...]
    #: Intent fixes both models are scored on.
    held_out: tuple[LabelledText, ...]
    corrections: int
    confirmed: int
    #: The messages and their labels, as (message id, intent): what a model was learned from.
    labels: tuple[tuple[int, str], ...]


def is_held_out(message_pk: int, share: float = HELD_OUT_SHARE) -> bool:
    """Whether a fix of this message is kept aside for scoring (the same answer on every run)."""
    digest = hashlib.sha256(f"replique-held-out:{message_pk}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def learning_data(
    language: str, reviewed: Sequence[ReviewedExample], *, share: float = HELD_OUT_SHARE
) -> LearningData:
    """Split ``reviewed`` (the store's labels for ``language``) into training and held-out."""
    train: list[LabelledText] = []
    held_out: list[LabelledText] = []
    corrections = confirmed = 0
    for example in reviewed:
        if example.language != language:
            continue
        labelled = LabelledText(mask(example.text.strip()), example.intent)
        if example.fixed:
            corrections += 1
            (held_out if is_held_out(example.message_pk, share) else train).append(labelled)
        else:
            confirmed += 1
            train.append(labelled)
    labels = tuple(sorted((e.message_pk, e.intent) for e in reviewed if e.language == language))
    return LearningData(language, tuple(train), tuple(held_out), corrections, confirmed, labels)
