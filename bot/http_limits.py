"""What the HTTP server refuses before any route sees a request: too big, too many, too slow.

- **Body size** (``HttpLimits``): every request body is read here, up to ``server.max_body_bytes``,
  before the route runs; a bigger one gets 413 whatever the route would have done with it (a
  route that catches every exception while parsing cannot turn it into a 400 or a 500).
- **Rate** (``RateLimiter``): a token bucket per source address on every route but ``/healthz``
  and ``/metrics``; an empty bucket gets 429 with ``Retry-After``. The source is the peer, or the
  last address of ``X-Forwarded-For`` when the peer is a trusted proxy (``server.trusted_proxies``,
  loopback by default). A request from this machine that no proxy forwarded is not counted: the
  limit is for the network, not for local tools and tests.
- **Slow clients** (``timed_h11``): uvicorn closes a connection idle between requests after
  ``timeout_keep_alive`` but has no limit on the time a request's headers take to arrive; the
  protocol class made here closes a connection whose headers are not complete within
  ``server.header_timeout_seconds`` (the slow-headers attack keeps thousands of them open).
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from bot.config import ServerConfig

__all__ = ["UNLIMITED_PATHS", "HttpLimits", "RateLimiter", "source_address", "timed_h11"]

#: Probes that a monitoring system calls on a schedule: never rate-limited.
UNLIMITED_PATHS: Final = frozenset({"/healthz", "/metrics"})
#: Sources remembered by a rate limiter; the least recently seen are forgotten first.
_MAX_SOURCES: Final = 10_000
_FORWARDING_HEADERS: Final = (b"forwarded", b"x-forwarded-for", b"x-real-ip", b"x-forwarded-host")


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def forwarded(scope: Scope) -> bool:
    """Whether a proxy says it forwarded the request (any of the usual headers is present)."""
    return any(_header(scope, name) is not None for name in _FORWARDING_HEADERS)


def source_address(scope: Scope, *, trusted_proxies: Iterable[str] = ()) -> str:
    """The address a request comes from: the peer, or the client a trusted proxy names."""
    client = scope.get("client")
    peer = str(client[0]) if client else ""
    if peer in set(trusted_proxies):
        chain = _header(scope, b"x-forwarded-for")
        if chain:
            # The last hop is the one our proxy added; earlier ones are the client's own words.
            return chain.split(",")[-1].strip() or peer
    return peer


class RateLimiter:
    """A token bucket per source: ``burst`` requests at once, then ``rate`` per second."""

    __slots__ = ("_buckets", "_clock", "burst", "rate")

    def __init__(
        self, *, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, source: str) -> float:
        """0 when ``source`` may go on (a token is spent), else the seconds until it may."""
        now = self._clock()
        tokens, seen = self._buckets.pop(source, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - seen) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
        self._buckets[source] = (tokens, now)
        while len(self._buckets) > _MAX_SOURCES:
            self._buckets.popitem(last=False)
        return wait


async def _answer(
    send: Send, status: int, text: str, headers: dict[str, str] | None = None
) -> None:
    body = text.encode()
    raw = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(body))]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class HttpLimits:
    """ASGI middleware: the rate limit, then the body read whole (413 past the limit)."""

    def __init__(self, app: ASGIApp, *, limits: ServerConfig) -> None:
        self.app = app
        self.max_body = limits.max_body_bytes
        self.trusted = tuple(limits.trusted_proxies)
        self.limiter = (
            RateLimiter(rate=limits.rate_per_second, burst=limits.rate_burst)
            if limits.rate_per_second > 0
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.limiter is not None and scope.get("path") not in UNLIMITED_PATHS:
            source = source_address(scope, trusted_proxies=self.trusted)
            local = _is_loopback(source) and not forwarded(scope)
            wait = 0.0 if local else self.limiter.take(source)
            if wait > 0:
                retry = str(max(1, math.ceil(wait)))
                await _answer(send, 429, "Too Many Requests\n", {"Retry-After": retry})
                return
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _answer(send, 400, "Bad Content-Length\n")
                return
            if int(declared) > self.max_body:
                await _answer(send, 413, "Content Too Large\n", {"Connection": "close"})
                return
        first = await self._read_body(receive)
        if first is None:
            return  # the client left before sending its body
        if first["type"] == "too_large":
            await _answer(send, 413, "Content Too Large\n", {"Connection": "close"})
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return first
            return await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive) -> dict[str, Any] | None:
        """The whole body as one ``http.request`` message; ``too_large`` past the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return {"type": "too_large"}
            chunks.append(chunk)
            if not message.get("more_body", False):
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}


class _TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    header_timeout: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the headers are in: the route (and its body limit) takes over

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request on this keep-alive connection gets its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def timed_h11(header_timeout: float) -> type[H11Protocol]:
    """uvicorn's ``http`` protocol class with a ``header_timeout`` (seconds) per request."""
    return type("TimedH11Protocol", (_TimedH11Protocol,), {"header_timeout": header_timeout})
