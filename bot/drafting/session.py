"""Drafting without a database: ``replique draft`` over an in-memory memory of customers.

Messages in one run are independent customers unless they share a customer id; then later
messages see what earlier ones established, through the same ``Replier`` rules as the service:
the customer's language, an opt-out, past intents. Nothing is sent from here, so the first draft
of each message is taken as the reply the customer got: the customer is greeted once, and a later
message answers only itself. Nothing is written anywhere.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.config import AppConfig
from bot.domain import Analysis, CustomerProfile, Facts, History, PastContact, Platform
from bot.drafting.drafter import DraftResult
from bot.drafting.replier import CustomerContext, Replier, Reply, ReplyRequest

__all__ = ["MAX_REMEMBERED_CUSTOMERS", "DraftRequest", "DraftSession", "Drafted"]

#: Customers a session remembers (greeted, opted out, language) before forgetting the oldest.
MAX_REMEMBERED_CUSTOMERS = 50_000
#: Earlier messages and past intents a session keeps per customer (as the store reads them).
_HISTORY = 5
_PAST_INTENTS = 10


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
    #: What the order system said (None: no order system configured).
    facts: Facts | None = None
    history: History | None = None


class DraftSession:
    """Drafts batches of messages, remembering customers for the session's life."""

    def __init__(self, config: AppConfig, *, replier: Replier | None = None) -> None:
        self.config = config
        self.replier = replier or Replier(config)
        # The most recent customers only: a long stream of one-off customers must not grow the
        # process without bound.
        self._profiles: OrderedDict[str, CustomerProfile] = OrderedDict()

    def draft_many(
        self, requests: Sequence[DraftRequest], *, now: datetime | None = None
    ) -> list[Drafted]:
        now = now or datetime.now(UTC)
        # Analysis runs as one batch, with what is known of each customer before the batch;
        # drafting runs in order, since a customer's second message depends on the first. A
        # message whose customer changed within the batch in a way the analyser reads (their
        # language became known and decides this message's) is analysed again on its own, so a
        # batch answers as one message at a time would; other changes only reach the draft.
        batch = [self._reply_request(r) for r in requests]
        analyses = self.replier.analyse_many(batch, now=now)
        out = []
        for request, planned, analysis in zip(requests, batch, analyses, strict=True):
            reply_request = self._reply_request(request)
            if reply_request != planned and not self.replier.reads_alike(
                planned, reply_request, now=now
            ):
                analysis = self.replier.analyse_many([reply_request], now=now)[0]
            reply = self.replier.draft(reply_request, analysis, now=now)
            if request.customer_id is not None:
                self._remember(request.customer_id, request.text, reply, now=now)
            out.append(Drafted(reply.analysis, reply.result, reply.facts, reply.history))
        return out

    def _reply_request(self, request: DraftRequest) -> ReplyRequest:
        return ReplyRequest(
            text=request.text,
            context=CustomerContext(self._profile(request)),
            channel=request.channel,
            language_hint=request.language_hint,
        )

    def _remember(self, customer_id: str, text: str, reply: Reply, *, now: datetime) -> None:
        profile = reply.profile
        email = reply.analysis.first("EMAIL")
        self._profiles[customer_id] = replace(
            profile,
            greeted=profile.greeted or bool(reply.result.drafts),
            language=reply.changes.language or profile.language,
            past_intents=(reply.analysis.intent.name, *profile.past_intents)[:_PAST_INTENTS],
            earlier_messages=(*profile.earlier_messages, text)[-_HISTORY:],
            contacts=(PastContact(now, reply.analysis.intent.name), *profile.contacts)[
                :_PAST_INTENTS
            ],
            known_email=(email.value or email.text) if email else profile.known_email,
        )
        self._profiles.move_to_end(customer_id)
        while len(self._profiles) > MAX_REMEMBERED_CUSTOMERS:
            self._profiles.popitem(last=False)

    def _profile(self, request: DraftRequest) -> CustomerProfile:
        known = self._profiles.get(request.customer_id) if request.customer_id else None
        if known is None:
            return CustomerProfile(
                customer_id=request.customer_id or "", name=request.customer_name
            )
        if request.customer_name and request.customer_name != known.name:
            return replace(known, name=request.customer_name)
        return known
