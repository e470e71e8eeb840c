"""Fixtures of the Slack tests: the fake Web API, a signed event sender, the adapter on a real
HTTP server (uvicorn, port 0), and a small fake desk for the adapter's own tests.

Names used throughout: ``CCUST`` is a customer channel, ``CREVIEW`` the review channel, ``UCUST``
a customer (Léa Tremblay), ``UREV`` and ``UREV2`` reviewers (Marc, Chloé), ``UNOPE`` a member of
the review channel who is not a reviewer.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest
import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.config import AppConfig, Settings
from bot.domain import DraftStatus, InboundMessage, IntentScore, Refusal, ReviewAction
from bot.review.cards import (
    ActionOutcome,
    CardRef,
    Notice,
    NoticeKind,
    ReceiveOutcome,
    RecordedAction,
    ReviewCard,
    ReviewerAction,
)
from bot.review.ports import CustomerChannel, ReplyAddress, ReviewSurface
from bot.service import wire
from tests.cards import sample_card
from tests.fakes.slack_api import FakeSlackAPI, SlackEventSender

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CCUST = "CCUSTOMERS"
CREVIEW = "CREVIEW"
UCUST = "UCUST"
UREV = "UREV"
UREV2 = "UREV2"
UNOPE = "UNOPE"


def slack_config(**review: Any) -> AppConfig:
    return AppConfig.model_validate(
        {
            "review": {"slack_channel": CREVIEW, "reviewers": {"slack": [UREV, UREV2]}, **review},
            "slack": {"customer_channels": [CCUST]},
        }
    )


def slack_settings(api: FakeSlackAPI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": SecretStr(api.token),
        "slack_signing_secret": SecretStr(SIGNING_SECRET),
        "slack_app_token": None,
        "slack_api_url": api.url,
        "telegram_bot_token": None,
        "replique_port": 0,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackAPI]:
    fake = await FakeSlackAPI().start()
    fake.add_user(UCUST, "Léa Tremblay")
    fake.add_user(UREV, "Marc")
    fake.add_user(UREV2, "Chloé")
    fake.add_user(UNOPE, "Intrus")
    yield fake
    await fake.stop()


class HttpServer:
    """A Starlette app with ``routes`` served by uvicorn on 127.0.0.1, port 0."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        app = Starlette(routes=list(routes))
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None
        self.port = 0

    async def __aenter__(self) -> HttpServer:
        self._task = asyncio.create_task(self.server.serve())
        deadline = asyncio.get_running_loop().time() + 10
        while not self.server.started:
            if self._task.done() or asyncio.get_running_loop().time() > deadline:
                raise RuntimeError("uvicorn did not start")
            await asyncio.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        if self._task is not None:
            await self._task

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# --- a fake desk: the ReviewDesk contract, in memory, for the adapter's own tests ------------


