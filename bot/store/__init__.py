"""Réplique's store: SQLite or PostgreSQL behind domain-level methods, migrated by Alembic.

Typical use, one short transaction per call::

    store = Store.open(settings.effective_database_url)
    recorded = store.record_inbound(message)
    store.save_drafts(conversation_pk=recorded.conversation_pk, message_pk=recorded.message_pk,
                      drafts=drafts)
    result = store.decide(draft_id, action=ReviewAction.SEND, reviewer="slack:U123")
"""

from __future__ import annotations

from bot.store.drafting import Intake, SavedDrafting
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

__all__ = [
    "MIGRATIONS_DIR",
    "CardPost",
    "CardView",
    "DecisionResult",
    "Intake",
    "OutboxItem",
    "RecordedMessage",
    "SavedDrafting",
    "SavedDrafts",
    "Store",
    "StoredDraft",
    "alembic_config",
    "redact_url",
]
