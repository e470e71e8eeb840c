"""What the desk learns from: reviewers' decisions per template, approved replies, edits, and
the replies that went out (for the anti-blast guard).

Read-only queries (and one update of a pending draft's "why"), each one short transaction. The
callers cache what they read (``bot/review/learning.py``): a draft costs no query for ranking.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.domain import DraftStatus, ReviewAction, TrackRecord, Why
from bot.drafting.earlier import EarlierReply
from bot.store.base import StoreBase
from bot.store.codec import analysis_from_json, why_to_json
from bot.store.insights import DailyCount
from bot.store.models import (
    AnalysisRow,
    ConversationRow,
    CustomerRow,
    DecisionRow,
    DraftRow,
    MessageRow,
    OutboxRow,
)
from bot.store.queries import PENDING, WENT_OUT, aware

__all__ = [
    "LearningStore",
    "OutgoingText",
    "TemplateEdit",
    "WeeklyAcceptance",
]

_DECIDING = (ReviewAction.SEND.value, ReviewAction.EDIT.value, ReviewAction.DISCARD.value)


@dataclass(frozen=True, slots=True)
class OutgoingText:
    """A reply that went (or is going) out: to which customer, when."""

    outbox_id: int
    customer_pk: int
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TemplateEdit:
    """A draft a reviewer edited before sending: the template's text and what went out."""

    draft_id: int
    template: str
    language: str
    intent: str
    draft_text: str
    edited_text: str
    customer_name: str | None
    #: The analysis of the message it answered (its details become template variables).
    analysis_payload: dict[str, Any] | None
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class WeeklyAcceptance:
    """One template's decisions in the week starting ``week`` (a Monday, brand's time zone)."""

    week: date
    template: str
    record: TrackRecord


