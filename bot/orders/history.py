"""The customer's history in one line of the card: how often they wrote this week, what their
last message was about and when, how many orders they placed, a recent complaint, a VIP tier.

From the store (``CustomerProfile.contacts``: earlier messages with their intents) and the order
system (the order's ``orders_count``); the tiers come from ``orders.vip_tiers``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.domain import CustomerProfile, Facts, History

__all__ = ["customer_history", "vip_tier"]

_WEEK = timedelta(days=7)


def vip_tier(orders_count: int | None, tiers: Mapping[str, int]) -> str | None:
    """The highest tier whose minimum orders count is reached ({"VIP": 10}), or None."""
    if orders_count is None:
        return None
    reached = [(minimum, name) for name, minimum in tiers.items() if orders_count >= minimum]
    return max(reached)[1] if reached else None


def customer_history(
    profile: CustomerProfile,
    facts: Facts | None,
    *,
    now: datetime,
    complaint_days: int = 14,
    vip_tiers: Mapping[str, int] | None = None,
) -> History:
    """The history line's values for a customer writing at ``now``."""
    contacts = profile.contacts
    this_week = sum(1 for c in contacts if now - c.at <= _WEEK)
    last = contacts[0] if contacts else None
    complaint = next(
        (
            c
            for c in contacts
            if c.intent == "complaint" and now - c.at <= timedelta(days=complaint_days)
        ),
        None,
    )
    orders_count = facts.order.orders_count if facts and facts.order else None
    return History(
        messages_this_week=this_week + 1,
        first_contact=not contacts,
        last_intent=last.intent if last else None,
        last_days_ago=max(0, (now - last.at).days) if last else None,
        orders_count=orders_count,
        open_complaint_days=max(0, (now - complaint.at).days) if complaint else None,
        vip=vip_tier(orders_count, vip_tiers or {}),
    )
