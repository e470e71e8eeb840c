"""The core's typed values as sentences, in the reader's language: words at the edges.

The analyser, the drafter, the review desk and the store return values — a ``HandoffReason``, a
``Why``, a ``Refusal``, a ``Notice``. The edges that show them to a person (the channel adapters,
the web pages, the command line and the console) word them here, once, so a Slack card, a
Telegram card, the playground and ``replique draft`` say the same thing the same way:

- ``why_line``: "complaint 92% · negative · uses first name, order_number · no offer: customer
  unhappy";
- ``summary_line``: the analysis in one line ("complaint 92 % · negative · fr · order_number
  88123");
- ``status_line``: a decided card ("✅ Sent by Léa at 14:02", in the brand's time zone);
- ``notice_text``, ``refusal_text``, ``handoff_text``, ``offer_text``.

Times are shown in the brand's time zone (``brand.timezone``), the one every page names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import (
    Analysis,
    DraftStatus,
    Entity,
    HandoffReason,
    HeldOffer,
    Refusal,
    Why,
)
from bot.i18n import t
from bot.review.cards import Notice, NoticeKind, ReviewCard

__all__ = [
    "clock_time",
    "handoff_text",
    "moment_text",
    "notice_text",
    "offer_text",
    "refusal_text",
    "status_line",
    "summary_line",
    "why_line",
]

#: Entity labels worth a place in the one-line analysis, in this order.
_SUMMARY_LABELS = (
    "ORDER_NUMBER",
    "TRACKING_NUMBER",
    "PRODUCT",
    "ITEM",
    "MONEY",
    "DATE",
    "TIME",
    "EMAIL",
    "PHONE",
    "PERSON",
)
_SENTIMENT_WORDS = {
    "negative": "card.sentiment_negative",
    "neutral": "card.sentiment_neutral",
    "positive": "card.sentiment_positive",
}
_STATUS_LINES = {
    DraftStatus.SENT: "card.status_sent",
    DraftStatus.EDITED: "card.status_edited",
    DraftStatus.DISCARDED: "card.status_discarded",
    DraftStatus.SUPERSEDED: "card.status_superseded",
    DraftStatus.EXPIRED: "card.status_expired",
}
_STATUS_WORDS = {
    DraftStatus.PENDING: "store.status_pending",
    DraftStatus.SENT: "store.status_sent",
    DraftStatus.EDITED: "store.status_edited",
    DraftStatus.DISCARDED: "store.status_discarded",
}
_NOTICES = {
    NoticeKind.NOT_REVIEWER: "desk.not_reviewer",
    NoticeKind.NO_CARD: "desk.no_card",
    NoticeKind.DRAFT_CHANGED: "desk.draft_changed",
    NoticeKind.EDIT_NEEDS_TEXT: "desk.edit_needs_text",
    NoticeKind.NO_OTHER_VERSION: "desk.no_other_version",
    NoticeKind.DONE_SEND: "desk.done_send",
    NoticeKind.DONE_EDIT: "desk.done_edit",
    NoticeKind.DONE_DISCARD: "desk.done_discard",
}
_HANDOFFS = {
    "nothing_to_read": "handoff.nothing_to_read",
    "other_language": "handoff.other_language",
    "no_intent": "handoff.no_intent",
}
#: Detail names the "why" line translates; the others (order_number…) stay labels.
_DETAIL_WORDS = {"first_name": "why.first_name"}


def clock_time(moment: datetime, zone: ZoneInfo) -> str:
    """``14:02`` in the brand's time zone."""
    return f"{moment.astimezone(zone):%H:%M}"


def moment_text(moment: datetime, zone: ZoneInfo) -> str:
    """``2026-12-07 14:02`` in the brand's time zone."""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


def handoff_text(reason: HandoffReason) -> str:
    """Why a person must take over, in a few words."""
    if reason.code == "unsure":
        return t(
            "handoff.unsure",
            intent=reason.intent or "?",
            confidence=reason.confidence or 0.0,
            threshold=reason.threshold or 0.0,
        )
    return t(_HANDOFFS[reason.code])


