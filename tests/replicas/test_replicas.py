"""Several ``replique run`` processes on one PostgreSQL, behind a load balancer, as deployed.

Real processes (the command an operator runs), a round-robin balancer in front (any replica may
receive any Slack event, click or Telegram update), the fake Slack and Telegram APIs here, and a
gate on the database connection to play an outage. Each test counts what customers and reviewers
see: one card per message, one reply per approval, whatever fails in between.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import make_url

from bot.store import Store
from tests.fakes.replicas import Balancer, Replica, TcpGate, replica
from tests.fakes.slack_api import Call, FakeSlackAPI, SlackEventSender
from tests.fakes.telegram_api import FakeTelegram
from tests.waiting import wait_until

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
CCUST = "CCUSTOMERS"
CREVIEW = "CREVIEW"
REVIEWERS = ("UREVIEWER1", "UREVIEWER2")
SECRET = "replica-signing-secret"
TIMEOUT = 90.0


def write_config(folder: Path, *, telegram: bool = False) -> Path:
    path = folder / "replique.yml"
    path.write_text(
        "brand:\n  languages: [en, fr]\n  default_language: en\n"
        "review:\n"
        f"  slack_channel: {CREVIEW}\n"
        f"  reviewers:\n    slack: [{', '.join(REVIEWERS)}]\n    telegram: [111]\n"
        # A short lease: work a killed replica held is taken over within seconds.
        "  work_lease_seconds: 4\n"
        f"slack:\n  customer_channels: [{CCUST}]\n"
        f"catalog: {ROOT / 'bot' / 'resources' / 'catalog.yml'}\n",
        encoding="utf-8",
    )
    return path


@dataclass
class Deployment:
    """Replicas, the balancer in front of them, the fakes, and a store to look with."""

    api: FakeSlackAPI
    balancer: Balancer
    replicas: list[Replica]
    slack: SlackEventSender
    gate: TcpGate
    store: Store
    env: dict[str, str]

    async def customer_writes(self, i: int) -> tuple[str, dict[str, Any]]:
        """Customer ``i`` writes (one event, retried like Slack until a replica says 200);
        returns the event id and the event."""
        event = self.slack.message_event(
            channel=CCUST, user=f"UCUST{i:04d}", text=f"Where is my order {40000 + i}? m-{i:04d}"
        )
        event_id = self.slack.new_event_id()
        await self.deliver(event, event_id)
        return event_id, event

    async def deliver(self, event: dict[str, Any], event_id: str) -> None:
        """Send an event as Slack does: again (X-Slack-Retry-Num) until it is acknowledged."""
        await self.slack.until_acknowledged(event, event_id=event_id, attempts=60)

    def cards(self) -> dict[str, list[Call]]:
        """Card posts in the review channel, by the customer marker they quote."""
        found: dict[str, list[Call]] = {}
        for call in self.api.calls:
            if (
                call.method == "chat.postMessage"
                and call.ok
                and call.args.get("channel") == CREVIEW
            ):
                text = json.dumps(call.args.get("blocks"))
                for marker in _markers(text):
                    found.setdefault(marker, []).append(call)
        return found

    async def cards_for(self, n: int) -> dict[str, Call]:
        await wait_until(lambda: len(self.cards()) >= n, timeout=TIMEOUT, what=f"{n} cards")
        cards = self.cards()
        doubled = {m: len(calls) for m, calls in cards.items() if len(calls) > 1}
        assert not doubled, f"cards posted twice: {doubled}"
        return {marker: calls[0] for marker, calls in cards.items()}

    def diagnosis(self) -> str:
        """What the store and the replicas say, for a failed wait."""
        lines = [f"outbox: {self.store.outbox_counts()}", f"work: {self.store.work_counts()}"]
        for r in self.replicas:
            lines += [f"--- {r.url} (exit {r.process.returncode})", *r.log[-15:]]
        return "\n".join(lines)

    async def replies_for(self, n: int) -> Counter[str]:
        try:
            await wait_until(lambda: len(self.replies()) >= n, timeout=TIMEOUT, what="replies")
        except AssertionError as timed_out:
            message = f"{len(self.replies())} replies of {n}\n{self.diagnosis()}"
            raise AssertionError(message) from timed_out
        await asyncio.sleep(2)  # time for a second send, were there one
        return self.replies()

    def replies(self) -> Counter[str]:
        """Replies delivered to customers, counted per customer message (its ts)."""
        return Counter(
            str(c.args.get("thread_ts"))
            for c in self.api.calls
            if c.method == "chat.postMessage" and c.ok and c.args.get("channel") == CCUST
        )

    async def approve(self, card: Call, *, user: str = REVIEWERS[0]) -> int:
        ts = str(card.result["ts"])
        message = self.api.message(CREVIEW, ts)
        send = next(
            e
            for block in message["blocks"]
            if block["type"] == "actions"
            for e in block["elements"]
            if e["action_id"] == "replique_send"
        )
        status, _ = await self.slack.click(
            user=user,
            action_id="replique_send",
            value=str(send["value"]),
            channel=CREVIEW,
            message_ts=ts,
        )
        return status


def _markers(text: str) -> list[str]:
    return re.findall(r"m-\d{4}", text)


@asynccontextmanager
async def deployment(
    postgres_url: str, folder: Path, *, n: int = 2, extra_env: dict[str, str] | None = None
) -> AsyncIterator[Deployment]:
    async with AsyncExitStack() as stack:
        # Migrated once, as `replique migrate` does before a rollout.
        store = Store.open(postgres_url)
        stack.callback(store.close)
        api = await FakeSlackAPI().start()
        stack.push_async_callback(api.stop)
        for i in range(400):
            api.add_user(f"UCUST{i:04d}", f"Customer {i}")
        url = make_url(postgres_url)
        gate = await stack.enter_async_context(TcpGate(url.host or "127.0.0.1", url.port or 5432))
        env = {
            "DATABASE_URL": url.set(host="127.0.0.1", port=gate.port).render_as_string(
                hide_password=False
            ),
            "SLACK_BOT_TOKEN": api.token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api.url,
            "REPLIQUE_CONFIG": str(write_config(folder)),
            **(extra_env or {}),
        }
        started = await asyncio.gather(*(stack.enter_async_context(replica(env)) for _ in range(n)))
        balancer = await stack.enter_async_context(Balancer([r.url for r in started]))
        slack = SlackEventSender(url=f"{balancer.url}/slack/events", signing_secret=SECRET)
        stack.push_async_callback(slack.close)
        yield Deployment(api, balancer, list(started), slack, gate, store, env)


async def test_events_and_clicks_on_any_replica_give_one_card_and_one_reply_each(
    postgres_url: str, tmp_path: Path
) -> None:
    async with deployment(postgres_url, tmp_path) as d:
        sent = await asyncio.gather(*(d.customer_writes(i) for i in range(30)))
        # Slack sends some events again; with round robin a retry lands on the other replica.
        for event_id, event in sent[:10]:
            status, _ = await d.slack.event(event, event_id=event_id, retry_num=1)
            assert status == 200
        cards = await d.cards_for(30)
        assert len(cards) == 30
        await asyncio.sleep(2)  # time for a second card, were there one
        assert len(d.cards()) == 30
        assert all(len(calls) == 1 for calls in d.cards().values())
        assert set(d.balancer.served) == {r.url for r in d.replicas}  # both replicas answered

        # Two reviewers approve every card at once, their clicks landing on different replicas.
        clicks = [d.approve(card, user=who) for card in cards.values() for who in REVIEWERS]
        assert set(await asyncio.gather(*clicks)) == {200}
        replies = await d.replies_for(30)
        assert set(replies) == {str(event["ts"]) for _, event in sent}
        assert set(replies.values()) == {1}


async def test_a_replica_killed_mid_burst_loses_and_doubles_nothing(
    postgres_url: str, tmp_path: Path
) -> None:
    async with deployment(postgres_url, tmp_path) as d:
        first = asyncio.gather(*(d.customer_writes(i) for i in range(40)))
        await wait_until(lambda: len(d.cards()) >= 5, timeout=TIMEOUT, what="the first cards")
        d.replicas[0].kill()
        await first
        await asyncio.gather(*(d.customer_writes(i) for i in range(40, 60)))
        cards = await d.cards_for(60)
        assert len(cards) == 60
        # What the killed replica held is taken over once its lease runs out (4 s here) ...
        for _ in range(60):
            if (await _health(d.replicas[1]))["work"] == {"inbound": 0, "action": 0}:
                break
            await asyncio.sleep(0.5)
        else:
            raise AssertionError("the survivor never finished the killed replica's work")
        # ... and redoing it updates those cards, never posts them again.
        await asyncio.sleep(1)
        assert len(await d.cards_for(60)) == 60


async def test_the_store_down_for_a_while_loses_nothing_and_sends_nothing_twice(
    postgres_url: str, tmp_path: Path
) -> None:
    async with deployment(postgres_url, tmp_path) as d:
        await asyncio.gather(*(d.customer_writes(i) for i in range(10)))
        cards = await d.cards_for(10)
        d.gate.shut()
        # While the store is down, events are refused (Slack will send them again) ...
        event = d.slack.message_event(channel=CCUST, user="UCUST0100", text="Hello? m-0100")
        status, _ = await d.slack.event(event, event_id="EvOUTAGE")
        assert status >= 500
        # ... and clicks too; health says so.
        assert await d.approve(next(iter(cards.values()))) >= 500
        assert (await _health(d.replicas[0], expect=503))["status"] == "unavailable"
        # Slack keeps retrying during the outage; the store comes back after a while.
        retrying = asyncio.create_task(d.deliver(event, "EvOUTAGE"))
        more = asyncio.gather(*(d.customer_writes(i) for i in range(10, 20)))
        await asyncio.sleep(8)
        d.gate.open()
        await retrying
        await more
        all_cards = await d.cards_for(21)
        assert len(all_cards) == 21
        clicks = await asyncio.gather(*(d.approve(card) for card in all_cards.values()))
        assert set(clicks) == {200}
        replies = await d.replies_for(21)
        assert len(replies) == 21
        assert set(replies.values()) == {1}


async def test_one_leader_polls_telegram_and_another_takes_over_when_it_dies(
    postgres_url: str, tmp_path: Path
) -> None:
    async with AsyncExitStack() as stack:
        fake = await stack.enter_async_context(FakeTelegram())
        telegram = {
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_URL": fake.base_url,
        }
        d = await stack.enter_async_context(
            deployment(postgres_url, tmp_path, n=3, extra_env=telegram)
        )
        await wait_until_one_leader(d)
        leaders = [r for r in d.replicas if (await _health(r))["leader"]]
        assert len(leaders) == 1
        await asyncio.sleep(3)
        assert fake.conflicts == 0  # nobody else polled: Telegram never answered 409
        fake.customer_says("Bonjour, où est ma commande 4242 ?", user=fake.user(5550001, "Léa"))
        await d.api.wait_for("chat.postMessage", channel=CREVIEW, timeout=TIMEOUT)

        leaders[0].kill()
        started = asyncio.get_running_loop().time()
        survivors = [r for r in d.replicas if r is not leaders[0]]
        await wait_until_one_leader(d, among=survivors)
        assert asyncio.get_running_loop().time() - started < 30
        assert fake.conflicts <= 1  # at most the dead leader's own poll, ended by the new one
        fake.customer_says("Hello, where is order 4343?", user=fake.user(5550002, "Tom"))
        await wait_until(
            lambda: any("4343" in json.dumps(c.args) for c in d.api.calls),
            timeout=TIMEOUT,
            what="the new leader's card",
        )
        assert fake.conflicts <= 1


async def wait_until_one_leader(d: Deployment, among: list[Replica] | None = None) -> None:
    group = among or d.replicas

    async def count() -> int:
        return sum([bool((await _health(r))["leader"]) for r in group])

    for _ in range(120):
        if await count() == 1:
            return
        await asyncio.sleep(0.5)
    raise AssertionError("no single leader within 60 s")


async def _health(r: Replica, *, expect: int = 200) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session, session.get(f"{r.url}/healthz") as answer:
        assert answer.status == expect
        body: dict[str, Any] = await answer.json()
        return body
