"""The outbox's pacing: one message per chat per interval, other chats not held up."""

from __future__ import annotations

import time

from bot.review.outbox import Pacer


async def test_a_second_message_to_the_same_chat_waits_its_turn() -> None:
    pacer = Pacer(per_chat={"slack": 0.2}, overall={})
    started = time.monotonic()
    await pacer.wait_turn("slack", "C1")
    await pacer.wait_turn("slack", "C1")
    assert time.monotonic() - started >= 0.19


async def test_other_chats_and_platforms_do_not_wait() -> None:
    clock_now = [100.0]
    pacer = Pacer(per_chat={"slack": 60.0}, overall={}, clock=lambda: clock_now[0])
    started = time.monotonic()
    await pacer.wait_turn("slack", "C1")
    await pacer.wait_turn("slack", "C2")
    await pacer.wait_turn("telegram", "C1")
    assert time.monotonic() - started < 30  # none of them slept the 60 s interval


async def test_the_overall_limit_spaces_messages_across_chats() -> None:
    pacer = Pacer(per_chat={}, overall={"telegram": 0.1})
    started = time.monotonic()
    for chat in ("a", "b", "c"):
        await pacer.wait_turn("telegram", chat)
    assert time.monotonic() - started >= 0.19
