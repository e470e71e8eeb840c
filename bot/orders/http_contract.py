"""The ``http`` provider: any in-house order system that speaks Réplique's small JSON contract.

``GET url`` (``{order_number}`` filled in) with ``Authorization: Bearer $REPLIQUE_ORDERS_TOKEN``
and ``Accept: application/json``; a 200 answer is one order, a 404 no such order; ``GET
email_url`` (``{email}`` filled in) answers a list of orders, most recent first::

    {"number": "48213", "status": "in_transit", "carrier": "Postes Canada",
     "tracking_number": "7023210039414604", "tracking_url": "https://…", "eta": "2026-12-10",
     "items": [{"name": "Moulin Manuel Taïga", "quantity": 1}],
     "customer": {"email": "sophie@example.com", "first_name": "Sophie", "orders_count": 7}}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx

from bot.domain import Order
from bot.orders.base import ProviderFailure, order_from_fields, status_of
from bot.orders.web import JsonClient

__all__ = ["HttpProvider", "order_from_contract"]


def order_from_contract(data: Any, zone: ZoneInfo) -> Order:
    """One order of the contract; ProviderFailure for anything that is not one."""
    if not isinstance(data, Mapping):
        raise ProviderFailure("an order is not a JSON object")
    customer = data.get("customer") or {}
    if not isinstance(customer, Mapping):
        raise ProviderFailure("customer is not a JSON object")
    return order_from_fields(data, status=status_of(data.get("status")), zone=zone,
                             customer=customer)  # fmt: skip


class HttpProvider:
    """Orders from an in-house JSON endpoint (the contract above)."""

    name = "http"

    def __init__(
        self,
        *,
        url: str,
        email_url: str | None,
        token: str | None,
        zone: ZoneInfo,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = url
        self._email_url = email_url
        self._zone = zone
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = JsonClient(headers=headers, timeout=timeout, transport=transport)

    def by_number(self, number: str) -> Order | None:
        data = self._client.get(self._url.replace("{order_number}", quote(number, safe="")))
        return None if data is None else order_from_contract(data, self._zone)

    def by_email(self, email: str) -> list[Order]:
        if not self._email_url:
            return []
        data = self._client.get(self._email_url.replace("{email}", quote(email, safe="@")))
        if data is None:
            return []
        if not isinstance(data, list):
            raise ProviderFailure("the orders of an e-mail are not a JSON list")
        return [order_from_contract(item, self._zone) for item in data]

    def probe(self) -> None:
        # Any well-formed answer about an order that does not exist proves the system answers.
        self.by_number("0")

    def close(self) -> None:
        self._client.close()
