"""The benchmark helper the lead wires into ``make bench``: it measures, and it notices loss."""

from __future__ import annotations

from tests.fakes.telegram_bench import measure_card_latency
from tests.telegram.conftest import REVIEW_CHAT, Replique


async def test_measure_card_latency_counts_every_card_once(replique: Replique) -> None:
    result = await measure_card_latency(replique.fake, review_chat_id=REVIEW_CHAT, n=20)

    assert result.count == 20
    assert len(result.latencies) == 20
    assert all(latency > 0 for latency in result.latencies)
    assert result.percentile(50) <= result.percentile(99)
    assert result.per_second > 0
    print(
        f"\ncard latency p50 {result.percentile(50) * 1000:.1f} ms, "
        f"p99 {result.percentile(99) * 1000:.1f} ms, {result.per_second:.0f} messages/s"
    )
