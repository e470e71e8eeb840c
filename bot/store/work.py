"""The work queue: what a platform sent, stored before it is told "received", done once by any
process.

A channel adapter stores each customer message and each reviewer action here (``enqueue``) and
only then acknowledges it to the platform: a store outage or a killed process loses nothing, and
the platform redelivers what was not acknowledged. Workers in every process claim items with a
lease (``claim_work``) and mark them done; an item whose process died is claimed again when its
lease ends. Two lanes, each with its own workers: ``inbound`` (messages to draft) and ``action``
(reviewer actions), so a flood of messages never holds a click back.

Claims are safe on several processes: PostgreSQL locks the rows it hands out (``FOR UPDATE SKIP
LOCKED``: another claim skips them), SQLite has one writer at a time. One conversation's items
are done one at a time, oldest first: an item is claimable only when no older item of its
conversation is waiting or in progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.store.base import StoreBase
from bot.store.intake import claim_event_in
from bot.store.models import WorkItemRow, utcnow
from bot.store.queries import aware, insert_for, storable

__all__ = ["NewWork", "WorkItem", "WorkStore"]

#: Error texts kept on a work item are cut to this length.
_MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class NewWork:
    """Work to store: ``payload`` is the JSON of an ``InboundMessage`` or a ``ReviewerAction``."""

    lane: str
    platform: str
    payload: dict[str, Any]
    #: The platform's event id: the item is stored once per (platform, event id).
    event_id: str | None = None
    #: Items of one conversation are done in order (None: no order to keep).
    conversation_key: str | None = None
    #: Not to be done before this moment (flood control); default: at once.
    not_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A claimed unit of work."""

    id: int
    lane: str
    platform: str
    event_id: str | None
    conversation_key: str | None
    payload: dict[str, Any]
    #: How many times it was claimed, this time included.
    attempts: int
    #: When it was stored (the platform was told "received" just after).
    created_at: datetime


