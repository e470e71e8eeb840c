"""A running playground for tests: the service as ``replique run`` builds it, on 127.0.0.1:0.

``running_playground`` starts ``bot.service.build_service`` with the playground enabled and a
SQLite store, reusing the session's analyser (its spaCy pipelines already loaded). ``wait_until``
is the one way to wait: for a condition, with a timeout.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.channels.web import WebAdapter
from bot.config import AppConfig, Settings
from bot.nlp.analyser import Analyser
from bot.review.desk import ReviewDesk
from bot.service import build_service
from bot.store import Store
from tests.waiting import wait_until

__all__ = ["Playground", "api_client", "artifacts_dir", "running_playground", "wait_until"]


@dataclass
class Playground:
    url: str
    store: Store
    desk: ReviewDesk
    adapter: WebAdapter


def artifacts_dir() -> Path:
    """Where screenshots are kept for a person: REPLIQUE_ARTIFACTS, else var/test-artifacts."""
    root = Path(__file__).resolve().parents[2]
    folder = Path(os.environ.get("REPLIQUE_ARTIFACTS") or root / "var" / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@asynccontextmanager
async def running_playground(
    *,
    database_url: str,
    config: AppConfig,
    analyser: Analyser | None = None,
    **environment: Any,
) -> AsyncIterator[Playground]:
    """The playground served on an ephemeral port; stopped (streams closed) on exit.
    ``environment`` adds settings (e.g. ``replique_web_token``)."""
    settings = Settings(
        database_url=database_url, replique_host="127.0.0.1", replique_port=0, **environment
    )
    service = build_service(settings=settings, config=config, analyser=analyser)
    await service.start()
    try:
        adapter = next(a for a in service.adapters if isinstance(a, WebAdapter))
        yield Playground(url=service.url, store=service.store, desk=service.desk, adapter=adapter)
    finally:
        await service.stop()


@asynccontextmanager
async def api_client(url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client that talks to the API as the page does: it loads ``/`` first (the session cookie
    and its CSRF token) and sends the token and the page's origin with every request."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        page = await client.get("/")
        page.raise_for_status()
        found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        if found is None:
            raise AssertionError("the playground page carries no CSRF token")
        client.headers.update({"X-CSRF-Token": found.group(1), "Origin": url})
        yield client
