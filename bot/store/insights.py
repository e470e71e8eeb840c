"""Insights: read-only aggregate queries behind the ``/insights`` page.

They read the tables every channel writes (messages, analyses, drafts, decisions), so the page
works the same for the local playground and for a real Slack or Telegram deployment. Counting is
done by the database (``GROUP BY``) where the result is small; per-day buckets and medians are
computed here from one row per message or decision in the window, because "a day" belongs to the
brand's time zone and SQLite and PostgreSQL share no date function nor a median aggregate.

Offers blocked by policy come from ``drafts.offer_blocked``: the drafter stores the key of the
policy that held an offer back ("offer.unhappy"), whatever language the reviewers read.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.domain import ReviewAction
from bot.store.base import StoreBase
from bot.store.models import INBOUND, AnalysisRow, DecisionRow, DraftRow, MessageRow
from bot.store.promotions import PromotionEffect, promotion_effects
from bot.store.queries import aware

__all__ = [
    "OFFER_REASON_KEYS",
    "DailyCount",
    "Insights",
    "InsightsStore",
    "Outcomes",
]

#: The reasons the offer policy gives (bot/drafting/policies.py), as message keys.
OFFER_REASON_KEYS: Final[tuple[str, ...]] = (
    "offer.disabled",
    "offer.opted_out",
    "offer.unhappy",
    "offer.not_on_intent",
    "offer.recent_complaint",
    "offer.already_sent",
)
#: What an unrecognised reason is counted as (a reason worded by an older Réplique).
OTHER_REASON: Final = "other"
#: Decisions that settle a draft, and what each counts as.
_OUTCOME: Final = {
    ReviewAction.SEND.value: "sent",
    ReviewAction.EDIT.value: "edited",
    ReviewAction.DISCARD.value: "discarded",
}


@dataclass(frozen=True, slots=True)
class DailyCount:
    """How many messages of one kind (an intent, a sentiment) arrived on one day."""

    day: date
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What reviewers did with the drafts of one template or one intent."""

    key: str
    sent: int = 0
    edited: int = 0
    discarded: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.edited + self.discarded


@dataclass(frozen=True, slots=True)
class Insights:
    """Everything the insights page shows, for one window of time."""

    since: datetime
    until: datetime
    messages: int
    decisions: int
    messages_by_intent: tuple[DailyCount, ...]
    messages_by_sentiment: tuple[DailyCount, ...]
    outcomes_by_template: tuple[Outcomes, ...]
    outcomes_by_intent: tuple[Outcomes, ...]
    #: Seconds from a customer's message to the reviewer's decision (None: no decision yet).
    median_decision_seconds: float | None
    median_decision_by_intent: tuple[tuple[str, float], ...]
    #: (reason key from OFFER_REASON_KEYS or "other", messages whose drafts held the offer back).
    offers_blocked: tuple[tuple[str, int], ...]
    #: Intent fixes per 100 messages before and after each model ``replique learn`` promoted.
    promotions: tuple[PromotionEffect, ...] = ()


def _utc(moment: datetime, name: str) -> datetime:
    found = aware(moment, name)
    if found is None:
        raise ValueError(f"{name} is required")
    return found


def _outcomes(rows: dict[str, Counter[str]]) -> tuple[Outcomes, ...]:
    shown = [
        Outcomes(key=key, sent=c["sent"], edited=c["edited"], discarded=c["discarded"])
        for key, c in rows.items()
    ]
    return tuple(sorted(shown, key=lambda o: (-o.total, o.key)))


