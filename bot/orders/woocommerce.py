"""The ``woocommerce`` provider: the WooCommerce REST API (``/wp-json/wc/v3``).

``GET /orders/{id}`` and ``GET /orders?search={email}&orderby=date&order=desc`` with the REST API
consumer key and secret (HTTP Basic auth, over HTTPS). WooCommerce's statuses become the
contract's (``processing`` is paid, ``completed`` shipped…); the carrier, tracking number and
link come from the Shipment Tracking extension's ``_wc_shipment_tracking_items`` when the shop
has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx

from bot.domain import Order, OrderItem, OrderStatus
from bot.orders.base import ProviderFailure, local_day, same_email, text_or_none
from bot.orders.web import JsonClient

__all__ = ["WooCommerceProvider", "order_from_woocommerce"]

_STATUSES: dict[str, OrderStatus] = {
    "pending": "placed",
    "on-hold": "placed",
    "failed": "placed",
    "checkout-draft": "placed",
    "processing": "paid",
    "completed": "shipped",
    "cancelled": "cancelled",
    "refunded": "refunded",
}
_TRACKING_KEY = "_wc_shipment_tracking_items"


def order_from_woocommerce(data: Any, zone: ZoneInfo) -> Order:
    """One order of the REST API; ProviderFailure for another shape or an unknown status."""
    if not isinstance(data, Mapping) or text_or_none(data.get("number") or data.get("id")) is None:
        raise ProviderFailure("an order without a number")
    status = _STATUSES.get(str(data.get("status")))
    if status is None:
        raise ProviderFailure(f"unknown WooCommerce status {data.get('status')!r}")
    billing = data.get("billing") or {}
    if not isinstance(billing, Mapping):
        raise ProviderFailure("billing is not an object")
    tracking = _tracking(data.get("meta_data"))
    items = tuple(
        OrderItem(str(line["name"]), int(line.get("quantity") or 1))
        for line in data.get("line_items") or ()
        if isinstance(line, Mapping) and text_or_none(line.get("name"))
    )
    return Order(
        number=str(text_or_none(data.get("number") or data.get("id"))),
        status=status,
        carrier=text_or_none(
            tracking.get("custom_tracking_provider") or tracking.get("tracking_provider")
        ),
        tracking_number=text_or_none(tracking.get("tracking_number")),
        tracking_url=text_or_none(tracking.get("custom_tracking_link")),
        eta=local_day(tracking.get("estimated_delivery"), zone),
        items=items,
        email=text_or_none(billing.get("email")),
        first_name=text_or_none(billing.get("first_name")),
    )


def _tracking(meta: Any) -> Mapping[str, Any]:
    """The latest shipment the Shipment Tracking extension recorded, if any."""
    for entry in meta or ():
        if isinstance(entry, Mapping) and entry.get("key") == _TRACKING_KEY:
            value = entry.get("value")
            if isinstance(value, list) and value and isinstance(value[-1], Mapping):
                return value[-1]
    return {}


class WooCommerceProvider:
    """Orders from a WooCommerce shop through its REST API."""

    name = "woocommerce"

    def __init__(
        self,
        *,
        url: str,
        key: str,
        secret: str,
        zone: ZoneInfo,
        timeout: float,
        api_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._base = (api_url or f"{url.rstrip('/')}/wp-json/wc/v3").rstrip("/")
        self._zone = zone
        self._client = JsonClient(
            headers={}, timeout=timeout, auth=(key, secret), transport=transport
        )

    def by_number(self, number: str) -> Order | None:
        wanted = number.lstrip("#")
        if not wanted.isdigit():
            # Order ids are numbers: anything else cannot be one, and must not reach the path.
            return None
        data = self._client.get(f"{self._base}/orders/{quote(wanted)}")
        return None if data is None else order_from_woocommerce(data, self._zone)

    def by_email(self, email: str) -> list[Order]:
        data = self._client.get(
            f"{self._base}/orders",
            params={"search": email, "orderby": "date", "order": "desc", "per_page": "5"},
        )
        if data is None:
            return []
        if not isinstance(data, list):
            raise ProviderFailure("the orders list is not a JSON list")
        orders = [order_from_woocommerce(item, self._zone) for item in data]
        # "search" also matches names and addresses: keep the orders of this mailbox only.
        return [o for o in orders if same_email(o.email, email)]

    def probe(self) -> None:
        data = self._client.get(f"{self._base}/orders", params={"per_page": "1"})
        if not isinstance(data, list):
            raise ProviderFailure("the orders list is not a JSON list")

    def close(self) -> None:
        self._client.close()
