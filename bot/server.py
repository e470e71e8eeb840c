"""The one HTTP server of the service: an ASGI app (Starlette) served by uvicorn.

Every adapter contributes its routes (``/slack/events``, ``/telegram/webhook``, the playground's
``/`` and ``/insights``…); this module adds the two every deployment needs: ``/healthz`` (is the
store reachable, how many replies wait) and ``/metrics`` (Prometheus text format).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import metrics
from bot.store import Store
from bot.store.models import WORK_LANES

__all__ = ["create_app"]

log = logging.getLogger(__name__)

#: Largest request body the server reads, in bytes.
MAX_BODY = 1 << 20


def create_app(
    *,
    store: Store,
    routes: Sequence[BaseRoute] = (),
    adapters: Callable[[], Sequence[str]] = tuple,
    process: Callable[[], Mapping[str, object]] = dict,
) -> Starlette:
    """The service's ASGI app: the adapters' ``routes`` plus ``/healthz`` and ``/metrics``.
    ``process`` tells /healthz about this process (its worker name, whether it leads)."""

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
    # No platform sends a request anywhere near 1 MiB; a bigger body is refused before parsing.
    return Starlette(routes=[*own, *routes], max_body_size=MAX_BODY)
