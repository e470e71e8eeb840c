"""Telegram reviewers decide on the version they saw, or nothing happens and they are told.

Réplique runs for real against the fake Bot API: a ✅ pressed on a card that 🔁 has since changed,
a 👍 on a card message Telegram has not updated yet, an edit prompt answered after the card
moved on, and a customer editing a message that was already answered.
"""

from __future__ import annotations

import copy
import html

from tests.telegram.conftest import CHLOE, LEA, MARC, Replique
from tests.telegram.test_conversation import ORDER, barrier, buttons

CHANGED = "The draft changed: look again"


async def told_on(replique: Replique, card: dict) -> str:
    """The notice posted in reply to ``card`` in the agents group."""
    [notice] = await replique.fake.wait_for_call(
        "sendMessage",
        lambda c: (
            c.chat_id == replique.review_chat
            and c.params.get("reply_parameters", {}).get("message_id") == card["message_id"]
            and CHANGED in c.text
        ),
    )
    return notice.text


async def test_a_send_on_the_version_before_another_version_is_refused(
    replique: Replique,
) -> None:
    replique.customer_says(ORDER)
    first = copy.deepcopy(await replique.card_for(ORDER))
    replique.fake.click(first, "🔁", user=MARC)
    second = await replique.card_changes(first, lambda m: "(2/3)" in m["text"])

    # ✅ on the card as it was before 🔁 (a client that had not redrawn it).
    replique.fake.click(first, "✅", user=MARC)

    assert CHANGED in await told_on(replique, first)
    await barrier(replique)
    assert replique.delivered_to(LEA["id"]) == []
    assert replique.card_now(first)["text"] == second["text"]  # still pending, version 2
    replique.fake.click(second, "✅", user=MARC)
    [reply] = await replique.customer_receives(LEA)
    assert html.escape(reply, quote=False) in second["text"]


async def test_a_thumbs_up_on_a_message_telegram_has_not_updated_is_refused(
    replique: Replique,
) -> None:
    replique.customer_says(ORDER)
    first = copy.deepcopy(await replique.card_for(ORDER))
    replique.fake.fail_next("editMessageText", status=500)
    replique.fake.click(first, "🔁", user=MARC)
    await replique.fake.wait_for(
        lambda: any(
            not c.params.get("_ok", True) for c in replique.fake.calls_to("editMessageText")
        )
    )
    assert replique.card_now(first)["text"] == first["text"]  # the store moved on, not Telegram

    replique.fake.react(first, "👍", user=MARC)

    assert CHANGED in await told_on(replique, first)
    # The refusal also put the current version on the message the update had missed.
    second = await replique.card_changes(first, lambda m: "(2/3)" in m["text"])
    await barrier(replique)
    assert replique.delivered_to(LEA["id"]) == []
    replique.fake.react(second, "👍", user=CHLOE)  # on the message as it is now: it sends
    [reply] = await replique.customer_receives(LEA)
    assert html.escape(reply, quote=False) in second["text"]


async def test_an_edit_prompt_answered_after_the_card_changed_sends_nothing(
    replique: Replique,
) -> None:
    replique.customer_says(ORDER)
    card = copy.deepcopy(await replique.card_for(ORDER))
    await replique.edit(card, "Votre commande part demain.")  # the prompt, answered at once
    [reply] = await replique.customer_receives(LEA)
    assert reply == "Votre commande part demain."

    text = "Bonjour, où en est ma commande 5512 ?"
    replique.customer_says(text)
    other = copy.deepcopy(await replique.card_for(text))
    replique.fake.click(other, "✏", user=MARC)
    [prompt_call] = await replique.fake.wait_for_call(
        "sendMessage",
        lambda c: (
            bool(c.params.get("reply_markup", {}).get("force_reply"))
            and c.params.get("reply_parameters", {}).get("message_id") == other["message_id"]
        ),
    )
    prompt = next(
        m
        for m in reversed(replique.fake.bot_messages(replique.review_chat))
        if m["text"] == prompt_call.text
    )
    replique.fake.click(other, "🔁", user=MARC)
    await replique.card_changes(other, lambda m: "(2/" in m["text"])

    replique.fake.reviewer_replies(prompt, "Texte écrit sur l'ancienne version.", user=MARC)
    # A reply to the card itself is never an edit either.
    replique.fake.reviewer_replies(other, "Texte en réponse à la carte.", user=MARC)

    [refused] = await replique.fake.wait_for_call(
        "sendMessage", lambda c: c.chat_id == replique.review_chat and CHANGED in c.text
    )
    await barrier(replique)
    assert replique.delivered_to(LEA["id"]) == [reply]
    assert buttons(replique.card_now(other))  # still pending
    assert refused.text


async def test_a_customer_edit_of_an_answered_message_gets_a_new_card(replique: Replique) -> None:
    update = replique.customer_says("Bonjour, où en est ma commande ?")
    card = await replique.card_for("Bonjour, où en est ma commande ?")
    replique.fake.click(card, "✅", user=MARC)
    await replique.customer_receives(LEA)
    decided = copy.deepcopy(await replique.card_changes(card, lambda m: "reply_markup" not in m))

    replique.fake.customer_edits(update, ORDER)

    fresh = await replique.card_for(ORDER)
    assert fresh["message_id"] != card["message_id"]
    assert buttons(fresh)
    assert replique.card_now(card) == decided  # the decided card is left as it was
    replique.fake.react(decided, "👍", user=MARC)  # on the old card: nothing to decide
    replique.fake.click(fresh, "✅", user=MARC)
    await replique.customer_receives(LEA, count=2)
    await barrier(replique)
    assert len(replique.delivered_to(LEA["id"])) == 2
    assert replique.card_now(card) == decided
