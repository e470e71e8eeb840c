"""A local Slack: a fake Web API for slack-sdk, and a sender of signed Events API requests.

``FakeSlackAPI`` serves ``/api/<method>`` on 127.0.0.1, port 0, speaking enough of the Web API for
slack-sdk's ``AsyncWebClient`` (and slack-bolt on top of it) to run unmodified through
``SLACK_API_URL``: ``auth.test``, ``chat.postMessage``, ``chat.update``, ``chat.postEphemeral``,
``users.info``, ``views.open``, ``reactions.add``. It records every call (``calls``), keeps each
posted message as it looks now (``message``), and fails on demand: a 429 with ``Retry-After``, a
500, a dropped connection, or a Slack error such as ``channel_not_found``.

``SlackEventSender`` plays Slack's side of HTTP mode: it POSTs Events API envelopes and
interactivity payloads to ``/slack/events``, signed exactly as Slack signs them (slack-sdk's own
``SignatureVerifier``), with ``X-Slack-Retry-Num`` for retries, and can forge or age a signature.

``measure_card_latency`` is the benchmark: N signed customer messages in, the time until each
card's ``chat.postMessage`` reaches the fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import statistics
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from tests.waiting import wait_until

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "BenchResult",
    "Call",
    "FakeSlackAPI",
    "SlackEventSender",
    "measure_card_latency",
    "wait_until",
]

BOT_USER_ID = "UREPLIQUE"
BOT_ID = "BREPLIQUE"
TEAM_ID = "T0FAKE"
APP_ID = "A0FAKE"
TOKEN = "xoxb-test-token"


@dataclass(slots=True)
class Call:
    """One Web API call as the fake received it (JSON body, form fields and query merged)."""

    method: str
    args: dict[str, Any]
    token: str | None
    #: The HTTP status answered (0: connection dropped) and whether the answer was ``ok``.
    status: int = 200
    ok: bool = True
    #: ``time.perf_counter()`` when the request arrived (the benchmark's clock).
    at: float = field(default_factory=time.perf_counter)
    #: What the fake answered (``ts`` of a posted message…), when it answered.
    result: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Failure:
    status: int
    error: str | None = None
    retry_after: float | None = None
    drop: bool = False


@dataclass(slots=True)
class FakeSlackAPI:
    """The Slack Web API on loopback; ``url`` is what ``SLACK_API_URL`` takes."""

    token: str = TOKEN
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    #: Messages as they look now, by (channel, ts): the last postMessage / update wins.
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _failures: dict[str, list[_Failure]] = field(default_factory=dict)
    _ts: Iterable[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0
    #: Socket Mode: the app's open websockets, and the envelope ids it acknowledged.
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    _envelopes: Iterable[int] = field(default_factory=lambda: itertools.count(1))

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> FakeSlackAPI:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    # --- set-up -------------------------------------------------------------------------------

    def add_user(self, user_id: str, display_name: str, *, real_name: str | None = None) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": display_name.lower().replace(" ", "."),
            "real_name": real_name or display_name,
            "profile": {"display_name": display_name, "real_name": real_name or display_name},
        }

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: float | None = None,
        drop: bool = False,
        times: int = 1,
    ) -> None:
        """The next ``times`` calls of ``method`` fail: an HTTP status (429 with ``retry_after``,
        500), a Slack ``error`` with ``ok: false``, or a connection closed without an answer."""
        failure = _Failure(status=status, error=error, retry_after=retry_after, drop=drop)
        self._failures.setdefault(method, []).extend([failure] * times)

    # --- what happened ------------------------------------------------------------------------

    def called(self, method: str, **match: Any) -> list[Call]:
        """Successful calls of ``method`` whose arguments include ``match``."""
        return [
            c
            for c in self.calls
            if c.method == method and c.ok and all(c.args.get(k) == v for k, v in match.items())
        ]

    def attempts(self, method: str) -> list[Call]:
        """Every call of ``method``, failed ones included."""
        return [c for c in self.calls if c.method == method]

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        return self.messages[(channel, ts)]

    def posts(self, channel: str) -> list[dict[str, Any]]:
        """Messages posted in ``channel``, oldest first, as they look now."""
        return [m for (ch, _), m in self.messages.items() if ch == channel]

    async def wait_for(
        self, method: str, *, count: int = 1, timeout: float = 5.0, **match: Any
    ) -> list[Call]:
        """Wait until ``method`` succeeded ``count`` times with ``match``; returns the calls."""
        return await wait_until(
            lambda: (found := self.called(method, **match)) and len(found) >= count and found,
            timeout=timeout,
            what=f"{count} × {method} {match}",
        )

    # --- the API ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        body = await request.read()
        if body:
            if request.content_type == "application/json":
                args.update(json.loads(body))
            else:
                args.update(dict(urllib.parse.parse_qsl(body.decode())))
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        call = Call(method=method, args=args, token=token)
        self.calls.append(call)
        queue = self._failures.get(method)
        if queue:
            failure = queue.pop(0)
            call.status, call.ok = failure.status, False
            if failure.drop:
                call.status = 0
                # Close the connection without an answer: the client sees a network error.
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(int(failure.retry_after))
            error = failure.error or ("ratelimited" if failure.status == 429 else "internal_error")
            return web.json_response(
                {"ok": False, "error": error}, status=failure.status, headers=headers
            )
        app_level = method == "apps.connections.open" and str(token).startswith("xapp-")
        if token != self.token and not app_level:
            call.ok = False
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            call.ok = False
            return web.json_response({"ok": False, "error": "unknown_method"})
        answer = handler(args)
        call.ok, call.result = bool(answer.get("ok")), answer
        return web.json_response(answer)

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"  # type: ignore[call-overload]

    def _api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://replique-test.slack.com/",
            "team": "Replique test",
            "user": "replique",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel"))
        ts = self._next_ts()
        message = {"ts": ts, "channel": channel, "user": BOT_USER_ID, "bot_id": BOT_ID, **args}
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args.get("channel")), str(args.get("ts")))
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        self.messages[key] = {**self.messages[key], **args, "edited": True}
        if "blocks" not in args:
            self.messages[key].pop("blocks", None)
        return {"ok": True, "channel": key[0], "ts": key[1], "text": args.get("text")}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": f"V{len(self.calls)}", **(args.get("view") or {})}}

    def _api_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    # --- Socket Mode ------------------------------------------------------------------------

    def _api_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": APP_ID}})  # fmt: skip
        try:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(message.data))
        finally:
            self.sockets.remove(ws)
        return ws

    async def socket_send(
        self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0
    ) -> dict[str, Any]:
        """Deliver ``payload`` over Socket Mode (``events_api`` or ``interactive``) and wait for
        the app's acknowledgement, which is returned."""
        await wait_until(lambda: self.sockets, what="a Socket Mode connection")
        envelope_id = f"env-{next(self._envelopes)}"  # type: ignore[call-overload]
        await self.sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": retry_attempt,
                "retry_reason": "timeout" if retry_attempt else "",
            }
        )
        return await wait_until(
            lambda: next(
                (a for a in self.socket_acks if a.get("envelope_id") == envelope_id), None
            ),
            what=f"the ack of {envelope_id}",
        )