@dataclass
class FakeDesk:
    """Enough of ``ReviewDesk`` to drive the adapter: dedupes event ids, posts one card per
    message, applies each decision once, sends the reply on SEND/EDIT through the channel."""

    reviewers: tuple[str, ...] = (UREV, UREV2)
    intents: tuple[str, ...] = ("order_status", "complaint", "other")
    channels: list[CustomerChannel] = field(default_factory=list)
    surfaces: list[ReviewSurface] = field(default_factory=list)
    received: list[tuple[InboundMessage, str | None]] = field(default_factory=list)
    actions: list[ReviewerAction] = field(default_factory=list)
    sent: list[tuple[ReplyAddress, str, str | None]] = field(default_factory=list)
    cards: dict[int, ReviewCard] = field(default_factory=dict)
    refs: dict[int, list[CardRef]] = field(default_factory=dict)
    messages: dict[int, InboundMessage] = field(default_factory=dict)
    _events: set[str] = field(default_factory=set)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def add_channel(self, channel: CustomerChannel) -> None:
        self.channels.append(channel)

    def add_surface(self, surface: ReviewSurface) -> None:
        self.surfaces.append(surface)

    def wire(self, adapter: Any) -> None:
        """What the service does with an adapter: its channel, and its surface if it reviews."""
        self.add_channel(adapter)
        if adapter.reviews:
            self.add_surface(adapter)

    def is_reviewer(self, platform: str, user_id: str) -> bool:
        return platform == "slack" and user_id in self.reviewers

    async def accept(self, message: InboundMessage, *, event_id: str | None = None) -> int | None:
        """Stored (in memory), then a card posted, as the desk's inbound lane would."""
        if event_id is not None:
            if event_id in self._events:
                return None
            self._events.add(event_id)
        outcome = await self.receive(message, event_id=event_id)
        return outcome.card.draft_id if outcome.card is not None else None

    async def receive(
        self, message: InboundMessage, *, event_id: str | None = None
    ) -> ReceiveOutcome:
        self.received.append((message, event_id))
        draft_id = next(self._ids)
        card = make_card(message, draft_id=draft_id, intent_choices=self.intents)
        self.cards[draft_id] = card
        self.messages[draft_id] = message
        refs = [await surface.post_card(card) for surface in self.surfaces]
        self.refs[draft_id] = refs
        return ReceiveOutcome(duplicate=False, card=card, refs=tuple(refs))

    def _draft_at(self, ref: CardRef) -> int | None:
        return next((d for d, refs in self.refs.items() if ref in refs), None)

    async def record(
        self, action: ReviewerAction, *, event_id: str | None = None
    ) -> RecordedAction | None:
        if event_id is not None:
            if event_id in self._events:
                return None
            self._events.add(event_id)
        return RecordedAction(item_id=next(self._ids), action=action)

    async def apply(self, recorded: RecordedAction) -> ActionOutcome:
        return await self.act(recorded.action)

    async def act(self, action: ReviewerAction, *, event_id: str | None = None) -> ActionOutcome:
        self.actions.append(action)
        if not self.is_reviewer(action.platform, action.reviewer_id):
            return ActionOutcome(applied=False, notice=Notice(NoticeKind.NOT_REVIEWER))
        draft_id = action.draft_id
        if draft_id is None and action.card is not None:
            draft_id = self._draft_at(action.card)
        async with self.lock:
            card = self.cards.get(draft_id) if draft_id is not None else None
            if card is None:
                return ActionOutcome(applied=False, notice=Notice(NoticeKind.NO_CARD))
            if card.decided:
                refusal = Refusal(card.status, by=card.decided_by, at=card.decided_at)
                notice = Notice(NoticeKind.NOT_PENDING, refusal=refusal)
                return ActionOutcome(applied=False, notice=notice, card=card)
            new = self._apply(card, action)
            self.cards[card.draft_id] = new
        for surface, ref in zip(self.surfaces, self.refs[card.draft_id], strict=False):
            await surface.update_card(ref, new)
        if new.status in (DraftStatus.SENT, DraftStatus.EDITED):
            message = self.messages[card.draft_id]
            address = ReplyAddress(
                platform=message.platform,
                conversation_id=message.conversation_id,
                customer_id=message.customer_id,
                thread_id=message.thread_id,
                reply_to_message_id=message.platform_message_id,
            )
            channel = next(c for c in self.channels if c.platform == message.platform)
            text = new.final_text or new.draft_text
            self.sent.append((address, text, await channel.send_reply(address, text)))
        return ActionOutcome(applied=True, card=new, refs=tuple(self.refs[card.draft_id]))

    def _apply(self, card: ReviewCard, action: ReviewerAction) -> ReviewCard:
        who = action.reviewer_name or action.reviewer_id
        if action.action is ReviewAction.SEND:
            return replace(
                card,
                status=DraftStatus.SENT,
                final_text=card.draft_text,
                decided_by=who,
                decided_at=datetime.now(UTC),
            )
        if action.action is ReviewAction.EDIT:
            return replace(
                card,
                status=DraftStatus.EDITED,
                final_text=action.edited_text,
                decided_by=who,
                decided_at=datetime.now(UTC),
            )
        if action.action is ReviewAction.DISCARD:
            return replace(
                card,
                status=DraftStatus.DISCARDED,
                decided_by=who,
                decided_at=datetime.now(UTC),
            )
        if action.action is ReviewAction.VARIANT:
            return replace(
                card,
                variant=card.variant % card.variants + 1,
                draft_text=f"Variant {card.variant % card.variants + 1}",
            )
        analysis = replace(card.analysis, intent=IntentScore(action.intent or card.intent, 1.0))
        return replace(card, analysis=analysis, draft_text=f"Redrafted as {action.intent}")

    async def card_for_draft(self, draft_id: int) -> ReviewCard | None:
        return self.cards.get(draft_id)

    async def card_at(self, ref: CardRef, *, kind: str = "card") -> ReviewCard | None:
        draft_id = self._draft_at(ref) if kind == "card" else None
        return self.cards.get(draft_id) if draft_id is not None else None

    async def add_edit_prompt(
        self, card_id: int, prompt: CardRef, *, shown_draft_id: int | None = None
    ) -> None:
        raise AssertionError("Slack edits in a modal, never through a prompt message")


def make_card(message: InboundMessage, *, draft_id: int = 1, **changes: Any) -> ReviewCard:
    return sample_card(
        card_id=draft_id,
        draft_id=draft_id,
        customer_name=message.customer_name or message.customer_id,
        customer_platform=message.platform,
        message_text=message.text,
        attachment_kind=message.attachment_kind,
        confidence=0.91,
        entities=(),
        draft_text="Hi! Your order is on its way.",
        template="order_status/en/default",
        variants=3,
        received_at=message.received_at or datetime.now(UTC),
        **changes,
    )


@dataclass
class SlackRig:
    """The adapter under test, its HTTP server, Slack's fake API and a signed sender."""

    api: FakeSlackAPI
    sender: SlackEventSender
    adapter: Any
    desk: Any
    server: HttpServer

    def cards(self) -> list[dict[str, Any]]:
        """Review cards posted so far, as they look now."""
        return [m for m in self.api.posts(CREVIEW) if m.get("blocks")]

    async def wait_cards(self, count: int) -> list[dict[str, Any]]:
        await self.api.wait_for("chat.postMessage", count=count, channel=CREVIEW)
        return self.cards()


@pytest.fixture
async def rig_factory(api: FakeSlackAPI) -> AsyncIterator[Callable[..., Any]]:
    """Builds a running ``SlackRig`` around a desk (fake or real); everything stops at the end."""
    from bot.channels.slack import SlackAdapter

    async with AsyncExitStack() as stack:

        async def build(desk: Any, *, config: AppConfig | None = None, **settings: Any) -> SlackRig:
            adapter = SlackAdapter(
                desk=desk, settings=slack_settings(api, **settings), config=config or slack_config()
            )
            if isinstance(desk, FakeDesk):
                desk.wire(adapter)
            else:
                wire(adapter, desk=desk, outbox=desk.outbox)
            await adapter.start()
            stack.push_async_callback(adapter.stop)
            server = await stack.enter_async_context(HttpServer(adapter.routes()))
            sender = SlackEventSender(
                url=f"{server.url}/slack/events", signing_secret=SIGNING_SECRET
            )
            stack.push_async_callback(sender.close)
            return SlackRig(api=api, sender=sender, adapter=adapter, desk=desk, server=server)

        yield build


@pytest.fixture
async def rig(rig_factory: Any) -> SlackRig:
    return await rig_factory(FakeDesk())
