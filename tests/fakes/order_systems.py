"""Local order systems on 127.0.0.1, port 0: Shopify's GraphQL Admin API, WooCommerce's REST API
and Réplique's ``http`` contract, answering from one list of orders in the contract's shape.

The Shopify and WooCommerce answers follow their documented shapes (an ``orders`` connection of
``Order`` nodes with ``fulfillments``, ``trackingInfo`` and ``estimatedDeliveryAt``; a REST order
with ``billing``, ``line_items`` and the Shipment Tracking extension's ``meta_data``), so the
providers run unmodified against them. ``mode`` makes the system misbehave: ``slow`` (waits
``delay`` seconds), ``500``, ``garbage`` (an HTML page with status 200), ``bad_status`` (an
order whose status nobody knows). ``requests`` records what arrived (method, path, headers,
body).
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["SAMPLE_ORDERS", "FakeOrderSystem", "Seen"]

SHOPIFY_TOKEN = "shpat_test"
WOO_KEY, WOO_SECRET = "ck_test", "cs_test"
ORDERS_TOKEN = "orders-test-token"

SAMPLE_ORDERS: list[dict[str, Any]] = [
    {
        "number": "48213",
        "status": "in_transit",
        "carrier": "Postes Canada",
        "tracking_number": "7023210039414604",
        "tracking_url": "https://track.example/7023210039414604",
        "eta": "2026-12-10T03:00:00Z",
        "items": [{"name": "Moulin Manuel Taïga", "quantity": 1}],
        "customer": {"email": "sophie@example.com", "first_name": "Sophie", "orders_count": 7},
    },
    {
        "number": "48190",
        "status": "delivered",
        "carrier": None,
        "tracking_number": None,
        "tracking_url": None,
        "eta": None,
        "items": [{"name": "Tasses Aurore", "quantity": 4}],
        "customer": {"email": "sophie@example.com", "first_name": "Sophie", "orders_count": 7},
    },
]

_SHOPIFY_STATUS = {
    "in_transit": ("PAID", "FULFILLED", "IN_TRANSIT"),
    "delivered": ("PAID", "FULFILLED", "DELIVERED"),
    "paid": ("PAID", "UNFULFILLED", None),
}
_WOO_STATUS = {"in_transit": "completed", "delivered": "completed", "paid": "processing"}


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class FakeOrderSystem:
    """One local server speaking the three dialects (by path)."""

    orders: list[dict[str, Any]] = field(default_factory=lambda: [dict(o) for o in SAMPLE_ORDERS])
    mode: str = "ok"
    delay: float = 5.0
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._release = threading.Event()
        system = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                system._handle(self, "GET")

            def do_POST(self) -> None:
                system._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def close(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    # --- dispatch -----------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        self.requests.append(Seen(method, handler.path, dict(handler.headers.items()), body))
        if self.mode == "slow":
            self._release.wait(self.delay)
        if self.mode == "500":
            return _send(handler, 500, {"errors": "Internal Server Error"})
        if self.mode == "garbage":
            return _send(handler, 200, "<html><body>Maintenance</body></html>", raw=True)
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/admin/api/"):
            return self._shopify(handler, json.loads(body or "{}"))
        if parts.path.startswith("/wp-json/wc/v3/orders"):
            return self._woocommerce(handler, parts.path, query)
        if parts.path.startswith("/orders"):
            return self._contract(handler, parts.path, query)
        return _send(handler, 404, {"error": "no such route"})

    def _orders(self) -> list[dict[str, Any]]:
        if self.mode == "bad_status":
            return [{**o, "status": "teleported"} for o in self.orders]
        return self.orders

    def _find(self, number: str) -> dict[str, Any] | None:
        return next((o for o in self._orders() if o["number"] == number), None)

    def _of_email(self, email: str) -> list[dict[str, Any]]:
        # Most recent first: the list holds the most recent first.
        return [o for o in self._orders() if o["customer"]["email"].lower() == email.lower()]

    # --- the http contract --------------------------------------------------------------------

    def _contract(self, handler: BaseHTTPRequestHandler, path: str, query: dict[str, str]) -> None:
        if handler.headers.get("Authorization") != f"Bearer {ORDERS_TOKEN}":
            return _send(handler, 401, {"error": "unauthorized"})
        if path == "/orders" and "email" in query:
            return _send(handler, 200, self._of_email(query["email"]))
        order = self._find(unquote(path.removeprefix("/orders/")))
        if order is None:
            return _send(handler, 404, {"error": "no such order"})
        return _send(handler, 200, order)

    # --- Shopify GraphQL Admin API ------------------------------------------------------------

    def _shopify(self, handler: BaseHTTPRequestHandler, payload: dict[str, Any]) -> None:
        if handler.headers.get("X-Shopify-Access-Token") != SHOPIFY_TOKEN:
            return _send(handler, 401, {"errors": "[API] Invalid API key or access token"})
        query = payload.get("query") or ""
        if "shop" in query and "orders" not in query:
            return _send(handler, 200, {"data": {"shop": {"name": "Café Boréal"}}})
        search = (payload.get("variables") or {}).get("query") or ""
        match = re.fullmatch(r'(name|email):"(.*)"', search)
        if match is None:
            return _send(handler, 200, {"errors": [{"message": "bad search"}]})
        field_name, value = match.groups()
        if field_name == "name":
            found = self._find(value.lstrip("#"))
            orders = [found] if found else []
        else:
            orders = self._of_email(value)
        nodes = [_shopify_node(o) for o in orders]
        return _send(handler, 200, {"data": {"orders": {"nodes": nodes}}})

    # --- WooCommerce REST API -----------------------------------------------------------------

    def _woocommerce(
        self, handler: BaseHTTPRequestHandler, path: str, query: dict[str, str]
    ) -> None:
        expected = base64.b64encode(f"{WOO_KEY}:{WOO_SECRET}".encode()).decode()
        if handler.headers.get("Authorization") != f"Basic {expected}":
            return _send(
                handler, 401, {"code": "woocommerce_rest_cannot_view", "data": {"status": 401}}
            )
        if path == "/wp-json/wc/v3/orders":
            email = query.get("search", "")
            orders = self._of_email(email) if email else self._orders()[:1]
            return _send(handler, 200, [_woo_order(o) for o in orders])
        found = self._find(path.rsplit("/", 1)[-1])
        if found is None:
            return _send(
                handler,
                404,
                {"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID.",
                 "data": {"status": 404}},
            )  # fmt: skip
        return _send(handler, 200, _woo_order(found))


def _shopify_node(order: dict[str, Any]) -> dict[str, Any]:
    financial, fulfillment, shown = _SHOPIFY_STATUS.get(order["status"], ("PAID", None, "WEIRD"))
    fulfillments = []
    if shown is not None:
        fulfillments.append(
            {
                "createdAt": "2026-12-05T14:00:00Z",
                "displayStatus": shown,
                "estimatedDeliveryAt": order["eta"],
                "trackingInfo": [
                    {
                        "company": order["carrier"],
                        "number": order["tracking_number"],
                        "url": order["tracking_url"],
                    }
                ]
                if order["tracking_number"]
                else [],
            }
        )
    return {
        "name": f"#{order['number']}",
        "email": order["customer"]["email"],
        "cancelledAt": None,
        "displayFinancialStatus": financial,
        "displayFulfillmentStatus": fulfillment,
        "customer": {
            "firstName": order["customer"]["first_name"],
            "numberOfOrders": str(order["customer"]["orders_count"]),
        },
        "lineItems": {
            "nodes": [{"name": i["name"], "quantity": i["quantity"]} for i in order["items"]]
        },
        "fulfillments": fulfillments,
    }


def _woo_order(order: dict[str, Any]) -> dict[str, Any]:
    meta = []
    if order["tracking_number"]:
        meta.append(
            {
                "id": 901,
                "key": "_wc_shipment_tracking_items",
                "value": [
                    {
                        "tracking_provider": "",
                        "custom_tracking_provider": order["carrier"],
                        "custom_tracking_link": order["tracking_url"],
                        "tracking_number": order["tracking_number"],
                        "date_shipped": "1733400000",
                    }
                ],
            }
        )
    return {
        "id": int(order["number"]),
        "number": order["number"],
        "status": _WOO_STATUS.get(order["status"], order["status"]),
        "billing": {
            "first_name": order["customer"]["first_name"],
            "email": order["customer"]["email"],
        },
        "line_items": [{"name": i["name"], "quantity": i["quantity"]} for i in order["items"]],
        "meta_data": meta,
    }


def _send(handler: BaseHTTPRequestHandler, status: int, payload: Any, *, raw: bool = False) -> None:
    body = (payload if raw else json.dumps(payload)).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html" if raw else "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up waiting (the slow mode): nothing to answer
