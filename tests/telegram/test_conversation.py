"""Telegram customers reviewed in a Telegram agents group, end to end, read as conversations.

Réplique runs for real (store, analyser, drafter, desk, outbox, python-telegram-bot) against the
fake Bot API; only Telegram is played by the test.
"""

from __future__ import annotations

import copy
import html

from tests.telegram.conftest import CHLOE, GROUP, LEA, MARC, NOPE, TOM, Replique

ORDER = "Bonjour, où en est ma commande 88123 ?"


def buttons(card: dict) -> list[str]:
    return [
        b["text"]
        for row in (card.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]


async def barrier(replique: Replique) -> None:
    """Tom's whole round trip (card, ✅, reply): once it is done, anything the earlier actions
    could have caused (a card, a reply) has happened, so an absence can be asserted."""
    text = "Hello, what are your opening hours on Sunday?"
    replique.customer_says(text, user=TOM)
    card = await replique.card_for(text)
    replique.fake.click(card, "✅", user=MARC)
    await replique.customer_receives(TOM)


async def test_customer_writes_reviewer_sends_customer_receives_once(replique: Replique) -> None:
    replique.customer_says(ORDER)

    card = await replique.card_for(ORDER)
    assert "Léa Tremblay" in card["text"]
    assert "Telegram" in card["text"]
    assert "order_status" in card["text"]
    assert "88123" in card["text"]
    assert [label[0] for label in buttons(card)[:4]] == ["✅", "✏", "🔁", "❌"]
    draft = card["text"].split("✍️", 1)[1]

    replique.fake.click(card, "✅", user=MARC)

    [reply] = await replique.customer_receives(LEA)
    assert reply
    assert reply in html.unescape(draft)
    decided = await replique.card_changes(card, lambda m: "reply_markup" not in m)
    assert "Marc" in decided["text"]
    await barrier(replique)
    assert replique.delivered_to(LEA["id"]) == [reply]


async def test_thumbs_up_on_the_card_sends(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)

    replique.fake.react(card, "👍", user=CHLOE)

    [reply] = await replique.customer_receives(LEA)
    assert reply
    decided = await replique.card_changes(card, lambda m: "reply_markup" not in m)
    assert "Chloé" in decided["text"]


async def test_thumbs_down_discards_and_nothing_is_sent(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)

    replique.fake.react(card, "👎", user=MARC)

    decided = await replique.card_changes(card, lambda m: "reply_markup" not in m)
    assert "Marc" in decided["text"]
    await barrier(replique)
    assert replique.delivered_to(LEA["id"]) == []


async def test_discard_button(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)

    replique.fake.click(card, "❌", user=MARC)

    decided = await replique.card_changes(card, lambda m: "reply_markup" not in m)
    assert "❌" in decided["text"]
    await barrier(replique)
    assert replique.delivered_to(LEA["id"]) == []


async def test_edit_asks_for_a_reply_and_sends_the_corrected_text(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)

    replique.fake.click(card, "✏", user=MARC)
    [prompt_call] = await replique.fake.wait_for_call(
        "sendMessage",
        lambda c: (
            c.chat_id == replique.review_chat
            and "reply_markup" in c.params
            and c.params["reply_markup"].get("force_reply")
        ),
    )
    assert "Léa Tremblay" in prompt_call.text
    prompt = replique.fake.bot_messages(replique.review_chat)[-1]
    assert prompt["reply_to_message"]["message_id"] == card["message_id"]

    corrected = "Bonjour Léa, votre commande 88123 part demain <b>sans faute</b> {{ promis }}."
    replique.fake.reviewer_replies(prompt, corrected, user=MARC)

    [reply] = await replique.customer_receives(LEA)
    assert reply == corrected
    decided = await replique.card_changes(card, lambda m: "reply_markup" not in m)
    assert html.escape(corrected, quote=False) in decided["text"]
    # The prompt is cleaned away once answered.
    await replique.fake.wait_for_call("deleteMessage")
    assert prompt["message_id"] not in {
        m["message_id"] for m in replique.fake.bot_messages(replique.review_chat)
    }


async def test_a_reply_to_the_card_itself_is_not_an_edit(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)

    replique.fake.reviewer_replies(card, "Elle arrive jeudi, Léa.", user=CHLOE)

    # Only the reply to the ✏️ prompt edits: the reviewer is told how, nothing is sent.
    [how] = await replique.fake.wait_for_call(
        "sendMessage", lambda c: c.chat_id == replique.review_chat and "✏" in c.text
    )
    assert how.params["reply_parameters"]["message_id"] != card["message_id"]
    assert replique.delivered_to(LEA["id"]) == []
    assert "reply_markup" in replique.card_now(card)  # still pending


async def test_a_group_the_brand_did_not_list_is_not_a_customer_channel(
    replique: Replique,
) -> None:
    replique.customer_says("Bonjour, je veux un remboursement", user=LEA, chat_id=-1009990000)
    replique.customer_says(ORDER, user=LEA, chat_id=GROUP)

    await replique.card_for(ORDER)
    assert all("remboursement" not in m["text"] for m in replique.cards())


async def test_another_version_replaces_the_draft(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)
    first = card["text"]
    assert "(1/3)" in first

    replique.fake.click(card, "🔁", user=MARC)

    second = await replique.card_changes(card, lambda m: "(2/3)" in m["text"])
    assert second["text"] != first
    assert buttons(second)  # still pending: the buttons stay
    replique.fake.click(second, "✅", user=MARC)
    [reply] = await replique.customer_receives(LEA)
    assert html.escape(reply, quote=False) in second["text"]


async def test_fixing_the_intent_redrafts(replique: Replique) -> None:
    text = "I want a refund, the mug arrived broken"
    replique.customer_says(text, user=TOM)
    card = await replique.card_for(text)
    assert "return_refund" in card["text"]

    replique.fake.click(card, "🏷", user=MARC)
    menu = await replique.card_changes(card, lambda m: "complaint" in str(m.get("reply_markup")))
    replique.fake.click(menu, "complaint", user=MARC)

    fixed = await replique.card_changes(card, lambda m: "📊 complaint" in m["text"])
    assert "✅" in buttons(fixed)[0]
    replique.fake.click(fixed, "✅", user=MARC)
    assert await replique.customer_receives(TOM)


async def test_a_non_reviewer_gets_a_private_notice_and_nothing_happens(
    replique: Replique,
) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)

    replique.fake.click(card, "✅", user=NOPE)

    [answer] = await replique.fake.wait_for_call("answerCallbackQuery")
    assert answer.params.get("show_alert") in ("true", True)
    assert "reviewer" in answer.text.lower()
    replique.fake.react(card, "👍", user=NOPE)
    await barrier(replique)
    assert replique.delivered_to(LEA["id"]) == []
    assert buttons(replique.card_now(card))  # still pending

    replique.fake.click(card, "✅", user=MARC)
    assert await replique.customer_receives(LEA)


