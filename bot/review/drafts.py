"""Stored messages to stored drafts: the store's two transactions around the ``Replier``.

Synchronous (the store and spaCy are), run on the desk's drafting thread. A batch of messages of
different conversations is stored in one transaction, analysed in one spaCy batch, drafted, and
its drafts stored in one transaction: under a flood, the cost per message falls with the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain import Draft, InboundMessage
from bot.drafting.replier import CustomerContext, Replier, ReplyRequest
from bot.review.blast import BlastGuard, with_blast
from bot.store import Drafting, Intake, SavedDrafting, Store

__all__ = ["DraftMaker", "Drafted"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Drafted:
    """What came of one message: its drafts and card (None when it was only stored)."""

    saved: SavedDrafting | None
    #: The message replaced the text of one already stored (the customer edited it).
    edited: bool


class DraftMaker:
    """Stores messages and the drafts the ``Replier`` makes for them."""

    def __init__(self, *, store: Store, replier: Replier, guard: BlastGuard | None = None) -> None:
        self._store = store
        self._replier = replier
        self._guard = guard

    def draft_batch(
        self, messages: Sequence[InboundMessage], *, store_only: Sequence[bool] = ()
    ) -> list[Drafted]:
        """Store and draft ``messages`` (one per conversation). ``store_only[i]``: keep the
        message without drafting it (a newer one of its conversation will answer both)."""
        if not messages:
            return []
        now = datetime.now(UTC)
        intakes = self._store.take_in_many(messages)
        skip = list(store_only) + [False] * (len(messages) - len(store_only))
        # Drafted before (work a stopped process left, a redelivery): its card stands as is; a
        # new draft would replace the one a reviewer may be reading.
        skip = [s or intake.has_card for s, intake in zip(skip, intakes, strict=True)]
        to_draft = [i for i in range(len(messages)) if not skip[i]]
        requests = [self._request(messages[i], intakes[i]) for i in to_draft]
        analyses = self._replier.analyse_many(requests, now=now)
        savings: list[Drafting] = []
        for request, analysis, i in zip(requests, analyses, to_draft, strict=True):
            reply = self._replier.draft(request, analysis, now=now)
            savings.append(
                Drafting(
                    intakes[i].recorded,
                    analysis=reply.analysis,
                    drafts=self._counted(reply.result.drafts, intakes[i].recorded.customer_pk),
                    language=reply.changes.language,
                    opted_out_at=reply.changes.opted_out_at,
                )
            )
        saved = iter(self._store.save_drafting_many(savings))
        return [
            Drafted(None if skip[i] else next(saved), edited=intakes[i].recorded.edited)
            for i in range(len(messages))
        ]

    def draft_stored(self, message_pk: int, *, intent: str | None = None) -> SavedDrafting | None:
        """Draft a stored message again (with a reviewer's ``intent``); None if it is gone."""
        stored = self._store.stored_inbound(message_pk)
        if stored is None:
            return None
        message, recorded = stored
        intake = self._store.intake_of(recorded)
        reply = self._replier.reply(self._request(message, intake, intent=intent))
        return self._store.save_drafting(
            intake.recorded,
            analysis=reply.analysis,
            drafts=self._counted(reply.result.drafts, intake.recorded.customer_pk),
            language=reply.changes.language,
            opted_out_at=reply.changes.opted_out_at,
        )

    def _counted(self, drafts: tuple[Draft, ...], customer_pk: int) -> tuple[Draft, ...]:
        """The drafts with how many other customers already got each text (the guard's)."""
        if self._guard is None:
            return drafts
        return with_blast(drafts, self._guard, customer_pk=customer_pk)

    @staticmethod
    def _request(
        message: InboundMessage, intake: Intake, *, intent: str | None = None
    ) -> ReplyRequest:
        return ReplyRequest(
            text=message.text,
            context=CustomerContext(intake.profile, unanswered=intake.unanswered),
            channel=message.platform,
            language_hint=message.language_hint,
            received_at=message.received_at,
            intent=intent,
        )
