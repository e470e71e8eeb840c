"""The Telegram adapter: customers write to the bot, reviewers decide in an agents group.

Built on python-telegram-bot (its ``Bot`` and ``Update`` types, through an ``Application`` that
holds the connection pool). One adapter plays every Telegram part:

- **customer channel**: private chats with the bot, and the groups listed in
  ``telegram.customer_chats``, become ``InboundMessage``s stored by ``ReviewDesk.accept``;
  approved replies go back with ``send_reply`` (called by the outbox sender);
- **review desk**, when ``review.telegram_chat_id`` is set: cards are HTML messages with an
  inline keyboard (telegram_cards.py); buttons, reactions (👍/👎) and replies to an edit prompt
  become ``ReviewerAction``s (telegram_review.py).

Telegram is told "received" only once what an update asks for is stored. With a webhook
(``TELEGRAM_WEBHOOK_URL``), ``POST /telegram/webhook`` checks ``TELEGRAM_WEBHOOK_SECRET`` before
reading anything, stores, then answers 200, or 503 when the store is unavailable (Telegram sends
the update again). With long polling (the default), the leader process polls (``lead``): the
next ``getUpdates`` offset, which confirms updates to Telegram, moves past an update only once it
is stored. Every update is handled once: the store keeps the ids it has seen.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import Conflict, InvalidToken, NetworkError, TimedOut
from telegram.ext import Application

from bot.channels.telegram_calls import chunks, deliver, file_url, quietly
from bot.channels.telegram_cards import render_card
from bot.channels.telegram_events import (
    CUSTOMER_CHATS,
    chat_of,
    command_of,
    inbound_from_message,
    message_id_of,
    say,
)
from bot.channels.telegram_review import TelegramReviewers
from bot.config import AppConfig, Settings
from bot.domain import Platform
from bot.drafting.escaping import escape_telegram_html
from bot.errors import ConfigError, ServiceError, StoreError
from bot.review.cards import CardRef, ReviewCard
from bot.review.ports import DeliveryFailed, Desk, ReplyAddress

__all__ = ["ALLOWED_UPDATES", "WEBHOOK_PATH", "TelegramAdapter"]

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
#: What the bot asks Telegram for; reactions come only when asked for by name.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "message_reaction")
_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's rule for a webhook secret token.
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
#: Long polling: seconds Telegram holds a getUpdates call open, and pauses after a failure.
_POLL_TIMEOUT = 10
_POLL_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
_CONNECTIONS = 64

_App = Application[Any, Any, Any, Any, Any, Any]


class TelegramAdapter:
    """Telegram as a customer channel and, when configured, as a review desk."""

    platform: Platform = "telegram"

    def __init__(self, *, desk: Desk, settings: Settings, config: AppConfig) -> None:
        if settings.telegram_bot_token is None:
            raise ConfigError("telegram.no_token")
        self._desk = desk
        self._review_chat = config.review.telegram_chat_id
        self._customer_groups = frozenset(config.telegram.customer_chats)
        self._webhook_url = settings.telegram_webhook_url or None
        self._secret: str | None = None
        if self._webhook_url is not None:
            if not self._webhook_url.startswith(("https://", "http://")):
                raise ConfigError("telegram.bad_webhook_url", url=self._webhook_url)
            if settings.telegram_webhook_secret is None:
                raise ConfigError("telegram.webhook_needs_secret")
            self._secret = settings.telegram_webhook_secret.get_secret_value()
            if not _SECRET_RE.fullmatch(self._secret):
                raise ConfigError("telegram.bad_webhook_secret")
        # httpx logs every request URL at INFO, and a Bot API URL carries the token.
        logging.getLogger("httpx").setLevel(logging.WARNING)

        api_url = settings.telegram_api_url
        # Shown in errors: the Bot API address without the token the library appends to it.
        self._api_url = api_url
        self._app: _App = (
            Application.builder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(api_url)
            .base_file_url(file_url(api_url))
            .connection_pool_size(_CONNECTIONS)
            .get_updates_connection_pool_size(2)
            .pool_timeout(10.0)
            # Updates are read by this adapter (webhook or ``lead``), never by PTB's updater.
            .updater(None)
            .build()
        )
        self._zone = ZoneInfo(config.brand.timezone)
        self._reviewers = TelegramReviewers(
            desk=desk, bot=self._app.bot, review_chat=self._review_chat, zone=self._zone
        )
        self._ignored_groups: set[int] = set()
        self._started = False

    @property
    def reviews(self) -> bool:
        """Whether this adapter is also a review surface (``review.telegram_chat_id`` is set)."""
        return self._review_chat is not None

    # --- ChannelAdapter ---------------------------------------------------------------------

    def routes(self) -> Sequence[BaseRoute]:
        if self._webhook_url is None:
            return []
        return [Route(WEBHOOK_PATH, self._webhook, methods=["POST"])]

    async def start(self) -> None:
        if self._started:
            return
        try:
            # initialize() asks Telegram who the bot is (getMe): a wrong token or an unreachable
            # Bot API shows here, and is told in one line rather than a traceback.
            await self._app.initialize()
        except InvalidToken:
            raise ServiceError("telegram.bad_token") from None
        except (NetworkError, TimedOut) as exc:
            raise ServiceError(
                "telegram.unreachable", url=self._api_url, reason=exc.message
            ) from None
        self._started = True
        if self._webhook_url is not None:
            # Every replica registers the same URL: harmless, and no replica depends on another.
            await self._app.bot.set_webhook(
                self._webhook_url,
                secret_token=self._secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        log.info(
            "telegram: connected as @%s (%s)",
            self._app.bot.username,
            "webhook" if self._webhook_url else "long polling, by the leader process",
        )

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        await self._reviewers.idle()
        await self._app.shutdown()

    async def lead(self) -> None:
        """Long polling, run by the leader only (Telegram answers 409 to a second poller)."""
        if self._webhook_url is not None:
            return
        bot = self._app.bot
        await quietly(bot.delete_webhook(drop_pending_updates=False))
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await bot.get_updates(
                    offset=offset,
                    timeout=_POLL_TIMEOUT,
                    allowed_updates=list(ALLOWED_UPDATES),
                )
                for update in updates:
                    await self._take_readable(update)
                    # Stored (or unreadable, and never will be): the next getUpdates confirms it.
                    offset = update.update_id + 1
                failures = 0
            except asyncio.CancelledError:
                raise
            except (StoreError, NetworkError, TimedOut, Conflict) as exc:
                # Not stored or not fetched: the same updates come again with the same offset.
                pause = _POLL_BACKOFF[min(failures, len(_POLL_BACKOFF) - 1)]
                failures += 1
                log.warning("telegram: polling paused %.0f s: %s", pause, exc)
                await asyncio.sleep(pause)

    # --- CustomerChannel --------------------------------------------------------------------

    def pacing_key(self, address: ReplyAddress) -> str:
        """Telegram limits sending per chat: a group's customers share one pace."""
        return str(chat_of(address.conversation_id))

    async def send_reply(self, address: ReplyAddress, text: str) -> str | None:
        chat_id = chat_of(address.conversation_id)
        reply_to = message_id_of(address.reply_to_message_id)
        first: str | None = None
        for chunk in chunks(text):
            message = await deliver(
                self._app.bot.send_message(
                    chat_id,
                    escape_telegram_html(chunk),
                    parse_mode=ParseMode.HTML,
                    message_thread_id=int(address.thread_id) if address.thread_id else None,
                    reply_parameters=(
                        ReplyParameters(reply_to, allow_sending_without_reply=True)
                        if reply_to is not None and first is None
                        else None
                    ),
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            )
            first = first or str(message.message_id)
        return first

    # --- ReviewSurface ----------------------------------------------------------------------

    async def post_card(self, card: ReviewCard) -> CardRef:
        chat_id = self._review_chat_id()
        text, keyboard = render_card(card, self._zone)
        message = await deliver(
            self._app.bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        return CardRef(desk="telegram", chat_id=str(chat_id), message_id=str(message.message_id))

    async def update_card(self, ref: CardRef, card: ReviewCard) -> None:
        text, keyboard = render_card(card, self._zone)
        try:
            # Without reply_markup Telegram removes the keyboard: a decided card has no buttons.
            await deliver(
                self._app.bot.edit_message_text(
                    text,
                    chat_id=int(ref.chat_id),
                    message_id=int(ref.message_id),
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            )
        except DeliveryFailed as exc:
            if "not modified" not in exc.reason:
                raise

    def _review_chat_id(self) -> int:
        if self._review_chat is None:
            raise DeliveryFailed("review.telegram_chat_id is not set", permanent=True)
        return self._review_chat

    # --- incoming updates -------------------------------------------------------------------

    async def _webhook(self, request: Request) -> Response:
        given = request.headers.get(_SECRET_HEADER, "")
        expected = self._secret or ""
        # Constant-time, and nothing of the body is read before the secret matches.
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("telegram: webhook call refused (missing or wrong secret token)")
            return Response(status_code=403)
        try:
            payload = json.loads(await request.body())
            update = Update.de_json(payload, self._app.bot)
        except Exception:
            log.warning("telegram: webhook body is not a Telegram update")
            return Response(status_code=400)
        try:
            if not await self._take_readable(update):
                return Response(status_code=400)
        except StoreError:
            # Not stored: Telegram must send it again, so it is not told "received".
            log.warning("telegram: update %s not stored (store unavailable): 503", update.update_id)
            return Response(status_code=503)
        return Response(status_code=200)

    async def _take_readable(self, update: Update) -> bool:
        """``take``, or False for an update whose fields are not what Telegram sends (a field
        missing or null): it is logged, never retried forever. StoreError still raises."""
        try:
            await self.take(update)
        except StoreError:
            raise
        except (AttributeError, TypeError, ValueError, KeyError) as exc:
            log.warning(
                "telegram: update %s is not one it can read (%s); skipped",
                update.update_id,
                type(exc).__name__,
            )
            return False
        return True

    async def take(self, update: Update) -> None:
        """Store what ``update`` asks for (or answer what needs no storing); raises StoreError
        when it cannot be stored, and then nothing is acknowledged."""
        if update.callback_query is not None:
            await self._reviewers.on_button(update.callback_query, update_id=update.update_id)
        elif update.message_reaction is not None:
            await self._reviewers.on_reaction(update.message_reaction, update_id=update.update_id)
        elif update.message is not None or update.edited_message is not None:
            message = update.effective_message
            if message is None:
                return
            if message.chat.id == self._review_chat:
                if update.message is not None:
                    await self._reviewers.on_review_chat_message(
                        message, update_id=update.update_id, bot_username=self._app.bot.username
                    )
            elif message.chat.type in CUSTOMER_CHATS:
                await self._on_customer_message(message, update_id=update.update_id)

    async def _on_customer_message(self, message: Message, *, update_id: int) -> None:
        command = command_of(message, bot_username=self._app.bot.username)
        if command is not None:
            user = message.from_user
            # The ids a new installation needs for replique.yml (docs/telegram.md, step 2).
            log.info(
                "telegram: /%s from user %s in chat %s (%s)",
                command,
                user.id if user else "?",
                message.chat.id,
                message.chat.type,
            )
            key = "telegram.customer_start" if command == "start" else "telegram.customer_help"
            lang = user.language_code if user else None
            await quietly(message.reply_text(say(key, language_code=lang)))
            return
        chat = message.chat
        if chat.type != ChatType.PRIVATE and chat.id not in self._customer_groups:
            # A group the bot was added to is not a customer channel until a brand lists it.
            if chat.id not in self._ignored_groups:
                self._ignored_groups.add(chat.id)
                log.warning(
                    "telegram: messages of group %s are ignored: list it in "
                    "telegram.customer_chats to answer its customers",
                    chat.id,
                )
            return
        inbound = inbound_from_message(message)
        if inbound is None:
            return
        await self._desk.accept(inbound, event_id=str(update_id))
