"""The lookup: from a message to the facts of its order, within one time budget, never failing.

Which order: the order number the customer wrote; else the e-mail they wrote; else, for a message
about an order (status, return, cancellation, complaint), the e-mail they gave in an earlier
message. An order found by number whose e-mail is not the one the customer gave is not described
(``email_mismatch``): the draft asks them to confirm the e-mail on the order.

Three guards keep a slow or broken order system from ever holding a draft back:

- answers (found or not) are cached for ``cache_seconds``, so a warm lookup costs a dictionary
  read and never leaves the calling thread;
- the whole lookup has one budget (``budget_ms``, 800 by default): it runs on a small pool of
  threads and the caller waits for it no longer than that, whatever the provider does; an answer
  that arrives later still fills the cache;
- after ``breaker_failures`` failures in a row the provider is rested for ``breaker_seconds``
  (``circuit_open``, at once), then one lookup tries it again.

Whatever happens, the result is a ``Facts`` value: an order, or the problem that kept it away.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from bot.domain import Analysis, CustomerProfile, Facts, FactsProblem, Order
from bot.orders.base import TIMED_OUT, OrderProvider, ProviderFailure, same_email

__all__ = ["ORDER_INTENTS", "Breaker", "OrderLookup", "References", "references"]

log = logging.getLogger(__name__)

#: Intents about an order: only these look an order up by an e-mail given earlier.
ORDER_INTENTS = frozenset({"order_status", "return_refund", "cancellation", "complaint"})
#: Answers kept at most (the oldest are forgotten first).
_CACHE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class References:
    """What a message gives to find its order by."""

    order_number: str | None = None
    email: str | None = None
    known_email: str | None = None

    @property
    def given_email(self) -> str | None:
        return self.email or self.known_email


def references(analysis: Analysis, profile: CustomerProfile) -> References:
    """The order number and e-mail of the message, and the e-mail known from earlier messages
    when the message is about an order."""

    def entity(label: str) -> str | None:
        found = analysis.first(label)
        return (found.value or found.text) if found else None

    known = profile.known_email if analysis.intent.name in ORDER_INTENTS else None
    return References(entity("ORDER_NUMBER"), entity("EMAIL"), known)


class Breaker:
    """Rests a provider after ``failures`` failures in a row, for ``rest`` seconds."""

    __slots__ = ("_clock", "_failures", "_lock", "_opened_at", "_rest", "_row")

    def __init__(
        self, *, failures: int, rest: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._failures = failures
        self._rest = rest
        self._clock = clock
        self._row = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    def allows(self) -> bool:
        """False while resting; after the rest, one call goes through (half-open)."""
        with self._lock:
            if self._opened_at is None:
                return True
            if self._clock() - self._opened_at >= self._rest:
                # Half-open: let this one try; a failure rests the provider again at once.
                self._opened_at = None
                self._row = self._failures - 1
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            self._row = 0
            self._opened_at = None

    def failed(self) -> None:
        with self._lock:
            self._row += 1
            if self._row >= self._failures:
                self._opened_at = self._clock()

    @property
    def open(self) -> bool:
        with self._lock:
            return self._opened_at is not None


class _Miss(Exception):
    """A cache-only lookup needs the order system."""


class _Attempt:
    """One lookup's visit to the order system: the breaker hears of it once, whichever comes
    first (the caller giving up at the budget, or the order system failing or answering)."""

    __slots__ = ("_lock", "settled")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.settled = False

    def settle(self) -> bool:
        """True for the first caller only."""
        with self._lock:
            first, self.settled = not self.settled, True
            return first


@dataclass(frozen=True, slots=True)
class _Outcome:
    order: Order | None
    problem: FactsProblem | None


class OrderLookup:
    """Finds the order of a message through one provider, cached, budgeted and guarded."""

    def __init__(
        self,
        provider: OrderProvider,
        *,
        budget_ms: float = 800.0,
        cache_seconds: float = 300.0,
        breaker_failures: int = 5,
        breaker_seconds: float = 30.0,
        require_email: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider = provider
        self.budget = budget_ms / 1000.0
        self._ttl = cache_seconds
        self._require_email = require_email
        self._clock = clock
        self.breaker = Breaker(failures=breaker_failures, rest=breaker_seconds, clock=clock)
        self._cache: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        # A few threads: a hanging provider holds them until its own timeout, and the breaker
        # stops new lookups queueing behind them.
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="replique-orders")

    @property
    def source(self) -> str:
        return self.provider.name

    @property
    def cached(self) -> int:
        """How many answers the cache holds (expired ones included until replaced)."""
        with self._lock:
            return len(self._cache)

    def facts(self, refs: References) -> Facts:
        """The facts for ``refs``; never raises, never waits longer than the budget."""
        started = time.perf_counter()
        asked = refs.order_number or refs.given_email
        if asked is None:
            return Facts(self.source, False, 0.0, problem="no_reference")

        def done(outcome: _Outcome) -> Facts:
            ms = round((time.perf_counter() - started) * 1000, 2)
            order = outcome.order
            # The e-mail served its purpose (the privacy rule): it travels no further.
            order = replace(order, email=None) if order is not None else None
            return Facts(self.source, order is not None, ms, order, outcome.problem, asked)

        try:
            return done(self._resolve(refs, self._cached))
        except _Miss:
            pass
        if not self.breaker.allows():
            return done(_Outcome(None, "circuit_open"))
        attempt = _Attempt()
        future = self._pool.submit(self._resolve, refs, partial(self._fetch, attempt=attempt))
        remaining = max(0.0, self.budget - (time.perf_counter() - started))
        try:
            outcome = future.result(timeout=remaining)
        except FutureTimeout:
            # The lookup goes on in the background and fills the cache if it ever answers; an
            # answer that late does not count as the order system being well.
            if attempt.settle():
                self.breaker.failed()
            log.warning("order lookup over budget (%s, %.0f ms)", self.source, self.budget * 1000)
            return done(_Outcome(None, "timeout"))
        except Exception as exc:
            reason = exc.reason if isinstance(exc, ProviderFailure) else type(exc).__name__
            log.warning("order lookup failed (%s): %s", self.source, reason)
            # The request's own timeout (about the budget) may fire just before the budget does.
            timed_out = isinstance(exc, ProviderFailure) and exc.reason == TIMED_OUT
            return done(_Outcome(None, "timeout" if timed_out else "unreachable"))
        return done(outcome)

    def _resolve(self, refs: References, get: Callable[[str, str], Any]) -> _Outcome:
        given = refs.given_email
        if refs.order_number:
            order = get("number", refs.order_number.lstrip("#"))
            if order is None:
                return _Outcome(None, "not_found")
            if given and order.email and not same_email(given, order.email):
                return _Outcome(None, "email_mismatch")
            if self._require_email and not (given and same_email(given, order.email)):
                return _Outcome(None, "email_needed")
            return _Outcome(order, None)
        if not given:
            return _Outcome(None, "no_reference")
        orders = get("email", given.strip().casefold())
        return _Outcome(orders[0], None) if orders else _Outcome(None, "not_found")

    def _cached(self, kind: str, key: str) -> Any:
        with self._lock:
            entry = self._cache.get((kind, key))
            if entry is None or entry[0] < self._clock():
                raise _Miss
            return entry[1]

    def _fetch(self, kind: str, key: str, *, attempt: _Attempt) -> Any:
        try:
            return self._cached(kind, key)
        except _Miss:
            pass
        try:
            value: Any = (
                self.provider.by_number(key) if kind == "number" else self.provider.by_email(key)
            )
        except Exception:
            if attempt.settle():
                self.breaker.failed()
            raise
        if attempt.settle():
            self.breaker.succeeded()
        with self._lock:
            self._cache[(kind, key)] = (self._clock() + self._ttl, value)
            self._cache.move_to_end((kind, key))
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.provider.close()
