"""From a stored card view to the platform-neutral ``ReviewCard``: values only, no words.

Surfaces word the card themselves (``bot/wording.py``): its one-line analysis, its status line,
the "why" of its draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from bot.domain import Platform
from bot.review.cards import CardVersion, ReviewCard
from bot.store import CardView

__all__ = ["build_card"]


def build_card(
    view: CardView,
    *,
    intent_choices: tuple[str, ...],
    reviewer_names: Mapping[str, str],
) -> ReviewCard:
    """The card for ``view``; ``reviewer_names`` maps "slack:U123" to the name shown as "who"."""
    draft = view.draft
    decided_by = None
    if view.decided_by is not None:
        decided_by = reviewer_names.get(view.decided_by, view.decided_by)
    siblings = tuple(s.id for s in view.siblings)
    variant = siblings.index(draft.id) + 1 if draft.id in siblings else 1
    return ReviewCard(
        card_id=view.card_id,
        draft_id=draft.id,
        customer_name=view.customer_name,
        customer_platform=cast(Platform, view.customer_platform),
        message_text=view.message_text,
        attachment_kind=view.attachment_kind,
        analysis=view.analysis,
        draft_text=draft.final_text or draft.text,
        why=draft.why,
        template=draft.template,
        promotional=draft.promotional,
        variant=variant,
        variants=max(1, len(siblings)),
        status=draft.status,
        intent_choices=intent_choices,
        decided_by=decided_by,
        # A superseded or expired draft has no decision row: its own time says when.
        decided_at=view.decided_at or draft.decided_at,
        final_text=draft.final_text,
        received_at=view.received_at,
        versions=tuple(
            CardVersion(
                draft_id=s.id,
                text=s.text,
                template=s.template,
                promotional=s.promotional,
                why=s.why,
            )
            for s in view.siblings
        ),
    )
