"""From Telegram updates to Réplique's values, and Telegram's refusals to DeliveryFailed."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Message, MessageReactionUpdated, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram_calls import chunks, deliver, file_url
from bot.channels.telegram_events import (
    attachment_kind,
    chat_of,
    command_of,
    conversation_id,
    inbound_from_message,
    message_id_of,
    reaction_action,
    say,
)
from bot.domain import ReviewAction
from bot.review.ports import DeliveryFailed

LEA = {"id": 4242, "is_bot": False, "first_name": "Léa", "last_name": "Tremblay",
       "username": "lea_t", "language_code": "fr"}  # fmt: skip


def message(chat: dict[str, Any], **content: Any) -> Message:
    data = {"message_id": 17, "date": 1_700_000_000, "chat": chat, "from": LEA, **content}
    return Message.de_json(data, None)


PRIVATE = {"id": 4242, "type": "private", "first_name": "Léa"}
GROUP = {"id": -1005550000, "type": "supergroup", "title": "Café fans"}


def test_a_private_message_is_its_own_conversation() -> None:
    inbound = inbound_from_message(message(PRIVATE, text="Bonjour !"))
    assert inbound is not None
    assert inbound.platform == "telegram"
    assert inbound.conversation_id == "4242"
    assert inbound.customer_id == "4242"
    assert inbound.customer_name == "Léa Tremblay (@lea_t)"
    assert inbound.language_hint == "fr"
    assert inbound.platform_message_id == "4242:17"
    assert inbound.text == "Bonjour !"
    assert inbound.attachment_kind is None
    assert inbound.received_at is not None
    assert inbound.received_at.tzinfo is not None


def test_a_group_message_is_keyed_per_customer_and_reversible() -> None:
    inbound = inbound_from_message(message(GROUP, text="Salut"))
    assert inbound is not None
    assert inbound.conversation_id == "-1005550000:4242"
    assert chat_of(inbound.conversation_id) == -1005550000
    assert message_id_of(inbound.platform_message_id) == 17


def test_conversation_ids() -> None:
    assert conversation_id(10, "private", 10) == "10"
    assert conversation_id(-100, "group", 10) == "-100:10"
    assert chat_of("10") == 10
    assert message_id_of("17") == 17
    assert message_id_of(None) is None
    assert message_id_of("x:y") is None


PHOTO = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]


@pytest.mark.parametrize(
    ("content", "kind", "text"),
    [
        ({"photo": PHOTO}, "photo", ""),
        ({"photo": PHOTO, "caption": "regardez"}, "photo", "regardez"),
        ({"voice": {"file_id": "f", "file_unique_id": "u", "duration": 2}}, "voice", ""),
        ({"sticker": {"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1,
                      "is_animated": False, "is_video": False, "type": "regular"}},
         "sticker", ""),
    ],
)  # fmt: skip
def test_attachments_say_what_arrived(content: dict[str, Any], kind: str, text: str) -> None:
    msg = message(PRIVATE, **content)
    assert attachment_kind(msg) == kind
    inbound = inbound_from_message(msg)
    assert inbound is not None
    assert inbound.attachment_kind == kind
    assert inbound.text == text


def test_what_is_not_a_customer_message_is_dropped() -> None:
    bot = {"id": 1, "is_bot": True, "first_name": "Other bot"}
    assert inbound_from_message(message(GROUP, text="hi", **{"from": bot})) is None
    assert inbound_from_message(message(GROUP, new_chat_title="Renamed")) is None
    on_behalf = message(GROUP, text="hi", sender_chat={"id": -100999, "type": "channel"})
    assert inbound_from_message(on_behalf) is None


def test_an_edited_message_keeps_its_platform_message_id() -> None:
    first = inbound_from_message(message(PRIVATE, text="a"))
    edited = inbound_from_message(message(PRIVATE, text="b", edit_date=1_700_000_100))
    assert first is not None
    assert edited is not None
    assert first.platform_message_id == edited.platform_message_id
    assert edited.received_at is not None
    assert first.received_at is not None
    assert edited.received_at > first.received_at


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", "start"),
        ("/help", "help"),
        ("/HELP please", "help"),
        ("/help@replique_bot", "help"),
        ("/help@other_bot", None),
        ("/refund now", None),
        ("help", None),
        ("/", None),
    ],
)
def test_commands(text: str, expected: str | None) -> None:
    assert command_of(message(PRIVATE, text=text), bot_username="Replique_Bot") == expected


def reaction(new: list[str], old: list[str] = ()) -> MessageReactionUpdated:  # type: ignore[assignment]
    data = {
        "update_id": 1,
        "message_reaction": {
            "chat": GROUP,
            "message_id": 5,
            "user": LEA,
            "date": 1_700_000_000,
            "old_reaction": [{"type": "emoji", "emoji": e} for e in old],
            "new_reaction": [{"type": "emoji", "emoji": e} for e in new],
        },
    }
    update = Update.de_json(data, None)
    assert update.message_reaction is not None
    return update.message_reaction


def test_reactions_map_to_actions() -> None:
    assert reaction(["👍"]).new_reaction
    assert reaction_action(reaction(["👍"])) is ReviewAction.SEND
    assert reaction_action(reaction(["👎"])) is ReviewAction.DISCARD
    assert reaction_action(reaction(["✅\ufe0f"])) is ReviewAction.SEND
    assert reaction_action(reaction(["🔁"])) is ReviewAction.VARIANT
    assert reaction_action(reaction(["🔥"])) is None
    # Removing a reaction, or keeping one already there, is not a new decision.
    assert reaction_action(reaction([], old=["👍"])) is None
    assert reaction_action(reaction(["👍", "🔥"], old=["👍"])) is None


def test_say_speaks_the_users_language(monkeypatch: pytest.MonkeyPatch) -> None:
    assert say("telegram.customer_start", language_code="fr-CA").startswith("Bonjour")
    assert say("telegram.customer_start", language_code="en").startswith("Hello")
    monkeypatch.setenv("REPLIQUE_LANG", "fr")
    assert say("telegram.customer_start", language_code="de").startswith("Bonjour")


async def failing(exc: Exception) -> None:
    raise exc


async def test_refusals_become_delivery_failures() -> None:
    with pytest.raises(DeliveryFailed) as limited:
        await deliver(failing(RetryAfter(7)))
    assert limited.value.retry_after == 7.0
    assert not limited.value.permanent
    for refusal in (Forbidden("bot was blocked by the user"), BadRequest("chat not found")):
        with pytest.raises(DeliveryFailed) as refused:
            await deliver(failing(refusal))
        assert refused.value.permanent
    # Network trouble is left for the outbox to retry as it is.
    for trouble in (NetworkError("Bad Gateway"), TimedOut()):
        with pytest.raises(type(trouble)):
            await deliver(failing(trouble))


def test_long_replies_go_out_in_pieces_and_the_file_url_follows_the_api_url() -> None:
    assert chunks("a" * 9000) == ["a" * 4000, "a" * 4000, "a" * 1000]
    assert chunks("") == [" "]
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:9/bot") == "http://127.0.0.1:9/file/bot"
