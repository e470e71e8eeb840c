"""Customer messages and reviewer actions as the JSON the work queue keeps, and back.

The queue stores the platform-neutral values the adapters made (never platform payloads), so any
process can do the work, whatever platform it came from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from bot.domain import InboundMessage, Platform, ReviewAction
from bot.review.cards import CardRef, ReviewerAction

__all__ = ["action_from_json", "action_to_json", "message_from_json", "message_to_json"]


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def message_to_json(message: InboundMessage) -> dict[str, Any]:
    return {
        "platform": message.platform,
        "conversation_id": message.conversation_id,
        "customer_id": message.customer_id,
        "text": message.text,
        "customer_name": message.customer_name,
        "language_hint": message.language_hint,
        "thread_id": message.thread_id,
        "platform_message_id": message.platform_message_id,
        "received_at": _moment(message.received_at),
        "attachment_kind": message.attachment_kind,
    }


def message_from_json(data: dict[str, Any]) -> InboundMessage:
    return InboundMessage(
        platform=cast(Platform, data["platform"]),
        conversation_id=str(data["conversation_id"]),
        customer_id=str(data["customer_id"]),
        text=str(data.get("text") or ""),
        customer_name=data.get("customer_name"),
        language_hint=data.get("language_hint"),
        thread_id=data.get("thread_id"),
        platform_message_id=data.get("platform_message_id"),
        received_at=_parse_moment(data.get("received_at")),
        attachment_kind=data.get("attachment_kind"),
    )


def action_to_json(action: ReviewerAction) -> dict[str, Any]:
    card = action.card
    return {
        "action": action.action.value,
        "platform": action.platform,
        "reviewer_id": action.reviewer_id,
        "reviewer_name": action.reviewer_name,
        "draft_id": action.draft_id,
        "card": None
        if card is None
        else {"desk": card.desk, "chat_id": card.chat_id, "message_id": card.message_id},
        "edited_text": action.edited_text,
        "intent": action.intent,
        "confirmed": action.confirmed,
        "shown_draft_id": action.shown_draft_id,
    }


def action_from_json(data: dict[str, Any]) -> ReviewerAction:
    card = data.get("card")
    draft_id = data.get("draft_id")
    shown = data.get("shown_draft_id")
    return ReviewerAction(
        action=ReviewAction(data["action"]),
        platform=cast(Platform, data["platform"]),
        reviewer_id=str(data["reviewer_id"]),
        reviewer_name=data.get("reviewer_name"),
        draft_id=int(draft_id) if draft_id is not None else None,
        card=None
        if not isinstance(card, dict)
        else CardRef(
            desk=cast(Platform, card["desk"]),
            chat_id=str(card["chat_id"]),
            message_id=str(card["message_id"]),
        ),
        edited_text=data.get("edited_text"),
        intent=data.get("intent"),
        confirmed=bool(data.get("confirmed")),
        shown_draft_id=int(shown) if shown is not None else None,
    )
