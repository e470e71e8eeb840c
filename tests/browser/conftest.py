"""Browser fixtures: the playground running for real, and Debian's headless Chromium driving it.

Playwright cannot download its own browser here (nothing touches the internet), so it launches
the system Chromium: ``REPLIQUE_CHROMIUM`` or ``/usr/bin/chromium`` (``.ci/run`` installs the
``chromium`` package when it is missing). A missing browser fails the tests with that advice:
browser tests never skip.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from bot.config import AppConfig
from bot.nlp.analyser import Analyser
from tests.browser.harness import Playground, artifacts_dir, running_playground

CHROMIUM_ENV = "REPLIQUE_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not Path(path).is_file():
        pytest.fail(
            f"Chromium is not at {path}: install Debian's chromium package "
            f"(apt-get install chromium) or point {CHROMIUM_ENV} at a Chromium binary. "
            "Browser tests fail, they never skip.",
            pytrace=False,
        )
    return path


@pytest.fixture
async def playground(
    tmp_path: Path, app_config: AppConfig, analyser: Analyser
) -> AsyncIterator[Playground]:
    url = f"sqlite:///{tmp_path / 'var' / 'replique.db'}"
    async with running_playground(database_url=url, config=app_config, analyser=analyser) as pg:
        yield pg


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    """An English page; on failure its last state is kept as a screenshot for a person."""
    context = await browser.new_context(
        locale="en-CA", viewport={"width": 1400, "height": 900}, reduced_motion="reduce"
    )
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield opened
        # A script error or a blocked resource (CSP) is a bug even when the test passed.
        assert errors == [], f"the page reported errors: {errors}"
    finally:
        name = request.node.name.replace("/", "_")
        await opened.screenshot(path=str(artifacts_dir() / f"{name}.png"), full_page=True)
        await context.close()
