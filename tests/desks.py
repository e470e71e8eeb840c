"""A review desk as the service builds one, for tests that start adapters themselves."""

from __future__ import annotations

from bot.config import AppConfig
from bot.drafting.replier import Replier
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk
from bot.review.outbox import OutboxSender
from bot.service import ChannelAdapter, wire
from bot.store import Store

__all__ = ["new_desk", "wire_all"]


def new_desk(*, config: AppConfig, store: Store, analyser: Analyser) -> ReviewDesk:
    """A desk with its outbox, drafting with the session's (already loaded) analyser."""
    return ReviewDesk(
        config=config,
        store=store,
        replier=Replier(config, analyser=analyser),
        outbox=OutboxSender(store=store),
    )


def wire_all(desk: ReviewDesk, *adapters: ChannelAdapter) -> None:
    """Wire ``adapters`` to ``desk`` and its outbox exactly as ``build_service`` does."""
    for adapter in adapters:
        wire(adapter, desk=desk, outbox=desk.outbox)
