"""From a stored card view to the platform-neutral ``ReviewCard``, in the reviewers' language.

The one-line analysis ("complaint 92 % · negative · fr · order_number 88123") and the status line
of a decided card ("✅ Sent by Léa at 14:02", in the brand's time zone) are worded here, once,
for every surface.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from bot.domain import DraftStatus, Platform
from bot.i18n import t
from bot.review.cards import CardEntity, ReviewCard
from bot.store import CardView

__all__ = ["build_card", "summary_line"]

#: Entity labels worth a place in the card's one-line analysis, in this order.
_SUMMARY_LABELS = (
    "ORDER_NUMBER",
    "TRACKING_NUMBER",
    "PRODUCT",
    "MONEY",
    "DATE",
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


def build_card(
    view: CardView,
    *,
    zone: ZoneInfo,
    intent_choices: tuple[str, ...],
    reviewer_names: Mapping[str, str],
) -> ReviewCard:
    """The card for ``view``; ``reviewer_names`` maps "slack:U123" to the name shown as "who"."""
    analysis = view.analysis
    intent = analysis.get("intent") or {}
    entities = tuple(
        CardEntity(label=str(e.get("label")), text=str(e.get("text")))
        for e in analysis.get("entities") or ()
    )
    draft = view.draft
    decided_by = None
    if view.decided_by is not None:
        decided_by = reviewer_names.get(view.decided_by, view.decided_by)
    status_line = None
    if draft.status in _STATUS_LINES:
        moment = view.decided_at or draft.decided_at
        time_text = _clock_time(moment, zone) if moment else ""
        status_line = t(_STATUS_LINES[draft.status], who=decided_by or "?", time=time_text)
    siblings = view.sibling_ids
    variant = siblings.index(draft.id) + 1 if draft.id in siblings else 1
    return ReviewCard(
        card_id=view.card_id,
        draft_id=draft.id,
        customer_name=view.customer_name,
        customer_platform=cast(Platform, view.customer_platform),
        message_text=view.message_text,
        attachment_kind=view.attachment_kind,
        language=str(analysis.get("language") or draft.language),
        intent=str(intent.get("name") or "other"),
        intent_confidence=float(intent.get("confidence") or 0.0),
        sentiment=str(analysis.get("sentiment") or "neutral"),
        entities=entities,
        summary=summary_line(analysis, entities),
        draft_text=draft.final_text or draft.text,
        why=draft.why,
        template=draft.template,
        promotional=draft.promotional,
        variant=variant,
        variants=max(1, len(siblings)),
        status=draft.status,
        intent_choices=intent_choices,
        decided_by=decided_by,
        decided_at=view.decided_at,
        final_text=draft.final_text,
        status_line=status_line,
        received_at=view.received_at,
    )


def summary_line(analysis: Mapping[str, Any], entities: tuple[CardEntity, ...]) -> str:
    """The analysis in one line: intent and confidence, sentiment, language, key details."""
    intent = analysis.get("intent") or {}
    sentiment = str(analysis.get("sentiment") or "neutral")
    shown = sorted(
        (e for e in entities if e.label in _SUMMARY_LABELS),
        key=lambda e: _SUMMARY_LABELS.index(e.label),
    )[:3]
    details = "".join(f" · {e.label.lower()} {e.text}" for e in shown)
    line = t(
        "card.summary",
        intent=intent.get("name") or "other",
        confidence=float(intent.get("confidence") or 0.0),
        sentiment=t(_SENTIMENT_WORDS.get(sentiment, "card.sentiment_neutral")),
        language=analysis.get("language") or "?",
        details=details,
    )
    reason = analysis.get("handoff_reason")
    return line + (t("card.handoff", reason=reason) if reason else "")


def _clock_time(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%H:%M}"
