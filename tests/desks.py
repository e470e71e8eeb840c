"""A review desk as the service builds one, for tests that start adapters themselves."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from bot.config import AppConfig
from bot.drafting.replier import Replier
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk
from bot.review.leader import LeaderRole
from bot.review.outbox import OutboxSender
from bot.service import ChannelAdapter, Leads, wire
from bot.store import Store

__all__ = ["leading", "new_desk", "polling", "wire_all"]


def new_desk(*, config: AppConfig, store: Store, analyser: Analyser) -> ReviewDesk:
    """A desk with its outbox, drafting with the session's (already loaded) analyser."""
    return ReviewDesk(
        config=config,
        store=store,
        replier=Replier(config, analyser=analyser),
        outbox=OutboxSender(store=store),
    )


def wire_all(desk: ReviewDesk, *adapters: ChannelAdapter, leader: LeaderRole | None = None) -> None:
    """Wire ``adapters`` to ``desk``, its outbox and ``leader`` exactly as ``build_service``
    does."""
    for adapter in adapters:
        wire(adapter, desk=desk, outbox=desk.outbox, leader=leader)


def leading(store: Store, *, holder: str = "test") -> LeaderRole:
    """A leader role that checks often, so a test's process leads within a fraction of a second."""
    return LeaderRole(store=store, holder=holder, check_every=0.2)


@contextlib.asynccontextmanager
async def polling(adapter: Leads) -> AsyncIterator[None]:
    """Run ``adapter``'s leader job (Telegram's long polling) while the block runs."""
    task = asyncio.create_task(adapter.lead())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
