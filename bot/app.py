"""The copilot: wires the analyser, the drafter and the store into one message-handling flow.

Channel adapters (and the terminal console) hand it an ``InboundMessage``; it records the message,
reads the customer's profile and conversation, analyses, applies the customer's own wishes (an
opt-out is recorded before anything is drafted), drafts, and stores the drafts as pending — which
supersedes any draft still pending in that conversation, so the new draft sees both messages.
Reviewer decisions come back through ``decide``, a compare-and-set in the store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import AppConfig
from bot.domain import Analysis, CustomerProfile, InboundMessage, IntentScore, ReviewAction
from bot.drafting.drafter import Drafter, DraftResult
from bot.nlp.analyser import Analyser
from bot.store import DecisionResult, RecordedMessage, Store

__all__ = ["Copilot", "HandledMessage"]


@dataclass(frozen=True, slots=True)
class HandledMessage:
    recorded: RecordedMessage
    analysis: Analysis
    result: DraftResult
    draft_ids: tuple[int, ...]
    superseded_ids: tuple[int, ...]
    profile: CustomerProfile


class Copilot:
    """Turns each customer message into stored, ranked drafts waiting for a reviewer."""

    def __init__(
        self,
        *,
        config: AppConfig,
        store: Store,
        analyser: Analyser | None = None,
        drafter: Drafter | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.analyser = analyser or Analyser(config)
        self.drafter = drafter or Drafter(config)
        self._zone = ZoneInfo(config.brand.timezone)

    def handle(self, message: InboundMessage, *, now: datetime | None = None) -> HandledMessage:
        """Record ``message`` and draft replies to it."""
        return self.draft_for(message, self.store.record_inbound(message), now=now)

    def handle_event(
        self, message: InboundMessage, *, event_id: str, now: datetime | None = None
    ) -> HandledMessage | None:
        """Like ``handle`` for a platform event: None when ``event_id`` was handled before."""
        recorded = self.store.record_event(message, event_id=event_id)
        if recorded is None:
            return None
        return self.draft_for(message, recorded, now=now)

    def draft_for(
        self,
        message: InboundMessage,
        recorded: RecordedMessage,
        *,
        now: datetime | None = None,
        intent: str | None = None,
    ) -> HandledMessage:
        """Analyse a recorded message and store fresh pending drafts for it.

        ``intent`` is a reviewer's correction: the analysis keeps everything else it found, with
        that intent for certain, and the drafts follow it.
        """
        now = now or datetime.now(UTC)
        profile = self.store.profile(recorded.customer_pk, conversation_pk=recorded.conversation_pk)
        text = message.text
        pending = self.store.pending_drafts(recorded.conversation_pk)
        if profile.earlier_messages and any(d.message_pk != recorded.message_pk for d in pending):
            # The previous message is still unanswered: draft for both together.
            text = f"{profile.earlier_messages[-1]}\n{message.text}"
        received = message.received_at or now
        analysis = self.analyser.analyse(
            text,
            hint=profile.language or message.language_hint,
            today=received.astimezone(self._zone).date(),
        )
        if intent is not None:
            analysis = replace(
                analysis,
                intent=IntentScore(intent, 1.0),
                handoff_reason=None,
                predicted_intent=None,
            )
        self.store.save_analysis(recorded.message_pk, analysis)
        if analysis.language in self.config.brand.languages and analysis.language_confidence > 0.5:
            self.store.set_language(recorded.customer_pk, analysis.language)
        if analysis.intent.name == "opt_out" and not profile.opted_out:
            self.store.set_opt_out(recorded.customer_pk, opted_out=True, at=now)
            profile = replace(profile, opted_out=True)
        result = self.drafter.draft(analysis, profile, channel=message.platform, now=now)
        saved = self.store.save_drafts(
            conversation_pk=recorded.conversation_pk,
            message_pk=recorded.message_pk,
            drafts=result.drafts,
        )
        return HandledMessage(
            recorded=recorded,
            analysis=analysis,
            result=result,
            draft_ids=saved.draft_ids,
            superseded_ids=saved.superseded_ids,
            profile=profile,
        )

    def decide(
        self,
        draft_id: int,
        *,
        action: ReviewAction,
        reviewer: str,
        edited_text: str | None = None,
    ) -> DecisionResult:
        """Apply a reviewer's decision once; a reply that goes out is recorded as outbound."""
        result = self.store.decide(
            draft_id, action=action, reviewer=reviewer, edited_text=edited_text
        )
        if result.outbox_id is not None:
            # No platform here (the console, a script): the reply is "delivered" by being shown.
            self.store.mark_delivered(result.outbox_id, platform_message_id=None)
        return result
