"""Drafting without a database: the analyser and drafter over an in-memory customer memory.

``replique draft`` uses this: messages in one call are independent customers unless they share a
customer id, in which case later messages see what earlier ones established (the customer was
greeted, opted out, gave their name, wrote in French). Nothing is written anywhere.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.config import AppConfig
from bot.domain import Analysis, CustomerProfile, Platform
from bot.drafting.drafter import Drafter, DraftResult
from bot.nlp.analyser import Analyser, AnalysisRequest

__all__ = ["MAX_REMEMBERED_CUSTOMERS", "DraftRequest", "DraftSession", "Drafted"]

#: Customers a session remembers (greeted, opted out, language) before forgetting the oldest.
MAX_REMEMBERED_CUSTOMERS = 50_000


@dataclass(frozen=True, slots=True)
class DraftRequest:
    text: str
    customer_id: str | None = None
    customer_name: str | None = None
    channel: Platform = "cli"
    language_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Drafted:
    analysis: Analysis
    result: DraftResult


class DraftSession:
    """Analyses and drafts batches of messages, remembering customers for the session's life."""

    def __init__(
        self,
        config: AppConfig,
        *,
        analyser: Analyser | None = None,
        drafter: Drafter | None = None,
    ) -> None:
        self.config = config
        self.analyser = analyser or Analyser(config)
        self.drafter = drafter or Drafter(config)
        # The most recent customers only: a long stream of one-off customers must not grow the
        # process without bound.
        self._profiles: OrderedDict[str, CustomerProfile] = OrderedDict()
        self._zone = ZoneInfo(config.brand.timezone)

    def draft_many(
        self, requests: Sequence[DraftRequest], *, now: datetime | None = None
    ) -> list[Drafted]:
        now = now or datetime.now(UTC)
        today = now.astimezone(self._zone).date()
        # Analysis is independent per message, so it runs as one batch; drafting is in order,
        # because a customer's second message depends on what the first established.
        analyses = self.analyser.analyse_many(
            [
                AnalysisRequest(
                    r.text,
                    hint=r.language_hint or self._known_language(r.customer_id),
                    today=today,
                )
                for r in requests
            ]
        )
        out = []
        for request, analysis in zip(requests, analyses, strict=True):
            profile = self._profile(request)
            if analysis.intent.name == "opt_out":
                profile = replace(profile, opted_out=True)
            result = self.drafter.draft(analysis, profile, channel=request.channel, now=now)
            if request.customer_id is not None:
                self._remember(
                    request.customer_id,
                    replace(
                        profile,
                        greeted=profile.greeted or bool(result.drafts),
                        language=analysis.language
                        if analysis.language in self.config.brand.languages
                        else profile.language,
                        past_intents=(analysis.intent.name, *profile.past_intents)[:10],
                        earlier_messages=(*profile.earlier_messages, request.text)[-5:],
                    ),
                )
            out.append(Drafted(analysis, result))
        return out

    def _remember(self, customer_id: str, profile: CustomerProfile) -> None:
        self._profiles[customer_id] = profile
        self._profiles.move_to_end(customer_id)
        while len(self._profiles) > MAX_REMEMBERED_CUSTOMERS:
            self._profiles.popitem(last=False)

    def _known_language(self, customer_id: str | None) -> str | None:
        profile = self._profiles.get(customer_id) if customer_id is not None else None
        return profile.language if profile else None

    def _profile(self, request: DraftRequest) -> CustomerProfile:
        known = self._profiles.get(request.customer_id) if request.customer_id else None
        if known is None:
            return CustomerProfile(
                customer_id=request.customer_id or "", name=request.customer_name
            )
        if request.customer_name and request.customer_name != known.name:
            return replace(known, name=request.customer_name)
        return known