class SlackEventSender:
    """Slack's side of HTTP mode: signed POSTs to ``/slack/events``, as Slack sends them."""

    def __init__(self, *, url: str, signing_secret: str) -> None:
        self.url = url
        self._verifier = SignatureVerifier(signing_secret)
        self._session: aiohttp.ClientSession | None = None
        self._event_ids = itertools.count(1)
        self._ts = itertools.count(1)
        self._triggers = itertools.count(1)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        retry_num: int | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> tuple[int, str]:
        """POST ``body`` signed like Slack (or with ``signature``); returns (status, text)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers: dict[str, str] = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature
            or str(self._verifier.generate_signature(timestamp=stamp, body=body)),
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        async with self._session.post(self.url, data=body.encode(), headers=headers) as resp:
            return resp.status, await resp.text()

    # --- Events API ---------------------------------------------------------------------------

    def new_event_id(self) -> str:
        return f"Ev{next(self._event_ids):08d}"

    def new_ts(self) -> str:
        return f"1710000000.{next(self._ts):06d}"

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **options: Any
    ) -> tuple[int, str]:
        envelope = self.envelope(event, event_id=event_id)
        return await self.post(json.dumps(envelope), content_type="application/json", **options)

    async def until_acknowledged(
        self, event: dict[str, Any], *, event_id: str, attempts: int = 600, pause: float = 0.5
    ) -> int:
        """Send ``event`` as Slack does when it is not acknowledged: again, marked with
        ``X-Slack-Retry-Num``, until a 200; returns how many times it was refused. Raises after
        ``attempts``."""
        for attempt in range(attempts):
            try:
                status, _ = await self.event(event, event_id=event_id, retry_num=attempt or None)
            except OSError:
                status = 0
            if status == 200:
                return attempt
            await asyncio.sleep(pause)
        raise AssertionError(f"event {event_id} was never acknowledged")

    def envelope(self, event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
        """The Events API envelope Slack wraps ``event`` in (HTTP body or Socket Mode payload)."""
        return {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or self.new_event_id(),
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }

    def message_event(
        self,
        *,
        channel: str,
        user: str,
        text: str,
        ts: str | None = None,
        thread_ts: str | None = None,
        channel_type: str = "channel",
        **extra: Any,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts or self.new_ts(),
            "channel_type": channel_type,
            **extra,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event

    async def message(
        self,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
        **fields: Any,
    ) -> tuple[int, str]:
        """A customer (or anyone) writes: one ``message`` event (``fields`` as for
        ``message_event``), sent with the delivery options of ``post``."""
        return await self.event(
            self.message_event(**fields),
            event_id=event_id,
            retry_num=retry_num,
            timestamp=timestamp,
            signature=signature,
        )

    async def reaction(self, *, user: str, name: str, channel: str, ts: str) -> tuple[int, str]:
        return await self.event(
            {
                "type": "reaction_added",
                "user": user,
                "reaction": name,
                "item": {"type": "message", "channel": channel, "ts": ts},
                "item_user": BOT_USER_ID,
                "event_ts": self.new_ts(),
            }
        )

    # --- interactivity ------------------------------------------------------------------------

    async def interaction(self, payload: dict[str, Any], **options: Any) -> tuple[int, str]:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return await self.post(body, content_type="application/x-www-form-urlencoded", **options)

    def block_action_payload(
        self,
        *,
        user: str,
        action: dict[str, Any],
        channel: str,
        message_ts: str,
    ) -> dict[str, Any]:
        return {
            "type": "block_actions",
            "team": {"id": TEAM_ID, "domain": "replique-test"},
            "user": {
                "id": user,
                "username": user.lower(),
                "name": user.lower(),
                "team_id": TEAM_ID,
            },
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
            "trigger_id": f"trigger.{next(self._triggers)}",
            "channel": {"id": channel, "name": "review"},
            "message": {"type": "message", "ts": message_ts, "user": BOT_USER_ID},
            "response_url": "https://hooks.slack.invalid/actions/T0FAKE/1/abc",
            "actions": [{"action_ts": str(time.time()), **action}],
        }

    async def click(
        self, *, user: str, action_id: str, value: str, channel: str, message_ts: str
    ) -> tuple[int, str]:
        """A button press on the message at ``message_ts``."""
        action = {"type": "button", "action_id": action_id, "value": value, "block_id": "b"}
        return await self.interaction(
            self.block_action_payload(
                user=user, action=action, channel=channel, message_ts=message_ts
            )
        )

    async def select(
        self, *, user: str, block_id: str, value: str, channel: str, message_ts: str
    ) -> tuple[int, str]:
        """A choice in the static select of ``block_id``."""
        option = {"text": {"type": "plain_text", "text": value}, "value": value}
        action = {
            "type": "static_select",
            "action_id": "replique_intent",
            "block_id": block_id,
            "selected_option": option,
        }
        return await self.interaction(
            self.block_action_payload(
                user=user, action=action, channel=channel, message_ts=message_ts
            )
        )

    async def submit_view(
        self, *, user: str, view: dict[str, Any], values: dict[str, dict[str, str]]
    ) -> tuple[int, str]:
        """Submit the modal ``view`` (as opened) with ``{block_id: {action_id: value}}``."""
        state = {
            block: {
                action: {"type": "plain_text_input", "value": v} for action, v in fields.items()
            }
            for block, fields in values.items()
        }
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "replique-test"},
            "user": {
                "id": user,
                "username": user.lower(),
                "name": user.lower(),
                "team_id": TEAM_ID,
            },
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "trigger_id": f"trigger.{next(self._triggers)}",
            "view": {**view, "id": "V1", "team_id": TEAM_ID, "state": {"values": state}},
        }
        return await self.interaction(payload)


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Latency from a signed message event to its card's ``chat.postMessage`` on the fake."""

    messages: int
    latencies_ms: tuple[float, ...]
    seconds: float
    lost: int
    duplicated: int

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile (0–100) of the latencies, in milliseconds (nearest rank)."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99_ms(self) -> float:
        return self.percentile(99)

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


