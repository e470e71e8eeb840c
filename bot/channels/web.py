"""The local web channel: a playground where anyone tries Réplique in a browser, with no tokens.

The browser is a platform like Telegram or Slack, and this adapter plays the same three parts:

- ``CustomerChannel``: the customer pane posts messages (``POST /api/messages``) that become
  ``InboundMessage`` values handed to ``ReviewDesk.receive`` — the same analyser, drafter, desk,
  outbox and store as every channel; approved replies come back only through ``send_reply``, when
  the outbox delivers them;
- ``ReviewSurface``: ``post_card``/``update_card`` push review cards to the desk pane, whose
  buttons post ``ReviewerAction`` values to ``ReviewDesk.act`` (``POST /api/actions``);
- ``ChannelAdapter``: its routes on the shared server — ``/`` the playground, ``/insights`` the
  charts, ``/api/…`` JSON, ``/api/events`` server-sent events, ``/static/…`` — start and stop.

Every route goes through ``bot.web.gate`` (host allow-list, reviewers only, origin and CSRF
token on posts; docs/security.md). The playground shows and acts on its own conversations' cards
only: a Telegram or Slack customer's card never reaches a page, and no page can decide on one.

Pages update live over server-sent events; the state a page shows (conversations, replies, the
latest cards) is kept here, so a reload gets it back with ``GET /api/state``. It lives in memory:
the store keeps the durable record, the playground only what a page needs to draw itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from sse_starlette import EventSourceResponse
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.config import AppConfig
from bot.domain import Platform
from bot.i18n import Lang
from bot.review.cards import CardRef, ReviewCard
from bot.review.ports import Desk, ReplyAddress
from bot.review.suggestions import group_edits
from bot.web import i18n, safe_json
from bot.web.access import WebAccess
from bot.web.audit_table import AUDIT_ROWS, render_audit
from bot.web.gate import Gate
from bot.web.hub import EventHub, PageEvent
from bot.web.insights_page import render_insights
from bot.web.learning_panels import render_learning, zone_days
from bot.web.payloads import (
    BadRequest,
    Look,
    action_from_json,
    card_to_json,
    conversation_from_json,
    customer_post_from_json,
    inbound_message,
)
from bot.wording import notice_text

if TYPE_CHECKING:
    from bot.store import Store

__all__ = ["WEB_REVIEWER_ID", "WebAdapter"]

log = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parent.parent / "web"
#: The one reviewer of the local playground (the desk counts it as a reviewer when the
#: playground is enabled, which only happens on a local service).
WEB_REVIEWER_ID: Final = "playground"
#: Cards and conversations a page can get back on reload; older ones are forgotten here (never
#: in the store).
_KEEP: Final = 300
#: Seconds between SSE keep-alive comments, so proxies and browsers keep the stream open.
_PING: Final = 15
_SAMPLE_NAMES: Final = ("Léa Tremblay", "Sam Carter", "Chloé Martin", "Noah Roy")


@dataclass(slots=True)
class _Conversation:
    """What a page shows of one customer's conversation (the store has the real record)."""

    id: str
    name: str
    look: Look
    messages: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "look": self.look, "messages": self.messages}


def _now() -> datetime:
    return datetime.now(UTC)


