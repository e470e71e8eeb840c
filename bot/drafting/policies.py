"""Policies that decide whether a draft may carry an offer.

Réplique exists to make the personal answer the fast path and the generic blast hard, so an offer
is the exception: never to an unhappy, complaining or opted-out customer, never in reply to a
message that is not an opening for one, and at most once per customer per cooldown period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import OfferConfig, PolicyConfig
from bot.domain import Analysis, CustomerProfile
from bot.i18n import t

__all__ = ["NO_OFFER_INTENTS", "OfferDecision", "decide_offer"]

#: Intents where an offer would read as tone-deaf, whatever the sentiment.
NO_OFFER_INTENTS = frozenset(
    {
        "complaint",
        "return_refund",
        "cancellation",
        "opt_out",
        "human_agent",
        "technical_support",
        "account_billing",
        "other",
    }
)


@dataclass(frozen=True, slots=True)
class OfferDecision:
    allowed: bool
    #: Why not, in a few words in the reviewer's language ("customer unhappy"); None when allowed.
    reason: str | None = None
    #: Which policy said no, as a stable key ("offer.unhappy"), stored with the drafts so the
    #: insights page can count offers held back whatever the reviewers' language.
    policy: str | None = None


def decide_offer(
    analysis: Analysis,
    profile: CustomerProfile,
    *,
    offers: OfferConfig,
    policies: PolicyConfig,
    now: datetime,
) -> OfferDecision:
    if not offers.enabled:
        return _refuse("offer.disabled")
    if profile.opted_out or analysis.intent.name == "opt_out":
        return _refuse("offer.opted_out")
    if analysis.sentiment == "negative":
        return _refuse("offer.unhappy")
    if analysis.intent.name in NO_OFFER_INTENTS:
        return _refuse("offer.not_on_intent", intent=analysis.intent.name)
    if "complaint" in profile.past_intents[:3]:
        return _refuse("offer.recent_complaint")
    if profile.last_offer_at is not None:
        next_allowed = profile.last_offer_at + timedelta(days=policies.offer_cooldown_days)
        if now < next_allowed:
            sent = f"{profile.last_offer_at:%Y-%m-%d}"
            return _refuse("offer.already_sent", date=sent)
    return OfferDecision(True)


def _refuse(policy: str, **values: object) -> OfferDecision:
    """An offer held back by ``policy`` (a message key that words the reason)."""
    return OfferDecision(False, t(policy, **values), policy)
