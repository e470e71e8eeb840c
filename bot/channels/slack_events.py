"""Slack payloads in, domain values out: pure functions, no I/O.

Conversations. The store credits a conversation to one customer, so the adapter keys them so:

- a thread (``thread_ts`` set): ``"C123/1700000000.000100"``, the channel and the thread;
- a direct message with the app, unthreaded: ``"D123"``, the DM itself;
- an unthreaded message in a customer channel: ``"C123:U456"``, one conversation per customer.

The key is reversible (``parse_conversation``), so a reply finds its channel and thread again
whatever the desk kept of the message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from slack_sdk.errors import SlackApiError

from bot.domain import InboundMessage, ReviewAction
from bot.review.cards import REACTIONS, CardRef
from bot.review.ports import DeliveryFailed

__all__ = [
    "REACTION_NAMES",
    "SlackConversation",
    "action_actor",
    "action_channel",
    "as_int",
    "conversation_key",
    "customer_message",
    "delivery_failure",
    "parse_conversation",
    "reaction_action",
    "user_name",
]

#: Slack's reaction names for the card reactions (skin tones are stripped first).
REACTION_NAMES: Final[dict[str, str]] = {
    "white_check_mark": "✅",
    "heavy_check_mark": "✅",
    "+1": "👍",
    "thumbsup": "👍",
    "x": "❌",
    "-1": "👎",
    "thumbsdown": "👎",
    "repeat": "🔁",
}

#: Message subtypes that are a customer writing; every other subtype (joins, topic changes,
#: deletions, bot messages…) is not.
#: Slack errors that retrying cannot fix sooner or later; anything else is retried by the outbox.
_RETRYABLE_ERRORS: Final = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "request_timeout", "service_unavailable"}
)
_CUSTOMER_SUBTYPES: Final = frozenset({None, "file_share", "thread_broadcast"})
_SKIN_TONE = re.compile(r"::skin-tone-\d$")


@dataclass(frozen=True, slots=True)
class SlackConversation:
    """Where a customer conversation lives in Slack: a channel, and a thread when there is one."""

    channel: str
    thread_ts: str | None = None


def conversation_key(*, channel: str, user: str, thread_ts: str | None, is_dm: bool) -> str:
    if thread_ts:
        return f"{channel}/{thread_ts}"
    if is_dm:
        return channel
    return f"{channel}:{user}"


def parse_conversation(conversation_id: str) -> SlackConversation:
    """The channel and thread of a conversation key built by ``customer_message``."""
    if "/" in conversation_id:
        channel, thread_ts = conversation_id.split("/", 1)
        return SlackConversation(channel, thread_ts or None)
    return SlackConversation(conversation_id.split(":", 1)[0])


def _received_at(ts: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts), UTC) if ts else None
    except ValueError:
        return None


def _attachment_kind(files: Any) -> str | None:
    if not isinstance(files, list) or not files:
        return None
    first = files[0] if isinstance(files[0], dict) else {}
    mimetype = str(first.get("mimetype") or "")
    for prefix, kind in (("image/", "photo"), ("audio/", "voice"), ("video/", "video")):
        if mimetype.startswith(prefix):
            return kind
    return "file"


def customer_message(
    event: Mapping[str, Any],
    *,
    customer_channels: Collection[str],
    bot_user_id: str | None = None,
    review_channel: str | None = None,
) -> InboundMessage | None:
    """The customer message in a Slack ``message`` event, or None when it is not one.

    Not a customer: the app itself, other bots, system subtypes, the review channel, channels not
    listed in ``slack.customer_channels`` (DMs always count). An edit (``message_changed``) comes
    back with the original message's ``ts`` as ``platform_message_id``, so the desk updates that
    message's card; an edit that changes no text (a link unfurling) is not one.
    """
    if event.get("type") != "message":
        return None
    channel = str(event.get("channel") or "")
    subtype = event.get("subtype")
    message: Mapping[str, Any] = event
    if subtype == "message_changed":
        inner = event.get("message")
        previous = event.get("previous_message")
        if not isinstance(inner, Mapping):
            return None
        if isinstance(previous, Mapping) and previous.get("text") == inner.get("text"):
            return None
        message = inner
        subtype = inner.get("subtype")
    if subtype not in _CUSTOMER_SUBTYPES or message.get("bot_id") or message.get("hidden"):
        return None
    user = message.get("user")
    if not user or not channel or (bot_user_id is not None and user == bot_user_id):
        return None
    is_dm = event.get("channel_type") == "im" or channel.startswith("D")
    if channel == review_channel or (not is_dm and channel not in customer_channels):
        return None
    ts = message.get("ts")
    thread_ts = message.get("thread_ts")
    text = message.get("text")
    return InboundMessage(
        platform="slack",
        conversation_id=conversation_key(
            channel=channel, user=str(user), thread_ts=thread_ts, is_dm=is_dm
        ),
        customer_id=str(user),
        text=text if isinstance(text, str) else "",
        thread_id=str(thread_ts) if thread_ts else None,
        platform_message_id=str(ts) if ts else None,
        received_at=_received_at(ts),
        attachment_kind=_attachment_kind(message.get("files")),
    )


def reaction_action(event: Mapping[str, Any]) -> tuple[ReviewAction, CardRef] | None:
    """What a ``reaction_added`` on a message means for the card there, or None."""
    item = event.get("item")
    if not isinstance(item, Mapping) or item.get("type") != "message":
        return None
    name = _SKIN_TONE.sub("", str(event.get("reaction") or ""))
    emoji = REACTION_NAMES.get(name)
    if emoji is None or not item.get("channel") or not item.get("ts"):
        return None
    ref = CardRef(desk="slack", chat_id=str(item["channel"]), message_id=str(item["ts"]))
    return REACTIONS[emoji], ref


def user_name(user: Mapping[str, Any]) -> str | None:
    """A person's name as Slack shows it: display name, else real name, else handle."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, Mapping) else {}
    for value in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _header(headers: Any, name: str) -> str | None:
    """A response header, whatever the case the server used (slack-sdk keeps them as sent)."""
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list) and value else value)
    return None


def delivery_failure(exc: SlackApiError) -> DeliveryFailed:
    """Slack's refusal as the outbox understands it: when to retry, or never."""
    response = exc.response
    status = int(getattr(response, "status_code", 200) or 200)
    data = getattr(response, "data", None)
    error = str(data.get("error") or "") if isinstance(data, dict) else ""
    if status == 429 or error == "ratelimited":
        raw = _header(getattr(response, "headers", None), "Retry-After")
        try:
            retry_after = float(raw) if raw is not None else 1.0
        except ValueError:
            retry_after = 1.0
        return DeliveryFailed(f"slack: rate limited ({status})", retry_after=retry_after)
    if status >= 500:
        return DeliveryFailed(f"slack: server error {status} {error}".strip())
    reason = f"slack: {error or status}"
    return DeliveryFailed(reason, permanent=error not in _RETRYABLE_ERRORS)


def as_int(value: Any) -> int | None:
    """A draft id carried in a button value or a block id, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def action_actor(body: Mapping[str, Any]) -> tuple[str, str | None]:
    """Who clicked or submitted: their user id and handle."""
    user = body.get("user") or {}
    if not isinstance(user, dict):
        return "", None
    return str(user.get("id") or ""), user.get("name") or user.get("username")


def action_channel(body: Mapping[str, Any]) -> str | None:
    """The channel of the message a click was made on."""
    channel = body.get("channel") or (body.get("container") or {}).get("channel_id")
    if isinstance(channel, dict):
        channel = channel.get("id")
    return str(channel) if channel else None
