"""The one HTTP server of the service: an ASGI app (Starlette) served by uvicorn.

Every adapter contributes its routes (``/slack/events``, ``/telegram/webhook``, the playground's
``/`` and ``/insights``…); this module adds the two every deployment needs: ``/healthz`` (is the
store reachable, how many replies wait) and ``/metrics`` (Prometheus text format).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import metrics
from bot.config import ServerConfig
from bot.http_limits import HttpLimits, timed_h11
from bot.store import Store
from bot.store.models import WORK_LANES

__all__ = ["MAX_BODY", "create_app", "uvicorn_config"]

log = logging.getLogger(__name__)

#: Largest request body the server reads by default, in bytes (``server.max_body_bytes``).
MAX_BODY = ServerConfig().max_body_bytes


def create_app(
    *,
    store: Store,
    routes: Sequence[BaseRoute] = (),
    adapters: Callable[[], Sequence[str]] = tuple,
    process: Callable[[], Mapping[str, object]] = dict,
    limits: ServerConfig | None = None,
) -> Starlette:
    """The service's ASGI app: the adapters' ``routes`` plus ``/healthz`` and ``/metrics``,
    behind the server's ``limits``. ``process`` tells /healthz about this process (its worker
    name, whether it leads)."""
    limits = limits or ServerConfig()

    async def outbox_counts() -> dict[str, int]:
        return await asyncio.to_thread(store.outbox_counts)

    async def work_counts() -> dict[str, int]:
        counts = await asyncio.to_thread(store.work_counts)
        return {lane: counts.get(lane, 0) for lane in WORK_LANES}

    async def healthz(_: Request) -> Response:
        try:
            counts = await outbox_counts()
            work = await work_counts()
        except Exception as exc:
            # The reason names the failure, never the URL (it may hold a password).
            log.warning("healthz: the store is unreachable (%s)", type(exc).__name__)
            return JSONResponse({"status": "unavailable", "store": "unreachable"}, status_code=503)
        return JSONResponse(
            {
                "status": "ok",
                "store": "ok",
                "adapters": list(adapters()),
                **process(),
                # Stored customer messages and reviewer actions not done yet, per lane.
                "work": work,
                "outbox": {
                    "waiting": counts.get("pending", 0) + counts.get("sending", 0),
                    "failed": counts.get("failed", 0),
                    "delivered": counts.get("delivered", 0),
                },
            }
        )

    async def prometheus(_: Request) -> Response:
        try:
            counts = await outbox_counts()
            metrics.OUTBOX_WAITING.set(counts.get("pending", 0) + counts.get("sending", 0))
            for lane, waiting in (await work_counts()).items():
                metrics.WORK_WAITING.labels(lane).set(waiting)
        except Exception:
            log.warning("metrics: the store is unreachable; outbox gauge not refreshed")
        return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)

    own: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", prometheus, methods=["GET"]),
    ]
    # No platform sends a request anywhere near 1 MiB; a bigger body is refused before parsing,
    # by HttpLimits first and by Starlette's own check behind it.
    return Starlette(
        routes=[*own, *routes],
        middleware=[Middleware(HttpLimits, limits=limits)],
        max_body_size=limits.max_body_bytes,
    )


def uvicorn_config(
    app: Starlette, *, host: str, port: int, limits: ServerConfig | None = None
) -> uvicorn.Config:
    """uvicorn as the service runs it: h11 with a header deadline, short keep-alive, no proxy
    header rewriting (the peer address stays the real one: the web channel's loopback rule and
    the rate limit read ``X-Forwarded-For`` themselves, and only from trusted proxies)."""
    limits = limits or ServerConfig()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=timed_h11(limits.header_timeout_seconds),
        ws="none",
        timeout_keep_alive=limits.keep_alive_seconds,
        # Headers larger than this are refused by h11 (431/400) before any route runs.
        h11_max_incomplete_event_size=16 * 1024,
        proxy_headers=False,
        server_header=False,
        log_level="warning",
        lifespan="off",
        access_log=False,
        # uvicorn's own handlers would bypass the root one and its masking (bot/logmask.py).
        log_config=None,
    )
