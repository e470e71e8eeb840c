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
from bot.store import DecisionResult, Intake, RecordedMessage, SavedDrafting, Store

__all__ = ["Copilot", "HandledMessage"]


@dataclass(frozen=True, slots=True)
class HandledMessage:
    recorded: RecordedMessage
    analysis: Analysis
    result: DraftResult
    profile: CustomerProfile
    #: The stored drafts and the message's review card, as ``Store.save_drafting`` left them.
    drafting: SavedDrafting

    @property
    def draft_ids(self) -> tuple[int, ...]:
        return self.drafting.saved.draft_ids

    @property
    def superseded_ids(self) -> tuple[int, ...]:
        return self.drafting.saved.superseded_ids


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
        return self._draft(message, self.store.take_in(message), now=now)

    def handle_event(
        self, message: InboundMessage, *, event_id: str, now: datetime | None = None
    ) -> HandledMessage | None:
        """Like ``handle`` for a platform event: None when ``event_id`` was handled before."""
        intake = self.store.take_in_event(message, event_id=event_id)
        return None if intake is None else self._draft(message, intake, now=now)

    def draft_for(
        self,
        message: InboundMessage,
        recorded: RecordedMessage,
        *,
        now: datetime | None = None,
        intent: str | None = None,
    ) -> HandledMessage:
        """Draft again for a message already stored (after a restart, or a fixed intent).

        ``intent`` is a reviewer's correction: the analysis keeps everything else it found, with
        that intent for certain, and the drafts follow it.
        """
        return self._draft(message, self.store.intake_of(recorded), now=now, intent=intent)

    def _draft(
        self,
        message: InboundMessage,
        intake: Intake,
        *,
        now: datetime | None,
        intent: str | None = None,
    ) -> HandledMessage:
        now = now or datetime.now(UTC)
        profile = intake.profile
        text = message.text
        if intake.answers_earlier and profile.earlier_messages:
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
        language = None
        if analysis.language in self.config.brand.languages and analysis.language_confidence > 0.5:
            language = analysis.language if analysis.language != profile.language else None
        opted_out_at = None
        if analysis.intent.name == "opt_out" and not profile.opted_out:
            opted_out_at = now
            profile = replace(profile, opted_out=True)
        result = self.drafter.draft(analysis, profile, channel=message.platform, now=now)
        drafting = self.store.save_drafting(
            intake.recorded,
            analysis=analysis,
            drafts=result.drafts,
            language=language,
            opted_out_at=opted_out_at,
        )
        return HandledMessage(
            recorded=intake.recorded,
            analysis=analysis,
            result=result,
            profile=profile,
            drafting=drafting,
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
