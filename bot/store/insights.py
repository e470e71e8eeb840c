"""Insights: read-only aggregate queries behind the ``/insights`` page.

(Queries are being written.)
"""

from __future__ import annotations

from bot.store.base import StoreBase

__all__ = ["InsightsStore"]


class InsightsStore(StoreBase):
    """What the team's work looks like over time, read from the same tables as everything else."""
