"""``replique check``'s question to the order system: which provider, and does it answer?"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from bot.config import AppConfig, Settings
from bot.errors import ConfigError, Words
from bot.orders.base import ProviderFailure
from bot.orders.factory import make_provider

__all__ = ["Probe", "probe_orders"]


@dataclass(frozen=True, slots=True)
class Probe:
    """``provider`` None: none configured; ``problem`` None: it answered, in ``ms``."""

    provider: str | None
    ms: float = 0.0
    problem: Words | None = None


def probe_orders(
    config: AppConfig,
    settings: Settings | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
) -> Probe:
    """Build the configured provider and ask it something cheap (within the lookup's budget)."""
    name = config.orders.provider
    if name is None:
        return Probe(None)
    try:
        provider = make_provider(config, settings, transport=transport)
    except ConfigError as exc:
        return Probe(name, problem=exc.words)
    if provider is None:
        return Probe(None)
    started = time.perf_counter()
    try:
        provider.probe()
    except ProviderFailure as exc:
        return Probe(
            name, problem=Words("orders.check_no_answer", provider=name, reason=exc.reason)
        )
    finally:
        provider.close()
    return Probe(name, ms=(time.perf_counter() - started) * 1000)
