"""End to end through the platforms: from a customer message reaching Réplique to its review card.

Réplique runs as its own process (``replique run``, as in production) against the fake Telegram
Bot API and the fake Slack Web API of the tests, which run here, in the benchmark's process, and
timestamp what they receive. Each scenario sends messages from distinct customers (so no draft
supersedes another) and matches every card to its message, so lost and duplicated cards are
counted, not guessed:

- ``steady``: messages spaced at a fixed rate: latency (p50, p99) under that load;
- ``burst``: everything at once: sustained messages per second through one process.

Targets (issue: Slack and Telegram): p50 under 50 ms, p99 under 250 ms, at least 200 messages/s.

    python benchmarks/channels.py [--n 200] [--rate 20] [--json benchmarks/results/channels.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tests.fakes.slack_api import FakeSlackAPI, SlackEventSender
from tests.fakes.slack_api import measure_card_latency as slack_latency
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_bench import measure_card_latency as telegram_latency

ROOT = Path(__file__).resolve().parent.parent

REVIEW_CHAT = -1009876543210
SLACK_REVIEW = "CREVIEW"
SLACK_CUSTOMERS = "CCUSTOMERS"
SIGNING_SECRET = "bench-signing-secret"
TARGETS = {"p50_ms": 50.0, "p99_ms": 250.0, "per_second": 200.0}
LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)")


def _config(directory: Path, review: str) -> Path:
    path = directory / "replique.yml"
    path.write_text(
        "review:\n"
        f"  telegram_chat_id: {REVIEW_CHAT if review == 'telegram' else 'null'}\n"
        f"  slack_channel: {SLACK_REVIEW if review == 'slack' else 'null'}\n"
        "  reviewers:\n    telegram: [111111111]\n    slack: [UREVIEWER]\n"
        f"slack:\n  customer_channels: [{SLACK_CUSTOMERS}]\n"
        f"catalog: {ROOT / 'bot' / 'resources' / 'catalog.yml'}\n",
        encoding="utf-8",
    )
    return path


@asynccontextmanager
async def replique(env: dict[str, str]) -> AsyncIterator[str]:
    """``replique run`` in its own process; yields its URL once the models are loaded."""
    process = await asyncio.create_subprocess_exec(
        str(ROOT / ".venv" / "bin" / "replique"),
        "run",
        env={**os.environ, "REPLIQUE_LANG": "en", "REPLIQUE_PORT": "0", **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = None
    try:
        assert process.stdout is not None
        while True:
            line = (await asyncio.wait_for(process.stdout.readline(), timeout=120)).decode()
            if not line:
                raise RuntimeError("replique run stopped before it was ready")
            if found := LISTENING.search(line):
                url = found.group(0)
            if "ready" in line and url:
                break
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=30)
        except TimeoutError:
            process.kill()


async def telegram_scenarios(n: int, rate: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, scenario_rate in (("steady", rate), ("burst", None)):
        with tempfile.TemporaryDirectory() as tmp:
            async with FakeTelegram() as fake:
                env = {
                    "TELEGRAM_BOT_TOKEN": fake.token,
                    "TELEGRAM_API_URL": fake.base_url,
                    "REPLIQUE_CONFIG": str(_config(Path(tmp), "telegram")),
                    "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                }
                async with replique(env):
                    # Warm-up: the first drafts pay for lazy loading in both languages.
                    await telegram_latency(fake, review_chat_id=REVIEW_CHAT, n=5, rate=5)
                    measured = await telegram_latency(
                        fake,
                        review_chat_id=REVIEW_CHAT,
                        n=n,
                        rate=scenario_rate,
                        first_user_id=900_000,
                        timeout=max(120.0, n),
                    )
        results[name] = _row(
            latencies=list(measured.latencies),
            elapsed=measured.elapsed,
            n=n,
            lost=0,  # measure_card_latency raises when a card is missing or doubled
            duplicated=0,
        )
    return results


async def slack_scenarios(n: int, rate: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, scenario_rate in (("steady", rate), ("burst", None)):
        with tempfile.TemporaryDirectory() as tmp:
            api = await FakeSlackAPI().start()
            try:
                env = {
                    "SLACK_BOT_TOKEN": api.token,
                    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": api.url,
                    "REPLIQUE_CONFIG": str(_config(Path(tmp), "slack")),
                    "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                }
                async with replique(env) as url:
                    sender = SlackEventSender(
                        url=f"{url}/slack/events", signing_secret=SIGNING_SECRET
                    )
                    try:
                        measured = await slack_latency(
                            api=api,
                            sender=sender,
                            customer_channel=SLACK_CUSTOMERS,
                            review_channel=SLACK_REVIEW,
                            n=n,
                            rate=scenario_rate,
                            timeout=max(120.0, n),
                        )
                    finally:
                        await sender.close()
            finally:
                await api.stop()
        results[name] = _row(
            latencies=[ms / 1000 for ms in measured.latencies_ms],
            elapsed=measured.seconds,
            n=n,
            lost=measured.lost,
            duplicated=measured.duplicated,
        )
    return results


def _row(
    *, latencies: list[float], elapsed: float, n: int, lost: int, duplicated: int
) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000

    return {
        "messages": n,
        "p50_ms": round(pct(50), 1),
        "p99_ms": round(pct(99), 1),
        "per_second": round(n / elapsed, 1) if elapsed else None,
        "lost": lost,
        "duplicated": duplicated,
    }


def print_table(results: dict[str, dict[str, Any]]) -> None:
    print(
        f"{'platform':<10} {'scenario':<8} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'msg/s':>7} {'lost':>5} {'dup':>4}"
    )
    for platform, scenarios in results.items():
        for scenario, row in scenarios.items():
            print(
                f"{platform:<10} {scenario:<8} {row['messages']:>5} {row['p50_ms']:>8} "
                f"{row['p99_ms']:>8} {row['per_second']:>7} {row['lost']:>5} "
                f"{row['duplicated']:>4}"
            )
    print(
        f"targets: p50 < {TARGETS['p50_ms']:.0f} ms, p99 < {TARGETS['p99_ms']:.0f} ms, "
        f">= {TARGETS['per_second']:.0f} msg/s sustained"
    )


async def deployment_scenarios(
    n: int, *, flood_rate: float, flood_seconds: float, outage_seconds: float
) -> dict[str, Any]:
    """Replicas on PostgreSQL (benchmarks/replicas.py)."""
    from benchmarks import replicas

    one = await replicas.burst(1, n)
    two = await replicas.burst(2, n)
    flood = await replicas.flood_with_clicks(flood_rate, flood_seconds, clicks=10)
    cut = await replicas.outage(max(100, n // 2), outage_seconds)
    speedup = (two["per_second"] or 0) / (one["per_second"] or 1)
    return {
        "pg_one": one,
        "pg_two": {**two, "speedup": round(speedup, 2)},
        "flood_clicks": flood,
        "outage": cut,
    }


async def run(
    n: int,
    rate: float,
    *,
    deployment: bool = True,
    flood_rate: float = 100.0,
    flood_seconds: float = 10.0,
    outage_seconds: float = 60.0,
) -> dict[str, Any]:
    started = time.perf_counter()
    results = {
        "telegram": await telegram_scenarios(n, rate),
        "slack": await slack_scenarios(n, rate),
    }
    report: dict[str, Any] = {"results": results, "targets": TARGETS}
    if deployment:
        report["deployment"] = await deployment_scenarios(
            n, flood_rate=flood_rate, flood_seconds=flood_seconds, outage_seconds=outage_seconds
        )
    report["seconds"] = round(time.perf_counter() - started)
    return report


def print_deployment(deployment: dict[str, Any], *, draft_per_second: float | None) -> None:
    print(
        f"\n{'deployment':<13} {'n':>5} {'msg/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'lost':>5} {'dup':>4} {'refused':>8}"
    )
    for name, row in deployment.items():
        print(
            f"{name:<13} {row['messages']:>5} {row['per_second']!s:>7} {row['p50_ms']!s:>8} "
            f"{row['p99_ms']!s:>8} {row['lost']:>5} {row['duplicated']:>4} {row['refused']:>8}"
        )
    two = deployment["pg_two"]
    print(f"two replicas on PostgreSQL: {two['speedup']}x one (target >= 1.7x)")
    flood = deployment["flood_clicks"]
    print(
        f"flood of {flood['flood_rate']:.0f} msg/s: ✅ to reply p50 "
        f"{flood['click_to_reply_p50_ms']} ms, max {flood['click_to_reply_max_ms']} ms "
        f"(target p99 < 1000 ms); ✏️ modal opened within 3 s {flood['modals_within_3s']} of "
        f"{flood['clicks']} (slowest {flood['modal_max_ms']} ms)"
    )
    cut = deployment["outage"]
    print(
        f"store down {cut['outage_seconds']:.0f} s mid-burst: {cut['lost']} lost, "
        f"{cut['duplicated']} duplicated, {cut['refused']} refusals (Slack sent those again)"
    )
    if draft_per_second:
        burst = deployment["pg_one"]["per_second"] or 0
        print(
            f"service burst (one process, PostgreSQL) vs bare `replique draft --json`: "
            f"{burst:.0f} / {draft_per_second:.0f} msg/s = {burst / draft_per_second:.1%} "
            "(goal >= 20 %)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="messages per scenario")
    parser.add_argument("--rate", type=float, default=20.0, help="messages/s in the steady run")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/channels.json")
    args = parser.parse_args()
    report = asyncio.run(run(args.n, args.rate))
    print_table(report["results"])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
