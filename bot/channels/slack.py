"""Slack, both ways: customers write in channels and DMs, reviewers decide on Block Kit cards.

Built on slack-bolt (``AsyncApp``) with slack-sdk's ``AsyncWebClient``:

- **Customer channel**: ``message`` events in ``slack.customer_channels`` and DMs with the app
  become ``InboundMessage``s (``slack_events.customer_message``); approved replies go back with
  ``chat.postMessage`` in the same channel and thread (``send_reply``).
- **Review desk** (when ``review.slack_channel`` is set): cards are posted and edited with
  ``chat.postMessage`` / ``chat.update`` (``slack_blocks``); buttons, the intent picker, the ✏️
  modal and reactions on a card become ``ReviewerAction``s for the desk.
- **Transport**: Socket Mode when ``SLACK_APP_TOKEN`` is set, otherwise HTTP on ``/slack/events``
  with bolt's signature verification (a forged or stale request gets 401 and reaches no
  listener).

Slack is told "received" only once what it sent is stored: a listener stores the customer
message (``ReviewDesk.accept``) or the reviewer action (``ReviewDesk.record``) before Bolt answers
(``process_before_response``); if the store fails, Slack is not acknowledged and sends the event
again. The work follows: messages are drafted by any process's queue worker, actions are applied
in a task the adapter keeps so that ``stop`` can let it finish. A retried event is recognised by
its ``event_id``, stored once. Card and reply posts use a client without slack-sdk's retry handlers:
the desk's outbox retries on its own schedule (honouring ``Retry-After``), and a second, blind
retry underneath could send a reply twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Sequence
from dataclasses import replace
from typing import Any, Final
from zoneinfo import ZoneInfo

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.channels.slack_blocks import (
    ACTION_IDS,
    CONFIRMED_SEND_ID,
    EDIT_CALLBACK_ID,
    INTENT_ACTION_ID,
    INTENT_BLOCK_PREFIX,
    MODAL_BLOCK_ID,
    MODAL_INPUT_ID,
    card_blocks,
    card_fallback,
    edit_modal,
    modal_draft_id,
)
from bot.channels.slack_events import (
    action_actor,
    action_channel,
    as_int,
    customer_message,
    delivery_failure,
    parse_conversation,
    reaction_action,
    user_name,
)
from bot.channels.slack_guard import guard_slack
from bot.config import AppConfig, Settings
from bot.domain import Platform, ReviewAction
from bot.drafting.escaping import escape_slack
from bot.errors import ConfigError, StoreError
from bot.i18n import t
from bot.review.cards import (
    CardRef,
    Notice,
    NoticeKind,
    RecordedAction,
    ReviewCard,
    ReviewerAction,
)
from bot.review.ports import DeliveryFailed, Desk, ReplyAddress
from bot.wording import notice_text, status_line

__all__ = ["SlackAdapter"]

log = logging.getLogger(__name__)

DEFAULT_API_URL: Final = "https://slack.com/api/"
EVENTS_PATH: Final = "/slack/events"
_NAME_CACHE_SIZE: Final = 2048
_NAME_TTL_SECONDS: Final = 3600.0
#: Seconds a listener waits for a person's name before storing the message without it.
_NAME_BUDGET: Final = 1.0
#: How long ``stop`` lets listeners in flight finish before cancelling them.
_DRAIN_SECONDS: Final = 5.0


def _api_url(url: str | None) -> str:
    url = url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


class SlackAdapter:
    """Slack as customer channel and, when ``review.slack_channel`` is set, as review desk."""

    platform: Platform = "slack"

    def __init__(self, *, desk: Desk, settings: Settings, config: AppConfig) -> None:
        if settings.slack_bot_token is None:
            raise ConfigError("slack.no_bot_token")
        token = settings.slack_bot_token.get_secret_value()
        self.socket_mode = settings.slack_app_token is not None
        signing_secret = settings.slack_signing_secret
        if not self.socket_mode and signing_secret is None:
            raise ConfigError("slack.no_signing_secret")
        self._desk = desk
        self._config = config
        self._app_token = settings.slack_app_token
        self._review_channel = config.review.slack_channel
        self._customer_channels = frozenset(config.slack.customer_channels)
        base_url = _api_url(settings.slack_api_url)
        self.client = AsyncWebClient(token=token, base_url=base_url)
        # Posts without slack-sdk's retry handlers: the outbox owns retries (see module doc).
        self._poster = AsyncWebClient(token=token, base_url=base_url, retry_handlers=[])
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret.get_secret_value() if signing_secret else None,
            # Socket Mode requests arrive over the app's own authenticated websocket.
            request_verification_enabled=not self.socket_mode,
            # Listeners store what arrived before Bolt answers Slack: nothing is acknowledged
            # that is not stored (they do no more than that, well within Slack's three seconds).
            process_before_response=True,
            logger=log,
        )
        self._handler = AsyncSlackRequestHandler(self.app)
        self._socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._names: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._lookups: dict[str, asyncio.Future[str | None]] = {}
        self._zone = ZoneInfo(config.brand.timezone)
        self._register()

    @property
    def reviews(self) -> bool:
        """Whether this adapter is also a review surface (``review.slack_channel`` is set)."""
        return bool(self._review_channel)

    # --- lifecycle ------------------------------------------------------------------------------

    def routes(self) -> Sequence[BaseRoute]:
        """``POST /slack/events`` in HTTP mode (events and interactivity); none in Socket Mode."""
        if self.socket_mode:
            return []
        guarded = guard_slack(self._events_endpoint, signing_secret=self.app._signing_secret)
        return [Route(EVENTS_PATH, guarded, methods=["POST"])]

    async def _events_endpoint(self, request: Request) -> Response:
        return await self._handler.handle(request)

    async def start(self) -> None:
        if self._session is None:
            # One connection pool for every Web API call; without it slack-sdk opens a new
            # session (and TCP/TLS connection) per call.
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.client.timeout)
            )
            self.client.session = self._session
            self._poster.session = self._session
        if self._app_token is not None and self._socket is None:
            self._socket = AsyncSocketModeHandler(self.app, self._app_token.get_secret_value())
            await self._socket.connect_async()  # type: ignore[no-untyped-call]

    async def stop(self) -> None:
        if self._socket is not None:
            socket, self._socket = self._socket, None
            await socket.close_async()  # type: ignore[no-untyped-call]
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=_DRAIN_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._session is not None:
            session, self._session = self._session, None
            self.client.session = self._poster.session = None
            await session.close()

    async def idle(self) -> None:
        """Wait until the work of every acknowledged request is done (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*set(self._tasks), return_exceptions=True)

    def _spawn(self, work: Awaitable[None], *, what: str) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                log.exception("slack: %s failed", what)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- listeners: acknowledge, then work ------------------------------------------------------

    def _register(self) -> None:
        self.app.error(self._on_error)
        self.app.event("message")(self._on_message)
        self.app.event("reaction_added")(self._on_reaction)
        decisions = "|".join(re.escape(a) for a in ACTION_IDS if a != "replique_edit")
        self.app.action(re.compile(f"^({decisions})$"))(self._on_button)
        self.app.action("replique_edit")(self._on_edit_button)
        self.app.action(INTENT_ACTION_ID)(self._on_intent)
        self.app.view(EDIT_CALLBACK_ID)(self._on_edit_submit)

    async def _on_error(self, error: Exception) -> BoltResponse | None:
        """A listener failed: 503 when the store is unavailable (nothing was stored; Slack sends
        the event again), else bolt's 500."""
        if isinstance(error, StoreError):
            log.warning("slack: request not stored (store unavailable): 503")
            return BoltResponse(status=503, body="")
        log.error("slack: a listener failed", exc_info=error)
        return None

    async def _on_message(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        # Bolt answers Slack once this returns (process_before_response): the message is stored
        # by then, or this raises and Slack sends the event again.
        message = customer_message(
            event,
            customer_channels=self._customer_channels,
            bot_user_id=context.bot_user_id,
            review_channel=self._review_channel,
        )
        if message is None:
            return
        event_id = body.get("event_id")
        name = await self._name_within(message.customer_id, _NAME_BUDGET)
        await self._desk.accept(
            replace(message, customer_name=name),
            event_id=str(event_id) if event_id else None,
        )

    async def _on_button(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        action_id = str(action.get("action_id"))
        draft_id = as_int(action.get("value"))
        await self._store_then_apply(
            ack,
            body,
            ACTION_IDS[action_id],
            draft_id=draft_id,
            confirmed=action_id == CONFIRMED_SEND_ID,
        )

    async def _on_intent(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        selected = action.get("selected_option") or {}
        intent = selected.get("value") if isinstance(selected, dict) else None
        block_id = str(action.get("block_id") or "")
        draft_id = as_int(block_id.removeprefix(INTENT_BLOCK_PREFIX))
        if not intent:
            await ack()
            return
        await self._store_then_apply(
            ack, body, ReviewAction.FIX_INTENT, draft_id=draft_id, intent=str(intent)
        )

    async def _on_edit_button(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        # The trigger id is valid for three seconds after the click: the modal opens now, on
        # the process that received the click, without waiting for any queue.
        self._spawn(self._open_editor(body, as_int(action.get("value"))), what="edit modal")

    async def _open_editor(self, body: dict[str, Any], draft_id: int | None) -> None:
        user, _ = action_actor(body)
        channel = action_channel(body) or self._review_channel
        if not self._desk.is_reviewer("slack", user):
            await self._notify(channel, user, t("slack.not_reviewer"))
            return
        card = await self._desk.card_for_draft(draft_id) if draft_id is not None else None
        if card is None or card.decided:
            status = status_line(card, self._zone) if card is not None else None
            await self._notify(channel, user, status or t("slack.card_gone"))
            return
        if card.draft_id != draft_id:
            # ✏️ on a version the card no longer shows: the modal would edit text not seen.
            changed = notice_text(Notice(NoticeKind.DRAFT_CHANGED), self._zone)
            await self._notify(channel, user, changed)
            return
        await self.client.views_open(trigger_id=str(body.get("trigger_id")), view=edit_modal(card))

    async def _on_edit_submit(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        state = (view.get("state") or {}).get("values") or {}
        text = ((state.get(MODAL_BLOCK_ID) or {}).get(MODAL_INPUT_ID) or {}).get("value")
        draft_id = modal_draft_id(view)
        if draft_id is None or not isinstance(text, str) or not text.strip():
            await ack()
            return
        await self._store_then_apply(
            ack, body, ReviewAction.EDIT, draft_id=draft_id, edited_text=text
        )

    async def _on_reaction(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        found = reaction_action(event)
        if found is None or found[1].chat_id != self._review_channel:
            return
        kind, ref = found
        user = str(event.get("user") or "")
        if not user:
            return
        event_id = body.get("event_id")
        await self._store_then_apply(
            None, body, kind, user=user, card=ref, event_id=str(event_id) if event_id else None
        )

    async def _store_then_apply(
        self,
        ack: AsyncAck | None,
        body: dict[str, Any],
        kind: ReviewAction,
        *,
        draft_id: int | None = None,
        user: str | None = None,
        card: CardRef | None = None,
        intent: str | None = None,
        edited_text: str | None = None,
        event_id: str | None = None,
        confirmed: bool = False,
    ) -> None:
        """Store the action (a failure raises: Slack is then not acknowledged), acknowledge, and
        apply it in a task of its own; the person who acted is told the outcome privately."""
        if user is None:
            user, _ = action_actor(body)
        if card is None:
            channel = action_channel(body)
            message = body.get("message")
            ts = message.get("ts") if isinstance(message, dict) else None
            card = CardRef("slack", channel, str(ts)) if channel and ts else None
        where = card.chat_id if card is not None else self._review_channel
        if not self._desk.is_reviewer("slack", user):
            if ack is not None:
                await ack()
            await self._notify(
                where, user, notice_text(Notice(NoticeKind.NOT_REVIEWER), self._zone)
            )
            return
        name = await self._name_within(user, _NAME_BUDGET)
        action = ReviewerAction(
            action=kind,
            platform="slack",
            reviewer_id=user,
            reviewer_name=name,
            draft_id=draft_id,
            card=card,
            edited_text=edited_text,
            intent=intent,
            confirmed=confirmed,
        )
        recorded = await self._desk.record(action, event_id=event_id)
        if ack is not None:
            await ack()
        if recorded is not None:
            self._spawn(self._apply(recorded, where, user), what=f"{kind} action")

    async def _apply(self, recorded: RecordedAction, channel: str | None, user: str) -> None:
        outcome = await self._desk.apply(recorded)
        if outcome.notice:
            await self._notify(channel, user, notice_text(outcome.notice, self._zone))

    async def _name_within(self, user: str, seconds: float) -> str | None:
        """The person's name if Slack tells it within ``seconds`` (a name is a nicety; answering
        Slack within its three seconds is not)."""
        try:
            return await asyncio.wait_for(asyncio.shield(self._name_of(user)), timeout=seconds)
        except TimeoutError:
            return None

    async def _notify(self, channel: str | None, user: str, text: str) -> None:
        """A message only ``user`` sees, in ``channel``; best effort."""
        if not channel or not user:
            return
        try:
            await self.client.chat_postEphemeral(
                channel=channel, user=user, text=escape_slack(text)
            )
        except SlackApiError as exc:
            log.warning("slack: could not tell %s privately: %s", user, exc.response.get("error"))

    async def _name_of(self, user: str) -> str | None:
        """The person's display name from ``users.info``, cached; None when Slack won't say.

        Concurrent lookups of one person share one call (a burst of messages from a new
        customer asks Slack once).
        """
        cached = self._names.get(user)
        if cached is not None and time.monotonic() - cached[0] < _NAME_TTL_SECONDS:
            self._names.move_to_end(user)
            return cached[1]
        pending = self._lookups.get(user)
        if pending is None:
            pending = asyncio.ensure_future(self._look_up(user, cached))
            self._lookups[user] = pending
            pending.add_done_callback(lambda _: self._lookups.pop(user, None))
        return await asyncio.shield(pending)

    async def _look_up(self, user: str, cached: tuple[float, str | None] | None) -> str | None:
        try:
            response = await self.client.users_info(user=user)
            found = response.get("user")
            name = user_name(found) if isinstance(found, dict) else None
        except SlackApiError as exc:
            error = exc.response.get("error")
            # A name is a nicety: the message is drafted without it rather than lost.
            log.warning("slack: users.info %s failed: %s", user, error)
            if error != "user_not_found":
                return cached[1] if cached is not None else None
            name = None
        self._names[user] = (time.monotonic(), name)
        self._names.move_to_end(user)
        while len(self._names) > _NAME_CACHE_SIZE:
            self._names.popitem(last=False)
        return name

    # --- CustomerChannel ------------------------------------------------------------------------

    def pacing_key(self, address: ReplyAddress) -> str:
        """Slack limits posting per channel, whatever thread or customer a reply is for."""
        return parse_conversation(address.conversation_id).channel

    async def send_reply(self, address: ReplyAddress, text: str) -> str | None:
        """Post ``text`` literally where the customer wrote: same channel, same thread."""
        where = parse_conversation(address.conversation_id)
        thread = where.thread_ts or address.thread_id
        if thread is None and ":" in address.conversation_id:
            # A shared channel, unthreaded: answer under the customer's message so the reply
            # is visibly theirs (it cannot @-mention them: customer-facing text is escaped).
            thread = address.reply_to_message_id
        try:
            response = await self._poster.chat_postMessage(
                channel=where.channel,
                text=escape_slack(text),
                thread_ts=thread,
                mrkdwn=False,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            raise delivery_failure(exc) from exc
        ts = response.get("ts")
        return str(ts) if ts else None

    # --- ReviewSurface --------------------------------------------------------------------------

    async def post_card(self, card: ReviewCard) -> CardRef:
        channel = self._review_channel
        if not channel:
            raise DeliveryFailed("slack: review.slack_channel is not set", permanent=True)
        try:
            response = await self._poster.chat_postMessage(
                channel=channel,
                text=card_fallback(card, self._zone),
                blocks=card_blocks(card, self._zone),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            raise delivery_failure(exc) from exc
        return CardRef("slack", str(response.get("channel") or channel), str(response["ts"]))

    async def update_card(self, ref: CardRef, card: ReviewCard) -> None:
        try:
            await self.client.chat_update(
                channel=ref.chat_id,
                ts=ref.message_id,
                text=card_fallback(card, self._zone),
                blocks=card_blocks(card, self._zone),
            )
        except SlackApiError as exc:
            raise delivery_failure(exc) from exc