async def measure_card_latency(
    *,
    api: FakeSlackAPI,
    sender: SlackEventSender,
    customer_channel: str,
    review_channel: str,
    n: int = 200,
    concurrency: int = 20,
    rate: float | None = None,
    timeout: float = 60.0,
) -> BenchResult:
    """Send ``n`` signed customer messages (``n`` customers, so no draft supersedes another) and
    time each one from its POST to the ``chat.postMessage`` of its card in ``review_channel``.

    Without ``rate`` the messages go as fast as Réplique acknowledges them (at most
    ``concurrency`` requests open): a burst, which measures sustained throughput. With ``rate``
    (messages per second) they are spaced out, which measures latency under that load.

    A card is matched to its message by a unique marker in the text (``bench-<i>``), so lost and
    duplicated cards are counted, not guessed.
    """
    sent_at: dict[str, float] = {}
    gate = asyncio.Semaphore(concurrency)
    marker = re.compile(r"bench-\d{6}")
    begin = time.perf_counter()

    async def one(i: int) -> None:
        if rate:
            await asyncio.sleep(max(0.0, begin + i / rate - time.perf_counter()))
        async with gate:
            sent_at[f"bench-{i:06d}"] = time.perf_counter()
            status, _ = await sender.message(
                channel=customer_channel,
                user=f"UBENCH{i:06d}",
                text=f"Where is my order? bench-{i:06d}",
            )
            if status != 200:
                raise AssertionError(f"event {i} answered {status}")

    def cards() -> list[Call]:
        return [
            c
            for c in api.calls
            if c.method == "chat.postMessage" and c.ok and c.args.get("channel") == review_channel
        ]

    for i in range(n):
        api.add_user(f"UBENCH{i:06d}", f"Customer {i}")
    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    with contextlib.suppress(AssertionError):  # missing cards are counted as lost below
        await wait_until(lambda: len(cards()) >= n, timeout=timeout, what=f"{n} cards")
    elapsed = max(c.at for c in cards()) - started if cards() else 0.0
    seen: dict[str, float] = {}
    duplicated = 0
    for call in cards():
        found = marker.search(json.dumps(call.args.get("blocks") or call.args.get("text")))
        if found is None:
            continue
        if found.group() in seen:
            duplicated += 1
        else:
            seen[found.group()] = call.at
    latencies = tuple((seen[m] - sent_at[m]) * 1000 for m in seen)
    return BenchResult(
        messages=len(seen),
        latencies_ms=latencies,
        seconds=elapsed,
        lost=n - len(seen),
        duplicated=duplicated,
    )
