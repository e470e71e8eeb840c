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
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain import (
    Analysis,
    DraftStatus,
    Entity,
    Facts,
    HandoffReason,
    HeldOffer,
    History,
    Refusal,
    Why,
)
from bot.i18n import language, t
from bot.review.cards import Notice, NoticeKind, ReviewCard

__all__ = [
    "clock_time",
    "day_text",
    "facts_line",
    "facts_why",
    "guard_line",
    "handoff_text",
    "history_line",
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
    facts = facts_why(why)
    if facts:
        parts.append(facts)
    if why.formality:
        parts.append(why.formality)
    if why.promotional:
        parts.append(t("why.offer_allowed"))
    elif why.held_offer is not None:
        parts.append(t("why.no_offer", reason=offer_text(why.held_offer)))
    if why.urgent:
        parts.append(t("analysis.urgent"))
    if why.earlier_on is not None:
        parts.append(t("why.earlier", date=why.earlier_on))
    elif why.trial:
        parts.append(t("why.trial"))
    if why.decided:
        parts.append(t("why.sent_as_is", sent=why.sent_as_is, decided=why.decided))
    return " · ".join(parts)


def guard_line(why: Why, *, pending: bool = True) -> str | None:
    """How personal the draft is and, when it is so, how many customers already got this text:
    "🎯 2 facts about this customer · ⚠️ this text went to 37 customers in 24 h"."""
    if why.legacy_text is not None:
        return None
    parts = [t("card.personal", count=why.personal)]
    if why.blast:
        parts.append(t("card.blast", customers=why.blast, hours=why.blast_hours))
        if why.blast_over_cap and pending:
            parts.append(t("card.blast_confirm"))
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
    if kind is NoticeKind.CONFIRM_BLAST:
        return t("desk.confirm_blast", customers=notice.customers, hours=notice.hours)
    if kind is NoticeKind.DONE_FIX_INTENT:
        return t("desk.done_fix_intent", intent=notice.intent or "")
    return t(_NOTICES[kind])


_ORDER_STATUS_WORDS = {
    "placed": "orders.status_placed",
    "paid": "orders.status_paid",
    "shipped": "orders.status_shipped",
    "in_transit": "orders.status_in_transit",
    "out_for_delivery": "orders.status_out_for_delivery",
    "delivered": "orders.status_delivered",
    "delayed": "orders.status_delayed",
    "cancelled": "orders.status_cancelled",
    "refunded": "orders.status_refunded",
}
_PROBLEM_WORDS = {
    "no_reference": "orders.problem_no_reference",
    "not_found": "orders.problem_not_found",
    "email_mismatch": "orders.problem_email_mismatch",
    "email_needed": "orders.problem_email_needed",
    "unreachable": "orders.problem_unreachable",
    "timeout": "orders.problem_timeout",
    "circuit_open": "orders.problem_circuit_open",
}
_FACT_WORDS = {
    "status": "why.fact_status",
    "carrier": "why.fact_carrier",
    "tracking_number": "why.fact_tracking_number",
    "tracking_url": "why.fact_tracking_url",
    "eta": "why.fact_eta",
    "items": "why.fact_items",
}


def day_text(iso: str) -> str:
    """A day in the reader's language: "Thursday, December 10", "jeudi 10 décembre"."""
    day = date.fromisoformat(iso)
    return t(
        "orders.day",
        weekday=t("orders.weekdays").split()[day.weekday()],
        month=t("orders.months").split()[day.month - 1],
        day=day.day,
    )


def _problem_text(facts: Facts) -> str:
    return t(_PROBLEM_WORDS[facts.problem]) if facts.problem else ""


def facts_why(why: Why) -> str:
    """What of the order a draft states ("order 48213 (csv): status, ETA"), or what it could not
    use ("no order facts: order system unreachable"); empty when there is nothing to say."""
    facts = why.order_facts
    if facts is None:
        return ""
    if facts.order is not None and why.facts:
        named = ", ".join(
            t(_FACT_WORDS[name]) if name in _FACT_WORDS else name for name in why.facts
        )
        return t("why.facts", number=facts.order.number, source=facts.source, facts=named)
    if facts.problem is not None and facts.problem != "no_reference":
        return t("why.no_facts", problem=_problem_text(facts))
    return ""


def facts_line(facts: Facts | None) -> str | None:
    """The card's order line: "Order 48213 · in transit · Postes Canada 7023… · ETA Thursday,
    December 10 · 1 × Moulin Manuel Taïga", or what kept the facts away; None when there is
    nothing to show."""
    if facts is None or facts.problem == "no_reference":
        return None
    order = facts.order
    if order is None:
        return t("orders.card_problem", asked=facts.asked or "?", problem=_problem_text(facts))
    parts = [t("orders.card_order", number=order.number), t(_ORDER_STATUS_WORDS[order.status])]
    shipment = " ".join(p for p in (order.carrier, order.tracking_number) if p)
    if shipment:
        parts.append(shipment)
    if order.eta:
        parts.append(t("orders.card_eta", day=day_text(order.eta)))
    if order.items:
        parts.append(", ".join(f"{i.quantity} × {i.name}" for i in order.items))
    return " · ".join(parts)


def _ordinal(n: int) -> str:
    if language() == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _ago(days: int) -> str:
    if days <= 0:
        return t("history.today")
    if days == 1:
        return t("history.yesterday")
    return t("history.days_ago", days=days)


def history_line(history: History | None) -> str | None:
    """The card's history line: "3rd message this week · last: complaint, 2 days ago · 7
    orders"; None when nothing is known."""
    if history is None:
        return None
    parts = []
    if history.vip:
        parts.append(f"⭐ {history.vip}")
    if history.first_contact:
        parts.append(t("history.first_contact"))
    else:
        parts.append(t("history.this_week", nth=_ordinal(history.messages_this_week)))
        if history.last_intent and history.last_days_ago is not None:
            parts.append(
                t("history.last", intent=history.last_intent, ago=_ago(history.last_days_ago))
            )
    if history.orders_count is not None:
        count = history.orders_count
        parts.append(t("history.one_order") if count == 1 else t("history.orders", count=count))
    if history.open_complaint_days is not None:
        parts.append(t("history.open_complaint", ago=_ago(history.open_complaint_days)))
    return " · ".join(parts)
