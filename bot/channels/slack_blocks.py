"""A ``ReviewCard`` as Slack Block Kit, and the edit modal: pure functions, no I/O.

Customer words are data, never markup. Everything that comes from a customer (their name, their
message, the summary that quotes their entities, the draft that may quote them back, the "why")
goes into ``plain_text`` objects or a ``rich_text`` quote, which Slack shows literally: no
``<!channel>``, no ``@here``, no ``*bold*``, no link. Only Réplique's own labels use ``mrkdwn``.
The ``text`` fallback (notifications, screen readers) is mrkdwn, so it goes through
``escape_slack``.
"""

from __future__ import annotations

import json
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.domain import ReviewAction
from bot.drafting.escaping import escape_slack
from bot.i18n import t
from bot.review.cards import ReviewCard
from bot.wording import facts_line, guard_line, history_line, status_line, summary_line, why_line

__all__ = [
    "ACTION_IDS",
    "CONFIRMED_SEND_ID",
    "EDIT_CALLBACK_ID",
    "INTENT_ACTION_ID",
    "MODAL_BLOCK_ID",
    "MODAL_INPUT_ID",
    "card_blocks",
    "card_fallback",
    "edit_modal",
    "modal_draft_id",
]

Block = dict[str, Any]

#: Button action ids and what they ask the desk to do (the button's value is the draft id).
ACTION_IDS: Final[dict[str, ReviewAction]] = {
    "replique_send": ReviewAction.SEND,
    "replique_edit": ReviewAction.EDIT,
    "replique_variant": ReviewAction.VARIANT,
    "replique_discard": ReviewAction.DISCARD,
    # The ✅ of a card above the anti-blast cap: Slack shows a confirmation dialog first, and
    # sends this action only once the reviewer confirmed.
    "replique_send_confirmed": ReviewAction.SEND,
}
CONFIRMED_SEND_ID: Final = "replique_send_confirmed"
#: The intent picker; its block id carries the draft id, its options' values are intent names.
INTENT_ACTION_ID: Final = "replique_intent"
INTENT_BLOCK_PREFIX: Final = "replique_actions:"
#: The edit modal: callback id, and where its text input sits in ``view.state.values``.
EDIT_CALLBACK_ID: Final = "replique_edit_submit"
MODAL_BLOCK_ID: Final = "replique_reply"
MODAL_INPUT_ID: Final = "text"

#: Block Kit limits: a plain_text in a section holds 3000 characters, a header 150, a button
#: label 75, an option 75, a plain_text_input 3000; a message holds 50 blocks.
_SECTION_LIMIT: Final = 3000
_HEADER_LIMIT: Final = 150
_OPTION_LIMIT: Final = 75
_INPUT_LIMIT: Final = 3000
#: A 10,000-character message is shown whole (four quote chunks); beyond this, it is cut.
_QUOTE_MAX_CHUNKS: Final = 8
_FALLBACK_DRAFT: Final = 300


def _plain(text: str, *, emoji: bool = False) -> Block:
    # emoji=False: a customer's ":tada:" stays the characters they typed.
    return {"type": "plain_text", "text": text or " ", "emoji": emoji}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(text: str, *, size: int, max_chunks: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut (and said so) past ``max_chunks``."""
    pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
    if len(pieces) <= max_chunks:
        return pieces
    kept = pieces[:max_chunks]
    left = len(text) - sum(len(p) for p in kept)
    kept[-1] = kept[-1][: size - 60] + t("slack.card_truncated", count=left + 60)
    return kept


def _quote(card: ReviewCard) -> list[Block]:
    """The customer's message as a quote; rich_text ``text`` elements are literal."""
    text = card.message_text
    if card.attachment_kind is not None:
        note = t("slack.card_attachment", kind=card.attachment_kind)
        text = f"{note}\n{text}" if text else note
    return [
        {
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_quote", "elements": [{"type": "text", "text": chunk}]}
            ],
        }
        for chunk in _chunks(text, size=_SECTION_LIMIT - 100, max_chunks=_QUOTE_MAX_CHUNKS)
    ]


def _draft_heading(card: ReviewCard) -> str:
    if card.decided:
        return t("slack.card_final")
    key = "slack.card_draft_promotional" if card.promotional else "slack.card_draft"
    return t(key, variant=card.variant, variants=card.variants)


def _send_button(card: ReviewCard) -> Block:
    button: Block = {
        "type": "button", "action_id": "replique_send", "value": str(card.draft_id),
        "style": "primary", "text": _plain(t("slack.button_send"), emoji=True),
    }  # fmt: skip
    if card.needs_confirmation:
        guard = guard_line(card.why) or ""
        button["action_id"] = CONFIRMED_SEND_ID
        button["confirm"] = {
            "title": _plain(_cut(t("card.confirm_title"), 100)),
            "text": _plain(_cut(guard, 300), emoji=True),
            "confirm": _plain(_cut(t("card.confirm_send"), 30), emoji=True),
            "deny": _plain(_cut(t("card.confirm_back"), 30), emoji=True),
            "style": "danger",
        }
    return button


