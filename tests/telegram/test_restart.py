"""``replique run`` killed (SIGKILL) after a reviewer approved and before the reply went out:
the restarted process delivers it, once."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.config import RESOURCES, AppConfig
from bot.nlp.analyser import Analyser
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.conftest import LEA, MARC, REVIEW_CHAT, TOM, running
from tests.waiting import wait_until

ORDER = "Bonjour, où en est ma commande 88123 ?"


def write_config(folder: Path) -> Path:
    path = folder / "replique.yml"
    path.write_text(
        f"""
catalog: {RESOURCES / "catalog.yml"}
review:
  telegram_chat_id: {REVIEW_CHAT}
  reviewers:
    telegram: [{MARC["id"]}]
""",
        encoding="utf-8",
    )
    return path


async def start_replique(fake: FakeTelegram, tmp_path: Path) -> asyncio.subprocess.Process:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "SLACK_", "REPLIQUE_", "DATABASE_URL"))
    }
    env.update(
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_URL=fake.base_url,
        DATABASE_URL=database_url(tmp_path),
        REPLIQUE_CONFIG=str(write_config(tmp_path)),
        REPLIQUE_PORT="0",
        REPLIQUE_PLAYGROUND="0",
        REPLIQUE_LANG="en",
    )
    replique = Path(sys.executable).parent / "replique"
    return await asyncio.create_subprocess_exec(
        str(replique),
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def test_an_approved_reply_survives_a_kill_and_is_sent_once(tmp_path: Path) -> None:
    async with FakeTelegram() as fake:
        first = await start_replique(fake, tmp_path)
        try:
            fake.customer_says(ORDER, user=LEA)
            await fake.wait_for_call("sendMessage", lambda c: c.chat_id == REVIEW_CHAT, timeout=60)
            card = fake.bot_messages(REVIEW_CHAT)[0]
            # Telegram refuses for now (429, retry in 5 s): the approved reply cannot leave.
            fake.fail_next("sendMessage", retry_after=5, times=1000)
            fake.click(card, "✅", user=MARC)
            await fake.wait_for_call(
                "sendMessage", lambda c: c.chat_id == LEA["id"], succeeded=False, timeout=30
            )
            # Kill once the outbox has recorded the refusal (the row waits, due again later):
            # the process dies with an approved reply stored and not delivered.
            await wait_until(lambda: outbox_waiting(tmp_path), timeout=30)
        finally:
            first.send_signal(signal.SIGKILL)
            await first.wait()
        assert first.returncode == -signal.SIGKILL
        assert delivered(fake, LEA) == []

        fake.recover()
        second = await start_replique(fake, tmp_path)
        try:
            [reply] = await fake.wait_for_call(
                "sendMessage", lambda c: c.chat_id == LEA["id"], timeout=60
            )
            assert reply.text
            # Tom's whole round trip through the restarted process: by its end, a second copy
            # of Léa's reply would have gone out too.
            fake.customer_says("Hello, what are your opening hours on Sunday?", user=TOM)
            await fake.wait_for(lambda: len(fake.bot_messages(REVIEW_CHAT)) == 2, timeout=60)
            fake.click(fake.bot_messages(REVIEW_CHAT)[1], "✅", user=MARC)
            await fake.wait_for_call("sendMessage", lambda c: c.chat_id == TOM["id"], timeout=30)
            assert delivered(fake, LEA) == [reply.text]
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 30)
        assert second.returncode == 0


def outbox_waiting(folder: Path) -> bool:
    """The approved reply is stored, refused once, and due again (read as an operator would)."""
    with closing(sqlite3.connect(folder / "replique.db")) as db:
        row = db.execute("SELECT status, last_error FROM outbox WHERE id = 1").fetchone()
    return row is not None and row[0] == "pending" and row[1] is not None


def database_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'replique.db'}"


def delivered(fake: FakeTelegram, user: dict[str, Any]) -> list[str]:
    return [
        c.text
        for c in fake.calls_to("sendMessage", chat_id=user["id"])
        if c.params.get("_ok", True)
    ]


async def test_an_update_redelivered_after_a_restart_is_not_handled_again(
    fake: FakeTelegram, config: AppConfig, analyser: Analyser, sqlite_url: str
) -> None:
    async with running(fake, config=config, analyser=analyser, database_url=sqlite_url) as first:
        update = first.customer_says(ORDER)
        await first.card_for(ORDER)

    # Telegram sends it again to the restarted process (as when the confirmation was lost).
    fake.redeliver(update)
    async with running(fake, config=config, analyser=analyser, database_url=sqlite_url) as second:
        hours = "Hello, what are your opening hours on Sunday?"
        second.customer_says(hours, user=TOM)
        await second.card_for(hours)  # handled after the redelivered update: a barrier
        assert len([c for c in second.cards() if "88123" in c["text"]]) == 1
        assert len(second.cards()) == 2