class WebAdapter:
    """The playground: customer pane, review desk pane and insights page on the shared server."""

    platform: Platform = "web"

    def __init__(
        self, *, desk: Desk, store: Store, config: AppConfig, access: WebAccess | None = None
    ) -> None:
        self._desk = desk
        self._store = store
        self._config = config
        self._hub = EventHub()
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()
        self._cards: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._zone = ZoneInfo(config.brand.timezone)
        self._pages = Environment(
            loader=FileSystemLoader(WEB / "pages"), autoescape=True, enable_async=False
        )
        self._gate = Gate(
            access=access or WebAccess(config=config.web),
            render=self._render,
            lang=self._lang,
            trusted_proxies=config.server.trusted_proxies,
        )

    # --- ChannelAdapter --------------------------------------------------------------------

    @property
    def reviews(self) -> bool:
        """The playground is always a review desk (its right-hand pane)."""
        return True

    def routes(self) -> Sequence[BaseRoute]:
        gate = self._gate
        return [
            Route("/", gate.page(self._playground_page), methods=["GET"]),
            Route("/signin", gate.signin_page, methods=["GET"]),
            Route("/signin", gate.sign_in, methods=["POST"]),
            Route("/insights", gate.page(self._insights_page), methods=["GET"]),
            Route("/api/state", gate.read(self._state), methods=["GET"]),
            Route("/api/conversations", gate.write(self._open_conversation), methods=["POST"]),
            Route("/api/messages", gate.write(self._customer_message), methods=["POST"]),
            Route("/api/actions", gate.write(self._reviewer_action), methods=["POST"]),
            Route("/api/events", gate.read(self._events), methods=["GET"]),
            Mount(
                "/static",
                app=gate.hosts_only(StaticFiles(directory=WEB / "static")),
                name="static",
            ),
        ]

    async def start(self) -> None:
        """Nothing to connect: the pages come to the shared server."""

    async def stop(self) -> None:
        """End the pages' event streams, so the server's shutdown does not wait for them."""
        self._hub.close()

    # --- CustomerChannel -------------------------------------------------------------------

    def pacing_key(self, address: ReplyAddress) -> str:
        """The playground has no platform limit; each conversation is its own chat."""
        return address.conversation_id

    async def send_reply(self, address: ReplyAddress, text: str) -> str | None:
        """Show an approved reply in the customer's pane (called by the outbox sender)."""
        conversation = self._conversation(address.conversation_id, name=address.customer_id)
        message = {
            "id": uuid.uuid4().hex,
            "sender": "brand",
            "text": text,
            "at": _now().isoformat(),
            "reply_to": address.reply_to_message_id,
        }
        conversation.messages.append(message)
        self._hub.publish(
            PageEvent("message", {"conversation": conversation.as_json(), "message": message})
        )
        return str(message["id"])

    # --- ReviewSurface ---------------------------------------------------------------------

    async def post_card(self, card: ReviewCard) -> CardRef:
        self._show_card(card)
        return CardRef(desk="web", chat_id="playground", message_id=str(card.card_id))

    async def update_card(self, ref: CardRef, card: ReviewCard) -> None:
        self._show_card(card)

    def _show_card(self, card: ReviewCard) -> None:
        if card.customer_platform != "web":
            # The desk shows every card on every surface; the playground keeps its own only.
            return
        shown = card_to_json(card, self._zone)
        self._cards[card.card_id] = shown
        self._cards.move_to_end(card.card_id)
        while len(self._cards) > _KEEP:
            self._cards.popitem(last=False)
        self._hub.publish(PageEvent("card", {"card": shown}))

    # --- state kept for the pages --------------------------------------------------------------

    def _conversation(
        self, conversation_id: str, *, name: str, look: Look | None = None
    ) -> _Conversation:
        found = self._conversations.get(conversation_id)
        if found is None:
            found = _Conversation(id=conversation_id, name=name, look=look or "telegram")
            self._conversations[conversation_id] = found
            while len(self._conversations) > _KEEP:
                self._conversations.popitem(last=False)
        elif look is not None:
            found.look = look
        return found

    def state(self) -> dict[str, Any]:
        """Everything a page needs to draw itself after a (re)load."""
        return {
            "conversations": [c.as_json() for c in self._conversations.values()],
            "cards": list(self._cards.values()),
        }

    # --- HTTP handlers ---------------------------------------------------------------------

    @staticmethod
    def _lang(request: Request) -> Lang:
        return i18n.pick_language(
            query=request.query_params.get("lang"),
            accept_language=request.headers.get("accept-language"),
        )

    def _render(self, page: str, *, lang: Lang, **values: Any) -> HTMLResponse:
        other: Lang = "fr" if lang == "en" else "en"
        html = self._pages.get_template(page).render(
            lang=lang,
            other_lang=other,
            s=i18n.ui_strings(lang),
            brand=self._config.brand.name,
            **values,
        )
        # The pages load only their own files: a CSP keeps it so even if a bug slipped markup in.
        headers = {
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
            "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
            "Content-Language": lang,
            "Vary": "Accept-Language",
        }
        return HTMLResponse(html, headers=headers)

    async def _playground_page(self, request: Request) -> Response:
        lang = self._lang(request)
        zone = self._config.brand.timezone
        return self._render(
            "playground.html",
            lang=lang,
            strings=i18n.ui_strings(lang),
            sample_names=_SAMPLE_NAMES,
            # One page, one time zone: the brand's, the one the cards' "sent at" lines use.
            timezone=zone,
            timezone_note=i18n.text("web.timezone_note", lang, zone=zone),
            csrf=self._gate.csrf_of(request),
        )

    async def _insights_page(self, request: Request) -> Response:
        lang = self._lang(request)
        try:
            days = max(1, min(365, int(request.query_params.get("days", "30"))))
        except ValueError:
            days = 30
        until = _now()
        # The store is synchronous: its queries run in a worker thread, not on the event loop.
        insights = await asyncio.to_thread(
            self._store.insights,
            since=until - timedelta(days=days),
            until=until,
            zone=self._config.brand.timezone,
        )
        body = render_insights(insights, lang=lang, days=days, zone=self._config.brand.timezone)
        body += await asyncio.to_thread(
            self._learning_panels, until - timedelta(days=days), until, lang
        )
        entries = await asyncio.to_thread(self._store.audit_entries, limit=AUDIT_ROWS)
        body += render_audit(entries, lang=lang, zone=self._config.brand.timezone)
        return self._render(
            "insights.html",
            lang=lang,
            body=body,
            days=days,
            insights_title=i18n.text("web.insights_title", lang),
        )

    def _learning_panels(self, since: datetime, until: datetime, lang: Lang) -> Markup:
        """What the desk learned (bot/web/learning_panels.py), read in a worker thread."""
        zone = self._config.brand.timezone
        first, last = zone_days(since, until, zone)
        return render_learning(
            acceptance=self._store.weekly_acceptance(since=since, until=until, zone=zone),
            blasts=self._store.blast_warnings(since=since, until=until, zone=zone),
            groups=group_edits(self._store.template_edits(since=since)),
            since=first,
            until=last,
            lang=lang,
        )

    async def _state(self, request: Request) -> Response:
        return JSONResponse(self.state())

    @staticmethod
    async def _json(request: Request) -> dict[str, Any]:
        # The gate has checked the origin and the CSRF token; a JSON content type also needs a
        # CORS preflight cross-site, which this server never grants.
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise BadRequest("bad_request", "the body must be JSON (application/json)")
        try:
            payload = safe_json.loads(await request.body())
        except safe_json.UnsafeJSON as problem:
            raise BadRequest("bad_request", problem.detail) from None
        if not isinstance(payload, dict):
            raise BadRequest("bad_request", "the body must be a JSON object")
        return payload

    @staticmethod
    def _refused(problem: BadRequest) -> JSONResponse:
        return JSONResponse({"error": problem.code, "detail": problem.detail}, status_code=400)

    async def _open_conversation(self, request: Request) -> Response:
        try:
            conversation_id, name, look = conversation_from_json(await self._json(request))
        except BadRequest as problem:
            return self._refused(problem)
        conversation = self._conversation(conversation_id, name=name, look=look)
        shown = conversation.as_json()
        self._hub.publish(PageEvent("conversation", {"conversation": shown}))
        return JSONResponse({"conversation": shown})

    async def _customer_message(self, request: Request) -> Response:
        try:
            post = customer_post_from_json(await self._json(request))
        except BadRequest as problem:
            return self._refused(problem)
        conversation = self._conversation(post.conversation_id, name=post.name, look=post.look)
        received = _now()
        message = {
            "id": post.client_id,
            "sender": "customer",
            "text": post.text,
            "at": received.isoformat(),
        }
        # A double submit carries the same client id: shown once here, processed once by the desk.
        if not any(m["id"] == post.client_id for m in conversation.messages):
            conversation.messages.append(message)
            self._hub.publish(
                PageEvent("message", {"conversation": conversation.as_json(), "message": message})
            )
        try:
            outcome = await self._desk.receive(
                inbound_message(post, received_at=received), event_id=f"web:{post.client_id}"
            )
        except Exception as exc:
            # The desk records the message before it analyses it, so nothing is lost; the page
            # says what went wrong and the log has the traceback.
            log.exception("web: the desk could not take message %s", post.client_id)
            return JSONResponse({"error": "failed", "detail": type(exc).__name__}, status_code=500)
        card = getattr(outcome, "card", None)
        return JSONResponse(
            {
                "duplicate": bool(getattr(outcome, "duplicate", False)),
                "message": message,
                "card": card_to_json(card, self._zone) if isinstance(card, ReviewCard) else None,
            },
            status_code=202,
        )

    async def _reviewer_action(self, request: Request) -> Response:
        try:
            action = action_from_json(
                await self._json(request),
                reviewer_id=WEB_REVIEWER_ID,
                reviewer_name=i18n.text("web.reviewer_name", self._lang(request)),
            )
        except BadRequest as problem:
            return self._refused(problem)
        if action.draft_id is not None:
            shown = await self._desk.card_for_draft(action.draft_id)
            if shown is not None and shown.customer_platform != "web":
                return JSONResponse(
                    {"error": "forbidden", "detail": "the playground acts on its own drafts only"},
                    status_code=403,
                )
        try:
            outcome = await self._desk.act(action)
        except ValueError as exc:
            # The desk refuses an action that cannot apply (e.g. an unknown intent).
            return JSONResponse({"error": "bad_request", "detail": str(exc)}, status_code=400)
        except Exception as exc:
            log.exception("web: the desk could not apply %s", action.action.value)
            return JSONResponse({"error": "failed", "detail": type(exc).__name__}, status_code=500)
        if outcome.card is not None:
            self._show_card(outcome.card)
        return JSONResponse(
            {
                "applied": outcome.applied,
                "notice": notice_text(outcome.notice, self._zone) if outcome.notice else None,
                "card": card_to_json(outcome.card, self._zone)
                if outcome.card is not None
                else None,
            }
        )

    async def _events(self, request: Request) -> Response:
        async def stream() -> AsyncIterator[dict[str, str]]:
            # First a hello, so the page knows the stream is live and reloads the state it
            # may have missed while disconnected.
            async for event in self._hub.listen(first=PageEvent("hello", {})):
                yield {"event": event.kind, "data": json.dumps(event.data, ensure_ascii=False)}

        return EventSourceResponse(stream(), ping=_PING, headers={"Cache-Control": "no-store"})
