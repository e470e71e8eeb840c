"""The desk's memory of what reviewers did, cached for the drafter.

The drafter ranks every message's variants and looks for an earlier reply; asking the store each
time would add queries to every draft. These sources read the store at most once every
``review.ranking_refresh_seconds`` (per language and intent for earlier replies) and hand out
what they read in between: a decision shows in the ranking within that delay.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.config import AppConfig
from bot.domain import TrackRecord
from bot.drafting.earlier import EarlierReply
from bot.drafting.ranking import Ranking
from bot.review.blast import BlastGuard
from bot.store import Store

__all__ = ["CachedEarlierReplies", "CachedTrackRecords", "Learning"]

T = TypeVar("T")


class _Cached:
    """A value read again once it is older than ``every`` seconds."""

    def __init__(self, every: float, clock: Callable[[], float]) -> None:
        self._every = every
        self._clock = clock
        self._lock = threading.Lock()
        self._values: dict[object, tuple[float, object]] = {}

    def get(self, key: object, read: Callable[[], T]) -> T:
        now = self._clock()
        with self._lock:
            held = self._values.get(key)
            if held is not None and now - held[0] < self._every:
                return held[1]  # type: ignore[return-value]
        value = read()
        with self._lock:
            self._values[key] = (now, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._values.clear()


class CachedTrackRecords:
    """``Store.template_records``, read at most once every ``every`` seconds."""

    def __init__(
        self, store: Store, *, every: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._cache = _Cached(every, clock)

    def records(self) -> Mapping[tuple[str, str], TrackRecord]:
        return self._cache.get("records", self._store.template_records)

    def forget(self) -> None:
        """Read the store again next time (after a decision, in tests)."""
        self._cache.forget()


class CachedEarlierReplies:
    """``Store.approved_replies`` per language and intent, read at most once every ``every``
    seconds."""

    def __init__(
        self, store: Store, *, every: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._cache = _Cached(every, clock)

    def earlier_replies(self, language: str, intent: str) -> Sequence[EarlierReply]:
        return self._cache.get(
            (language, intent),
            lambda: self._store.approved_replies(language=language, intent=intent),
        )

    def forget(self) -> None:
        self._cache.forget()


@dataclass(frozen=True, slots=True)
class Learning:
    """What a desk learns from its store: the variants' track records (and the ranking drawn
    from them), earlier approved replies, and the blast guard, as ``config.review`` sets them."""

    records: CachedTrackRecords
    earlier: CachedEarlierReplies | None
    ranking: Ranking
    guard: BlastGuard

    @classmethod
    def of(cls, config: AppConfig, store: Store) -> Learning:
        review = config.review
        records = CachedTrackRecords(store, every=review.ranking_refresh_seconds)
        earlier = (
            CachedEarlierReplies(store, every=review.ranking_refresh_seconds)
            if review.earlier_replies
            else None
        )
        guard = BlastGuard(
            store=store,
            window_hours=review.blast_window_hours,
            cap=review.blast_cap,
            similarity=review.blast_similarity,
        )
        return cls(records, earlier, Ranking(records, seed=review.ranking_seed), guard)

    def forget(self) -> None:
        """Read the store again at the next draft."""
        self.records.forget()
        if self.earlier is not None:
            self.earlier.forget()
