"""Take the README's screenshot of the playground: ``.venv/bin/python -m tests.browser.screenshot``.

Starts the real playground (temporary SQLite store, ephemeral port), plays two conversations in
headless Chromium — a complaint answered by a reviewer, a French question waiting on the desk —
and writes ``docs/images/playground.png`` (or the path given as the first argument).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright, expect

from bot.config import RESOURCES, load_config
from tests.browser.harness import running_playground

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "docs" / "images" / "playground.png"
TIMEOUT = 30_000


async def take(out: Path, *, chromium: str) -> None:
    config = load_config(RESOURCES / "replique.yml")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'replique.db'}"
        async with (
            running_playground(database_url=url, config=config) as playground,
            async_playwright() as playwright,
        ):
            browser = await playwright.chromium.launch(executable_path=chromium)
            page = await browser.new_page(locale="en-CA", viewport={"width": 1400, "height": 880})
            await page.goto(playground.url)
            await expect(page.locator("body")).to_have_attribute("data-live", "true")

            async def say(name: str, look: str, text: str) -> None:
                await page.get_by_label("Customer name").fill(name)
                await page.locator("#open-form").get_by_label(look).check()
                await page.get_by_role("button", name="Open conversation").click()
                await page.get_by_label("Message", exact=True).fill(text)
                await page.get_by_label("Message", exact=True).press("Enter")

            await say(
                "Léa Tremblay",
                "Telegram",
                "My order 88123 arrived broken and nobody answers. This is unacceptable!",
            )
            lea = page.locator("li.card").filter(has_text="Léa Tremblay on web")
            await lea.get_by_role("button", name="✅ Send").click(timeout=TIMEOUT)
            await expect(page.locator("#messages li.from-brand")).to_have_count(1, timeout=TIMEOUT)
            await say(
                "Chloé Martin",
                "Slack",
                "Bonjour ! Vous avez encore le moulin à café Boréal en stock ? C'est pour offrir.",
            )
            chloe = page.locator("li.card").filter(has_text="Chloé Martin on web")
            await expect(chloe.get_by_role("button", name="✅ Send")).to_be_visible(timeout=TIMEOUT)
            await page.locator("#tabs").get_by_role("button", name="Léa Tremblay").click()
            await page.locator("#cards").evaluate("list => list.scrollTo(0, 0)")
            out.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(out))
            await browser.close()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    asyncio.run(take(out, chromium=os.environ.get("REPLIQUE_CHROMIUM") or "/usr/bin/chromium"))
    print(out)


if __name__ == "__main__":
    main()
