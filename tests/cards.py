"""Review cards for tests that render them (Slack blocks, Telegram HTML, the web JSON, wording).

One builder, so every renderer is tested on the same card: ``sample_card(**changes)`` returns a
pending order-status card; keyword arguments replace fields of the card, and the shortcuts
``intent``, ``confidence``, ``sentiment``, ``language``, ``entities`` and ``handoff`` replace
parts of its analysis.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain import Analysis, DraftStatus, Entity, HandoffReason, IntentScore, Why
from bot.review.cards import CardVersion, ReviewCard

_ANALYSIS_FIELDS = ("intent", "confidence", "sentiment", "language", "entities", "handoff")


def entity(label: str, text: str) -> Entity:
    return Entity(label=label, text=text, start_char=0, end_char=len(text))


def sample_analysis(
    *,
    intent: str = "order_status",
    confidence: float = 0.9,
    sentiment: str = "neutral",
    language: str = "en",
    entities: tuple[Entity, ...] = (entity("ORDER_NUMBER", "88123"),),
    handoff: HandoffReason | None = None,
) -> Analysis:
    return Analysis(
        language=language,  # type: ignore[arg-type]
        language_confidence=0.99,
        intent=IntentScore(intent, confidence),
        alternatives=(),
        sentiment=sentiment,  # type: ignore[arg-type]
        sentiment_confidence=0.8,
        entities=entities,
        handoff_reason=handoff,
    )


def sample_why(**changes: Any) -> Why:
    return replace(
        Why(intent="order_status", confidence=0.9, sentiment="neutral", uses=("order_number",)),
        **changes,
    )


def sample_card(**changes: Any) -> ReviewCard:
    analysis_changes = {k: changes.pop(k) for k in _ANALYSIS_FIELDS if k in changes}
    why = changes.pop("why", sample_why())
    draft_text = changes.get("draft_text", "Hi Léa, your order 88123 left today.")
    base = ReviewCard(
        card_id=7,
        draft_id=42,
        customer_name="Léa Tremblay",
        customer_platform="telegram",
        message_text="Where is my order 88123?",
        attachment_kind=None,
        analysis=sample_analysis(**analysis_changes),
        draft_text=draft_text,
        why=why,
        template="en/order_status/with_number",
        promotional=False,
        variant=1,
        variants=2,
        status=DraftStatus.PENDING,
        intent_choices=("order_status", "complaint", "other"),
        versions=(
            CardVersion(42, draft_text, "en/order_status/with_number", False, why),
            CardVersion(43, "Hi, checking on it now.", "en/order_status/ask_short", False, why),
        ),
    )
    return replace(base, **changes)
