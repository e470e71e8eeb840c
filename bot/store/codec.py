"""The JSON the store keeps for an analysis and a draft's "why", and the values read back.

Both are stored as JSON documents (``analyses.payload``, ``drafts.reasons``) so that a field
added later needs no migration; reading is tolerant: an unknown field is ignored, a missing one
takes its default, and what an earlier version stored (a hand-off reason or a "why" kept as a
sentence) still reads.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from bot.domain import (
    HANDOFF_INTENT,
    ORDER_STATUSES,
    Analysis,
    Entity,
    Facts,
    FactsProblem,
    Formality,
    HandoffCode,
    HandoffReason,
    HeldOffer,
    History,
    IntentScore,
    Language,
    Order,
    OrderItem,
    OrderStatus,
    Sentiment,
    Why,
)

__all__ = ["analysis_from_json", "analysis_to_json", "why_from_json", "why_to_json"]

_HANDOFF_CODES = ("unsure", "no_intent", "other_language", "nothing_to_read")


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    return asdict(analysis)


def why_to_json(why: Why) -> dict[str, Any]:
    return asdict(why)


def _score(value: Any, *, default: str = HANDOFF_INTENT) -> IntentScore:
    if not isinstance(value, dict):
        return IntentScore(default, 0.0)
    return IntentScore(str(value.get("name") or default), float(value.get("confidence") or 0.0))


def _handoff(value: Any) -> HandoffReason | None:
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("code") not in _HANDOFF_CODES:
        # Stored as a sentence by an earlier version: the reason itself is not known any more.
        return HandoffReason("unsure")
    confidence, threshold = value.get("confidence"), value.get("threshold")
    return HandoffReason(
        cast(HandoffCode, value["code"]),
        intent=value.get("intent"),
        confidence=float(confidence) if confidence is not None else None,
        threshold=float(threshold) if threshold is not None else None,
    )


def analysis_from_json(payload: dict[str, Any] | None) -> Analysis:
    """The ``Analysis`` a payload was saved from; a neutral, hand-off one when there is none."""
    data = payload or {}
    language = data.get("language")
    sentiment = data.get("sentiment")
    formality = data.get("formality")
    predicted = data.get("predicted_intent")
    return Analysis(
        language=cast(Language, language if language in ("fr", "en", "other") else "other"),
        language_confidence=float(data.get("language_confidence") or 0.0),
        intent=_score(data.get("intent")),
        alternatives=tuple(_score(a) for a in data.get("alternatives") or ()),
        sentiment=cast(
            Sentiment, sentiment if sentiment in ("negative", "neutral", "positive") else "neutral"
        ),
        sentiment_confidence=float(data.get("sentiment_confidence") or 0.0),
        entities=tuple(
            Entity(
                label=str(e.get("label")),
                text=str(e.get("text")),
                start_char=int(e.get("start_char") or 0),
                end_char=int(e.get("end_char") or 0),
                value=e.get("value"),
            )
            for e in data.get("entities") or ()
            if isinstance(e, dict)
        ),
        formality=cast(Formality | None, formality if formality in ("tu", "vous") else None),
        is_question=bool(data.get("is_question")),
        is_urgent=bool(data.get("is_urgent")),
        handoff_reason=_handoff(data.get("handoff_reason"))
        if payload
        else HandoffReason("nothing_to_read"),
        predicted_intent=_score(predicted) if isinstance(predicted, dict) else None,
    )


def why_from_json(payload: dict[str, Any] | None, *, legacy_text: str = "") -> Why:
    """The ``Why`` a draft was saved with; an earlier version's sentence when that is all."""
    if not payload:
        return Why(intent=HANDOFF_INTENT, confidence=0.0, sentiment="neutral",
                   legacy_text=legacy_text)  # fmt: skip
    held = payload.get("held_offer")
    return Why(
        intent=str(payload.get("intent") or HANDOFF_INTENT),
        confidence=float(payload.get("confidence") or 0.0),
        sentiment=str(payload.get("sentiment") or "neutral"),
        model_intent=payload.get("model_intent"),
        uses=tuple(str(u) for u in payload.get("uses") or ()),
        formality=payload.get("formality"),
        promotional=bool(payload.get("promotional")),
        held_offer=HeldOffer(
            policy=str(held.get("policy")),
            intent=held.get("intent"),
            last_offer_on=held.get("last_offer_on"),
        )
        if isinstance(held, dict) and held.get("policy")
        else None,
        urgent=bool(payload.get("urgent")),
        facts=tuple(str(f) for f in payload.get("facts") or ()),
        order_facts=_facts(payload.get("order_facts")),
        history=_history(payload.get("history")),
        legacy_text=payload.get("legacy_text"),
        sent_as_is=int(payload.get("sent_as_is") or 0),
        decided=int(payload.get("decided") or 0),
        trial=bool(payload.get("trial")),
        earlier_on=payload.get("earlier_on"),
        blast=int(payload.get("blast") or 0),
        blast_hours=float(payload.get("blast_hours") or 0.0),
        blast_over_cap=bool(payload.get("blast_over_cap")),
        personal=int(payload.get("personal") or 0),
    )


_PROBLEMS = (
    "no_reference",
    "not_found",
    "email_mismatch",
    "email_needed",
    "unreachable",
    "timeout",
    "circuit_open",
)


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


def _order(value: Any) -> Order | None:
    if not isinstance(value, dict) or value.get("status") not in ORDER_STATUSES:
        return None
    return Order(
        number=str(value.get("number") or ""),
        status=cast(OrderStatus, value["status"]),
        carrier=_text(value.get("carrier")),
        tracking_number=_text(value.get("tracking_number")),
        tracking_url=_text(value.get("tracking_url")),
        eta=_text(value.get("eta")),
        items=tuple(
            OrderItem(str(i.get("name")), _int(i.get("quantity")) or 1)
            for i in value.get("items") or ()
            if isinstance(i, dict)
        ),
        email=_text(value.get("email")),
        first_name=_text(value.get("first_name")),
        orders_count=_int(value.get("orders_count")),
    )


def _facts(value: Any) -> Facts | None:
    if not isinstance(value, dict):
        return None
    problem = value.get("problem")
    return Facts(
        source=str(value.get("source") or ""),
        found=bool(value.get("found")),
        ms=float(value.get("ms") or 0.0),
        order=_order(value.get("order")),
        problem=cast(FactsProblem, problem) if problem in _PROBLEMS else None,
        asked=_text(value.get("asked")),
    )


def _history(value: Any) -> History | None:
    if not isinstance(value, dict):
        return None
    return History(
        messages_this_week=_int(value.get("messages_this_week")) or 1,
        first_contact=bool(value.get("first_contact", True)),
        last_intent=_text(value.get("last_intent")),
        last_days_ago=_int(value.get("last_days_ago")),
        orders_count=_int(value.get("orders_count")),
        open_complaint_days=_int(value.get("open_complaint_days")),
        vip=_text(value.get("vip")),
    )
