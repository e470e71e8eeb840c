"""Order facts for drafts: the brand's order system behind one seam, and the lookup.

    OrderProvider        base.py: by_number, by_email, probe, close — plain values only
    ├── ShopifyProvider      shopify.py: the GraphQL Admin API (SHOPIFY_ACCESS_TOKEN)
    ├── WooCommerceProvider  woocommerce.py: the REST API (consumer key and secret)
    ├── HttpProvider         http_contract.py: Réplique's JSON contract (REPLIQUE_ORDERS_TOKEN)
    ├── CsvProvider          csv_file.py: a file of orders
    └── StaticProvider       fakes.py: orders in memory, for tests and benchmarks

    ProviderFailure      anything that is not a well-formed answer: never a crash, never a fact

``OrderLookup`` (lookup.py) finds a message's order within one time budget, cached, behind a
circuit breaker, and always returns a ``Facts`` value; ``customer_history`` (history.py) makes the
card's history line. This package belongs to the review core: it imports no channel, web page or
command line module.
"""

from __future__ import annotations

from bot.orders.base import OrderProvider, ProviderFailure
from bot.orders.factory import make_lookup, make_provider
from bot.orders.history import customer_history, vip_tier
from bot.orders.lookup import ORDER_INTENTS, Breaker, OrderLookup, References, references

__all__ = [
    "ORDER_INTENTS",
    "Breaker",
    "OrderLookup",
    "OrderProvider",
    "ProviderFailure",
    "References",
    "customer_history",
    "make_lookup",
    "make_provider",
    "references",
    "vip_tier",
]