class LearningStore(StoreBase):
    """The reviewers' decisions, read back for ranking, suggestions and the blast guard."""

    def template_records(self) -> dict[tuple[str, str], TrackRecord]:
        """``(intent, template)`` → what reviewers did with its drafts, over all time."""

        def work(session: Session) -> dict[tuple[str, str], TrackRecord]:
            rows = session.execute(
                select(DecisionRow.action, DraftRow.template, AnalysisRow.intent, func.count())
                .join(DraftRow, DecisionRow.draft_id == DraftRow.id)
                .outerjoin(AnalysisRow, AnalysisRow.message_id == DraftRow.message_id)
                .where(DecisionRow.action.in_(_DECIDING))
                .group_by(DecisionRow.action, DraftRow.template, AnalysisRow.intent)
            ).all()
            counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
            for action, template, intent, count in rows:
                counts[intent or "other", template][action] += int(count)
            return {
                key: TrackRecord(
                    sent=c[ReviewAction.SEND.value],
                    edited=c[ReviewAction.EDIT.value],
                    discarded=c[ReviewAction.DISCARD.value],
                )
                for key, c in counts.items()
            }

        return self._read(work)

    def approved_replies(
        self, *, language: str, intent: str, limit: int = 200
    ) -> list[EarlierReply]:
        """The newest replies reviewers sent or edited for messages of ``intent`` answered in
        ``language``, with the message each answered."""

        def work(session: Session) -> list[EarlierReply]:
            rows = session.execute(
                select(
                    DraftRow.id,
                    DraftRow.final_text,
                    DraftRow.decided_at,
                    MessageRow.text,
                    AnalysisRow.payload,
                    CustomerRow.display_name,
                )
                .join(MessageRow, DraftRow.message_id == MessageRow.id)
                .join(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
                .join(ConversationRow, DraftRow.conversation_id == ConversationRow.id)
                .join(CustomerRow, ConversationRow.customer_id == CustomerRow.id)
                .where(
                    DraftRow.status.in_(WENT_OUT),
                    DraftRow.language == language,
                    AnalysisRow.intent == intent,
                    DraftRow.final_text.is_not(None),
                )
                .order_by(DraftRow.decided_at.desc(), DraftRow.id.desc())
                .limit(limit)
            ).all()
            return [
                EarlierReply(
                    draft_id=int(pk),
                    text=str(final),
                    message=str(message),
                    analysis=analysis_from_json(payload),
                    customer_name=name,
                    decided_at=decided_at,
                )
                for pk, final, decided_at, message, payload, name in rows
                if decided_at is not None
            ]

        return self._read(work)

    def outgoing_since(self, since: datetime, *, after_id: int = 0) -> list[OutgoingText]:
        """Replies queued or sent since ``since`` whose outbox id is above ``after_id``."""
        start = aware(since, "since")

        def work(session: Session) -> list[OutgoingText]:
            rows = session.execute(
                select(
                    OutboxRow.id, ConversationRow.customer_id, OutboxRow.text, OutboxRow.created_at
                )
                .join(ConversationRow, OutboxRow.conversation_id == ConversationRow.id)
                .where(
                    OutboxRow.id > after_id,
                    OutboxRow.created_at >= start,
                    OutboxRow.status != "failed",
                )
                .order_by(OutboxRow.id)
            ).all()
            return [OutgoingText(int(i), int(c), str(t), at) for i, c, t, at in rows]

        return self._read(work)

    def template_edits(
        self, *, since: datetime | None = None, limit: int = 5000
    ) -> list[TemplateEdit]:
        """Drafts reviewers edited before sending (newest first), earlier replies aside."""
        start = aware(since, "since")

        def work(session: Session) -> list[TemplateEdit]:
            query = (
                select(
                    DraftRow.id,
                    DraftRow.template,
                    DraftRow.language,
                    AnalysisRow.intent,
                    DraftRow.text,
                    DecisionRow.edited_text,
                    CustomerRow.display_name,
                    AnalysisRow.payload,
                    DecisionRow.decided_at,
                )
                .join(DraftRow, DecisionRow.draft_id == DraftRow.id)
                .outerjoin(AnalysisRow, AnalysisRow.message_id == DraftRow.message_id)
                .join(ConversationRow, DraftRow.conversation_id == ConversationRow.id)
                .join(CustomerRow, ConversationRow.customer_id == CustomerRow.id)
                .where(
                    DecisionRow.action == ReviewAction.EDIT.value,
                    DecisionRow.edited_text.is_not(None),
                    ~DraftRow.template.like("%/earlier"),
                )
                .order_by(DecisionRow.decided_at.desc(), DecisionRow.id.desc())
                .limit(limit)
            )
            if start is not None:
                query = query.where(DecisionRow.decided_at >= start)
            return [
                TemplateEdit(
                    draft_id=int(pk),
                    template=str(template),
                    language=str(language),
                    intent=str(intent or template.split("/")[1]),
                    draft_text=str(text),
                    edited_text=str(edited),
                    customer_name=name,
                    analysis_payload=payload,
                    decided_at=at,
                )
                for pk, template, language, intent, text, edited, name, payload, at in (
                    session.execute(query).all()
                )
            ]

        return self._read(work)

    def note_blast(self, draft_id: int, why: Why) -> bool:
        """Keep a fresh blast count on a pending draft's "why" (its card then says so)."""

        def work(session: Session) -> bool:
            done = session.execute(
                update(DraftRow)
                .where(DraftRow.id == draft_id, DraftRow.status == PENDING)
                .values(reasons=why_to_json(why))
                .returning(DraftRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            return done is not None

        return self._write(work)

    def weekly_acceptance(
        self, *, since: datetime, until: datetime, zone: str | ZoneInfo = "UTC"
    ) -> tuple[WeeklyAcceptance, ...]:
        """Each template's decisions per week (weeks start on Monday in ``zone``)."""
        start, end = aware(since, "since"), aware(until, "until")
        tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)

        def work(session: Session) -> tuple[WeeklyAcceptance, ...]:
            rows = session.execute(
                select(DecisionRow.decided_at, DraftRow.template, DecisionRow.action)
                .join(DraftRow, DecisionRow.draft_id == DraftRow.id)
                .where(
                    DecisionRow.action.in_(_DECIDING),
                    DecisionRow.decided_at >= start,
                    DecisionRow.decided_at < end,
                )
            ).all()
            weeks: dict[tuple[date, str], Counter[str]] = defaultdict(Counter)
            for at, template, action in rows:
                day = at.astimezone(tz).date()
                weeks[day - timedelta(days=day.weekday()), template][action] += 1
            return tuple(
                WeeklyAcceptance(
                    week=week,
                    template=template,
                    record=TrackRecord(
                        sent=c[ReviewAction.SEND.value],
                        edited=c[ReviewAction.EDIT.value],
                        discarded=c[ReviewAction.DISCARD.value],
                    ),
                )
                for (week, template), c in sorted(weeks.items())
            )

        return self._read(work)

    def blast_warnings(
        self, *, since: datetime, until: datetime, zone: str | ZoneInfo = "UTC"
    ) -> tuple[DailyCount, ...]:
        """Messages per day whose card warned that a draft went to too many customers
        (``key`` "warned"), and how many of those a reviewer still sent (``key`` "sent")."""
        start, end = aware(since, "since"), aware(until, "until")
        tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)

        def work(session: Session) -> tuple[DailyCount, ...]:
            rows = session.execute(
                select(
                    DraftRow.message_id, DraftRow.created_at, DraftRow.status, DraftRow.reasons
                ).where(DraftRow.created_at >= start, DraftRow.created_at < end)
            ).all()
            warned: dict[int, date] = {}
            sent: set[int] = set()
            for message_id, created_at, status, reasons in rows:
                if isinstance(reasons, dict) and reasons.get("blast_over_cap"):
                    warned.setdefault(int(message_id), created_at.astimezone(tz).date())
                    if status in (DraftStatus.SENT.value, DraftStatus.EDITED.value):
                        sent.add(int(message_id))
            counts: Counter[tuple[date, str]] = Counter()
            for message_id, day in warned.items():
                counts[day, "warned"] += 1
                if message_id in sent:
                    counts[day, "sent"] += 1
            return tuple(DailyCount(day=d, key=k, count=n) for (d, k), n in sorted(counts.items()))

        return self._read(work)
