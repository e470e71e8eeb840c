"""Review: drafts waiting for a reviewer, and the compare-and-set decisions that settle them.

Decisions are ``UPDATE … WHERE status = 'pending'``, so two reviewers clicking at once, or a click
racing a reaction, decide a draft exactly once — across threads and processes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.domain import Draft, DraftStatus, Refusal, ReviewAction
from bot.store.base import StoreBase
from bot.store.codec import why_to_json
from bot.store.models import (
    ConversationRow,
    CustomerRow,
    DecisionRow,
    DraftRow,
    IntentCorrectionRow,
    MessageRow,
    OutboxRow,
    utcnow,
)
from bot.store.queries import (
    DECIDING,
    PENDING,
    WENT_OUT,
    aware,
    load_draft,
    lock_row,
    refusal_of,
    require_row,
    scalar_int,
    storable,
)
from bot.store.records import DecisionResult, SavedDrafts, StoredDraft

__all__ = ["ReviewStore"]


class ReviewStore(StoreBase):
    """Storing drafts and settling them once."""

    def get_draft(self, draft_id: int) -> StoredDraft | None:
        """One draft with its review state, or None."""
        return self._read(partial(load_draft, draft_id=draft_id))

    def decide(
        self,
        draft_id: int,
        *,
        action: ReviewAction,
        reviewer: str,
        edited_text: str | None = None,
        intent_correction: str | None = None,
        at: datetime | None = None,
    ) -> DecisionResult:
        """Apply a reviewer's decision to a pending draft, once: the first decision wins.

        SEND sends the draft as is, EDIT sends ``edited_text`` instead, DISCARD drops it. Sending
        one draft supersedes its pending siblings (the other drafts for the same message), and
        sending a promotional draft records the offer on the customer, and a reply that goes out
        is queued in the outbox (``outbox_id``), all in the same transaction.
        A draft that is no longer pending is left alone: ``applied`` is False and ``refusal`` says
        who decided it first, and when.
        """
        status = DECIDING.get(action)
        if status is None:
            raise ValueError(
                f"{action.value!r} does not decide a draft: use send, edit or discard."
            )
        if action is ReviewAction.EDIT and not (edited_text and edited_text.strip()):
            raise ValueError("An edit needs the edited text that goes out instead of the draft.")
        when = aware(at, "at") or utcnow()
        final = storable(edited_text) if edited_text is not None else None

        def work(session: Session) -> DecisionResult:
            head = session.execute(
                select(
                    DraftRow.message_id,
                    DraftRow.conversation_id,
                    DraftRow.text,
                    DraftRow.promotional,
                    ConversationRow.customer_id,
                    MessageRow.platform_message_id,
                )
                .join(ConversationRow, DraftRow.conversation_id == ConversationRow.id)
                .join(MessageRow, DraftRow.message_id == MessageRow.id)
                .where(DraftRow.id == draft_id)
            ).one_or_none()
            if head is None:
                return DecisionResult(applied=False, draft=None, refusal=Refusal(None))
            # Serialises decisions within a conversation: two reviewers sending two different
            # drafts of one message must not both go out. The status check below is the
            # compare-and-set that makes a single draft decided once.
            lock_row(session, CustomerRow, head.customer_id)
            lock_row(session, ConversationRow, head.conversation_id)
            sent_text = {
                DraftStatus.SENT: head.text,
                DraftStatus.EDITED: final,
                DraftStatus.DISCARDED: None,
            }[status]
            won = session.execute(
                update(DraftRow)
                .where(DraftRow.id == draft_id, DraftRow.status == PENDING)
                .values(
                    status=status.value,
                    version=DraftRow.version + 1,
                    decided_at=when,
                    final_text=sent_text,
                )
                .returning(DraftRow.id)
                .execution_options(synchronize_session=False)
            ).first()
            if won is None:
                current = load_draft(session, draft_id=draft_id)
                return DecisionResult(
                    applied=False, draft=current, refusal=refusal_of(session, current)
                )
            session.add(
                DecisionRow(
                    draft_id=draft_id,
                    action=action.value,
                    reviewer=reviewer,
                    edited_text=final,
                    intent_correction=intent_correction,
                    decided_at=when,
                )
            )
            queued: OutboxRow | None = None
            if status.value in WENT_OUT:
                session.execute(
                    update(DraftRow)
                    .where(
                        DraftRow.message_id == head.message_id,
                        DraftRow.status == PENDING,
                        DraftRow.id != draft_id,
                    )
                    .values(
                        status=DraftStatus.SUPERSEDED.value,
                        version=DraftRow.version + 1,
                        decided_at=when,
                    )
                    .execution_options(synchronize_session=False)
                )
                if head.promotional:
                    session.execute(
                        update(CustomerRow)
                        .where(CustomerRow.id == head.customer_id)
                        .values(last_offer_at=when)
                        .execution_options(synchronize_session=False)
                    )
                # Stored with the decision, before any attempt to send: a crash after this commit
                # leaves a row the sender delivers on restart, and the unique draft id keeps it
                # to one reply per approval.
                queued = OutboxRow(
                    draft_id=draft_id,
                    conversation_id=head.conversation_id,
                    text=sent_text or "",
                    reply_to_message_id=head.platform_message_id,
                    status="pending",
                    attempts=0,
                    next_attempt_at=when,
                    created_at=when,
                )
                session.add(queued)
            session.flush()
            return DecisionResult(
                applied=True,
                draft=load_draft(session, draft_id=draft_id),
                outbox_id=queued.id if queued is not None else None,
            )

        return self._write(work)

    def expire_pending(self, older_than: datetime) -> tuple[int, ...]:
        """Expire the drafts still pending that were created before ``older_than``; returns their
        ids."""
        cutoff = aware(older_than, "older_than")
        now = utcnow()

        def work(session: Session) -> tuple[int, ...]:
            expired = session.execute(
                update(DraftRow)
                .where(DraftRow.status == PENDING, DraftRow.created_at < cutoff)
                .values(
                    status=DraftStatus.EXPIRED.value,
                    version=DraftRow.version + 1,
                    decided_at=now,
                )
                .returning(DraftRow.id)
                .execution_options(synchronize_session=False)
            ).scalars()
            return tuple(sorted(int(pk) for pk in expired))

        return self._write(work)

    def record_intent_correction(
        self, message_pk: int, *, predicted: str, corrected: str, reviewer: str
    ) -> int:
        """Keep a reviewer's fix of a predicted intent for the next training run; returns its id."""

        def work(session: Session) -> int:
            require_row(session, MessageRow, message_pk, "message")
            row = IntentCorrectionRow(
                message_id=message_pk,
                predicted=predicted,
                corrected=corrected,
                reviewer=reviewer,
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            return row.id

        return self._write(work)


def save_drafts_in(
    session: Session,
    *,
    conversation_pk: int,
    message_pk: int,
    drafts: Sequence[Draft],
    now: datetime,
) -> SavedDrafts:
    """Store new pending drafts answering ``message_pk`` (just stored in ``conversation_pk`` in
    the same transaction); older pending drafts of the conversation are superseded."""
    lock_row(session, ConversationRow, conversation_pk)
    superseded = session.execute(
        update(DraftRow)
        .where(DraftRow.conversation_id == conversation_pk, DraftRow.status == PENDING)
        .values(
            status=DraftStatus.SUPERSEDED.value,
            version=DraftRow.version + 1,
            decided_at=now,
        )
        .returning(DraftRow.id)
        .execution_options(synchronize_session=False)
    ).scalars()
    superseded_ids = tuple(sorted(int(pk) for pk in superseded))
    if not drafts:
        return SavedDrafts((), superseded_ids)
    rows = [
        {
            "conversation_id": conversation_pk,
            "message_id": message_pk,
            "rank": draft.rank,
            "text": storable(draft.text),
            "template": draft.template,
            "promotional": draft.promotional,
            "why": "",
            "reasons": why_to_json(draft.why),
            "language": draft.language,
            "offer_blocked": draft.offer_blocked,
            "status": PENDING,
            "version": 1,
            "created_at": now,
            "decided_at": None,
            "final_text": None,
        }
        for draft in drafts
    ]
    if len({draft.rank for draft in drafts}) == len(drafts):
        # One multi-row INSERT … RETURNING; rows may come back in any order, so the ids are put
        # back in the order of ``drafts`` by their (distinct) ranks.
        inserted = session.execute(insert(DraftRow).returning(DraftRow.id, DraftRow.rank), rows)
        by_rank = {int(rank): int(pk) for pk, rank in inserted}
        return SavedDrafts(tuple(by_rank[draft.rank] for draft in drafts), superseded_ids)
    ids = [scalar_int(session, insert(DraftRow).values(row).returning(DraftRow.id)) for row in rows]
    return SavedDrafts(tuple(ids), superseded_ids)
