"""The ``orders`` section (results/orders.json): what order facts cost a draft, and what a broken
order system cannot cost it.

- warm cache: the same order messages drafted with the demo brand's order system (its answers
  cached) and without one; the difference of the p50s is what the lookup adds (target ≤ 5 ms);
  the lookup alone on a warm cache is timed too;
- hanging provider: an ``http`` order system that accepts connections and never answers, with
  the default 800 ms budget: the slowest draft must stay within the budget plus the draft's own
  time; after ``breaker_failures`` timeouts the circuit opens and drafts stop waiting at all;
- demo brand: each sample order of ``bot/resources/orders.csv`` asked about in French and
  English: found, and the first draft states its facts.
"""

from __future__ import annotations

import socket
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from bot.config import RESOURCES, AppConfig, OrdersConfig, load_config
from bot.drafting.replier import CustomerContext, Replier, ReplyRequest
from bot.nlp.analyser import Analyser
from bot.orders import OrderLookup, References, make_lookup

__all__ = ["print_orders", "run_orders"]

SAMPLE_NUMBERS = ("48213", "48190", "48177", "48102", "47955")
NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def _requests() -> list[ReplyRequest]:
    texts = []
    for number in SAMPLE_NUMBERS:
        texts += [
            f"Bonjour, où en est ma commande {number} ?",
            f"Hi, where is my order {number}?",
            f"Je veux annuler la commande {number}",
            f"I want a refund for order {number}",
        ]
    from bot.domain import CustomerProfile

    return [ReplyRequest(text, CustomerContext(CustomerProfile("bench"))) for text in texts]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _draft_ms(replier: Replier, pairs: list[tuple[ReplyRequest, Any]], rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        for request, analysis in pairs:
            started = time.perf_counter()
            replier.draft(request, analysis, now=NOW)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def warm_cache(config: AppConfig, analyser: Analyser, rounds: int) -> dict[str, float]:
    plain = config.model_copy(update={"orders": OrdersConfig()})
    without = Replier(plain, analyser=analyser)
    with_orders = Replier(config, analyser=analyser)
    requests = _requests()
    analyses = with_orders.analyse_many(requests, now=NOW)
    pairs = list(zip(requests, analyses, strict=True))
    _draft_ms(with_orders, pairs, 1)  # fills the cache, warms both
    _draft_ms(without, pairs, 1)
    base = _draft_ms(without, pairs, rounds)
    facts = _draft_ms(with_orders, pairs, rounds)
    lookup = with_orders.orders
    assert lookup is not None
    alone = []
    for _ in range(rounds * 20):
        started = time.perf_counter()
        lookup.facts(References(order_number="48213"))
        alone.append((time.perf_counter() - started) * 1000)
    return {
        "draft_p50_ms_without_orders": round(statistics.median(base), 3),
        "draft_p50_ms_with_orders": round(statistics.median(facts), 3),
        "lookup_overhead_p50_ms": round(statistics.median(facts) - statistics.median(base), 3),
        "lookup_alone_p50_ms": round(statistics.median(alone), 4),
        "lookup_alone_p99_ms": round(_p(alone, 0.99), 4),
        "drafts_timed": len(facts),
    }


def hanging_provider(config: AppConfig, analyser: Analyser, drafts: int) -> dict[str, Any]:
    # A server that takes connections into its backlog and never says a word.
    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    port = silent.getsockname()[1]
    orders = OrdersConfig(provider="http", url=f"http://127.0.0.1:{port}/orders/{{order_number}}")
    hanging = config.model_copy(update={"orders": orders})
    lookup = make_lookup(hanging)
    assert isinstance(lookup, OrderLookup)
    replier = Replier(hanging, analyser=analyser, orders=lookup)
    request = _requests()[0]
    analysis = replier.analyse_many([request], now=NOW)[0]
    timings, problems = [], []
    for _ in range(drafts):
        started = time.perf_counter()
        reply = replier.draft(request, analysis, now=NOW)
        timings.append((time.perf_counter() - started) * 1000)
        problems.append(reply.facts.problem if reply.facts else None)
    lookup.close()
    silent.close()
    budget = float(orders.budget_ms)
    waited = timings[: orders.breaker_failures]
    return {
        "budget_ms": budget,
        "drafts": drafts,
        "slowest_draft_ms": round(max(timings), 1),
        "slowest_while_waiting_ms": round(max(waited), 1),
        "drafts_after_breaker_p50_ms": round(statistics.median(timings[len(waited) :]), 3)
        if drafts > len(waited)
        else None,
        "timeouts": problems.count("timeout"),
        "circuit_open": problems.count("circuit_open"),
        "within_budget": max(timings) <= budget + 50,
        "timings_ms": [round(t, 1) for t in timings],
    }


def demo_brand(config: AppConfig, analyser: Analyser) -> dict[str, Any]:
    replier = Replier(config, analyser=analyser)
    rows = []
    for request in _requests():
        reply = replier.reply(request, now=NOW)
        first = reply.result.drafts[0] if reply.result.drafts else None
        rows.append(
            {
                "text": request.text,
                "found": bool(reply.facts and reply.facts.found),
                "template": first.template if first else None,
                "facts_used": list(first.why.facts) if first else [],
            }
        )
    shown = sum(1 for r in rows if r["found"] and r["facts_used"])
    return {"messages": len(rows), "with_facts_in_first_draft": shown, "rows": rows}


def run_orders(rounds: int = 20, hanging_drafts: int = 8) -> dict[str, Any]:
    config = load_config(RESOURCES / "replique.yml")
    analyser = Analyser(config)
    return {
        "warm_cache": warm_cache(config, analyser, rounds),
        "hanging_provider": hanging_provider(config, analyser, hanging_drafts),
        "demo_brand": demo_brand(config, analyser),
    }


def print_orders(results: dict[str, Any]) -> None:
    warm, hanging, demo = results["warm_cache"], results["hanging_provider"], results["demo_brand"]
    budget = f"<= {hanging['budget_ms']:.0f} + draft"
    opened = f"{hanging['timeouts']}/{hanging['circuit_open']}"
    shown = f"{demo['with_facts_in_first_draft']}/{demo['messages']}"
    rows = [
        ("draft p50, no order system (ms)", warm["draft_p50_ms_without_orders"], "-"),
        ("draft p50, warm cache (ms)", warm["draft_p50_ms_with_orders"], "-"),
        ("lookup overhead p50 (ms)", warm["lookup_overhead_p50_ms"], "<= 5"),
        ("lookup alone p50 (ms)", warm["lookup_alone_p50_ms"], "-"),
        ("hanging: slowest draft (ms)", hanging["slowest_draft_ms"], budget),
        ("hanging: timeouts / circuit open", opened, "-"),
        ("hanging: p50 once open (ms)", hanging["drafts_after_breaker_p50_ms"], "-"),
        ("demo: first drafts with facts", shown, "all"),
    ]
    print(f"{'measure':<36}{'value':>12}  target")
    for name, value, target in rows:
        print(f"{name:<36}{value!s:>12}  {target}")
