"""What a reviewer sees and does, in platform-neutral values.

``ReviewCard`` is the content of one review card: the customer, their message, the analysis, the
current draft with its "why", the other ranked versions, the state after a decision. Every
surface — Slack Block Kit, a Telegram message with an inline keyboard, the web playground, the
terminal console — renders the same card, words it with ``bot/wording.py`` in the reviewers'
language and escapes the customer's text for its own markup; nothing here is markup or words.

``ReviewerAction`` is what a surface hands the desk when a reviewer presses a button, reacts on a
card, submits an edit or picks another intent. ``ActionOutcome`` is the desk's answer, with a
``Notice`` for the person who acted (done, not a reviewer, already decided by someone else…).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain import (
    Analysis,
    DraftStatus,
    Entity,
    Facts,
    History,
    Platform,
    Refusal,
    ReviewAction,
    Why,
)

__all__ = [
    "REACTIONS",
    "ActionOutcome",
    "CardRef",
    "CardVersion",
    "Notice",
    "NoticeKind",
    "ReceiveOutcome",
    "RecordedAction",
    "ReviewCard",
    "ReviewerAction",
]

#: Emoji reactions on a card and what they mean: ✅ or 👍 send, ❌ or 👎 discard, 🔁 another
#: version. Surfaces map their platform's reaction names to these characters.
REACTIONS: dict[str, ReviewAction] = {
    "✅": ReviewAction.SEND,
    "👍": ReviewAction.SEND,
    "❌": ReviewAction.DISCARD,
    "👎": ReviewAction.DISCARD,
    "🔁": ReviewAction.VARIANT,
}


@dataclass(frozen=True, slots=True)
class CardRef:
    """One posted review card: which desk, which chat, which platform message (Slack ``ts``)."""

    desk: Platform
    chat_id: str
    message_id: str


@dataclass(frozen=True, slots=True)
class CardVersion:
    """One of the ranked drafts a card can show (🔁 goes through them in this order)."""

    draft_id: int
    text: str
    template: str
    promotional: bool
    why: Why


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """One card on the review desk, as every surface shows it. All text is plain, unescaped."""

    #: The store's id of the card (stable across "another version" and intent fixes).
    card_id: int
    #: The draft the card shows, the only one its buttons act on; a button carries it so a
    #: click on an older version of the card is refused.
    draft_id: int
    customer_name: str
    customer_platform: Platform
    #: The customer's message, exactly as received (surfaces quote and escape it).
    message_text: str
    #: "photo", "sticker", "voice"… when the customer sent something other than text.
    attachment_kind: str | None
    analysis: Analysis
    draft_text: str
    why: Why
    template: str
    promotional: bool
    #: Which of the ranked drafts is shown (1-based) and how many there are.
    variant: int
    variants: int
    status: DraftStatus
    #: The intents a reviewer may pick instead (Slack's picker, the web select).
    intent_choices: tuple[str, ...] = ()
    #: Who decided (a display name, or "slack:U123" when none is known) and when, once decided.
    decided_by: str | None = None
    decided_at: datetime | None = None
    #: The text that went out (the edited text for an edit).
    final_text: str | None = None
    #: The customer message's own time, for the surfaces that show it.
    received_at: datetime | None = None
    #: Every ranked draft of the card, best first (the console lists them all).
    versions: tuple[CardVersion, ...] = ()

    @property
    def decided(self) -> bool:
        """True once the card needs no more action: buttons are removed."""
        return self.status is not DraftStatus.PENDING

    @property
    def needs_confirmation(self) -> bool:
        """A pending card whose draft went to more customers than ``review.blast_cap``: ✅
        needs a second confirmation."""
        return not self.decided and self.why.blast_over_cap

    @property
    def language(self) -> str:
        return self.analysis.language

    @property
    def intent(self) -> str:
        return self.analysis.intent.name

    @property
    def intent_confidence(self) -> float:
        return self.analysis.intent.confidence

    @property
    def sentiment(self) -> str:
        return self.analysis.sentiment

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.analysis.entities

    @property
    def facts(self) -> Facts | None:
        """What the order system said for the message (kept with the draft's "why")."""
        return self.why.order_facts

    @property
    def history(self) -> History | None:
        """The customer's history when the message was drafted for."""
        return self.why.history


@dataclass(frozen=True, slots=True)
class ReviewerAction:
    """A reviewer pressed a button, reacted on a card, submitted an edit, or picked an intent.

    A button carries ``draft_id``, the version its card showed; a reaction or the reply to an
    edit prompt carries ``card`` (the message it was made on, which the store knows the shown
    version of). The desk acts on that version only while the card still shows it, and refuses
    otherwise (``NoticeKind.DRAFT_CHANGED``): nobody decides on text they did not see.
    ``reviewer_id`` is the platform's user id, checked against ``review.reviewers`` by the desk.
    """

    action: ReviewAction
    platform: Platform
    reviewer_id: str
    reviewer_name: str | None = None
    draft_id: int | None = None
    card: CardRef | None = None
    edited_text: str | None = None
    intent: str | None = None
    #: The reviewer confirmed a send the anti-blast guard asked about (a second click).
    confirmed: bool = False
    #: The version the card showed, when the action names another of its versions that the
    #: reviewer saw listed beside it (the console shows them all); None: ``draft_id`` itself.
    shown_draft_id: int | None = None


class NoticeKind(enum.StrEnum):
    """What the person who acted is told (``bot/wording.py`` words it)."""

    NOT_REVIEWER = "not_reviewer"
    NO_CARD = "no_card"
    EDIT_NEEDS_TEXT = "edit_needs_text"
    NOT_PENDING = "not_pending"
    #: The card shows another version than the one acted on (🔁, an intent fix, the customer
    #: edited their message): nothing was done, the reviewer looks again.
    DRAFT_CHANGED = "draft_changed"
    NO_OTHER_VERSION = "no_other_version"
    UNKNOWN_INTENT = "unknown_intent"
    DONE_SEND = "done_send"
    DONE_EDIT = "done_edit"
    DONE_DISCARD = "done_discard"
    DONE_VARIANT = "done_variant"
    DONE_FIX_INTENT = "done_fix_intent"
    #: Not sent: the text went to more customers than the cap; confirm to send it anyway.
    CONFIRM_BLAST = "confirm_blast"


@dataclass(frozen=True, slots=True)
class Notice:
    """A short message for the person who acted, shown privately (Slack ephemeral message,
    Telegram alert, web toast). Which fields are set depends on ``kind``: ``refusal`` for
    NOT_PENDING, ``intent`` (and ``choices``) for the intent notices, ``variant`` of
    ``variants`` for DONE_VARIANT."""

    kind: NoticeKind
    refusal: Refusal | None = None
    intent: str | None = None
    choices: tuple[str, ...] = ()
    variant: int = 0
    variants: int = 0
    #: CONFIRM_BLAST: how many other customers got this text, within how many hours.
    customers: int = 0
    hours: float = 0.0


@dataclass(frozen=True, slots=True)
class ReceiveOutcome:
    """What came of a customer message: ``duplicate`` when its event id was seen before."""

    duplicate: bool
    card: ReviewCard | None = None
    refs: tuple[CardRef, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class RecordedAction:
    """A reviewer action stored in the work queue, held by the process that applies it now."""

    item_id: int
    action: ReviewerAction


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What came of a reviewer's action.

    ``applied`` is True only for the action that changed something; ``notice`` is for the person
    who acted; ``card`` is the card as it is now, when there is one.
    """

    applied: bool
    notice: Notice | None = None
    card: ReviewCard | None = None
    #: Cards changed by this action (posted or edited), for surfaces that echo them.
    refs: tuple[CardRef, ...] = field(default=())