class InsightsStore(StoreBase):
    """What the team's work looks like over time, read from the same tables as everything else."""

    def insights(
        self, *, since: datetime, until: datetime, zone: str | ZoneInfo = "UTC"
    ) -> Insights:
        """Everything ``/insights`` shows for messages and decisions in ``[since, until)``.

        Days are counted in ``zone`` (the brand's time zone), so a message at 23:30 in Montréal
        belongs to that day, not to the next UTC day.
        """
        start = _utc(since, "since")
        end = _utc(until, "until")
        tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)

        def work(session: Session) -> Insights:
            by_intent, by_sentiment, messages = self._daily(session, start, end, tz)
            by_template, by_outcome_intent, decisions = self._decided(session, start, end)
            overall, per_intent = self._decision_times(session, start, end)
            return Insights(
                since=start,
                until=end,
                messages=messages,
                decisions=decisions,
                messages_by_intent=by_intent,
                messages_by_sentiment=by_sentiment,
                outcomes_by_template=by_template,
                outcomes_by_intent=by_outcome_intent,
                median_decision_seconds=overall,
                median_decision_by_intent=per_intent,
                offers_blocked=self._offers_blocked(session, start, end),
                promotions=promotion_effects(session, start, end),
            )

        return self._read(work)

    @staticmethod
    def _daily(
        session: Session, start: datetime, end: datetime, tz: ZoneInfo
    ) -> tuple[tuple[DailyCount, ...], tuple[DailyCount, ...], int]:
        rows = session.execute(
            select(MessageRow.received_at, AnalysisRow.intent, AnalysisRow.sentiment)
            .join(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
            .where(
                MessageRow.direction == INBOUND,
                MessageRow.received_at >= start,
                MessageRow.received_at < end,
            )
        ).all()
        intents: Counter[tuple[date, str]] = Counter()
        sentiments: Counter[tuple[date, str]] = Counter()
        for received_at, intent, sentiment in rows:
            day = received_at.astimezone(tz).date()
            intents[day, intent] += 1
            sentiments[day, sentiment] += 1

        def counts(counter: Counter[tuple[date, str]]) -> tuple[DailyCount, ...]:
            return tuple(DailyCount(day=d, key=k, count=n) for (d, k), n in sorted(counter.items()))

        return counts(intents), counts(sentiments), len(rows)

    @staticmethod
    def _decided(
        session: Session, start: datetime, end: datetime
    ) -> tuple[tuple[Outcomes, ...], tuple[Outcomes, ...], int]:
        rows = session.execute(
            select(DecisionRow.action, DraftRow.template, AnalysisRow.intent, func.count())
            .join(DraftRow, DecisionRow.draft_id == DraftRow.id)
            .outerjoin(AnalysisRow, AnalysisRow.message_id == DraftRow.message_id)
            .where(
                DecisionRow.action.in_(list(_OUTCOME)),
                DecisionRow.decided_at >= start,
                DecisionRow.decided_at < end,
            )
            .group_by(DecisionRow.action, DraftRow.template, AnalysisRow.intent)
        ).all()
        templates: dict[str, Counter[str]] = defaultdict(Counter)
        intents: dict[str, Counter[str]] = defaultdict(Counter)
        total = 0
        for action, template, intent, count in rows:
            outcome = _OUTCOME[action]
            templates[template][outcome] += count
            intents[intent or "other"][outcome] += count
            total += count
        return _outcomes(templates), _outcomes(intents), total

    @staticmethod
    def _decision_times(
        session: Session, start: datetime, end: datetime
    ) -> tuple[float | None, tuple[tuple[str, float], ...]]:
        rows = session.execute(
            select(DecisionRow.decided_at, MessageRow.received_at, AnalysisRow.intent)
            .join(DraftRow, DecisionRow.draft_id == DraftRow.id)
            .join(MessageRow, DraftRow.message_id == MessageRow.id)
            .outerjoin(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
            .where(
                DecisionRow.action.in_(list(_OUTCOME)),
                DecisionRow.decided_at >= start,
                DecisionRow.decided_at < end,
            )
        ).all()
        waits: dict[str, list[float]] = defaultdict(list)
        every: list[float] = []
        for decided_at, received_at, intent in rows:
            # A clock skew between machines must not show as a negative wait.
            seconds = max(0.0, (decided_at - received_at).total_seconds())
            waits[intent or "other"].append(seconds)
            every.append(seconds)
        per_intent = sorted(
            ((intent, statistics.median(values)) for intent, values in waits.items()),
            key=lambda item: (-item[1], item[0]),
        )
        return (statistics.median(every) if every else None), tuple(per_intent)

    @staticmethod
    def _offers_blocked(
        session: Session, start: datetime, end: datetime
    ) -> tuple[tuple[str, int], ...]:
        """Messages whose drafts held an offer back, per policy (``drafts.offer_blocked``).

        Counted per message, not per draft: the ranked drafts of one message share the policy.
        """
        per_message = (
            select(DraftRow.message_id, func.min(DraftRow.offer_blocked).label("policy"))
            .where(
                DraftRow.offer_blocked.is_not(None),
                DraftRow.created_at >= start,
                DraftRow.created_at < end,
            )
            .group_by(DraftRow.message_id)
            .subquery()
        )
        rows = session.execute(
            select(per_message.c.policy, func.count()).group_by(per_message.c.policy)
        ).all()
        counted: Counter[str] = Counter()
        for policy, count in rows:
            counted[policy if policy in OFFER_REASON_KEYS else OTHER_REASON] += int(count)
        return tuple(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
