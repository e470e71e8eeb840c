"""A review card as one Telegram message: HTML text plus an inline keyboard, and back.

Pure functions, no network: ``render_card`` turns a platform-neutral ``ReviewCard`` into the text
(Telegram's HTML parse mode, every piece of customer text escaped) and the keyboard of the card;
``encode_callback`` / ``decode_callback`` carry a button's action and draft id through Telegram's
64-byte ``callback_data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import ReviewAction
from bot.drafting.escaping import escape_telegram_html
from bot.i18n import t
from bot.review.cards import ReviewCard
from bot.wording import facts_line, guard_line, history_line, status_line, summary_line, why_line

__all__ = [
    "MAX_MESSAGE",
    "Callback",
    "confirm_keyboard",
    "decode_callback",
    "encode_callback",
    "intent_keyboard",
    "platform_label",
    "render_card",
]

#: Telegram refuses a message longer than this (counted after entity parsing; we count the HTML,
#: which is longer, so a card that fits here always fits there).
MAX_MESSAGE = 4096
#: Telegram's limit for a button's callback_data, in bytes.
_MAX_CALLBACK = 64

#: One letter per button in callback_data; "m" opens the intent menu, "b" closes it.
_CODES: dict[ReviewAction, str] = {
    ReviewAction.SEND: "s",
    ReviewAction.EDIT: "e",
    ReviewAction.VARIANT: "v",
    ReviewAction.DISCARD: "d",
    ReviewAction.FIX_INTENT: "f",
}
_ACTIONS = {code: action for action, code in _CODES.items()}
_MENU = "m"
_BACK = "b"
#: "k" asks for the anti-blast confirmation step; "c" is the confirmed send.
_CONFIRM_STEP = "k"
_CONFIRMED = "c"
_NAVIGATION = {_MENU: "menu", _BACK: "back", _CONFIRM_STEP: "confirm"}

_PLATFORMS = {"telegram": "Telegram", "slack": "Slack", "web": "Web", "cli": "CLI"}

#: How much of each piece a card shows before it is clipped, in characters before escaping.
#: The customer's message gives way first: the draft is what the reviewer decides on.
_BUDGET = {"message": 1200, "draft": 2000, "why": 400, "summary": 300}


@dataclass(frozen=True, slots=True)
class Callback:
    """What a pressed button asks for: an action on a draft, or opening/closing the intent menu."""

    draft_id: int
    action: ReviewAction | None = None
    intent: str | None = None
    #: "menu" (show the intents), "back" (show the card's buttons again) or "confirm" (show
    #: the anti-blast confirmation) when action is None.
    navigation: str | None = None
    #: A send confirmed on the anti-blast step.
    confirmed: bool = False


def encode_callback(
    draft_id: int,
    *,
    action: ReviewAction | None = None,
    intent: str | None = None,
    navigation: str | None = None,
    confirmed: bool = False,
) -> str | None:
    """``callback_data`` for a button; None when it would not fit in Telegram's 64 bytes."""
    if action is ReviewAction.SEND and confirmed:
        data = f"{_CONFIRMED}:{draft_id}"
    elif action is not None:
        data = f"{_CODES[action]}:{draft_id}"
        if action is ReviewAction.FIX_INTENT:
            data += f":{intent or ''}"
    else:
        code = {name: code for code, name in _NAVIGATION.items()}.get(navigation or "", _BACK)
        data = f"{code}:{draft_id}"
    return data if len(data.encode("utf-8")) <= _MAX_CALLBACK else None


def decode_callback(data: str | None) -> Callback | None:
    """The button behind ``data``; None for data this bot did not make (stale or forged)."""
    if not data:
        return None
    code, _, rest = data.partition(":")
    draft, _, intent = rest.partition(":")
    if not draft.isdigit():
        return None
    draft_id = int(draft)
    if code in _NAVIGATION:
        return Callback(draft_id=draft_id, navigation=_NAVIGATION[code])
    if code == _CONFIRMED:
        return Callback(draft_id=draft_id, action=ReviewAction.SEND, confirmed=True)
    action = _ACTIONS.get(code)
    if action is None:
        return None
    if action is ReviewAction.FIX_INTENT:
        return Callback(draft_id=draft_id, action=action, intent=intent) if intent else None
    return Callback(draft_id=draft_id, action=action)


def platform_label(platform: str) -> str:
    return _PLATFORMS.get(platform, platform)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + t("telegram.card_truncated", count=len(text) - limit)


def _button(label: str, data: str | None) -> InlineKeyboardButton:
    # Every button of the card fits in 64 bytes: a letter, a colon and the draft id.
    return InlineKeyboardButton(label, callback_data=data or "")


