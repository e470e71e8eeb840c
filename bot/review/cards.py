"""What a reviewer sees and does, in platform-neutral values.

``ReviewCard`` is the content of one review card (the customer, their message, the analysis in one
line, the current draft and its "why", the state after a decision). Every surface — Slack Block
Kit, a Telegram message with an inline keyboard, the web playground — renders the same card and
escapes the customer's text for its own markup; nothing here is markup.

``ReviewerAction`` is what a surface hands back to the desk when a reviewer presses a button,
reacts on a card, submits an edit or picks another intent. ``ActionOutcome`` is the desk's answer,
with a short notice for the person who acted when nothing happened (not a reviewer, already
decided by someone else).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.channels.base import CardRef
from bot.domain import DraftStatus, Platform, ReviewAction

__all__ = [
    "REACTIONS",
    "ActionOutcome",
    "CardEntity",
    "ReviewCard",
    "ReviewerAction",
]

#: Emoji reactions on a card and what they mean (SPEC: ✅ or 👍 send, ❌ or 👎 discard,
#: 🔁 another version). Surfaces map their platform's reaction names to these characters.
REACTIONS: dict[str, ReviewAction] = {
    "✅": ReviewAction.SEND,
    "👍": ReviewAction.SEND,
    "❌": ReviewAction.DISCARD,
    "👎": ReviewAction.DISCARD,
    "🔁": ReviewAction.VARIANT,
}


@dataclass(frozen=True, slots=True)
class CardEntity:
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """One card on the review desk, as every surface shows it. All text is plain, unescaped."""

    #: The store's id of the card (stable across "another version" and intent fixes).
    card_id: int
    #: The draft the buttons act on; a button carries it so a stale click is recognised.
    draft_id: int
    customer_name: str
    customer_platform: Platform
    #: The customer's message, exactly as received (surfaces quote and escape it).
    message_text: str
    #: "photo", "sticker", "voice"… when the customer sent something other than text.
    attachment_kind: str | None
    language: str
    intent: str
    intent_confidence: float
    sentiment: str
    entities: tuple[CardEntity, ...]
    #: The analysis in one line, in the reviewers' language ("complaint 92 % · negative · fr ·
    #: order 88123"); it quotes the customer's entity text, so surfaces escape it.
    summary: str
    draft_text: str
    why: str
    template: str
    promotional: bool
    #: Which of the ranked drafts is shown (1-based) and how many there are.
    variant: int
    variants: int
    status: DraftStatus
    #: The intents a reviewer may pick instead (Slack's picker, the web select).
    intent_choices: tuple[str, ...] = ()
    #: Who decided and when, once decided ("slack:U123" or a display name).
    decided_by: str | None = None
    decided_at: datetime | None = None
    #: The text that went out (the edited text for an edit).
    final_text: str | None = None
    #: One line for a decided card, in the reviewers' language ("✅ Sent by Léa at 14:02").
    status_line: str | None = None
    #: The customer message's own time, for the surfaces that show it.
    received_at: datetime | None = None

    @property
    def decided(self) -> bool:
        """True once the card needs no more action: buttons are removed."""
        return self.status is not DraftStatus.PENDING


@dataclass(frozen=True, slots=True)
class ReviewerAction:
    """A reviewer pressed a button, reacted on a card, submitted an edit, or picked an intent.

    A button carries ``draft_id``; a reaction or a reply to a card carries ``card`` (the card
    message it was made on). ``reviewer_id`` is the platform's user id, checked against
    ``review.reviewers`` by the desk.
    """

    action: ReviewAction
    platform: Platform
    reviewer_id: str
    reviewer_name: str | None = None
    draft_id: int | None = None
    card: CardRef | None = None
    edited_text: str | None = None
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What came of a reviewer's action.

    ``applied`` is True only for the action that changed something. ``notice`` is a short text for
    the person who acted, to show privately (Slack ephemeral message, Telegram callback alert,
    web toast), e.g. "Only reviewers can act on drafts." or "Already sent by Léa at 14:02".
    ``card`` is the card as it is now, when there is one.
    """

    applied: bool
    notice: str | None = None
    card: ReviewCard | None = None
    #: Cards changed by this action (posted or edited), for surfaces that echo them.
    refs: tuple[CardRef, ...] = field(default=())
