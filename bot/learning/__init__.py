"""Learning from the reviewers: ``replique learn`` retrains each language's intent model from the
shipped training data plus the reviewers' labels in the store, and promotes it only when it is not
worse than the model in use (docs/learning.md).

The pieces: ``examples`` turns the store's labels into training and held-out examples,
``learn`` trains, compares and promotes (or rolls back), ``promoted`` tells a running analyser
which promoted model each language uses now.
"""

from __future__ import annotations

from bot.learning.examples import HELD_OUT_SHARE, LearningData, is_held_out, learning_data
from bot.learning.learn import (
    Figures,
    LearningReport,
    Rollback,
    learn,
    learn_language,
    roll_back,
)
from bot.learning.promoted import PromotedModels, promoted_models

__all__ = [
    "HELD_OUT_SHARE",
    "Figures",
    "LearningData",
    "LearningReport",
    "PromotedModels",
    "Rollback",
    "is_held_out",
    "learn",
    "learn_language",
    "learning_data",
    "promoted_models",
    "roll_back",
]
