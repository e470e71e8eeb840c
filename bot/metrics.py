"""Prometheus metrics of the service, served on ``/metrics``.

One registry for the process (``REGISTRY``), so that tests which build several services in one
process do not collide on prometheus_client's global default registry.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = [
    "ACTIONS",
    "CARDS_POSTED",
    "CARD_FAILURES",
    "CARD_LATENCY",
    "DUPLICATE_EVENTS",
    "MESSAGES_RECEIVED",
    "OUTBOX_DELIVERED",
    "OUTBOX_FAILED",
    "OUTBOX_RETRIES",
    "OUTBOX_WAITING",
    "REGISTRY",
    "WORK_FAILED",
    "WORK_WAITING",
]

REGISTRY = CollectorRegistry(auto_describe=True)

MESSAGES_RECEIVED = Counter(
    "replique_messages_received",
    "Customer messages received, by platform.",
    ["platform"],
    registry=REGISTRY,
)
DUPLICATE_EVENTS = Counter(
    "replique_duplicate_events",
    "Platform events received again and ignored (retries, redeliveries).",
    ["platform"],
    registry=REGISTRY,
)
CARDS_POSTED = Counter(
    "replique_cards_posted", "Review cards posted, by desk.", ["desk"], registry=REGISTRY
)
CARD_FAILURES = Counter(
    "replique_card_failures",
    "Review cards a desk did not take (posted or updated later).",
    ["desk"],
    registry=REGISTRY,
)
CARD_LATENCY = Histogram(
    "replique_card_latency_seconds",
    "From a customer message reaching Réplique to its first review card being posted.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
ACTIONS = Counter(
    "replique_review_actions",
    "Reviewer actions, by action and outcome (applied, refused, not_reviewer).",
    ["action", "outcome"],
    registry=REGISTRY,
)
OUTBOX_DELIVERED = Counter(
    "replique_outbox_delivered", "Approved replies delivered.", ["platform"], registry=REGISTRY
)
OUTBOX_RETRIES = Counter(
    "replique_outbox_retries",
    "Delivery attempts that will be retried, by platform and reason.",
    ["platform", "reason"],
    registry=REGISTRY,
)
OUTBOX_FAILED = Counter(
    "replique_outbox_failed",
    "Approved replies given up on (the platform refused them for good).",
    ["platform"],
    registry=REGISTRY,
)
OUTBOX_WAITING = Gauge(
    "replique_outbox_waiting",
    "Approved replies waiting to be delivered, at the last scrape.",
    registry=REGISTRY,
)

WORK_WAITING = Gauge(
    "replique_work_waiting",
    "Stored customer messages and reviewer actions not done yet, by lane.",
    ["lane"],
    registry=REGISTRY,
)
WORK_FAILED = Counter(
    "replique_work_failed",
    "Queued work set aside after too many attempts (see the work_items table), by lane.",
    ["lane"],
    registry=REGISTRY,
)
