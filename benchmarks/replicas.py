"""The channels section's deployment scenarios: ``replique run`` processes on PostgreSQL.

Each scenario runs real processes behind the round-robin balancer of the tests
(``tests/fakes/replicas.py``) against the fake Slack Web API, in a schema of its own:

- ``pg_one`` / ``pg_two``: a burst of Slack events through one process, then two: messages per
  second from the first event to the last card, and the second's speed-up over the first;
- ``flood_clicks``: a flood of customer messages (``--flood-rate`` per second) while a reviewer
  approves cards and opens the ✏️ modal: click-to-reply latency, and whether every modal opened
  within Slack's three seconds;
- ``outage``: the database connection cut for ``--outage-seconds`` in the middle of a burst
  (events are refused meanwhile and Slack sends them again): lost and duplicated cards, refusals.

Every card and reply is matched to its message, so lost and duplicated are counted, not guessed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import make_url

from tests.fakes.replicas import Balancer, TcpGate, replica
from tests.fakes.slack_api import FakeSlackAPI, SlackEventSender

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "REPLIQUE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CCUST, CREVIEW, REVIEWER = "CCUSTOMERS", "CREVIEW", "UREVIEWER"
SECRET = "bench-signing-secret"
MARKER = re.compile(r"bm-\d{6}")


def _config(folder: Path) -> Path:
    path = folder / "replique.yml"
    path.write_text(
        "brand:\n  languages: [en, fr]\n  default_language: en\n"
        f"review:\n  slack_channel: {CREVIEW}\n  reviewers:\n    slack: [{REVIEWER}]\n"
        "  work_lease_seconds: 10\n"
        f"slack:\n  customer_channels: [{CCUST}]\n"
        f"catalog: {ROOT / 'bot' / 'resources' / 'catalog.yml'}\n",
        encoding="utf-8",
    )
    return path


@contextlib.contextmanager
def _schema() -> Any:
    """A fresh schema of the benchmark database; dropped afterwards."""
    url = make_url(POSTGRES_URL)
    args = url.translate_connect_args(username="user", database="dbname")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**args, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        yield url.update_query_dict({"options": f"-csearch_path={name}"})
    finally:
        with psycopg.connect(**args, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


class Rig:
    """Replicas on PostgreSQL behind a balancer, the fake Slack API, a gate on the database."""

    def __init__(self, api: FakeSlackAPI, slack: SlackEventSender, gate: TcpGate) -> None:
        self.api, self.slack, self.gate = api, slack, gate
        self.refused = 0

    def cards(self) -> dict[str, list[float]]:
        """When each message's card was posted (a list: more than one is a duplicate)."""
        found: dict[str, list[float]] = {}
        for call in self.api.calls:
            posted = call.method == "chat.postMessage" and call.ok
            if posted and call.args.get("channel") == CREVIEW:
                for marker in set(MARKER.findall(json.dumps(call.args.get("blocks")))):
                    found.setdefault(marker, []).append(call.at)
        return found

    async def customer(self, i: int, *, sent: dict[str, float]) -> None:
        """Customer ``i`` writes; the event is sent again (as Slack does) until acknowledged."""
        event = self.slack.message_event(
            channel=CCUST, user=f"UB{i:06d}", text=f"Where is my order {10000 + i}? bm-{i:06d}"
        )
        event_id = self.slack.new_event_id()
        sent[f"bm-{i:06d}"] = time.perf_counter()
        self.refused += await self.slack.until_acknowledged(event, event_id=event_id)

    async def until_cards(self, n: int, timeout: float) -> None:
        deadline = time.perf_counter() + timeout
        while len(self.cards()) < n and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def rig(replicas: int) -> AsyncIterator[Rig]:
    with tempfile.TemporaryDirectory() as tmp, _schema() as url:
        api = await FakeSlackAPI().start()
        try:
            async with TcpGate(url.host or "127.0.0.1", url.port or 5432) as gate:
                env = {
                    "DATABASE_URL": url.set(port=gate.port).render_as_string(hide_password=False),
                    "SLACK_BOT_TOKEN": api.token,
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_API_URL": api.url,
                    "REPLIQUE_CONFIG": str(_config(Path(tmp))),
                }
                async with contextlib.AsyncExitStack() as stack:
                    first = await stack.enter_async_context(replica(env))  # migrates
                    rest = await asyncio.gather(
                        *(stack.enter_async_context(replica(env)) for _ in range(replicas - 1))
                    )
                    balancer = await stack.enter_async_context(
                        Balancer([first.url, *(r.url for r in rest)])
                    )
                    slack = SlackEventSender(
                        url=f"{balancer.url}/slack/events", signing_secret=SECRET
                    )
                    stack.push_async_callback(slack.close)
                    yield Rig(api, slack, gate)
        finally:
            await api.stop()


def _summary(rig: Rig, sent: dict[str, float], started: float) -> dict[str, Any]:
    cards = rig.cards()
    firsts = {m: at[0] for m, at in cards.items() if m in sent}
    latencies = sorted((firsts[m] - sent[m]) * 1000 for m in firsts)
    elapsed = (max(firsts.values()) - started) if firsts else 0.0

    def pct(p: float) -> float | None:
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, round(p / 100 * (len(latencies) - 1)))], 1)

    return {
        "messages": len(sent),
        "per_second": round(len(firsts) / elapsed, 1) if elapsed else None,
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "lost": len(sent) - len(firsts),
        "duplicated": sum(len(at) - 1 for at in cards.values()),
        "refused": rig.refused,
    }