def _actions(card: ReviewCard) -> Block:
    value = str(card.draft_id)
    buttons: list[Block] = [
        _send_button(card),
        {"type": "button", "action_id": "replique_edit", "value": value,
         "text": _plain(t("slack.button_edit"), emoji=True)},
        {"type": "button", "action_id": "replique_variant", "value": value,
         "text": _plain(t("slack.button_variant"), emoji=True)},
        {"type": "button", "action_id": "replique_discard", "value": value, "style": "danger",
         "text": _plain(t("slack.button_discard"), emoji=True)},
    ]  # fmt: skip
    elements: list[Block] = list(buttons)
    choices = card.intent_choices[:100]
    if choices:
        options = [{"text": _plain(_cut(name, _OPTION_LIMIT)), "value": name} for name in choices]
        picker: Block = {
            "type": "static_select",
            "action_id": INTENT_ACTION_ID,
            "placeholder": _plain(t("slack.intent_placeholder")),
            "options": options,
        }
        if card.intent in choices:
            picker["initial_option"] = options[choices.index(card.intent)]
        elements.append(picker)
    # The block id carries the draft id so the picker's action says which draft it fixes.
    return {
        "type": "actions",
        "block_id": f"{INTENT_BLOCK_PREFIX}{card.draft_id}",
        "elements": elements,
    }


def _facts(card: ReviewCard) -> list[Block]:
    """The order facts and the customer's history, one context line each, when known."""
    lines = [
        f"{icon} {line}"
        for icon, line in (("🕘", history_line(card.history)), ("📦", facts_line(card.facts)))
        if line
    ]
    return [
        {"type": "context", "elements": [_plain(_cut(line, _SECTION_LIMIT), emoji=True)]}
        for line in lines
    ]


def card_blocks(card: ReviewCard, zone: ZoneInfo) -> list[Block]:
    """The review card: who, what they wrote, the analysis, the draft, why, and the buttons.

    A decided card keeps its content, shows the text that went out and the status line (its time
    in ``zone``, the brand's), and has no buttons.
    """
    title = t("slack.card_title", name=card.customer_name, platform=card.customer_platform)
    blocks: list[Block] = [{"type": "header", "text": _plain(_cut(title, _HEADER_LIMIT))}]
    blocks.extend(_quote(card))
    summary = summary_line(card.analysis)
    blocks.append({"type": "context", "elements": [_plain(_cut(summary, _SECTION_LIMIT))]})
    blocks.extend(_facts(card))
    blocks.append({"type": "divider"})
    shown = card.final_text if card.decided and card.final_text is not None else card.draft_text
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _draft_heading(card)}})
    blocks.append({"type": "section", "text": _plain(_cut(shown, _SECTION_LIMIT))})
    why = t("slack.card_why", why=why_line(card.why))
    blocks.append({"type": "context", "elements": [_plain(_cut(why, _SECTION_LIMIT))]})
    guard = guard_line(card.why, pending=not card.decided)
    if guard:
        blocks.append(
            {"type": "context", "elements": [_plain(_cut(guard, _SECTION_LIMIT), emoji=True)]}
        )
    if card.decided:
        status = status_line(card, zone) or card.status.value
        blocks.append(
            {"type": "context", "elements": [_plain(_cut(status, _SECTION_LIMIT), emoji=True)]}
        )
    else:
        blocks.append(_actions(card))
    return blocks


def card_fallback(card: ReviewCard, zone: ZoneInfo) -> str:
    """The message's ``text``: what notifications show; mrkdwn, so escaped."""
    status = status_line(card, zone)
    if card.decided and status:
        return escape_slack(f"{card.customer_name}: {status}")
    draft = _cut(card.draft_text, _FALLBACK_DRAFT)
    return escape_slack(t("slack.card_fallback", name=card.customer_name, draft=draft))


def edit_modal(card: ReviewCard) -> Block:
    """The ✏️ modal, pre-filled with the draft; submitting it is the EDIT of ``card.draft_id``."""
    return {
        "type": "modal",
        "callback_id": EDIT_CALLBACK_ID,
        "private_metadata": json.dumps({"draft_id": card.draft_id, "card_id": card.card_id}),
        "title": _plain(t("slack.modal_title")),
        "submit": _plain(t("slack.modal_submit")),
        "close": _plain(t("slack.modal_cancel")),
        "blocks": [
            {
                "type": "input",
                "block_id": MODAL_BLOCK_ID,
                "label": _plain(_cut(t("slack.modal_label", name=card.customer_name), 2000)),
                "element": {
                    "type": "plain_text_input",
                    "action_id": MODAL_INPUT_ID,
                    "multiline": True,
                    "initial_value": card.draft_text[:_INPUT_LIMIT],
                    "max_length": _INPUT_LIMIT,
                },
            }
        ],
    }


def modal_draft_id(view: dict[str, Any]) -> int | None:
    """The draft id an edit modal was opened for (its ``private_metadata``), or None."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        return int(meta["draft_id"])
    except (ValueError, KeyError, TypeError):
        return None
