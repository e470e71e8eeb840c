"""Which promoted intent model each language uses now, read from the store.

The analyser asks every ``models.check_every`` seconds (one small query) and swaps a language's
pipeline when the answer changes, so a running service picks up ``replique learn`` and
``replique learn --rollback`` without a restart.
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.config import VAR_DIR, Settings
from bot.errors import StoreError
from bot.store import Store
from bot.store.promotions import PromotionStore

__all__ = ["PromotedModels", "promoted_models"]

log = logging.getLogger(__name__)


class PromotedModels:
    """The analyser's source of promoted intent models (``bot.nlp.analyser.IntentModelSource``)."""

    def __init__(self, store: PromotionStore) -> None:
        self._store = store

    def intent_models(self) -> dict[str, Path]:
        return {lang: p.path for lang, p in self._store.active_models().items()}


def promoted_models(settings: Settings) -> tuple[PromotedModels, Store] | None:
    """The store's promoted models for a command that may run without a database
    (``replique draft``): None when there is no store to read (no ``DATABASE_URL`` and no
    ``./var/replique.db``) or it cannot be opened (the shipped models are used then)."""
    if settings.database_url is None and not (VAR_DIR / "replique.db").exists():
        return None
    try:
        store = Store.open(settings.effective_database_url)
    except StoreError as exc:
        log.warning("promoted models not read, the shipped ones are used: %s", exc)
        return None
    return PromotedModels(store), store
