"""The order provider and lookup that ``replique.yml``'s ``orders:`` section describes, with the
secrets from the environment."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import httpx

from bot.config import AppConfig, Settings, load_settings
from bot.errors import ConfigError
from bot.orders.base import OrderProvider
from bot.orders.csv_file import CsvProvider
from bot.orders.http_contract import HttpProvider
from bot.orders.lookup import OrderLookup
from bot.orders.shopify import ShopifyProvider
from bot.orders.woocommerce import WooCommerceProvider

__all__ = ["make_lookup", "make_provider"]


def _secret(value: object) -> str | None:
    reveal = getattr(value, "get_secret_value", None)
    return reveal() if reveal is not None else None


def make_provider(
    config: AppConfig,
    settings: Settings | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
) -> OrderProvider | None:
    """The configured provider, None when there is none; ConfigError for a missing secret."""
    orders = config.orders
    if orders.provider is None:
        return None
    settings = settings or load_settings()
    zone = ZoneInfo(config.brand.timezone)
    # One request never outlives the lookup's budget by much (the lookup does not wait anyway).
    timeout = max(0.2, orders.budget_ms / 1000.0)
    if orders.provider == "csv":
        if orders.file is None:
            raise ConfigError("orders.config_needs", provider="csv", key="file")
        return CsvProvider(path=config.resolve(orders.file), zone=zone)
    if orders.provider == "http":
        return HttpProvider(
            url=str(orders.url),
            email_url=orders.email_url,
            token=_secret(settings.replique_orders_token),
            zone=zone,
            timeout=timeout,
            transport=transport,
        )
    if orders.provider == "shopify":
        token = _secret(settings.shopify_access_token)
        if not token:
            raise ConfigError("orders.no_secret", provider="shopify", names="SHOPIFY_ACCESS_TOKEN")
        return ShopifyProvider(
            shop=str(orders.shop),
            token=token,
            zone=zone,
            timeout=timeout,
            api_version=orders.api_version,
            api_url=settings.shopify_api_url,
            transport=transport,
        )
    key = _secret(settings.woocommerce_consumer_key)
    secret = _secret(settings.woocommerce_consumer_secret)
    if not key or not secret:
        raise ConfigError(
            "orders.no_secret",
            provider="woocommerce",
            names="WOOCOMMERCE_CONSUMER_KEY, WOOCOMMERCE_CONSUMER_SECRET",
        )
    return WooCommerceProvider(
        url=str(orders.url),
        key=key,
        secret=secret,
        zone=zone,
        timeout=timeout,
        api_url=settings.woocommerce_api_url,
        transport=transport,
    )


def make_lookup(
    config: AppConfig,
    settings: Settings | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
) -> OrderLookup | None:
    """The lookup over the configured provider, None when no order system is configured."""
    provider = make_provider(config, settings, transport=transport)
    if provider is None:
        return None
    orders = config.orders
    return OrderLookup(
        provider,
        budget_ms=orders.budget_ms,
        cache_seconds=orders.cache_seconds,
        breaker_failures=orders.breaker_failures,
        breaker_seconds=orders.breaker_seconds,
        require_email=orders.require_email,
    )
