"""A local Telegram Bot API server that python-telegram-bot runs against, unmodified.

It speaks enough of https://core.telegram.org/bots/api for Réplique: ``getMe``, ``getUpdates``
(long polling with offset semantics), ``sendMessage``, ``editMessageText``,
``editMessageReplyMarkup``, ``deleteMessage``, ``answerCallbackQuery``,
``setWebhook``/``deleteWebhook``, ``getWebhookInfo``. Point the bot at it with
``TELEGRAM_API_URL=fake.base_url`` (PTB appends the token). Every call the bot makes is recorded
(``fake.calls``) for the tests to assert on.

Tests play Telegram's part with:

- ``customer_says`` / ``customer_edits`` / ``customer_sends`` (a photo, a sticker…), ``click``
  (an inline button), ``react`` (an emoji reaction), ``reviewer_replies``: each builds the update
  Telegram would send and queues it for ``getUpdates`` (or ``post_webhook`` delivers it to a
  webhook, with or without the secret header);
- ``fail_next(method, status=429, retry_after=2)``, ``status=500``, or ``drop=True`` (the
  connection closes with no answer): the next calls of ``method`` fail that way;
- ``wait_for_call(method, predicate)``: wait until the bot made such a call (with a timeout,
  never a bare sleep).

``tests/fakes/telegram_bench.py`` measures, through this server, the time from a customer message
to its review card.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

__all__ = [
    "ApiCall",
    "Failure",
    "FakeTelegram",
]

#: Parameters PTB sends JSON-encoded inside its form body; every other value stays a string.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "reply_parameters",
        "entities",
        "link_preview_options",
        "reaction",
    }
)

BOT_ID = 7000000001
BOT_USERNAME = "replique_test_bot"


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One Bot API call the bot made: the method, its decoded parameters, when it arrived."""

    method: str
    params: dict[str, Any]
    at: float

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return None if value is None else int(value)

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))


@dataclass(slots=True)
class Failure:
    """The answer the next ``times`` calls of a method get instead of a success."""

    status: int = 500
    retry_after: int | None = None
    drop: bool = False
    description: str | None = None
    times: int = 1


@dataclass(slots=True)
class _Chat:
    id: int
    type: str
    title: str | None = None
    next_message_id: int = 1
    #: Messages as the chat shows them now (the bot's, after edits), by message id.
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)


