"""Policies that decide whether a draft may carry an offer.

Réplique exists to make the personal answer the fast path and the generic blast hard, so an offer
is the exception: never to an unhappy, complaining or opted-out customer, never in reply to a
message that is not an opening for one, and at most once per customer per cooldown period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import OfferConfig, PolicyConfig
from bot.domain import Analysis, CustomerProfile, HeldOffer

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
    #: Which policy said no and what it looked at; None when allowed.
    held: HeldOffer | None = None

    @property
    def policy(self) -> str | None:
        """The stable key of the policy that said no ("offer.unhappy"), stored with the drafts
        so the insights page can count offers held back whatever the reviewers' language."""
        return self.held.policy if self.held is not None else None


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
            return _refuse("offer.already_sent", last_offer_on=f"{profile.last_offer_at:%Y-%m-%d}")
    return OfferDecision(True)


def _refuse(
    policy: str, *, intent: str | None = None, last_offer_on: str | None = None
) -> OfferDecision:
    """An offer held back by ``policy`` (also the message key that words the reason)."""
    return OfferDecision(False, HeldOffer(policy, intent=intent, last_offer_on=last_offer_on))
