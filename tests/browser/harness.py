"""A running playground for tests: the real desk, store and web adapter on 127.0.0.1, port 0.

``running_playground`` starts the service the way ``replique run`` does when ``bot/service.py``
provides ``build_service``; it wires the same parts by hand otherwise (the desk, the store, the
copilot and the web adapter on one Starlette app served by uvicorn), so the tests exercise the
same code either way. ``wait_until`` is the one way to wait: for a condition, with a timeout.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from bot.app import Copilot
from bot.channels.web import WebAdapter
from bot.config import AppConfig
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk
from bot.store import Store
from tests.waiting import wait_until

__all__ = ["Playground", "artifacts_dir", "running_playground", "wait_until"]


@dataclass
class Playground:
    url: str
    store: Store
    desk: Any
    adapter: WebAdapter


def artifacts_dir() -> Path:
    """Where screenshots are kept for a person: REPLIQUE_ARTIFACTS, else var/test-artifacts."""
    root = Path(__file__).resolve().parents[2]
    folder = Path(os.environ.get("REPLIQUE_ARTIFACTS") or root / "var" / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _service_module_ready() -> bool:
    return importlib.util.find_spec("bot.service") is not None


@asynccontextmanager
async def _by_hand(
    *, database_url: str, config: AppConfig, analyser: Analyser | None
) -> AsyncIterator[Playground]:
    store = Store.open(database_url)
    copilot = Copilot(config=config, store=store, analyser=analyser)
    desk = ReviewDesk(config=config, store=store, copilot=copilot)
    desk.allow_web_reviewers()
    adapter = WebAdapter(desk=desk, store=store, config=config)
    app = Starlette(routes=list(adapter.routes()))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    await desk.start()
    await adapter.start()
    serving = asyncio.create_task(server.serve())
    try:
        await wait_until(lambda: server.started or serving.done(), what="uvicorn to start")
        if serving.done():
            serving.result()
        port = server.servers[0].sockets[0].getsockname()[1]
        yield Playground(url=f"http://127.0.0.1:{port}", store=store, desk=desk, adapter=adapter)
    finally:
        await adapter.stop()
        server.should_exit = True
        await serving
        await desk.stop()
        desk.close()
        store.close()


@asynccontextmanager
async def _service(
    *, database_url: str, config: AppConfig, analyser: Analyser | None
) -> AsyncIterator[Playground]:
    from bot.config import Settings
    from bot.service import build_service

    settings = Settings(database_url=database_url, replique_host="127.0.0.1", replique_port=0)
    service = build_service(settings=settings, config=config)
    if analyser is not None:
        # The session's analyser has its spaCy pipelines loaded already (seconds per test saved);
        # it is the same class the service builds, loaded lazily on first use.
        service.desk.copilot.analyser = analyser
    await service.start()
    try:
        adapter = next(a for a in service.adapters if isinstance(a, WebAdapter))
        yield Playground(url=service.url, store=service.store, desk=service.desk, adapter=adapter)
    finally:
        await service.stop()


@asynccontextmanager
async def running_playground(
    *, database_url: str, config: AppConfig, analyser: Analyser | None = None
) -> AsyncIterator[Playground]:
    """The playground served on an ephemeral port; stopped (streams closed) on exit."""
    if _service_module_ready() and not os.environ.get("REPLIQUE_TEST_WEB_BY_HAND"):
        async with _service(
            database_url=database_url, config=config, analyser=analyser
        ) as playground:
            yield playground
    else:
        async with _by_hand(database_url=database_url, config=config, analyser=analyser) as pg:
            yield pg