class FakeTelegram:
    """The fake server; ``async with FakeTelegram() as fake:`` starts it on 127.0.0.1:<free>."""

    def __init__(self, *, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.calls: list[ApiCall] = []
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._chats: dict[int, _Chat] = {}
        self._failures: dict[str, list[Failure]] = {}
        self._changed = asyncio.Condition()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False
        #: Telegram serves one poller per bot: a getUpdates call ends the one in progress,
        #: which is answered 409. ``conflicts`` counts those.
        self._poller = 0
        self.conflicts = 0
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._clock = itertools.count(1_700_000_000)

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        # End pending long polls now: the server waits for its handlers before it closes.
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What ``TELEGRAM_API_URL`` takes: PTB appends the token to it."""
        return f"http://127.0.0.1:{self._port}/bot"

    # --- what the bot did --------------------------------------------------------------------

    def calls_to(self, method: str, *, chat_id: int | None = None) -> list[ApiCall]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.chat_id == chat_id)
        ]

    def sent_to(self, chat_id: int) -> list[ApiCall]:
        """Successful and failed ``sendMessage`` calls to ``chat_id``, oldest first."""
        return self.calls_to("sendMessage", chat_id=chat_id)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """A message of ``chat_id`` as Telegram shows it now (after the bot's edits)."""
        return self._chats[chat_id].messages[message_id]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if m["from"]["id"] == BOT_ID]

    async def wait_for(self, predicate: Callable[[], Any], *, timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` is truthy (checked after every call) and return it."""

        async def until() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(until(), timeout)

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] = lambda _: True,
        *,
        count: int = 1,
        timeout: float = 10.0,
        succeeded: bool = True,
    ) -> list[ApiCall]:
        """The first ``count`` calls of ``method`` matching ``predicate`` once there are that many.

        With ``succeeded`` (the default), only calls that got a success answer count.
        """

        def matching() -> list[ApiCall] | None:
            found = [
                c
                for c in self.calls
                if c.method == method
                and predicate(c)
                and (not succeeded or c.params.get("_ok", True))
            ]
            return found[:count] if len(found) >= count else None

        result: list[ApiCall] = await self.wait_for(matching, timeout=timeout)
        return result

    # --- failures ----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        retry_after: int | None = None,
        drop: bool = False,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        self._failures.setdefault(method, []).append(
            Failure(
                status=status,
                retry_after=retry_after,
                drop=drop,
                description=description,
                times=times,
            )
        )

    def recover(self) -> None:
        """Forget every failure still queued: Telegram is healthy again."""
        self._failures.clear()

    # --- playing Telegram: updates -------------------------------------------------------------

    def chat(self, chat_id: int, *, type: str | None = None, title: str | None = None) -> _Chat:
        if chat_id not in self._chats:
            kind = type or ("private" if chat_id > 0 else "supergroup")
            self._chats[chat_id] = _Chat(id=chat_id, type=kind, title=title)
        return self._chats[chat_id]

    def _chat_json(self, chat: _Chat, user: dict[str, Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": chat.id, "type": chat.type}
        if chat.type == "private" and user is not None:
            out["first_name"] = user["first_name"]
        else:
            out["title"] = chat.title or f"Group {chat.id}"
        return out

    @staticmethod
    def user(
        user_id: int, first_name: str, *, last_name: str | None = None, language: str = "en"
    ) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language,
        }
        if last_name:
            user["last_name"] = last_name
        return user

    def _new_message(self, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat = self.chat(chat_id)
        message = {
            "message_id": chat.next_message_id,
            "date": next(self._clock),
            "chat": self._chat_json(chat, sender),
            "from": sender,
            **content,
        }
        chat.next_message_id += 1
        chat.messages[message["message_id"]] = message
        return message

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` for getUpdates (giving it an ``update_id`` when it has none)."""
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._notify()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Queue the same update again, as Telegram does when it thinks it was not received."""
        self._updates.append(dict(update))
        self._notify()

    def customer_says(
        self,
        text: str,
        *,
        user: dict[str, Any],
        chat_id: int | None = None,
        push: bool = True,
        **extra: Any,
    ) -> dict[str, Any]:
        """A customer writes ``text`` in a private chat (default) or in group ``chat_id``."""
        message = self._new_message(chat_id or user["id"], user, text=text, **extra)
        update = {"update_id": next(self._update_ids), "message": message}
        return self.push_update(update) if push else update

    def customer_sends(
        self,
        kind: str,
        *,
        user: dict[str, Any],
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A photo, sticker, voice note… (the payload has just enough for PTB to parse it)."""
        file = {"file_id": f"file-{kind}", "file_unique_id": f"u-{kind}"}
        payloads: dict[str, Any] = {
            "photo": [{**file, "width": 90, "height": 90}],
            "sticker": {
                **file,
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
                "emoji": "😀",
            },
            "voice": {**file, "duration": 3},
            "document": {**file, "file_name": "invoice.pdf"},
        }
        extra: dict[str, Any] = {kind: payloads[kind]}
        if caption is not None:
            extra["caption"] = caption
        message = self._new_message(chat_id or user["id"], user, **extra)
        return self.push_update({"message": message})

    def customer_edits(self, update: dict[str, Any], new_text: str) -> dict[str, Any]:
        """The customer edits the message of ``update`` (Telegram sends ``edited_message``)."""
        message = dict(update["message"], text=new_text, edit_date=next(self._clock))
        self._chats[message["chat"]["id"]].messages[message["message_id"]] = message
        return self.push_update({"edited_message": message})

    def click(
        self, card: dict[str, Any], label_prefix: str, *, user: dict[str, Any]
    ) -> dict[str, Any]:
        """``user`` presses the inline button of ``card`` whose label starts with the prefix."""
        rows = (card.get("reply_markup") or {}).get("inline_keyboard") or []
        buttons = [b for row in rows for b in row if b["text"].startswith(label_prefix)]
        if not buttons:
            raise AssertionError(f"no button {label_prefix!r} on card: {rows}")
        return self.push_update(
            {
                "callback_query": {
                    "id": f"cq{next(self._update_ids)}",
                    "from": user,
                    # A snapshot: the card as the reviewer saw it when pressing.
                    "message": copy.deepcopy(card),
                    "chat_instance": "ci-1",
                    "data": buttons[0]["callback_data"],
                }
            }
        )

    def react(
        self,
        card: dict[str, Any],
        emoji: str,
        *,
        user: dict[str, Any],
        old: Iterable[str] = (),
    ) -> dict[str, Any]:
        """``user`` reacts with ``emoji`` on ``card`` (a ``message_reaction`` update)."""
        return self.push_update(
            {
                "message_reaction": {
                    "chat": card["chat"],
                    "message_id": card["message_id"],
                    "user": user,
                    "date": next(self._clock),
                    "old_reaction": [{"type": "emoji", "emoji": e} for e in old],
                    "new_reaction": [{"type": "emoji", "emoji": e} for e in [*old, emoji]],
                }
            }
        )

    def reviewer_replies(
        self, to: dict[str, Any], text: str, *, user: dict[str, Any]
    ) -> dict[str, Any]:
        """``user`` answers message ``to`` in its chat (Telegram's "reply")."""
        message = self._new_message(
            to["chat"]["id"], user, text=text, reply_to_message=_shallow(to)
        )
        return self.push_update({"message": message})

    async def post_webhook(self, url: str, update: dict[str, Any], *, secret: str | None) -> int:
        """Deliver ``update`` to a webhook as Telegram does; returns the HTTP status."""
        update.setdefault("update_id", next(self._update_ids))
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            return response.status

    def _notify(self) -> None:
        async def wake() -> None:
            async with self._changed:
                self._changed.notify_all()

        # Keep a reference: the loop holds tasks weakly and could drop one before it runs.
        task = asyncio.get_running_loop().create_task(wake())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- the Bot API ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        call = ApiCall(method=method, params=params, at=time.perf_counter())
        self.calls.append(call)
        try:
            failure = self._take_failure(method)
            if failure is not None:
                params["_ok"] = False
                if failure.drop:
                    # Close the connection without a word: the client sees a network error.
                    assert request.transport is not None
                    request.transport.close()
                    return web.Response(status=500)
                return _failure_response(failure)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                return _error(404, "Not Found: method not found")
            result = await handler(params)
            if isinstance(result, web.Response):
                params["_ok"] = False
                return result
            return web.json_response({"ok": True, "result": result})
        finally:
            self._notify()

    def _take_failure(self, method: str) -> Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Réplique",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook is not None:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        # Telegram forgets every update before the offset: that is how a bot confirms them.
        deadline = time.monotonic() + timeout
        async with self._changed:
            self._poller += 1
            mine = self._poller
            self._changed.notify_all()
            while True:
                if self._poller != mine:
                    self.conflicts += 1
                    return _error(409, "Conflict: terminated by other getUpdates request")
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                remaining = deadline - time.monotonic()
                if self._updates or remaining <= 0 or self._closing:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    continue
        return self._updates[:limit]

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        url = (self.webhook or {}).get("url", "")
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        if not text:
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        if params.get("parse_mode") == "HTML" and not _balanced_html(text):
            return _error(400, "Bad Request: can't parse entities")
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Réplique", "username": BOT_USERNAME}
        content: dict[str, Any] = {"text": text}
        markup = params.get("reply_markup") or {}
        # Telegram shows only inline keyboards in a Message (not ForceReply, reply keyboards);
        # the call itself, in ``calls``, keeps what the bot asked for.
        if "inline_keyboard" in markup:
            content["reply_markup"] = markup
        reply = params.get("reply_parameters") or {}
        chat = self.chat(chat_id)
        if reply.get("message_id") in chat.messages:
            content["reply_to_message"] = _shallow(chat.messages[reply["message_id"]])
        if params.get("message_thread_id"):
            content["message_thread_id"] = int(params["message_thread_id"])
        return self._new_message(chat_id, bot, **content)

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._find(params)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        text = str(params.get("text", ""))
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        markup = params.get("reply_markup")
        if text == message.get("text") and markup == message.get("reply_markup"):
            return _error(400, "Bad Request: message is not modified")
        message["text"] = text
        message["edit_date"] = next(self._clock)
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self._find(params)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        chat = self._chats.get(int(params.get("chat_id", 0)))
        if chat is None or chat.messages.pop(int(params.get("message_id", 0)), None) is None:
            return _error(400, "Bad Request: message to delete not found")
        return True

    def _find(self, params: dict[str, Any]) -> dict[str, Any] | None:
        chat = self._chats.get(int(params.get("chat_id", 0)))
        if chat is None:
            return None
        return chat.messages.get(int(params.get("message_id", 0)))


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters: PTB posts a form whose structured values are JSON strings."""
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body or {})
    form = await request.post()
    out: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):
            continue
        out[key] = json.loads(value) if key in _JSON_PARAMS else value
    out.update({k: v for k, v in request.query.items() if k not in out})
    return out


def _shallow(message: dict[str, Any]) -> dict[str, Any]:
    """A replied-to message as Telegram embeds it: a copy, without its own reply_to_message."""
    out = copy.deepcopy(message)
    out.pop("reply_to_message", None)
    return out


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _failure_response(failure: Failure) -> web.Response:
    if failure.retry_after is not None:
        return _error(
            429,
            failure.description or f"Too Many Requests: retry after {failure.retry_after}",
            retry_after=failure.retry_after,
        )
    return _error(failure.status, failure.description or "Internal Server Error")


def _balanced_html(text: str) -> bool:
    """Telegram refuses HTML whose tags are unknown or unbalanced; so does this fake."""
    allowed = {"b", "i", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler", "strong", "em"}
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-zA-Z-]+)[^>]*>", text):
        if name not in allowed:
            return False
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    # A lone "<" that starts no tag is what an unescaped customer "<3" looks like.
    return not stack and not re.search(r"<(?!/?[a-zA-Z-]+[^>]*>)", text)