async def burst(replicas: int, n: int) -> dict[str, Any]:
    async with rig(replicas) as r:
        warm: dict[str, float] = {}
        await asyncio.gather(*(r.customer(900_000 + i, sent=warm) for i in range(10)))
        await r.until_cards(10, 120)
        sent: dict[str, float] = {}
        gate = asyncio.Semaphore(40)

        async def one(i: int) -> None:
            async with gate:
                await r.customer(i, sent=sent)

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        await r.until_cards(n + 10, max(120.0, n / 5))
        return _summary(r, sent, started)


async def flood_with_clicks(rate: float, seconds: float, clicks: int) -> dict[str, Any]:
    """A flood at ``rate`` msg/s; meanwhile a reviewer approves ``clicks`` cards posted before
    it began and opens the ✏️ modal on as many."""
    async with rig(1) as r:
        early: dict[str, float] = {}
        await asyncio.gather(*(r.customer(800_000 + i, sent=early) for i in range(clicks * 2)))
        await r.until_cards(clicks * 2, 120)
        ts_of = {
            m: str(call.result["ts"])
            for call in r.api.calls
            if call.method == "chat.postMessage" and call.args.get("channel") == CREVIEW
            for m in MARKER.findall(json.dumps(call.args.get("blocks")))
        }
        cards = sorted(ts_of.items())
        sent: dict[str, float] = {}
        flood_started = time.perf_counter()

        async def flood() -> None:
            tasks = []
            for i in range(int(rate * seconds)):
                at = flood_started + i / rate
                await asyncio.sleep(max(0.0, at - time.perf_counter()))
                tasks.append(asyncio.create_task(r.customer(i, sent=sent)))
            await asyncio.gather(*tasks)

        async def reviewer() -> tuple[list[float], list[float]]:
            replies: list[float] = []
            modals: list[float] = []
            await asyncio.sleep(min(2.0, seconds / 4))  # the flood is under way
            for k, (_marker, ts) in enumerate(cards[:clicks]):
                clicked = await _press(r, ts, "replique_send")
                replies.append(
                    await _first_call_after(r, clicked, "chat.postMessage", CCUST) - clicked
                )
                clicked = await _press(r, cards[clicks + k][1], "replique_edit")
                modals.append(await _first_call_after(r, clicked, "views.open") - clicked)
                # Slack's pace for one channel is a message a second: wait it out, so the
                # figure is the desk's latency, not the platform's rate limit.
                await asyncio.sleep(1.1)
            return replies, modals

        _, (replies, modals) = await asyncio.gather(flood(), reviewer())
        await r.until_cards(len(sent) + clicks * 2, max(120.0, len(sent) / 5))
        summary = _summary(r, sent, flood_started)
        replies_ms = sorted(x * 1000 for x in replies)
        modal_ms = sorted(x * 1000 for x in modals)
        summary.update(
            flood_rate=rate,
            click_to_reply_p50_ms=round(replies_ms[len(replies_ms) // 2], 1),
            click_to_reply_max_ms=round(replies_ms[-1], 1),
            modal_max_ms=round(modal_ms[-1], 1),
            modals_within_3s=sum(1 for m in modal_ms if m < 3000),
            clicks=clicks,
        )
        return summary


async def _press(r: Rig, ts: str, action_id: str) -> float:
    """The reviewer presses ``action_id`` on the card at ``ts``; returns when (perf_counter)."""
    value = _button(r.api.message(CREVIEW, ts), action_id)
    clicked = time.perf_counter()
    await r.slack.click(
        user=REVIEWER, action_id=action_id, value=value, channel=CREVIEW, message_ts=ts
    )
    return clicked


def _button(message: dict[str, Any], action_id: str) -> str:
    for block in message.get("blocks") or ():
        for element in block.get("elements") or ():
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise LookupError(action_id)


async def _first_call_after(
    r: Rig, since: float, method: str, channel: str | None = None, timeout: float = 30.0
) -> float:
    """When the fake Slack API first received ``method`` (to ``channel``) after ``since``."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for call in r.api.calls:
            wanted = channel is None or call.args.get("channel") == channel
            if call.method == method and wanted and call.at >= since:
                return call.at
        await asyncio.sleep(0.005)
    return deadline


async def outage(n: int, seconds: float) -> dict[str, Any]:
    """A burst of ``n`` messages with the database cut for ``seconds`` a third of the way in."""
    async with rig(2) as r:
        warm: dict[str, float] = {}
        await asyncio.gather(*(r.customer(900_000 + i, sent=warm) for i in range(10)))
        await r.until_cards(10, 120)
        sent: dict[str, float] = {}
        started = time.perf_counter()

        async def cut() -> None:
            await asyncio.sleep(max(0.5, n / 600))
            r.gate.shut()
            await asyncio.sleep(seconds)
            r.gate.open()

        async def spread() -> None:
            tasks = []
            for i in range(n):
                tasks.append(asyncio.create_task(r.customer(i, sent=sent)))
                await asyncio.sleep(3 * max(0.5, n / 600) / n)
            await asyncio.gather(*tasks)

        await asyncio.gather(cut(), spread())
        await r.until_cards(n + 10, 180)
        await asyncio.sleep(3)  # time for a duplicate, were there one
        summary = _summary(r, sent, started)
        summary["outage_seconds"] = seconds
        return summary