async def test_double_click_two_reviewers_and_a_reaction_send_once(replique: Replique) -> None:
    replique.customer_says(ORDER)
    card = await replique.card_for(ORDER)

    # All pressed on the card as it was, before any of them was handled.
    replique.fake.click(card, "✅", user=MARC)
    replique.fake.click(card, "✅", user=MARC)
    replique.fake.click(card, "✅", user=CHLOE)
    replique.fake.react(card, "👍", user=CHLOE)

    await replique.customer_receives(LEA)
    await barrier(replique)
    assert len(replique.delivered_to(LEA["id"])) == 1


async def test_the_same_update_delivered_three_times_gives_one_card(replique: Replique) -> None:
    update = replique.customer_says(ORDER)
    replique.fake.redeliver(update)
    replique.fake.redeliver(update)

    card = await replique.card_for(ORDER)
    replique.fake.click(card, "✅", user=MARC)
    await replique.customer_receives(LEA)
    await barrier(replique)
    assert len([c for c in replique.cards() if "88123" in c["text"]]) == 1
    assert len(replique.delivered_to(LEA["id"])) == 1


async def test_a_second_message_supersedes_the_pending_card(replique: Replique) -> None:
    replique.customer_says("Bonjour !")
    first = copy.deepcopy(await replique.card_for("Bonjour !"))
    replique.customer_says(ORDER)

    second = await replique.card_for(ORDER)
    assert second["message_id"] != first["message_id"]
    old = await replique.card_changes(first, lambda m: "reply_markup" not in m)
    assert "superseded" in old["text"].lower()
    assert "88123" not in old["text"]
    replique.fake.click(first, "✅", user=MARC)  # too late: that draft was superseded
    replique.fake.click(second, "✅", user=MARC)
    await replique.customer_receives(LEA)
    await barrier(replique)
    assert len(replique.delivered_to(LEA["id"])) == 1


