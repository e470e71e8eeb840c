"""From Telegram updates to Réplique's values, and from a reply address back to a chat.

Pure functions over python-telegram-bot objects (no network), so the translation at the edge can
be tested on hand-built updates:

- a customer's ``Message`` becomes an ``InboundMessage`` (``inbound_from_message``), keyed per
  customer in groups (``conversation_id``) and reversibly (``chat_of``);
- a reaction on a card becomes a ``ReviewAction`` (``reaction_action``);
- ``/start`` and ``/help`` are recognised (``command_of``) and answered in the user's language.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Message, MessageReactionUpdated, ReactionTypeEmoji, User
from telegram.constants import ChatType

from bot.domain import InboundMessage, ReviewAction
from bot.i18n import language, pick, t_in
from bot.review.cards import REACTIONS

__all__ = [
    "ATTACHMENT_KINDS",
    "CUSTOMER_CHATS",
    "attachment_kind",
    "chat_of",
    "command_of",
    "conversation_id",
    "inbound_from_message",
    "message_id_of",
    "platform_message_id",
    "reaction_action",
    "say",
]

#: Chats whose messages come from customers (the agents group is told apart by its id).
CUSTOMER_CHATS = frozenset({ChatType.PRIVATE, ChatType.GROUP, ChatType.SUPERGROUP})

#: What a customer may send besides text, in the order a message is checked (a photo with a
#: caption is a photo; an animation also carries a ``document``, so it comes first).
ATTACHMENT_KINDS = (
    "photo",
    "sticker",
    "voice",
    "video_note",
    "animation",
    "video",
    "audio",
    "document",
    "location",
    "contact",
    "poll",
    "dice",
)

#: Commands Réplique answers itself; any other "/word" is the customer's text.
_COMMANDS = frozenset({"start", "help"})


def conversation_id(chat_id: int, chat_type: str, user_id: int) -> str:
    """One customer's conversation: the private chat itself, or ``"<group>:<user>"`` in a group
    (several customers share a group; the store credits a conversation to one of them)."""
    if chat_type == ChatType.PRIVATE:
        return str(chat_id)
    return f"{chat_id}:{user_id}"


def chat_of(conversation: str) -> int:
    """The chat a conversation id lives in (the inverse of ``conversation_id``)."""
    return int(conversation.split(":", 1)[0])


def platform_message_id(chat_id: int, message_id: int) -> str:
    """Telegram numbers messages per chat, so the chat is part of a message's identity."""
    return f"{chat_id}:{message_id}"


def message_id_of(value: str | None) -> int | None:
    """The Telegram message id inside ``platform_message_id`` (or a bare id); None if unreadable."""
    if not value:
        return None
    last = value.rsplit(":", 1)[-1]
    return int(last) if last.lstrip("-").isdigit() else None


def attachment_kind(message: Message) -> str | None:
    """``"photo"``, ``"sticker"``, ``"voice"``… when the message carries one, else None."""
    for kind in ATTACHMENT_KINDS:
        if getattr(message, kind, None):
            return kind
    return None


def display_name(user: User) -> str:
    """How the card names a customer: their Telegram name, with the @username when there is one."""
    name = user.full_name.strip() or str(user.id)
    return f"{name} (@{user.username})" if user.username else name


def inbound_from_message(message: Message) -> InboundMessage | None:
    """The customer message in ``message``; None for what is not one (service messages,
    bots, anonymous channel posts, a message with neither text nor attachment)."""
    user = message.from_user
    if user is None or user.is_bot or message.sender_chat is not None:
        return None
    kind = attachment_kind(message)
    text = message.text if message.text is not None else (message.caption or "")
    if not text and kind is None:
        return None
    chat = message.chat
    thread = (
        str(message.message_thread_id)
        if message.is_topic_message and message.message_thread_id
        else None
    )
    when = message.edit_date or message.date
    return InboundMessage(
        platform="telegram",
        conversation_id=conversation_id(chat.id, chat.type, user.id),
        customer_id=str(user.id),
        text=text,
        customer_name=display_name(user),
        language_hint=user.language_code,
        thread_id=thread,
        platform_message_id=platform_message_id(chat.id, message.message_id),
        received_at=when.astimezone(UTC) if when else datetime.now(UTC),
        attachment_kind=kind,
    )


def command_of(message: Message, *, bot_username: str | None) -> str | None:
    """``"start"`` or ``"help"`` when the message is that command (``/help@ThisBot`` in groups;
    a command addressed to another bot is not ours), else None."""
    text = message.text or ""
    if not text.startswith("/"):
        return None
    word = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    name, _, addressee = word.partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return None
    name = name.lower()
    return name if name in _COMMANDS else None


def reaction_action(update: MessageReactionUpdated) -> ReviewAction | None:
    """The action of the reaction just added (✅/👍 send, ❌/👎 discard, 🔁 another version)."""
    old = {_emoji(r) for r in update.old_reaction}
    for reaction in update.new_reaction:
        emoji = _emoji(reaction)
        if emoji and emoji not in old and emoji in REACTIONS:
            return REACTIONS[emoji]
    return None


def _emoji(reaction: object) -> str | None:
    if isinstance(reaction, ReactionTypeEmoji):
        # Clients differ on the variation selector (U+FE0F); REACTIONS is written without it.
        return reaction.emoji.replace("\ufe0f", "")
    return None


def say(key: str, *, language_code: str | None, **values: object) -> str:
    """Message ``key`` in the user's Telegram language when it is French or English, else in
    the team's language (``REPLIQUE_LANG``): /start and /help speak to each person."""
    return t_in(pick(language_code) or language(), key, **values)
