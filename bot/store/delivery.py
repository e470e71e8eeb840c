"""Delivery: review cards (which draft each shows, where each was posted) and the outbox.

The outbox is filled by ``ReviewStore.decide`` in the decision's own transaction; here the sender
claims due rows with a lease (``sending`` until ``next_attempt_at``), then marks them delivered —
recording the reply as an outbound message in the same transaction — or reschedules them. A
sender that dies mid-send leaves a ``sending`` row whose lease runs out, and the next sender
picks it up: delivery survives restarts. Claims are compare-and-set, so two senders never take
the same row.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot.store.base import StoreBase
from bot.store.card_rows import card_of_draft_in, card_view_in
from bot.store.models import (
    INBOUND,
    OUTBOUND,
    AnalysisRow,
    CardPostRow,
    ConversationRow,
    CustomerRow,
    DraftRow,
    MessageRow,
    OutboxRow,
    ReviewCardRow,
    utcnow,
)
from bot.store.queries import (
    PENDING,
    insert_for,
    storable,
    touch_conversation,
)
from bot.store.records import CardPost, CardView, OutboxItem

__all__ = ["DeliveryStore"]

#: Error texts kept on an outbox row are cut to this length.
_MAX_ERROR = 500


class DeliveryStore(StoreBase):
    """Review cards and the outbox of approved replies."""

    # --- cards ------------------------------------------------------------------------------

    def show_on_card(self, card_id: int, draft_id: int) -> bool:
        """Make card ``card_id`` show ``draft_id`` (the version a reviewer decided); False when
        it showed it already."""

        def work(session: Session) -> bool:
            moved = session.execute(
                update(ReviewCardRow)
                .where(ReviewCardRow.id == card_id, ReviewCardRow.draft_id != draft_id)
                .values(draft_id=draft_id, updated_at=utcnow())
                .returning(ReviewCardRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            return moved is not None

        return self._write(work)

    def switch_card_draft(self, card_id: int, *, expected: int, draft_id: int) -> bool:
        """Compare-and-set the draft a card shows: False when someone switched it first, or
        decided the draft it showed meanwhile."""
        still_pending = (
            select(DraftRow.id).where(DraftRow.id == expected, DraftRow.status == PENDING).exists()
        )

        def work(session: Session) -> bool:
            switched = session.execute(
                update(ReviewCardRow)
                .where(
                    ReviewCardRow.id == card_id, ReviewCardRow.draft_id == expected, still_pending
                )
                .values(draft_id=draft_id, updated_at=utcnow())
                .returning(ReviewCardRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            return switched is not None

        return self._write(work)

    def add_card_post(
        self,
        card_id: int,
        *,
        desk: str,
        chat_id: str,
        message_id: str,
        kind: str = "card",
        shown_draft_id: int | None = None,
    ) -> None:
        """Remember where a card was posted, showing ``shown_draft_id``, so reactions on it and
        later edits find it; with ``kind="edit_prompt"``, a message that asks a reviewer for the
        card's edited text (``shown_draft_id``: the draft the reviewer was editing)."""

        def work(session: Session) -> None:
            session.execute(
                insert_for(session, CardPostRow)
                .values(
                    card_id=card_id,
                    desk=desk,
                    chat_id=chat_id,
                    platform_message_id=message_id,
                    kind=kind,
                    shown_draft_id=shown_draft_id,
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing(
                    index_elements=[
                        CardPostRow.desk,
                        CardPostRow.chat_id,
                        CardPostRow.platform_message_id,
                    ]
                )
            )

        self._write(work)

    def card_posts(self, card_id: int) -> list[CardPost]:
        """Where the card was posted, oldest first."""

        def work(session: Session) -> list[CardPost]:
            rows = session.execute(
                select(
                    CardPostRow.desk,
                    CardPostRow.chat_id,
                    CardPostRow.platform_message_id,
                    CardPostRow.shown_draft_id,
                )
                .where(CardPostRow.card_id == card_id, CardPostRow.kind == "card")
                .order_by(CardPostRow.id)
            ).all()
            return [
                CardPost(desk=r[0], chat_id=r[1], message_id=r[2], shown_draft_id=r[3])
                for r in rows
            ]

        return self._read(work)

    def mark_shown(
        self, card_id: int, *, desk: str, chat_id: str, message_id: str, draft_id: int
    ) -> None:
        """Record that the card message at ``message_id`` now shows ``draft_id`` (its update
        went through)."""

        def work(session: Session) -> None:
            session.execute(
                update(CardPostRow)
                .where(
                    CardPostRow.card_id == card_id,
                    CardPostRow.desk == desk,
                    CardPostRow.chat_id == chat_id,
                    CardPostRow.platform_message_id == message_id,
                    CardPostRow.kind == "card",
                )
                .values(shown_draft_id=draft_id)
                .execution_options(synchronize_session=False)
            )

        self._write(work)

    def shown_at(
        self, *, desk: str, chat_id: str, message_id: str, kind: str = "card"
    ) -> tuple[int, int | None] | None:
        """The card posted as ``message_id`` in ``chat_id`` (or asked about by an edit prompt)
        and the draft that message shows; None when no card was posted there."""

        def work(session: Session) -> tuple[int, int | None] | None:
            found = session.execute(
                select(CardPostRow.card_id, CardPostRow.shown_draft_id).where(
                    CardPostRow.desk == desk,
                    CardPostRow.chat_id == chat_id,
                    CardPostRow.platform_message_id == message_id,
                    CardPostRow.kind == kind,
                )
            ).one_or_none()
            if found is None:
                return None
            shown = None if found.shown_draft_id is None else int(found.shown_draft_id)
            return int(found.card_id), shown

        return self._read(work)

    def card_at(
        self, *, desk: str, chat_id: str, message_id: str, kind: str = "card"
    ) -> int | None:
        """The card posted as platform message ``message_id`` in ``chat_id`` (with
        ``kind="edit_prompt"``: the card an edit prompt asks about), or None."""

        def work(session: Session) -> int | None:
            found = session.execute(
                select(CardPostRow.card_id).where(
                    CardPostRow.desk == desk,
                    CardPostRow.chat_id == chat_id,
                    CardPostRow.platform_message_id == message_id,
                    CardPostRow.kind == kind,
                )
            ).scalar_one_or_none()
            return None if found is None else int(found)

        return self._read(work)

    def card_of_draft(self, draft_id: int) -> int | None:
        """The card of the message ``draft_id`` answers, or None."""

        return self._read(partial(card_of_draft_in, draft_id=draft_id))

    def card_view(self, card_id: int) -> CardView | None:
        """Everything a review card shows, in one read."""

        return self._read(partial(card_view_in, card_id=card_id))

    def cards_to_post(self, *, older_than: datetime) -> list[int]:
        """Cards unchanged since ``older_than`` with a pending draft that no desk has shown yet
        (posting failed, or a crash); younger ones may still be on their way."""

        def work(session: Session) -> list[int]:
            rows = session.execute(
                select(ReviewCardRow.id)
                .join(DraftRow, DraftRow.id == ReviewCardRow.draft_id)
                .outerjoin(CardPostRow, CardPostRow.card_id == ReviewCardRow.id)
                .where(
                    DraftRow.status == PENDING,
                    CardPostRow.id.is_(None),
                    # Changed since then: a process may be posting it right now.
                    ReviewCardRow.updated_at < older_than,
                )
                .order_by(ReviewCardRow.id)
            ).scalars()
            return [int(pk) for pk in rows]

        return self._read(work)

    def undrafted_messages(self, *, older_than: datetime) -> list[int]:
        """Customer messages received before ``older_than``, stored but never analysed (the
        process stopped in between)."""

        def work(session: Session) -> list[int]:
            rows = session.execute(
                select(MessageRow.id)
                .outerjoin(AnalysisRow, AnalysisRow.message_id == MessageRow.id)
                .where(
                    MessageRow.direction == INBOUND,
                    AnalysisRow.id.is_(None),
                    MessageRow.received_at < older_than,
                )
                .order_by(MessageRow.id)
            ).scalars()
            return [int(pk) for pk in rows]

        return self._read(work)

    # --- outbox -----------------------------------------------------------------------------

    def claim_outbox(
        self,
        *,
        now: datetime | None = None,
        limit: int = 20,
        lease: timedelta,
        worker: str = "",
        platforms: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        """Take up to ``limit`` due replies for sending: pending ones whose time has come, and
        ``sending`` ones whose sender's lease ran out (it died). Each is leased to ``worker``
        until ``now + lease``. ``platforms``: only replies to customers of those platforms (the
        ones this process has a channel for)."""
        moment = now or utcnow()
        due = or_(
            and_(OutboxRow.status == "pending", OutboxRow.next_attempt_at <= moment),
            and_(OutboxRow.status == "sending", OutboxRow.next_attempt_at <= moment),
        )

        def work(session: Session) -> list[OutboxItem]:
            candidates = select(OutboxRow.id).where(due).order_by(OutboxRow.id).limit(limit)
            if platforms is not None:
                candidates = candidates.join(
                    ConversationRow, OutboxRow.conversation_id == ConversationRow.id
                ).where(ConversationRow.platform.in_(list(platforms)))
            # PostgreSQL: rows another sender is claiming right now are skipped, not waited for.
            candidates = candidates.with_for_update(skip_locked=True, of=OutboxRow)
            claimed = session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(candidates.scalar_subquery()))
                .values(
                    status="sending",
                    attempts=OutboxRow.attempts + 1,
                    next_attempt_at=moment + lease,
                    claimed_by=worker,
                )
                .returning(OutboxRow.id)
                .execution_options(synchronize_session=False)
            ).scalars()
            return [_outbox_item(session, int(pk)) for pk in sorted(claimed)]

        return self._write(work)

    def confirm_sending(self, outbox_id: int, *, worker: str, lease: timedelta) -> bool:
        """Just before sending: True when ``worker`` still holds the row (and its lease is
        renewed); False when another sender took it over meanwhile, which then sends it."""
        now = utcnow()

        def work(session: Session) -> bool:
            kept = session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == outbox_id,
                    OutboxRow.status == "sending",
                    OutboxRow.claimed_by == worker,
                )
                .values(next_attempt_at=now + lease)
                .returning(OutboxRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            return kept is not None

        return self._write(work)

    def mark_delivered(self, outbox_id: int, *, platform_message_id: str | None) -> bool:
        """Record that a reply went out (and store it as an outbound message); False when it was
        delivered or given up already."""
        now = utcnow()

        def work(session: Session) -> bool:
            row = session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == outbox_id, OutboxRow.status.in_(("pending", "sending")))
                .values(
                    status="delivered",
                    delivered_at=now,
                    platform_message_id=platform_message_id,
                    last_error=None,
                )
                .returning(OutboxRow.conversation_id, OutboxRow.text)
                .execution_options(synchronize_session=False)
            ).first()
            if row is None:
                return False
            # A platform id the conversation already has (a platform that reuses ids, a reply
            # recorded twice) must not leave the row "sending" forever: keep the first.
            session.execute(
                insert_for(session, MessageRow)
                .values(
                    conversation_id=row.conversation_id,
                    direction=OUTBOUND,
                    text=row.text,
                    platform_message_id=platform_message_id,
                    received_at=now,
                )
                .on_conflict_do_nothing(
                    index_elements=[
                        MessageRow.conversation_id,
                        MessageRow.direction,
                        MessageRow.platform_message_id,
                    ]
                )
            )
            touch_conversation(session, row.conversation_id, now)
            return True

        return self._write(work)

    def retry_outbox(self, outbox_id: int, *, at: datetime, error: str) -> None:
        """Put a reply back in the queue, due at ``at``."""
        self._settle(outbox_id, status="pending", next_attempt_at=at, error=error)

    def fail_outbox(self, outbox_id: int, *, error: str) -> None:
        """Give up on a reply the platform will never take; ``error`` says why."""
        self._settle(outbox_id, status="failed", next_attempt_at=None, error=error)

    def outbox_counts(self) -> dict[str, int]:
        """How many outbox rows are in each status (for /metrics and /healthz)."""

        def work(session: Session) -> dict[str, int]:
            rows = session.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            ).all()
            return {str(status): int(count) for status, count in rows}

        return self._read(work)

    def next_outbox_due(self) -> datetime | None:
        """When the earliest waiting reply is due (pending, or a lease that will run out)."""

        def work(session: Session) -> datetime | None:
            due: datetime | None = session.execute(
                select(func.min(OutboxRow.next_attempt_at)).where(
                    OutboxRow.status.in_(("pending", "sending"))
                )
            ).scalar_one_or_none()
            return due

        return self._read(work)

    def _settle(
        self, outbox_id: int, *, status: str, next_attempt_at: datetime | None, error: str
    ) -> None:
        values: dict[str, Any] = {"status": status, "last_error": storable(error)[:_MAX_ERROR]}
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at

        def work(session: Session) -> None:
            session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == outbox_id, OutboxRow.status == "sending")
                .values(values)
                .execution_options(synchronize_session=False)
            )

        self._write(work)


def _outbox_item(session: Session, outbox_id: int) -> OutboxItem:
    row = session.execute(
        select(
            OutboxRow,
            ConversationRow.platform,
            ConversationRow.platform_conversation_id,
            ConversationRow.thread_id,
            CustomerRow.platform_user_id,
        )
        .join(ConversationRow, OutboxRow.conversation_id == ConversationRow.id)
        .join(CustomerRow, ConversationRow.customer_id == CustomerRow.id)
        .where(OutboxRow.id == outbox_id)
    ).one()
    outbox: OutboxRow = row[0]
    return OutboxItem(
        id=outbox.id,
        draft_id=outbox.draft_id,
        platform=row.platform,
        conversation_id=row.platform_conversation_id,
        customer_id=row.platform_user_id,
        thread_id=row.thread_id or None,
        reply_to_message_id=outbox.reply_to_message_id,
        text=outbox.text,
        status=outbox.status,
        attempts=outbox.attempts,
        next_attempt_at=outbox.next_attempt_at,
        last_error=outbox.last_error,
        platform_message_id=outbox.platform_message_id,
    )