async def test_an_edited_message_updates_its_card_in_place(replique: Replique) -> None:
    update = replique.customer_says("Bonjour, où en est ma commande ?")
    card = await replique.card_for("Bonjour, où en est ma commande ?")

    replique.fake.customer_edits(update, ORDER)

    edited = await replique.card_changes(card, lambda m: "88123" in m["text"])
    assert buttons(edited)
    assert len(replique.cards()) == 1


async def test_a_photo_gets_a_card_saying_what_arrived(replique: Replique) -> None:
    replique.fake.customer_sends("photo", user=TOM)
    card = await replique.fake.wait_for(
        lambda: next((c for c in replique.cards() if "photo" in c["text"]), None)
    )
    assert "[sent a photo, no text]" in card["text"]
    assert buttons(card)

    replique.fake.customer_sends("sticker", user=LEA)
    sticker = await replique.fake.wait_for(
        lambda: next((c for c in replique.cards() if "sticker" in c["text"]), None)
    )
    assert "Léa Tremblay" in sticker["text"]


async def test_group_customers_are_answered_in_the_group(replique: Replique) -> None:
    update = replique.customer_says(ORDER, user=LEA, chat_id=GROUP)
    card = await replique.card_for(ORDER)
    replique.fake.click(card, "✅", user=MARC)

    [reply] = await replique.customer_receives(chat_id=GROUP)
    assert reply
    [call] = replique.fake.sent_to(GROUP)
    assert call.params["reply_parameters"]["message_id"] == update["message"]["message_id"]


async def test_customer_text_is_shown_literally(replique: Replique) -> None:
    nasty = "<b>hi</b> *bold* _it_ `code` {{ brand.secret }} {% if x %} @here <!channel> & <3"
    replique.customer_says(nasty, user=TOM)

    card = await replique.card_for(nasty)
    # The fake refuses unbalanced or unknown HTML, as Telegram does: the card went through, and
    # it quotes the customer's text escaped, character for character.
    assert html.escape(nasty, quote=False) in card["text"]
    await replique.edit(card, f"You wrote: {nasty}")
    assert await replique.customer_receives(TOM) == [f"You wrote: {nasty}"]


async def test_start_and_help_answer_in_the_users_language(replique: Replique) -> None:
    replique.customer_says("/start", user=LEA)
    replique.customer_says("/help", user=TOM)
    replique.fake.customer_says("/help", user=MARC, chat_id=replique.review_chat)

    [start] = await replique.customer_receives(LEA)
    [help_] = await replique.customer_receives(TOM)
    assert "Bonjour" in start
    assert "write" in help_.lower()
    [desk_help] = await replique.fake.wait_for_call(
        "sendMessage", lambda c: c.chat_id == replique.review_chat
    )
    assert str(MARC["id"]) in desk_help.text
    assert replique.cards() == []


async def test_an_update_it_cannot_read_is_skipped_and_polling_goes_on(replique: Replique) -> None:
    # Fields Telegram always sends are null here: the update is confirmed and skipped, never
    # fetched again and again while the customers behind it wait.
    replique.fake.push_update({"message": {"message_id": None, "date": None, "chat": None}})
    replique.customer_says(ORDER)
    # Behind the unreadable update, the next customer's message still gets its card.
    card = await replique.card_for(ORDER)
    assert "88123" in card["text"]
