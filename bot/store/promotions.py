"""What ``replique learn`` reads and writes: the reviewers' labels, and the promoted models.

A reviewer teaches the intent model two ways. An intent fix (``intent_corrections``, the latest
one per message) is a label a person chose. A reply that went out (sent as-is or edited) confirms
the intent its draft was written for, which is the fixed one when there was a fix. A discarded
draft confirms nothing: its intent is never used as a label. Nor is a hand-off (``other``) that a
reviewer answered without fixing it: the holding reply fits any message the model was unsure of.

Promotions are one row per promoted model and language; the newest one not rolled back is the
one in use. Rolling back marks that row, so the one before it (or the shipped model) is used
again, and the history stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from bot.domain import HANDOFF_INTENT
from bot.store.base import StoreBase
from bot.store.models import (
    INBOUND,
    AnalysisRow,
    DraftRow,
    IntentCorrectionRow,
    MessageRow,
    ModelPromotionRow,
    utcnow,
)
from bot.store.queries import WENT_OUT

__all__ = ["Promotion", "PromotionEffect", "PromotionStore", "ReviewedExample", "promotion_effects"]


@dataclass(frozen=True, slots=True)
class ReviewedExample:
    """A customer message with the intent a reviewer gave it (``fixed``) or confirmed."""

    message_pk: int
    language: str
    text: str
    intent: str
    fixed: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Promotion:
    """A model ``replique learn`` promoted."""

    id: int
    language: str
    component: str
    model_id: str
    path: Path
    corrections: int
    confirmed: int
    figures: dict[str, Any]
    promoted_at: datetime
    rolled_back_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PromotionEffect:
    """How often reviewers fixed the intent of one language's messages before a promotion and
    after it: from the previous promotion (or the window's start) to this one, and from this one
    to the next promotion, its rollback or the window's end."""

    language: str
    model_id: str
    promoted_at: datetime
    rolled_back_at: datetime | None
    messages_before: int
    fixed_before: int
    messages_after: int
    fixed_after: int

    @property
    def fixes_per_100_before(self) -> float | None:
        return 100 * self.fixed_before / self.messages_before if self.messages_before else None

    @property
    def fixes_per_100_after(self) -> float | None:
        return 100 * self.fixed_after / self.messages_after if self.messages_after else None


def promotion_effects(
    session: Session, start: datetime, end: datetime
) -> tuple[PromotionEffect, ...]:
    """The intent fixes per 100 messages around each promotion made in ``[start, end)``; a
    message counts as fixed when a reviewer fixed its intent (once or more)."""
    rows = list(
        session.scalars(
            select(ModelPromotionRow)
            .where(ModelPromotionRow.component == "intent", ModelPromotionRow.promoted_at < end)
            .order_by(ModelPromotionRow.promoted_at, ModelPromotionRow.id)
        )
    )
    if not any(row.promoted_at >= start for row in rows):
        return ()
    fixed = exists().where(IntentCorrectionRow.message_id == MessageRow.id)
    messages = session.execute(
        select(MessageRow.received_at, AnalysisRow.language, fixed)
        .join(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
        .where(
            MessageRow.direction == INBOUND,
            MessageRow.received_at >= start,
            MessageRow.received_at < end,
        )
    ).all()

    def count(lang: str, since: datetime, until: datetime) -> tuple[int, int]:
        inside = [
            was_fixed
            for at, language, was_fixed in messages
            if language == lang and since <= at < until
        ]
        return len(inside), sum(1 for was_fixed in inside if was_fixed)

    effects = []
    for row in rows:
        if row.promoted_at < start:
            continue
        same = [other for other in rows if other.language == row.language]
        at = same.index(row)
        since = max(start, same[at - 1].promoted_at) if at else start
        until = min(
            end,
            same[at + 1].promoted_at if at + 1 < len(same) else end,
            row.rolled_back_at or end,
        )
        before = count(row.language, since, row.promoted_at)
        after = count(row.language, row.promoted_at, until)
        effects.append(
            PromotionEffect(
                row.language,
                row.model_id,
                row.promoted_at,
                row.rolled_back_at,
                *before,
                *after,
            )
        )
    return tuple(effects)


def _promotion(row: ModelPromotionRow) -> Promotion:
    return Promotion(
        id=row.id,
        language=row.language,
        component=row.component,
        model_id=row.model_id,
        path=Path(row.path),
        corrections=row.corrections,
        confirmed=row.confirmed,
        figures=dict(row.figures),
        promoted_at=row.promoted_at,
        rolled_back_at=row.rolled_back_at,
    )


def _newest_first(session: Session, component: str) -> list[ModelPromotionRow]:
    return list(
        session.scalars(
            select(ModelPromotionRow)
            .where(
                ModelPromotionRow.component == component,
                ModelPromotionRow.rolled_back_at.is_(None),
            )
            .order_by(ModelPromotionRow.promoted_at.desc(), ModelPromotionRow.id.desc())
        )
    )


class PromotionStore(StoreBase):
    """The reviewers' labels for the next model, and the models promoted so far."""

    def reviewed_examples(self, *, language: str | None = None) -> tuple[ReviewedExample, ...]:
        """Every message a reviewer labelled: fixed intents, then confirmed ones, oldest first."""

        def work(session: Session) -> tuple[ReviewedExample, ...]:
            found: dict[int, ReviewedExample] = {}
            fixes = session.execute(
                select(
                    IntentCorrectionRow.message_id,
                    IntentCorrectionRow.corrected,
                    IntentCorrectionRow.created_at,
                    MessageRow.text,
                    AnalysisRow.language,
                )
                .join(MessageRow, MessageRow.id == IntentCorrectionRow.message_id)
                .join(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
                .order_by(IntentCorrectionRow.id)
            ).all()
            for message_pk, intent, at, text, lang in fixes:
                # The latest fix of a message wins (a reviewer may change their mind).
                found[message_pk] = ReviewedExample(message_pk, lang, text, intent, True, at)
            approved = session.execute(
                select(
                    MessageRow.id,
                    AnalysisRow.intent,
                    MessageRow.received_at,
                    MessageRow.text,
                    AnalysisRow.language,
                )
                .join(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
                .where(
                    MessageRow.id.in_(
                        select(DraftRow.message_id).where(DraftRow.status.in_(WENT_OUT))
                    ),
                    AnalysisRow.intent != HANDOFF_INTENT,
                )
                .order_by(MessageRow.id)
            ).all()
            for message_pk, intent, at, text, lang in approved:
                if message_pk not in found:
                    found[message_pk] = ReviewedExample(message_pk, lang, text, intent, False, at)
            chosen = (
                e
                for e in found.values()
                if e.text.strip() and (language is None or e.language == language)
            )
            return tuple(sorted(chosen, key=lambda e: (not e.fixed, e.message_pk)))

        return self._read(work)

    def record_promotion(
        self,
        *,
        language: str,
        model_id: str,
        path: Path,
        corrections: int,
        confirmed: int,
        figures: dict[str, Any],
        component: str = "intent",
        at: datetime | None = None,
    ) -> Promotion:
        """Make the model at ``path`` the one ``language`` uses from now on."""

        def work(session: Session) -> Promotion:
            row = ModelPromotionRow(
                language=language,
                component=component,
                model_id=model_id,
                path=str(path),
                corrections=corrections,
                confirmed=confirmed,
                figures=figures,
                promoted_at=at or utcnow(),
            )
            session.add(row)
            session.flush()
            return _promotion(row)

        return self._write(work)

    def active_models(self, *, component: str = "intent") -> dict[str, Promotion]:
        """The promoted model each language uses now (a language absent: the shipped one).

        One small query, cheap enough for a running service to ask every few seconds.
        """

        def work(session: Session) -> dict[str, Promotion]:
            active: dict[str, Promotion] = {}
            for row in _newest_first(session, component):
                active.setdefault(row.language, _promotion(row))
            return active

        return self._read(work)

    def roll_back(
        self, language: str, *, component: str = "intent"
    ) -> tuple[Promotion | None, Promotion | None]:
        """Stop using ``language``'s newest promoted model: (the one rolled back, the one in use
        now — None for the shipped model). (None, None) when there is nothing to roll back."""

        def work(session: Session) -> tuple[Promotion | None, Promotion | None]:
            rows = [row for row in _newest_first(session, component) if row.language == language]
            if not rows:
                return None, None
            now = utcnow()
            done = session.execute(
                update(ModelPromotionRow)
                .where(
                    ModelPromotionRow.id == rows[0].id,
                    ModelPromotionRow.rolled_back_at.is_(None),
                )
                .values(rolled_back_at=now)
                .returning(ModelPromotionRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            if done is None:
                return None, None  # someone rolled it back a moment before
            rolled = replace(_promotion(rows[0]), rolled_back_at=now)
            return rolled, (_promotion(rows[1]) if len(rows) > 1 else None)

        return self._write(work)

    def promotions(self, *, component: str = "intent") -> tuple[Promotion, ...]:
        """Every promotion, rolled back or not, oldest first."""

        def work(session: Session) -> tuple[Promotion, ...]:
            rows = session.scalars(
                select(ModelPromotionRow)
                .where(ModelPromotionRow.component == component)
                .order_by(ModelPromotionRow.promoted_at, ModelPromotionRow.id)
            )
            return tuple(_promotion(row) for row in rows)

        return self._read(work)
