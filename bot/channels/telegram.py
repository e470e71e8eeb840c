"""The Telegram adapter: customers write to the bot, reviewers decide in an agents group.

Built on python-telegram-bot's ``Application``. One adapter plays every Telegram part:

- **customer channel**: private chats with the bot and groups where it sits (all but the agents
  group) become ``InboundMessage``s for ``ReviewDesk.receive`` (which handles a conversation's
  messages in order); approved replies go back with ``send_reply`` (called by the outbox sender);
- **review desk**, when ``review.telegram_chat_id`` is set: cards are HTML messages with an inline
  keyboard (telegram_cards.py); buttons, reactions (👍/👎) and replies to a card become
  ``ReviewerAction``s for ``ReviewDesk.act``.

Long polling by default; with ``TELEGRAM_WEBHOOK_URL`` Telegram posts updates to
``POST /telegram/webhook`` on the service's server, each checked against
``TELEGRAM_WEBHOOK_SECRET`` before anything is read.

Every update is handled once: customer messages through the desk's event-id claim (which holds
across restarts), buttons and reactions through the desk's compare-and-set plus an in-memory
guard against Telegram redelivering the same update.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections import OrderedDict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import (
    CallbackQuery,
    ForceReply,
    LinkPreviewOptions,
    Message,
    MessageReactionUpdated,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TimedOut
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.telegram_calls import chunks, deliver, file_url, quietly
from bot.channels.telegram_cards import decode_callback, intent_keyboard, render_card
from bot.channels.telegram_events import (
    CUSTOMER_CHATS,
    chat_of,
    command_of,
    inbound_from_message,
    message_id_of,
    reaction_action,
    say,
)
from bot.config import AppConfig, Settings
from bot.domain import Platform, ReviewAction
from bot.drafting.escaping import escape_telegram_html
from bot.errors import ConfigError, ServiceError
from bot.i18n import t
from bot.review.cards import ActionOutcome, CardRef, Notice, ReviewCard, ReviewerAction
from bot.review.ports import DeliveryFailed, Desk, ReplyAddress
from bot.wording import notice_text

__all__ = ["ALLOWED_UPDATES", "WEBHOOK_PATH", "TelegramAdapter"]

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
#: What the bot asks Telegram for; reactions come only when asked for by name.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "message_reaction")
_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's rule for a webhook secret token.
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
#: How many handled button/reaction update ids are remembered against redelivery.
_SEEN = 10_000
#: Updates handled at the same time; a conversation's own messages still go one by one.
_CONCURRENCY = 64

_App = Application[Any, Any, Any, Any, Any, Any]


class TelegramAdapter:
    """Telegram as a customer channel and, when configured, as a review desk."""

    platform: Platform = "telegram"

    def __init__(self, *, desk: Desk, settings: Settings, config: AppConfig) -> None:
        if settings.telegram_bot_token is None:
            raise ConfigError("telegram.no_token")
        self._desk = desk
        self._review_chat = config.review.telegram_chat_id
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
        builder = (
            Application.builder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(api_url)
            .base_file_url(file_url(api_url))
            .concurrent_updates(_CONCURRENCY)
            .connection_pool_size(_CONCURRENCY)
            .pool_timeout(10.0)
        )
        if self._webhook_url is not None:
            builder = builder.updater(None)
        self._app: _App = builder.build()
        self._app.add_handler(TypeHandler(Update, self._on_update))
        self._app.add_error_handler(self._on_error)

        self._seen: OrderedDict[int, None] = OrderedDict()
        self._zone = ZoneInfo(config.brand.timezone)
        #: Edit prompts (ForceReply messages) → the card they edit: a reply to a prompt is an
        #: edit of its card. Lost on restart, when a reply to the card itself still works.
        self._prompts: OrderedDict[int, CardRef] = OrderedDict()
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
        await self._app.start()
        self._started = True
        if self._webhook_url is not None:
            await self._app.bot.set_webhook(
                self._webhook_url,
                secret_token=self._secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        else:
            updater = self._app.updater
            if updater is None:  # pragma: no cover - the builder always makes one for polling
                raise RuntimeError("python-telegram-bot built no updater for long polling")
            await updater.start_polling(
                allowed_updates=list(ALLOWED_UPDATES),
                timeout=timedelta(seconds=10),
                drop_pending_updates=False,
            )
        log.info(
            "telegram: connected as @%s (%s)",
            self._app.bot.username,
            "webhook" if self._webhook_url else "long polling",
        )

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        updater = self._app.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self._app.running:
            await self._app.stop()
        await self._app.shutdown()

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
            payload = await request.json()
            update = Update.de_json(payload, self._app.bot)
        except Exception:
            log.warning("telegram: webhook body is not a Telegram update", exc_info=True)
            return Response(status_code=400)
        # Ack first: Telegram gets its 200 now; the application's workers do the rest.
        await self._app.update_queue.put(update)
        return Response(status_code=200)

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            if self._first_time(update.update_id):
                await self._on_button(update.callback_query)
        elif update.message_reaction is not None:
            if self._first_time(update.update_id):
                await self._on_reaction(update.message_reaction)
        elif update.message is not None or update.edited_message is not None:
            message = update.effective_message
            if message is None:
                return
            if message.chat.id == self._review_chat:
                if update.message is not None and self._first_time(update.update_id):
                    await self._on_review_chat_message(message)
            elif message.chat.type in CUSTOMER_CHATS:
                await self._on_customer_message(message, update_id=update.update_id)

    def _first_time(self, update_id: int) -> bool:
        """False for an update already handled by this process (Telegram redelivers)."""
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        if len(self._seen) > _SEEN:
            self._seen.popitem(last=False)
        return True

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # A failure in one update must not stop the others; the desk has stored what it could.
        log.error("telegram: update failed: %r", context.error, exc_info=context.error)

    # --- customers --------------------------------------------------------------------------

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
        inbound = inbound_from_message(message)
        if inbound is None:
            return
        await self._desk.receive(inbound, event_id=str(update_id))

    # --- reviewers --------------------------------------------------------------------------

    def _is_reviewer(self, user_id: int) -> bool:
        return self._desk.is_reviewer("telegram", str(user_id))

    async def _on_button(self, query: CallbackQuery) -> None:
        choice = decode_callback(query.data)
        card_message = query.message
        user = query.from_user
        if choice is None or card_message is None:
            await quietly(query.answer())
            return
        ref = CardRef(
            desk="telegram",
            chat_id=str(card_message.chat.id),
            message_id=str(card_message.message_id),
        )
        if not self._is_reviewer(user.id):
            notice: Notice | None = None
            if choice.action is not None:
                # The desk has the last word (and its own notice); it changes nothing.
                outcome = await self._desk.act(self._action(choice.action, user, choice))
                notice = outcome.notice
            text = notice_text(notice, self._zone) if notice else t("telegram.not_reviewer")
            await quietly(query.answer(text, show_alert=True))
            return
        # Ack first: the spinner on the reviewer's button stops now; the work follows.
        await quietly(query.answer())
        if choice.navigation is not None:
            await self._show_menu(ref, choice.draft_id, menu=choice.navigation == "menu")
            return
        if choice.action is ReviewAction.EDIT:
            await self._prompt_edit(ref, choice.draft_id, user_id=user.id)
            return
        assert choice.action is not None
        outcome = await self._desk.act(self._action(choice.action, user, choice))
        self._log_outcome(outcome)

    def _action(
        self,
        action: ReviewAction,
        user: Any,
        choice: Any = None,
        *,
        card: CardRef | None = None,
        edited_text: str | None = None,
    ) -> ReviewerAction:
        return ReviewerAction(
            action=action,
            platform="telegram",
            reviewer_id=str(user.id),
            reviewer_name=user.full_name or str(user.id),
            draft_id=choice.draft_id if choice is not None else None,
            card=card,
            edited_text=edited_text,
            intent=choice.intent if choice is not None else None,
        )

    async def _show_menu(self, ref: CardRef, draft_id: int, *, menu: bool) -> None:
        card = await self._desk.card_for_draft(draft_id)
        if card is None or card.decided:
            return
        keyboard = intent_keyboard(card) if menu else render_card(card, self._zone)[1]
        await quietly(
            self._app.bot.edit_message_reply_markup(
                chat_id=int(ref.chat_id), message_id=int(ref.message_id), reply_markup=keyboard
            )
        )

    async def _prompt_edit(self, ref: CardRef, draft_id: int, *, user_id: int) -> None:
        card = await self._desk.card_for_draft(draft_id)
        if card is None or card.decided:
            await quietly(
                self._app.bot.send_message(
                    int(ref.chat_id),
                    t("telegram.card_gone"),
                    reply_parameters=ReplyParameters(
                        int(ref.message_id), allow_sending_without_reply=True
                    ),
                )
            )
            return
        prompt = await quietly(
            self._app.bot.send_message(
                int(ref.chat_id),
                t("telegram.edit_prompt", name=card.customer_name),
                reply_parameters=ReplyParameters(
                    int(ref.message_id), allow_sending_without_reply=True
                ),
                # selective: the reply field opens only for the reviewer who asked.
                reply_markup=ForceReply(
                    selective=True, input_field_placeholder=t("telegram.edit_placeholder")
                ),
            )
        )
        if isinstance(prompt, Message):
            self._prompts[prompt.message_id] = ref
            if len(self._prompts) > _SEEN:
                self._prompts.popitem(last=False)

    async def _on_review_chat_message(self, message: Message) -> None:
        user = message.from_user
        if user is None or user.is_bot:
            return
        command = command_of(message, bot_username=self._app.bot.username)
        if command is not None:
            text = say("telegram.reviewer_help", language_code=user.language_code, user_id=user.id)
            await quietly(message.reply_text(text))
            return
        target = message.reply_to_message
        if target is None or message.text is None:
            return  # the team talking among themselves
        ref = self._prompts.get(target.message_id) or CardRef(
            desk="telegram", chat_id=str(message.chat.id), message_id=str(target.message_id)
        )
        if target.message_id not in self._prompts and await self._desk.card_at(ref) is None:
            return  # a reply to something that is not a card
        outcome = await self._desk.act(
            self._action(ReviewAction.EDIT, user, card=ref, edited_text=message.text)
        )
        if outcome.applied:
            if self._prompts.pop(target.message_id, None) is not None:
                # The prompt has done its job; the edited card now tells the story.
                await quietly(self._app.bot.delete_message(message.chat.id, target.message_id))
        elif outcome.notice:
            await self._tell(
                user.id, outcome.notice, reviewer=self._is_reviewer(user.id), at=message
            )

    async def _on_reaction(self, reaction: MessageReactionUpdated) -> None:
        user = reaction.user
        action = reaction_action(reaction)
        if user is None or action is None or reaction.chat.id != self._review_chat:
            return
        ref = CardRef(
            desk="telegram", chat_id=str(reaction.chat.id), message_id=str(reaction.message_id)
        )
        outcome = await self._desk.act(self._action(action, user, card=ref))
        if not outcome.applied and outcome.notice and not self._is_reviewer(user.id):
            await self._tell(user.id, outcome.notice, reviewer=False, at=None)
        self._log_outcome(outcome)

    async def _tell(
        self, user_id: int, notice: Notice, *, reviewer: bool, at: Message | None
    ) -> None:
        """A notice for one person: a reply in the agents group to a reviewer, a private
        message to anyone else (Telegram has no ephemeral messages in groups; a private message
        fails quietly when the person never opened a chat with the bot)."""
        text = notice_text(notice, self._zone)
        if reviewer and at is not None:
            await quietly(at.reply_text(text))
        else:
            await quietly(self._app.bot.send_message(user_id, text))

    @staticmethod
    def _log_outcome(outcome: ActionOutcome) -> None:
        if not outcome.applied:
            kind = outcome.notice.kind if outcome.notice else None
            log.info("telegram: reviewer action not applied (%s)", kind)
