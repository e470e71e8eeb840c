"""An order system in memory, shipped next to the seam: tests, benchmarks and the console use
it without a network. ``delay`` makes it slow, ``fail`` makes it fail, ``calls`` counts."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from bot.domain import Order
from bot.orders.base import ProviderFailure, same_email

__all__ = ["StaticProvider"]


class StaticProvider:
    """Answers from a list of orders (the last of a number wins)."""

    def __init__(
        self,
        orders: Iterable[Order] = (),
        *,
        name: str = "static",
        delay: float = 0.0,
        fail: bool = False,
    ) -> None:
        self.name = name
        self.orders = list(orders)
        self.delay = delay
        self.fail = fail
        self.calls = 0
        self._released = threading.Event()

    def _visit(self) -> None:
        self.calls += 1
        if self.delay:
            # Waits like a hanging server, but close() lets it go at once.
            self._released.wait(self.delay)
        if self.fail:
            raise ProviderFailure("failing on purpose")

    def by_number(self, number: str) -> Order | None:
        self._visit()
        return next((o for o in reversed(self.orders) if o.number == number), None)

    def by_email(self, email: str) -> list[Order]:
        self._visit()
        return [o for o in reversed(self.orders) if same_email(o.email, email)]

    def probe(self) -> None:
        self._visit()

    def close(self) -> None:
        self._released.set()
