"""The one seam every order system sits behind, and what the providers share.

An ``OrderProvider`` answers two questions, each in plain values: the order with this number
(``None``: no such order) and the orders of this e-mail address (most recent first, maybe none).
Anything else — a network error, a 5xx, a timeout, an answer that is not the documented shape, a
status Réplique does not know — is raised as ``ProviderFailure``: never a crash, never a fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol, cast
from zoneinfo import ZoneInfo

from bot.domain import ORDER_STATUSES, Order, OrderItem, OrderStatus

__all__ = [
    "TIMED_OUT",
    "OrderProvider",
    "ProviderFailure",
    "local_day",
    "order_from_fields",
    "same_email",
    "status_of",
    "text_or_none",
]


#: The reason of a ``ProviderFailure`` when the order system did not answer in time.
TIMED_OUT = "timed out"


class ProviderFailure(Exception):
    """The order system did not give a well-formed answer; ``reason`` is for the logs only
    (never a customer's data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OrderProvider(Protocol):
    """An order system: Shopify, WooCommerce, an in-house JSON endpoint, a CSV file."""

    #: "shopify", "woocommerce", "http", "csv": named in the facts and the "why".
    name: str

    def by_number(self, number: str) -> Order | None:
        """The order with this number; None when the order system has no such order."""
        ...

    def by_email(self, email: str) -> list[Order]:
        """The orders placed with this e-mail address, most recent first."""
        ...

    def probe(self) -> None:
        """Ask the order system something cheap; ProviderFailure when it does not answer."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def status_of(value: object) -> OrderStatus:
    """A status of the contract ("in_transit"); ProviderFailure for anything else."""
    if isinstance(value, str) and value.strip().lower() in ORDER_STATUSES:
        return cast(OrderStatus, value.strip().lower())
    raise ProviderFailure(f"unknown order status {value!r}")


def text_or_none(value: object) -> str | None:
    """A non-blank string as given (numbers too), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def local_day(value: object, zone: ZoneInfo) -> str | None:
    """An ISO date in the brand's time zone from a date ("2026-12-10") or a moment
    ("2026-12-10T03:00:00Z"); None when there is none; ProviderFailure when it is not a date."""
    text = text_or_none(value)
    if text is None:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ProviderFailure(f"not a date: {text[:40]!r}") from None
    if moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.astimezone(zone).date().isoformat()


def same_email(a: str | None, b: str | None) -> bool:
    """Whether two addresses are the same mailbox (case and surrounding blanks aside)."""
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


def order_from_fields(
    data: Mapping[str, Any],
    *,
    status: OrderStatus,
    zone: ZoneInfo,
    customer: Mapping[str, Any] | None = None,
) -> Order:
    """An ``Order`` from a mapping with the contract's field names (the http provider's and the
    CSV file's); ProviderFailure when it has no number."""
    number = text_or_none(data.get("number"))
    if number is None:
        raise ProviderFailure("an order without a number")
    items_raw = data.get("items") or ()
    if not isinstance(items_raw, list | tuple):
        raise ProviderFailure("items is not a list")
    items = []
    for item in items_raw:
        if not isinstance(item, Mapping) or text_or_none(item.get("name")) is None:
            raise ProviderFailure("an item without a name")
        items.append(OrderItem(str(text_or_none(item.get("name"))), _count(item.get("quantity"))))
    customer = customer or {}
    orders_count = customer.get("orders_count")
    return Order(
        number=number.lstrip("#"),
        status=status,
        carrier=text_or_none(data.get("carrier")),
        tracking_number=text_or_none(data.get("tracking_number")),
        tracking_url=text_or_none(data.get("tracking_url")),
        eta=local_day(data.get("eta"), zone),
        items=tuple(items),
        email=text_or_none(customer.get("email")),
        first_name=text_or_none(customer.get("first_name")),
        orders_count=_count(orders_count) if orders_count is not None else None,
    )


def _count(value: object) -> int:
    try:
        count = int(str(value)) if value is not None else 1
    except ValueError:
        raise ProviderFailure(f"not a count: {str(value)[:20]!r}") from None
    if count < 0:
        raise ProviderFailure("a negative count")
    return count
