"""Benchmark helper: customer messages in through the fake Bot API, review cards out.

``measure_card_latency(fake, review_chat_id=..., n=500)`` injects ``n`` customer messages into a
running Réplique (all at once, or ``rate`` per second) and measures, per message, the time from
the update entering ``getUpdates`` to its card's ``sendMessage`` reaching the fake. It fails when
a card is missing (timeout) or posted twice, so a run that returns lost and duplicated nothing.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from tests.fakes.telegram_api import ApiCall, FakeTelegram

__all__ = ["BenchResult", "measure_card_latency"]


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Latency from a customer message entering getUpdates to its card reaching the server."""

    latencies: tuple[float, ...]
    elapsed: float
    count: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def per_second(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0


async def measure_card_latency(
    fake: FakeTelegram,
    *,
    review_chat_id: int,
    n: int = 500,
    rate: float | None = None,
    first_user_id: int = 500_000,
    timeout: float = 120.0,
) -> BenchResult:
    """Send ``n`` customer messages (each from its own customer, ``rate`` per second or all at
    once) through a running Réplique and measure, per message, the time until its review card's
    ``sendMessage`` reaches ``review_chat_id``. Fails when a card is missing or posted twice."""
    marker = f"bench{time.monotonic_ns()}"
    injected: dict[str, float] = {}
    started = time.perf_counter()
    for i in range(n):
        tag = f"{marker}-{i}-"
        user = fake.user(first_user_id + i, f"Client{i}")
        injected[tag] = time.perf_counter()
        fake.customer_says(f"Hello, where is my order 4{i:05d}? {tag}", user=user)
        if rate:
            # An absolute schedule: the loop's own overhead does not slow the offered rate.
            await asyncio.sleep(max(0.0, started + (i + 1) / rate - time.perf_counter()))

    cards: list[ApiCall] = []
    scanned = 0

    def all_posted() -> bool:
        # Incremental: only calls made since the last look are read (the wait re-checks after
        # every call the server answers).
        nonlocal scanned
        for call in fake.calls[scanned:]:
            if (
                call.method == "sendMessage"
                and call.chat_id == review_chat_id
                and marker in call.text
                and call.params.get("_ok", True)
            ):
                cards.append(call)
        scanned = len(fake.calls)
        return len(cards) >= n

    await fake.wait_for(all_posted, timeout=timeout)
    elapsed = time.perf_counter() - started
    latencies: dict[str, float] = {}
    for call in cards:
        tag = call.text[call.text.index(marker) :].split(" ", 1)[0].split("<", 1)[0]
        if tag in latencies:
            raise AssertionError(f"two cards for {tag}")
        latencies[tag] = call.at - injected[tag]
    return BenchResult(latencies=tuple(latencies.values()), elapsed=elapsed, count=n)