def card_keyboard(card: ReviewCard) -> InlineKeyboardMarkup | None:
    """✅ ✏️ / 🔁 ❌ / 🏷 for a pending card; None (no buttons) once it is decided."""
    if card.decided:
        return None
    d = card.draft_id
    # Above the anti-blast cap, ✅ opens a confirmation step instead of sending.
    send = (
        encode_callback(d, navigation="confirm")
        if card.needs_confirmation
        else encode_callback(d, action=ReviewAction.SEND)
    )
    rows = [
        [
            _button(t("telegram.button_send"), send),
            _button(t("telegram.button_edit"), encode_callback(d, action=ReviewAction.EDIT)),
        ],
        [
            _button(t("telegram.button_variant"), encode_callback(d, action=ReviewAction.VARIANT)),
            _button(t("telegram.button_discard"), encode_callback(d, action=ReviewAction.DISCARD)),
        ],
    ]
    if card.intent_choices:
        rows.append([_button(t("telegram.button_intent"), encode_callback(d, navigation="menu"))])
    return InlineKeyboardMarkup(rows)


def confirm_keyboard(card: ReviewCard) -> InlineKeyboardMarkup:
    """The anti-blast step: send anyway, or go back to the card's buttons."""
    d = card.draft_id
    return InlineKeyboardMarkup(
        [
            [
                _button(
                    t("card.confirm_send"),
                    encode_callback(d, action=ReviewAction.SEND, confirmed=True),
                )
            ],
            [_button(t("card.confirm_back"), encode_callback(d, navigation="back"))],
        ]
    )


def intent_keyboard(card: ReviewCard) -> InlineKeyboardMarkup:
    """The intent picker: one button per intent the card offers (two a row), then ↩."""
    buttons = []
    for intent in card.intent_choices:
        data = encode_callback(card.draft_id, action=ReviewAction.FIX_INTENT, intent=intent)
        if data is None:
            continue  # a brand's intent name too long for callback_data cannot be offered here
        label = f"• {intent}" if intent == card.intent else intent
        buttons.append(InlineKeyboardButton(label, callback_data=data))
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [_button(t("telegram.button_back"), encode_callback(card.draft_id, navigation="back"))]
    )
    return InlineKeyboardMarkup(rows)


def _text(card: ReviewCard, budget: dict[str, int], zone: ZoneInfo) -> str:
    esc = escape_telegram_html
    title = t(
        "telegram.card_title",
        name=card.customer_name,
        platform=platform_label(card.customer_platform),
    )
    lines = [f"👤 <b>{esc(title)}</b>"]
    quoted = _clip(card.message_text, budget["message"])
    if card.attachment_kind:
        key = "telegram.card_attachment_caption" if quoted else "telegram.card_attachment"
        lines.append(f"📎 <i>{esc(t(key, kind=card.attachment_kind))}</i>")
    if quoted:
        lines.append(f"<blockquote>{esc(quoted)}</blockquote>")
    lines.append(f"📊 {esc(_clip(summary_line(card.analysis), budget['summary']))}")
    for icon, line in (("🕘", history_line(card.history)), ("📦", facts_line(card.facts))):
        if line:
            lines.append(f"{icon} {esc(_clip(line, budget['summary']))}")
    lines.append("")
    if card.decided and card.final_text is not None:
        lines.append(f"<b>{esc(t('telegram.card_final'))}</b>")
        lines.append(esc(_clip(card.final_text, budget["draft"])))
    else:
        heading = t("telegram.card_draft", variant=card.variant, variants=card.variants)
        if card.promotional:
            heading += f" · {t('telegram.card_promotional')}"
        lines.append(f"✍️ <b>{esc(heading)}</b>")
        lines.append(esc(_clip(card.draft_text, budget["draft"])))
    why = why_line(card.why)
    if why:
        lines.append("")
        lines.append(f"<i>{esc(_clip(why, budget['why']))}</i>")
    guard = guard_line(card.why, pending=not card.decided)
    if guard:
        lines.append(esc(guard))
    status = status_line(card, zone)
    if card.decided and status:
        lines.append("")
        lines.append(f"<b>{esc(status)}</b>")
    return "\n".join(lines)


def render_card(card: ReviewCard, zone: ZoneInfo) -> tuple[str, InlineKeyboardMarkup | None]:
    """The card's HTML text (within Telegram's length limit) and its keyboard (None if decided);
    times in ``zone``, the brand's."""
    budget = dict(_BUDGET)
    text = _text(card, budget, zone)
    # Escaping can make text several times longer ("&" → "&amp;"): shrink until it fits.
    while len(text) > MAX_MESSAGE and (budget["message"] > 50 or budget["draft"] > 200):
        budget["message"] = max(50, budget["message"] // 2)
        if budget["message"] == 50:
            budget["draft"] = max(200, budget["draft"] // 2)
        budget["why"] = max(80, budget["why"] // 2)
        text = _text(card, budget, zone)
    return text, card_keyboard(card)