class WorkStore(StoreBase):
    """Storing work before it is acknowledged, and claiming it, once, from any process."""

    def enqueue(
        self,
        work: NewWork,
        *,
        claimed_by: str | None = None,
        lease: timedelta | None = None,
        flood: tuple[int, timedelta, timedelta] | None = None,
    ) -> int | None:
        """Store ``work``; None when its event was stored before (a redelivery).

        With ``claimed_by`` and ``lease`` the item is stored already claimed by that process,
        which does it at once; if it dies, the item is claimed again when the lease ends.
        ``flood`` is ``(messages, window, delay)``: when the conversation stored ``messages``
        items or more within ``window``, this one waits ``delay``, so that a burst is answered
        by one draft that reads it all (nothing is dropped).
        """
        now = utcnow()

        def work_(session: Session) -> int | None:
            item = work
            if flood is not None and work.conversation_key is not None:
                messages, window, delay = flood
                recent = session.execute(
                    select(func.count()).where(
                        WorkItemRow.conversation_key == work.conversation_key,
                        WorkItemRow.created_at > now - window,
                    )
                ).scalar_one()
                if recent >= messages:
                    item = replace(work, not_before=now + delay)
            return _enqueue_in(session, item, now=now, claimed_by=claimed_by, lease=lease)

        return self._write(work_)

    def enqueue_many(self, items: Sequence[NewWork]) -> list[int | None]:
        """Store several items in one transaction (a batch of polled updates)."""
        now = utcnow()

        def work_(session: Session) -> list[int | None]:
            return [
                _enqueue_in(session, item, now=now, claimed_by=None, lease=None) for item in items
            ]

        return self._write(work_)

    def claim_work(
        self,
        *,
        lane: str,
        worker: str,
        lease: timedelta,
        limit: int = 32,
        ids: Sequence[int] | None = None,
        now: datetime | None = None,
    ) -> list[WorkItem]:
        """Claim up to ``limit`` items of ``lane`` that may be done now, oldest first, at most
        one per conversation; ``ids`` restricts the claim to those items."""
        moment = aware(now, "now") or utcnow()
        w = WorkItemRow
        older = aliased(WorkItemRow)
        due = or_(
            and_(w.status == "pending", w.not_before <= moment),
            and_(w.status == "claimed", w.lease_until < moment),
        )
        first_of_its_conversation = ~exists().where(
            older.lane == w.lane,
            older.conversation_key == w.conversation_key,
            older.id < w.id,
            older.status.in_(("pending", "claimed")),
        )

        def work_(session: Session) -> list[WorkItem]:
            candidates = (
                select(w.id)
                .where(w.lane == lane, due, first_of_its_conversation)
                .order_by(w.id)
                .limit(limit)
                # PostgreSQL: rows another claim holds are skipped, not waited for.
                .with_for_update(skip_locked=True)
            )
            if ids is not None:
                candidates = candidates.where(w.id.in_(list(ids)))
            rows = session.execute(
                update(w)
                .where(w.id.in_(candidates.scalar_subquery()))
                .values(
                    status="claimed",
                    claimed_by=worker,
                    lease_until=moment + lease,
                    attempts=w.attempts + 1,
                )
                .returning(
                    w.id,
                    w.lane,
                    w.platform,
                    w.event_id,
                    w.conversation_key,
                    w.payload,
                    w.attempts,
                    w.created_at,
                )
                .execution_options(synchronize_session=False)
            ).all()
            items = [
                WorkItem(
                    id=int(r.id),
                    lane=r.lane,
                    platform=r.platform,
                    event_id=r.event_id,
                    conversation_key=r.conversation_key,
                    payload=dict(r.payload),
                    attempts=int(r.attempts),
                    created_at=r.created_at,
                )
                for r in rows
            ]
            return sorted(items, key=lambda item: item.id)

        return self._write(work_)

    def newer_waiting(self, items: Sequence[WorkItem]) -> set[int]:
        """The ids of ``items`` whose conversation has a newer item waiting or in progress: a
        newer message will answer them too."""
        keyed = [(item.id, item.conversation_key) for item in items if item.conversation_key]
        if not keyed:
            return set()
        w = WorkItemRow

        def work_(session: Session) -> set[int]:
            newest = dict(
                session.execute(
                    select(w.conversation_key, func.max(w.id))
                    .where(
                        w.conversation_key.in_([key for _, key in keyed]),
                        w.status.in_(("pending", "claimed")),
                    )
                    .group_by(w.conversation_key)
                ).all()
            )
            return {pk for pk, key in keyed if int(newest.get(key) or pk) > pk}

        return self._read(work_)

    def finish_work(self, ids: Sequence[int], *, worker: str) -> int:
        """Mark items done (those ``worker`` still holds); returns how many."""
        if not ids:
            return 0
        now = utcnow()

        def work_(session: Session) -> int:
            done = session.execute(
                update(WorkItemRow)
                .where(
                    WorkItemRow.id.in_(list(ids)),
                    WorkItemRow.status == "claimed",
                    WorkItemRow.claimed_by == worker,
                )
                .values(status="done", finished_at=now, lease_until=None)
                .returning(WorkItemRow.id)
                .execution_options(synchronize_session=False)
            ).all()
            return len(done)

        return self._write(work_)

    def retry_work(self, item_id: int, *, worker: str, at: datetime, error: str) -> None:
        """Put an item back, to be done from ``at``; ``error`` says what went wrong."""
        self._settle_work(
            item_id, worker, status="pending", not_before=aware(at, "at"), error=error
        )

    def fail_work(self, item_id: int, *, worker: str, error: str) -> None:
        """Give up on an item that cannot be done (kept, with the reason, for the operator)."""
        self._settle_work(item_id, worker, status="failed", not_before=None, error=error)

    def forget_finished_work(self, *, older_than: datetime) -> int:
        """Delete work done before ``older_than`` (the processed event ids stay, so a late
        redelivery is still recognised); returns how many items."""
        cutoff = aware(older_than, "older_than")

        def work_(session: Session) -> int:
            gone = session.execute(
                delete(WorkItemRow)
                .where(WorkItemRow.status == "done", WorkItemRow.finished_at < cutoff)
                .returning(WorkItemRow.id)
            ).all()
            return len(gone)

        return self._write(work_)

    def work_counts(self) -> dict[str, int]:
        """How many items wait or are in progress, per lane (for /metrics and /healthz)."""

        def work_(session: Session) -> dict[str, int]:
            rows = session.execute(
                select(WorkItemRow.lane, func.count())
                .where(WorkItemRow.status.in_(("pending", "claimed")))
                .group_by(WorkItemRow.lane)
            ).all()
            return {str(lane): int(count) for lane, count in rows}

        return self._read(work_)

    def next_work_due(self, *, lane: str) -> datetime | None:
        """When the earliest item of ``lane`` may be done (a delayed one, or a lease ending)."""

        def work_(session: Session) -> datetime | None:
            pending = session.execute(
                select(func.min(WorkItemRow.not_before)).where(
                    WorkItemRow.lane == lane, WorkItemRow.status == "pending"
                )
            ).scalar_one_or_none()
            leased = session.execute(
                select(func.min(WorkItemRow.lease_until)).where(
                    WorkItemRow.lane == lane, WorkItemRow.status == "claimed"
                )
            ).scalar_one_or_none()
            found = [d for d in (pending, leased) if d is not None]
            return min(found) if found else None

        return self._read(work_)

    def _settle_work(
        self,
        item_id: int,
        worker: str,
        *,
        status: str,
        not_before: datetime | None,
        error: str,
    ) -> None:
        values: dict[str, Any] = {
            "status": status,
            "last_error": storable(error)[:_MAX_ERROR],
            "lease_until": None,
        }
        if not_before is not None:
            values["not_before"] = not_before
        if status == "failed":
            values["finished_at"] = utcnow()

        def work_(session: Session) -> None:
            session.execute(
                update(WorkItemRow)
                .where(
                    WorkItemRow.id == item_id,
                    WorkItemRow.status == "claimed",
                    WorkItemRow.claimed_by == worker,
                )
                .values(values)
                .execution_options(synchronize_session=False)
            )

        self._write(work_)


def _enqueue_in(
    session: Session,
    work: NewWork,
    *,
    now: datetime,
    claimed_by: str | None,
    lease: timedelta | None,
) -> int | None:
    if work.event_id is not None and not claim_event_in(
        session, platform=work.platform, event_id=work.event_id, now=now
    ):
        return None
    claimed = claimed_by is not None and lease is not None
    inserted = session.execute(
        insert_for(session, WorkItemRow)
        .values(
            lane=work.lane,
            platform=work.platform,
            event_id=work.event_id,
            conversation_key=work.conversation_key,
            payload=work.payload,
            status="claimed" if claimed else "pending",
            attempts=1 if claimed else 0,
            not_before=aware(work.not_before, "not_before") or now,
            lease_until=now + lease if claimed and lease is not None else None,
            claimed_by=claimed_by if claimed else None,
            created_at=now,
        )
        .returning(WorkItemRow.id)
    ).scalar_one()
    return int(inserted)
