"""The ``shopify`` provider: the GraphQL Admin API, with a custom app's access token.

``POST https://{shop}/admin/api/{version}/graphql.json`` with ``X-Shopify-Access-Token``; orders
are searched with the ``orders`` connection's query syntax (``name:#48213``, ``email:…``), most
recently processed first. Shopify has no single order status: Réplique reads one from the order
(cancelled, refunded, paid…) and its latest fulfillment's display status (in transit, out for
delivery, delivered…), with the fulfillment's carrier, tracking number and link and estimated
delivery.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.domain import Order, OrderItem, OrderStatus
from bot.orders.base import ProviderFailure, local_day, text_or_none
from bot.orders.web import JsonClient

__all__ = ["ORDERS_QUERY", "ShopifyProvider", "order_from_shopify"]

ORDERS_QUERY = """
query Orders($query: String!, $first: Int!) {
  orders(first: $first, query: $query, sortKey: PROCESSED_AT, reverse: true) {
    nodes {
      name
      email
      cancelledAt
      displayFinancialStatus
      displayFulfillmentStatus
      customer { firstName numberOfOrders }
      lineItems(first: 20) { nodes { name quantity } }
      fulfillments(first: 5) {
        createdAt
        displayStatus
        estimatedDeliveryAt
        trackingInfo(first: 1) { company number url }
      }
    }
  }
}
"""
_PROBE_QUERY = "query { shop { name } }"

#: Fulfillment display statuses, as the customer would say them.
_FULFILLMENT: dict[str, OrderStatus] = {
    "IN_TRANSIT": "in_transit",
    "OUT_FOR_DELIVERY": "out_for_delivery",
    "DELIVERED": "delivered",
    "PICKED_UP": "delivered",
    "ATTEMPTED_DELIVERY": "delayed",
    "FAILURE": "delayed",
    "NOT_DELIVERED": "delayed",
    "CONFIRMED": "shipped",
    "FULFILLED": "shipped",
    "MARKED_AS_FULFILLED": "shipped",
    "LABEL_PRINTED": "shipped",
    "LABEL_PURCHASED": "shipped",
    "SUBMITTED": "shipped",
    "READY_FOR_PICKUP": "shipped",
}
_PAID = {"PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "AUTHORIZED"}


def _status(node: Mapping[str, Any], fulfillment: Mapping[str, Any] | None) -> OrderStatus:
    if node.get("cancelledAt"):
        return "cancelled"
    financial = node.get("displayFinancialStatus")
    if financial == "REFUNDED":
        return "refunded"
    if fulfillment is not None and fulfillment.get("displayStatus") is not None:
        shown = _FULFILLMENT.get(str(fulfillment["displayStatus"]))
        if shown is None:
            # A status Shopify added since: saying "paid" of a parcel on its way would be wrong.
            raise ProviderFailure(f"unknown fulfillment status {fulfillment['displayStatus']!r}")
        return shown
    if node.get("displayFulfillmentStatus") == "FULFILLED":
        return "shipped"
    if financial in _PAID:
        return "paid"
    if financial in (None, "PENDING", "EXPIRED", "VOIDED"):
        return "placed"
    raise ProviderFailure(f"unknown financial status {financial!r}")


def order_from_shopify(node: Any, zone: ZoneInfo) -> Order:
    """One ``Order`` node of the GraphQL answer; ProviderFailure for another shape."""
    if not isinstance(node, Mapping) or text_or_none(node.get("name")) is None:
        raise ProviderFailure("an order node without a name")
    fulfillments = [f for f in node.get("fulfillments") or () if isinstance(f, Mapping)]
    # The most recent shipment says where the parcel is.
    latest = max(fulfillments, key=lambda f: str(f.get("createdAt") or ""), default=None)
    tracking: Mapping[str, Any] = {}
    if latest is not None:
        infos = [i for i in latest.get("trackingInfo") or () if isinstance(i, Mapping)]
        tracking = infos[0] if infos else {}
    items = []
    for line in (node.get("lineItems") or {}).get("nodes") or ():
        if isinstance(line, Mapping) and text_or_none(line.get("name")):
            items.append(OrderItem(str(line["name"]), int(line.get("quantity") or 1)))
    customer = node.get("customer") or {}
    count = customer.get("numberOfOrders") if isinstance(customer, Mapping) else None
    return Order(
        number=str(node["name"]).lstrip("#"),
        status=_status(node, latest),
        carrier=text_or_none(tracking.get("company")),
        tracking_number=text_or_none(tracking.get("number")),
        tracking_url=text_or_none(tracking.get("url")),
        eta=local_day(latest.get("estimatedDeliveryAt"), zone) if latest else None,
        items=tuple(items),
        email=text_or_none(node.get("email")),
        first_name=text_or_none(customer.get("firstName")) if customer else None,
        # UnsignedInt64 travels as a string.
        orders_count=int(str(count)) if str(count).isdigit() else None,
    )


class ShopifyProvider:
    """Orders from a Shopify store through the GraphQL Admin API."""

    name = "shopify"

    def __init__(
        self,
        *,
        shop: str,
        token: str,
        zone: ZoneInfo,
        timeout: float,
        api_version: str = "2025-01",
        api_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        shop = shop.removeprefix("https://").rstrip("/")
        self._url = api_url or f"https://{shop}/admin/api/{api_version}/graphql.json"
        self._zone = zone
        self._client = JsonClient(
            headers={"X-Shopify-Access-Token": token}, timeout=timeout, transport=transport
        )

    def _query(self, query: str, variables: dict[str, Any]) -> Mapping[str, Any]:
        answer = self._client.post(self._url, {"query": query, "variables": variables})
        if not isinstance(answer, Mapping):
            raise ProviderFailure("the GraphQL answer is not a JSON object")
        if answer.get("errors"):
            # Throttling, a missing access scope, a query the API version does not know.
            raise ProviderFailure("the GraphQL answer has errors")
        data = answer.get("data")
        if not isinstance(data, Mapping):
            raise ProviderFailure("the GraphQL answer has no data")
        return data

    def _orders(self, search: str, first: int) -> list[Order]:
        data = self._query(ORDERS_QUERY, {"query": search, "first": first})
        orders = data.get("orders")
        if not isinstance(orders, Mapping) or not isinstance(orders.get("nodes"), list):
            raise ProviderFailure("the GraphQL answer has no orders")
        return [order_from_shopify(node, self._zone) for node in orders["nodes"]]

    def by_number(self, number: str) -> Order | None:
        wanted = number.lstrip("#")
        found = self._orders(f"name:{_quoted('#' + wanted)}", 1)
        return next((o for o in found if o.number == wanted), None)

    def by_email(self, email: str) -> list[Order]:
        return self._orders(f"email:{_quoted(email)}", 5)

    def probe(self) -> None:
        self._query(_PROBE_QUERY, {})

    def close(self) -> None:
        self._client.close()


def _quoted(value: str) -> str:
    """A value of Shopify's search syntax, quoted so that a customer's text stays one term."""
    return '"' + value.replace("\\", "").replace('"', "") + '"'
