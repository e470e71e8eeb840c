"""The platform fails on send: a 429 with retry_after, a 500, a dropped connection. The approved
reply is still delivered, once, and never before Telegram said it may be."""

from __future__ import annotations

from tests.telegram.conftest import LEA, MARC, Replique
from tests.waiting import wait_until

ORDER = "Bonjour, où en est ma commande 88123 ?"


async def approve(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)
    replique.fake.click(card, "✅", user=MARC)


async def test_429_with_retry_after_is_honoured_and_delivered_once(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)
    replique.fake.fail_next("sendMessage", retry_after=2)

    replique.fake.click(card, "✅", user=MARC)

    [reply] = await replique.customer_receives(LEA)
    attempts = replique.fake.sent_to(LEA["id"])
    assert len(attempts) == 2
    refused, delivered = attempts
    assert refused.params["_ok"] is False
    assert delivered.at - refused.at >= 2.0
    assert replique.delivered_to(LEA["id"]) == [reply]


async def test_a_500_is_retried_later_and_delivered_once(replique: Replique) -> None:
    await approve_with_failure(replique, status=500)


async def test_a_dropped_connection_is_retried_and_delivered_once(replique: Replique) -> None:
    await approve_with_failure(replique, drop=True)


async def approve_with_failure(replique: Replique, **failure: object) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)
    replique.fake.fail_next("sendMessage", **failure)  # type: ignore[arg-type]

    replique.fake.click(card, "✅", user=MARC)

    [reply] = await replique.customer_receives(LEA, timeout=30)
    attempts = replique.fake.sent_to(LEA["id"])
    assert [a.params.get("_ok", True) for a in attempts] == [False, True]
    assert replique.delivered_to(LEA["id"]) == [reply]


async def test_a_blocked_bot_is_a_permanent_failure_not_retried(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)
    replique.fake.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user", times=5
    )

    replique.fake.click(card, "✅", user=MARC)

    await replique.fake.wait_for_call(
        "sendMessage", lambda c: c.chat_id == LEA["id"], succeeded=False
    )
    # The outbox gave up at once, with Telegram's reason: nothing was retried.
    await wait_until(lambda: replique.store.outbox_counts().get("failed") == 1)
    assert len(replique.fake.sent_to(LEA["id"])) == 1
