"""The one way a customer message becomes drafts, whoever asks: ``replique draft`` or the desk.

``Replier`` analyses a message and drafts replies to it, applying the customer rules in one
place:

- earlier messages of the conversation still waiting for a reply are answered together with the
  new one: the analysis reads them all (``CustomerContext.unanswered``);
- the analysis is hinted with the customer's known language, else the platform's;
- the language to answer in is remembered once the analyser is sure of it (a language the brand
  answers in, identified with more than even confidence);
- an opt-out counts at once: this very reply carries no offer, and it is to be remembered;
- a reviewer's intent correction replaces the model's intent, everything else it found kept.

It reads what is known of the customer (a ``CustomerContext``, from the store or from the memory
of a ``replique draft`` run) and returns the drafts with the ``ProfileChanges`` to remember; it
stores nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import AppConfig
from bot.domain import Analysis, CustomerProfile, Facts, History, IntentScore, Platform
from bot.drafting.drafter import Drafter, DraftResult
from bot.nlp.analyser import Analyser, AnalysisRequest
from bot.orders import OrderLookup, customer_history, make_lookup, references

__all__ = [
    "LANGUAGE_CERTAINTY",
    "CustomerContext",
    "ProfileChanges",
    "Replier",
    "Reply",
    "ReplyRequest",
]

#: How sure the language identification must be before the customer's language is remembered.
LANGUAGE_CERTAINTY = 0.5


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """What is known of the customer and the conversation when their message is drafted for."""

    profile: CustomerProfile
    #: Earlier messages of the conversation still waiting for a reply, oldest first: the draft
    #: answers them together with the new one.
    unanswered: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReplyRequest:
    """One customer message to draft replies to."""

    text: str
    context: CustomerContext
    channel: Platform = "cli"
    #: What the platform says of the language ("fr-CA"), when the customer's is not known yet.
    language_hint: str | None = None
    #: When the customer wrote (relative dates are read against it); default: now.
    received_at: datetime | None = None
    #: A reviewer's correction of the intent.
    intent: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """What to remember of the customer after this message (None: nothing new)."""

    language: str | None = None
    opted_out_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """The analysis, the ranked drafts, the profile they were drafted for and what to keep."""

    analysis: Analysis
    result: DraftResult
    profile: CustomerProfile
    changes: ProfileChanges = field(default_factory=ProfileChanges)
    #: What the order system said (None: no order system configured).
    facts: Facts | None = None
    history: History | None = None


class Replier:
    """Analyses customer messages and drafts replies, with the customer rules applied."""

    def __init__(
        self,
        config: AppConfig,
        *,
        analyser: Analyser | None = None,
        drafter: Drafter | None = None,
        orders: OrderLookup | None = None,
    ) -> None:
        self.config = config
        self.analyser = analyser or Analyser(config)
        self.drafter = drafter or Drafter(config)
        #: The order system's lookup (docs/orders.md); None when ``orders:`` names none.
        self.orders = orders if orders is not None else make_lookup(config)
        self._zone = ZoneInfo(config.brand.timezone)

    def reply(self, request: ReplyRequest, *, now: datetime | None = None) -> Reply:
        """Analyse ``request`` and draft replies to it."""
        now = now or datetime.now(UTC)
        return self.draft(request, self.analyse_many([request], now=now)[0], now=now)

    def analysis_request(self, request: ReplyRequest, *, now: datetime) -> AnalysisRequest:
        """What the analyser is asked for ``request`` (the text it reads, the hint, the day)."""
        profile = request.context.profile
        # Earlier messages still unanswered are read with the new one: one draft answers all.
        text = "\n".join((*request.context.unanswered, request.text))
        received = request.received_at or now
        return AnalysisRequest(
            text,
            hint=profile.language or request.language_hint,
            today=received.astimezone(self._zone).date(),
        )

    def reads_alike(self, first: ReplyRequest, second: ReplyRequest, *, now: datetime) -> bool:
        """True when the analyser reads ``first`` and ``second`` alike (Analyser.reads_alike)."""
        return self.analyser.reads_alike(
            self.analysis_request(first, now=now), self.analysis_request(second, now=now)
        )

    def analyse_many(
        self, requests: Sequence[ReplyRequest], *, now: datetime | None = None
    ) -> list[Analysis]:
        """Analyse several messages in one batch (they must not depend on each other)."""
        now = now or datetime.now(UTC)
        return self.analyser.analyse_many([self.analysis_request(r, now=now) for r in requests])

    def draft(
        self, request: ReplyRequest, analysis: Analysis, *, now: datetime | None = None
    ) -> Reply:
        """Draft replies to ``request`` from its ``analysis`` (``analysis_request`` made)."""
        now = now or datetime.now(UTC)
        if request.intent is not None:
            analysis = replace(
                analysis,
                intent=IntentScore(request.intent, 1.0),
                handoff_reason=None,
                predicted_intent=None,
            )
        profile = request.context.profile
        language = None
        if (
            analysis.language in self.config.brand.languages
            and analysis.language_confidence > LANGUAGE_CERTAINTY
            and analysis.language != profile.language
        ):
            language = analysis.language
        opted_out_at = None
        if analysis.intent.name == "opt_out" and not profile.opted_out:
            opted_out_at = now
            profile = replace(profile, opted_out=True)
        facts, history = self.facts_for(analysis, profile, now=request.received_at or now)
        result = self.drafter.draft(
            analysis,
            profile,
            channel=request.channel,
            now=now,
            facts=facts,
            history=history,
            message_text=request.text,
        )
        return Reply(
            analysis=analysis,
            result=result,
            profile=profile,
            changes=ProfileChanges(language=language, opted_out_at=opted_out_at),
            facts=facts,
            history=history,
        )

    def facts_for(
        self, analysis: Analysis, profile: CustomerProfile, *, now: datetime
    ) -> tuple[Facts | None, History]:
        """The order facts of the message (within the lookup's budget) and the customer's
        history; a failing order system gives facts with a problem, never an error."""
        facts = self.orders.facts(references(analysis, profile)) if self.orders else None
        orders = self.config.orders
        history = customer_history(
            profile,
            facts,
            now=now,
            complaint_days=orders.complaint_days,
            vip_tiers=orders.vip_tiers,
        )
        return facts, history
