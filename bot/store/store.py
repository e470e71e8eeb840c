"""The store: customers, conversations, messages, analyses, drafts and review decisions.

Every public method is one short transaction and returns domain values or plain ids. Review
decisions are compare-and-set (``UPDATE … WHERE status = 'pending'``), so two reviewers clicking at
once, or a click racing a reaction, decide a draft exactly once — across threads and processes.

Locks are always taken in the same order — customer, then conversation, then drafts — so
concurrent transactions wait for each other instead of deadlocking; a deadlock or serialization
failure PostgreSQL reports anyway is retried.
"""

from __future__ import annotations

from bot.store.delivery import DeliveryStore
from bot.store.drafting import DraftingStore
from bot.store.insights import InsightsStore
from bot.store.intake import IntakeStore
from bot.store.leadership import LeadershipStore
from bot.store.learning import LearningStore
from bot.store.privacy import PrivacyStore
from bot.store.promotions import PromotionStore
from bot.store.review import ReviewStore
from bot.store.work import WorkStore

__all__ = ["Store"]


class Store(
    IntakeStore,
    ReviewStore,
    DeliveryStore,
    DraftingStore,
    InsightsStore,
    LearningStore,
    WorkStore,
    LeadershipStore,
    PrivacyStore,
    PromotionStore,
):
    """Réplique's database, behind domain-level methods. Create it with ``Store.open(url)``."""
