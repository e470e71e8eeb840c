"""The order providers against local fakes of Shopify's GraphQL Admin API, WooCommerce's REST
API and the ``http`` contract: found, not found, e-mail mismatch, slow, 500, garbage, an unknown
status, the circuit breaker; and ``replique check``'s probe."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from bot.config import AppConfig, OrdersConfig, Settings
from bot.orders import OrderLookup, References, make_lookup, make_provider
from bot.orders.base import OrderProvider, ProviderFailure
from bot.orders.csv_file import CsvProvider
from bot.orders.probe import probe_orders
from tests.fakes.order_systems import (
    ORDERS_TOKEN,
    SHOPIFY_TOKEN,
    WOO_KEY,
    WOO_SECRET,
    FakeOrderSystem,
)

ZONE = ZoneInfo("America/Toronto")


@pytest.fixture
def system() -> Iterator[FakeOrderSystem]:
    fake = FakeOrderSystem()
    yield fake
    fake.close()


def _settings(system: FakeOrderSystem) -> Settings:
    return Settings(
        replique_orders_token=SecretStr(ORDERS_TOKEN),
        shopify_access_token=SecretStr(SHOPIFY_TOKEN),
        shopify_api_url=f"{system.url}/admin/api/2025-01/graphql.json",
        woocommerce_consumer_key=SecretStr(WOO_KEY),
        woocommerce_consumer_secret=SecretStr(WOO_SECRET),
        woocommerce_api_url=f"{system.url}/wp-json/wc/v3",
    )


def _config(system: FakeOrderSystem, provider: str, **extra: Any) -> AppConfig:
    orders: dict[str, Any] = {"provider": provider, "budget_ms": 800, **extra}
    if provider == "http":
        orders.setdefault("url", f"{system.url}/orders/{{order_number}}")
        orders.setdefault("email_url", f"{system.url}/orders?email={{email}}")
    elif provider == "woocommerce":
        orders.setdefault("url", "https://shop.example")
    elif provider == "shopify":
        orders.setdefault("shop", "cafe-boreal.myshopify.com")
    return AppConfig(orders=OrdersConfig(**orders))


def _lookup(system: FakeOrderSystem, provider: str, **extra: Any) -> OrderLookup:
    lookup = make_lookup(_config(system, provider, **extra), _settings(system))
    assert lookup is not None
    return lookup


PROVIDERS = ["http", "shopify", "woocommerce"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_order_found_by_number_is_described(system: FakeOrderSystem, provider: str) -> None:
    lookup = _lookup(system, provider)
    facts = lookup.facts(References(order_number="48213"))
    lookup.close()
    assert facts.found
    assert facts.problem is None
    assert facts.source == provider
    order = facts.order
    assert order is not None
    assert order.number == "48213"
    assert order.carrier == "Postes Canada"
    assert order.tracking_number == "7023210039414604"
    assert order.tracking_url == "https://track.example/7023210039414604"
    assert [(i.name, i.quantity) for i in order.items] == [("Moulin Manuel Taïga", 1)]
    # The e-mail served the privacy rule and travels no further.
    assert order.email is None
    if provider == "woocommerce":
        # WooCommerce has no "in transit": a completed order has shipped; no ETA field.
        assert order.status == "shipped"
    else:
        assert order.status == "in_transit"
        # 03:00 UTC on the 10th is still the 9th in Toronto: the brand's day.
        assert order.eta == "2026-12-09"
        assert order.orders_count == 7


def test_each_provider_sends_its_credentials(system: FakeOrderSystem) -> None:
    for provider in PROVIDERS:
        lookup = _lookup(system, provider)
        lookup.facts(References(order_number="48213"))
        lookup.close()
    contract, shopify, woo = system.requests
    assert contract.headers["Authorization"] == f"Bearer {ORDERS_TOKEN}"
    assert contract.headers["Accept"] == "application/json"
    assert contract.path == "/orders/48213"
    assert shopify.method == "POST"
    assert shopify.headers["X-Shopify-Access-Token"] == SHOPIFY_TOKEN
    assert 'name:\\"#48213\\"' in shopify.body
    assert woo.path == "/wp-json/wc/v3/orders/48213"
    assert woo.headers["Authorization"].startswith("Basic ")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_no_such_order(system: FakeOrderSystem, provider: str) -> None:
    lookup = _lookup(system, provider)
    facts = lookup.facts(References(order_number="99999"))
    lookup.close()
    assert (facts.found, facts.order, facts.problem, facts.asked) == (
        False,
        None,
        "not_found",
        "99999",
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_order_of_another_email_is_not_described(system: FakeOrderSystem, provider: str) -> None:
    lookup = _lookup(system, provider)
    facts = lookup.facts(References(order_number="48213", email="mallory@example.com"))
    same = lookup.facts(References(order_number="48213", known_email="SOPHIE@example.com "))
    lookup.close()
    assert (facts.found, facts.order, facts.problem) == (False, None, "email_mismatch")
    assert same.found
    assert same.order is not None


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_most_recent_order_of_an_email(system: FakeOrderSystem, provider: str) -> None:
    lookup = _lookup(system, provider)
    facts = lookup.facts(References(email="sophie@example.com"))
    none = lookup.facts(References(email="nobody@example.com"))
    lookup.close()
    assert facts.order is not None
    assert facts.order.number == "48213"
    assert none.problem == "not_found"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_hanging_order_system_never_holds_a_draft_past_the_budget(
    system: FakeOrderSystem, provider: str
) -> None:
    system.mode = "slow"
    lookup = _lookup(system, provider, budget_ms=200)
    started = time.perf_counter()
    facts = lookup.facts(References(order_number="48213"))
    waited = time.perf_counter() - started
    lookup.close()
    assert facts.problem == "timeout"
    assert facts.order is None
    # The fake hangs 5 s: well under that, the budget cut the wait (a loose bound, not speed).
    assert 0.19 <= waited < 2.0, waited


@pytest.mark.parametrize("mode", ["500", "garbage", "bad_status"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_broken_answer_is_a_problem_never_a_fact(
    system: FakeOrderSystem, provider: str, mode: str
) -> None:
    system.mode = mode
    lookup = _lookup(system, provider)
    facts = lookup.facts(References(order_number="48213"))
    lookup.close()
    assert (facts.found, facts.order, facts.problem) == (False, None, "unreachable")


def test_the_circuit_opens_after_failures_in_a_row_then_tries_again(
    system: FakeOrderSystem,
) -> None:
    system.mode = "500"
    now = [1000.0]
    config = _config(system, "http", breaker_failures=3, breaker_seconds=30, cache_seconds=0)
    provider = make_provider(config, _settings(system))
    assert provider is not None
    lookup = OrderLookup(
        provider, breaker_failures=3, breaker_seconds=30, cache_seconds=0, clock=lambda: now[0]
    )
    problems = [lookup.facts(References(order_number="48213")).problem for _ in range(3)]
    assert problems == ["unreachable"] * 3
    asked = len(system.requests)
    resting = lookup.facts(References(order_number="48213"))
    assert resting.problem == "circuit_open"
    assert resting.ms < 5
    assert len(system.requests) == asked  # the order system was left alone
    system.mode = "ok"
    now[0] += 31
    recovered = lookup.facts(References(order_number="48213"))
    lookup.close()
    assert recovered.found
    assert len(system.requests) == asked + 1
    assert not lookup.breaker.open


def test_the_shopify_errors_field_is_a_failure(system: FakeOrderSystem) -> None:
    provider = make_provider(_config(system, "shopify"), _settings(system))
    assert provider is not None
    with pytest.raises(ProviderFailure):
        provider._orders("total_price:>5", 1)  # type: ignore[attr-defined]
    provider.close()


def test_woocommerce_search_keeps_only_the_mailbox_asked(system: FakeOrderSystem) -> None:
    system.orders.append(
        {**system.orders[0], "number": "50001",
         "customer": {"email": "other@example.com", "first_name": "Sophie", "orders_count": 1}}
    )  # fmt: skip
    provider: OrderProvider | None = make_provider(
        _config(system, "woocommerce"), _settings(system)
    )
    assert provider is not None
    assert [o.number for o in provider.by_email("sophie@example.com")] == ["48213", "48190"]
    assert provider.by_number("not-a-number") is None  # never reaches the path
    provider.close()


def test_a_missing_secret_is_said_by_name(system: FakeOrderSystem) -> None:
    probe = probe_orders(_config(system, "shopify"), Settings())
    assert probe.provider == "shopify"
    assert probe.problem is not None
    assert "SHOPIFY_ACCESS_TOKEN" in str(probe.problem)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_check_says_which_provider_answers(system: FakeOrderSystem, provider: str) -> None:
    probe = probe_orders(_config(system, provider), _settings(system))
    assert (probe.provider, probe.problem) == (provider, None)
    system.mode = "500"
    failing = probe_orders(_config(system, provider), _settings(system))
    assert failing.problem is not None
    assert "does not answer" in str(failing.problem)


def test_the_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "number,status,carrier,tracking_number,tracking_url,eta,items,email,first_name,"
        "orders_count\n"
        "1001,shipped,UPS,1Z999,,2026-12-10,Mélange Boréal x 2;Filtres,a@example.com,Ana,3\n",
        encoding="utf-8",
    )
    provider = CsvProvider(path=path, zone=ZONE)
    order = provider.by_number("#1001")
    assert order is not None
    assert order.status == "shipped"
    assert order.eta == "2026-12-10"
    assert [(i.name, i.quantity) for i in order.items] == [("Mélange Boréal", 2), ("Filtres", 1)]
    assert provider.by_email("A@example.com")[0].number == "1001"
    path.write_text(path.read_text(encoding="utf-8").replace("shipped", "lost"), encoding="utf-8")
    with pytest.raises(ProviderFailure, match="line 2"):
        provider.by_number("1001")
