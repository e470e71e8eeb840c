"""Calls to the Bot API and how their outcomes are read, for the Telegram adapter.

``deliver`` turns Telegram's refusals into ``DeliveryFailed`` (what the outbox and the desk
understand); ``quietly`` is for courtesy calls whose failure must not stop the work; ``chunks``
cuts a long reply to Telegram's message size.
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from typing import Any

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

from bot.review.ports import DeliveryFailed

__all__ = ["chunks", "deliver", "file_url", "quietly"]

log = logging.getLogger("bot.channels.telegram")


def file_url(api_url: str) -> str:
    """The file-download base matching a Bot API base ("…/bot" → "…/file/bot")."""
    if api_url.endswith("/bot"):
        return api_url[: -len("/bot")] + "/file/bot"
    return api_url.rstrip("/") + "/file/bot"


def chunks(text: str, size: int = 4000) -> list[str]:
    """Telegram takes 4096 characters a message; a longer reply goes out in pieces, in order."""
    text = text or " "
    return [text[i : i + size] for i in range(0, len(text), size)]


async def deliver(call: Any) -> Any:
    """Await a Bot API call, turning Telegram's refusals into ``DeliveryFailed``.

    A 429 keeps Telegram's ``retry_after`` for the outbox; refusals that retrying cannot fix
    (blocked by the user, chat not found, bad token) are permanent; network errors, timeouts and
    5xx answers propagate as they are, and the outbox retries them.
    """
    try:
        return await call
    except RetryAfter as exc:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PTB 22 deprecates the int form of retry_after
            wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        raise DeliveryFailed(f"Telegram: {exc.message}", retry_after=seconds) from exc
    except (Forbidden, BadRequest, InvalidToken, ChatMigrated) as exc:
        raise DeliveryFailed(f"Telegram: {exc.message}", permanent=True) from exc


async def quietly(call: Any) -> Any:
    """Await a courtesy call (a callback answer, a notice): its failure must not stop the work."""
    try:
        return await call
    except TelegramError as exc:
        log.warning("telegram: %s", exc.message)
        return None