def offer_text(held: HeldOffer) -> str:
    """Why the offer was held back ("customer unhappy", "offer already sent 2026-11-02")."""
    return t(held.policy, intent=held.intent or "?", date=held.last_offer_on or "?")


def why_line(why: Why) -> str:
    """The reviewer's one-line "why" of a draft. Intent, sentiment, tu/vous and detail names stay
    labels, so a reviewer reads the same words on every card."""
    if why.legacy_text is not None:
        return why.legacy_text
    first = f"{why.intent} {why.confidence:.0%}"
    if why.model_intent is not None:
        first += " " + t("why.model_said", intent=why.model_intent)
    parts = [first, why.sentiment]
    if why.uses:
        used = ", ".join(t(_DETAIL_WORDS[u]) if u in _DETAIL_WORDS else u for u in why.uses)
        parts.append(t("why.uses", details=used))
    if why.formality:
        parts.append(why.formality)
    if why.promotional:
        parts.append(t("why.offer_allowed"))
    elif why.held_offer is not None:
        parts.append(t("why.no_offer", reason=offer_text(why.held_offer)))
    if why.urgent:
        parts.append(t("analysis.urgent"))
    return " · ".join(parts)


def summary_line(analysis: Analysis) -> str:
    """The analysis in one line: intent and confidence, sentiment, language, key details."""
    shown = _key_entities(analysis.entities)
    details = "".join(f" · {e.label.lower()} {e.text}" for e in shown)
    line = t(
        "card.summary",
        intent=analysis.intent.name,
        confidence=analysis.intent.confidence,
        sentiment=t(_SENTIMENT_WORDS.get(analysis.sentiment, "card.sentiment_neutral")),
        language=analysis.language,
        details=details,
    )
    if analysis.handoff_reason is not None:
        line += t("card.handoff", reason=handoff_text(analysis.handoff_reason))
    return line


def _key_entities(entities: Sequence[Entity]) -> list[Entity]:
    return sorted(
        (e for e in entities if e.label in _SUMMARY_LABELS),
        key=lambda e: _SUMMARY_LABELS.index(e.label),
    )[:3]


def status_line(card: ReviewCard, zone: ZoneInfo) -> str | None:
    """One line for a decided card ("✅ Sent by Léa at 14:02"); None while it is pending."""
    key = _STATUS_LINES.get(card.status)
    if key is None:
        return None
    time_text = clock_time(card.decided_at, zone) if card.decided_at else ""
    return t(key, who=card.decided_by or "?", time=time_text)


def refusal_text(refusal: Refusal, zone: ZoneInfo) -> str:
    """Why a decision was not applied, naming who decided first and when."""
    if refusal.status is None:
        return t("store.no_such_draft")
    when = t("store.at_time", time=moment_text(refusal.at, zone)) if refusal.at else ""
    if refusal.status is DraftStatus.SUPERSEDED:
        return t("store.superseded", when=when)
    if refusal.status is DraftStatus.EXPIRED:
        return t("store.expired", when=when)
    key = _STATUS_WORDS.get(refusal.status)
    status = t(key) if key is not None else refusal.status.value
    if refusal.by is None or refusal.at is None:
        return t("store.already", status=status, when=when)
    return t(
        "store.already_by", status=status, reviewer=refusal.by, time=moment_text(refusal.at, zone)
    )


def notice_text(notice: Notice, zone: ZoneInfo) -> str:
    """The notice for the person who acted, in the reader's language."""
    kind = notice.kind
    if kind is NoticeKind.NOT_PENDING:
        reason = refusal_text(notice.refusal, zone) if notice.refusal is not None else kind.value
        return t("desk.not_pending", reason=reason)
    if kind is NoticeKind.UNKNOWN_INTENT:
        return t(
            "desk.unknown_intent", intent=notice.intent or "", choices=", ".join(notice.choices)
        )
    if kind is NoticeKind.DONE_VARIANT:
        return t("desk.done_variant", variant=notice.variant, variants=notice.variants)
    if kind is NoticeKind.DONE_FIX_INTENT:
        return t("desk.done_fix_intent", intent=notice.intent or "")
    return t(_NOTICES[kind])
