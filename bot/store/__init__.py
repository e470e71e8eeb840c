"""Réplique's store: SQLite or PostgreSQL behind domain-level methods, migrated by Alembic.

Typical use, one short transaction per call::

    store = Store.open(settings.effective_database_url)
    item = store.enqueue(work)  # None: this platform event was stored before
    intake = store.take_in(message)
    saved = store.save_drafting(intake.recorded, analysis=analysis, drafts=drafts)
    result = store.decide(saved.saved.draft_ids[0], action=ReviewAction.SEND,
                          reviewer="slack:U123")
"""

from __future__ import annotations

from bot.store.drafting import Drafting, Intake, SavedDrafting
from bot.store.engine import redact_url
from bot.store.migrate import MIGRATIONS_DIR, alembic_config
from bot.store.records import (
    CardPost,
    CardView,
    DecisionResult,
    OutboxItem,
    RecordedMessage,
    SavedDrafts,
    StoredDraft,
)
from bot.store.store import Store
from bot.store.work import NewWork, WorkItem

__all__ = [
    "MIGRATIONS_DIR",
    "CardPost",
    "CardView",
    "DecisionResult",
    "Drafting",
    "Intake",
    "NewWork",
    "OutboxItem",
    "RecordedMessage",
    "SavedDrafting",
    "SavedDrafts",
    "Store",
    "StoredDraft",
    "WorkItem",
    "alembic_config",
    "redact_url",
]
