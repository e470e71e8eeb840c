"""The anti-blast guard: how many other customers already received (nearly) this text.

Réplique exists to replace the generic blast, so it counts: for a draft about to go out, the
replies queued or sent to *other* customers in the last ``review.blast_window_hours`` that are
near-identical to it. The card says so ("this text went to 37 customers in 24 h"), and above
``review.blast_cap`` a send needs a second confirmation (``bot/review/decisions.py``).

Near-identical is MinHash (``datasketch``) over word 3-shingles of the normalised text: the
share of equal MinHash values estimates the Jaccard similarity of two texts' shingle sets, and
``review.blast_similarity`` (0.8 by default) is the line. Why MinHash rather than SimHash: the
question is "how much of the text is the same", which Jaccard answers directly and which a
threshold on it expresses plainly; SimHash's Hamming distance has no such reading. A reply that
only swaps the first name stays above the line (the same words, to everyone); one built around
this customer's order, product and question falls below it. Why shingles of three words: single
words make every polite reply look alike, and whole sentences make a swapped name look new.

Each outgoing text is hashed once per process and kept for the window; a count costs one query
for the rows that arrived since the last one and one comparison of small arrays.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np
from datasketch import MinHash

from bot.domain import Draft, DraftStatus, Why
from bot.store import Store

__all__ = ["BlastCount", "BlastGuard", "hold_send", "noted", "shingles", "with_blast"]

#: MinHash values per text: the similarity estimate's standard error is about 0.04.
PERMUTATIONS = 128
_SHINGLE = 3
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def shingles(text: str) -> set[str]:
    """The text's word 3-shingles, case and punctuation ignored."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) <= _SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def _signature(text: str) -> np.ndarray:
    sketch = MinHash(num_perm=PERMUTATIONS, seed=1)
    sketch.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return np.asarray(sketch.digest())


@dataclass(frozen=True, slots=True)
class BlastCount:
    """Other customers who received a near-identical text within ``hours``, and whether that is
    above the cap (a send then needs a second confirmation)."""

    customers: int
    hours: float
    over_cap: bool


class BlastGuard:
    """Counts near-identical replies to other customers over a sliding window."""

    def __init__(self, *, store: Store, window_hours: float, cap: int, similarity: float) -> None:
        self._store = store
        self.hours = window_hours
        self._window = timedelta(hours=window_hours)
        self.cap = cap
        self._similarity = similarity
        self._lock = threading.Lock()
        self._last_id = 0
        self._ids: list[int] = []
        self._at: list[datetime] = []
        self._customers: list[int] = []
        self._signatures: list[np.ndarray] = []
        self._matrix: np.ndarray | None = None

    def count(self, text: str, *, customer_pk: int, now: datetime | None = None) -> BlastCount:
        """How many other customers got a text near-identical to ``text`` in the window."""
        now = now or datetime.now(UTC)
        signature = _signature(text)
        with self._lock:
            self._catch_up(now)
            if not self._ids:
                return BlastCount(0, self.hours, over_cap=False)
            if self._matrix is None:
                self._matrix = np.vstack(self._signatures)
            alike = (self._matrix == signature).mean(axis=1) >= self._similarity
            customers = {c for c, same in zip(self._customers, alike, strict=True) if same} - {
                customer_pk
            }
        return BlastCount(len(customers), self.hours, over_cap=self.over_cap(len(customers)))

    def over_cap(self, customers: int) -> bool:
        return self.cap > 0 and customers > self.cap

    def _catch_up(self, now: datetime) -> None:
        start = now - self._window
        keep = [i for i, at in enumerate(self._at) if at >= start]
        if len(keep) != len(self._at):
            self._ids = [self._ids[i] for i in keep]
            self._at = [self._at[i] for i in keep]
            self._customers = [self._customers[i] for i in keep]
            self._signatures = [self._signatures[i] for i in keep]
            self._matrix = None
        for row in self._store.outgoing_since(start, after_id=self._last_id):
            self._last_id = max(self._last_id, row.outbox_id)
            self._ids.append(row.outbox_id)
            self._at.append(row.at)
            self._customers.append(row.customer_pk)
            self._signatures.append(_signature(row.text))
            self._matrix = None


def with_blast(
    drafts: Sequence[Draft], guard: BlastGuard, *, customer_pk: int, now: datetime | None = None
) -> tuple[Draft, ...]:
    """``drafts`` with the blast count of each on its "why" (what the card shows)."""
    counted = []
    for draft in drafts:
        found = guard.count(draft.text, customer_pk=customer_pk, now=now)
        counted.append(replace(draft, why=noted(draft.why, found)))
    return tuple(counted)


def noted(why: Why, found: BlastCount) -> Why:
    """``why`` with the count ``found`` (unchanged when nobody else got this text)."""
    if not found.customers:
        return replace(why, blast=0, blast_hours=0.0, blast_over_cap=False)
    return replace(
        why, blast=found.customers, blast_hours=found.hours, blast_over_cap=found.over_cap
    )


def hold_send(store: Store, guard: BlastGuard, draft_id: int) -> BlastCount | None:
    """The count that holds a send of ``draft_id`` back for a second confirmation (noted on
    the draft's "why", so its card says so and offers the confirmation); None: send it."""
    draft = store.get_draft(draft_id)
    if draft is None or draft.status is not DraftStatus.PENDING:
        return None  # the store's compare-and-set says what happened to it
    found = guard.count(draft.text, customer_pk=draft.customer_pk)
    if not found.over_cap:
        return None
    store.note_blast(draft_id, noted(draft.why, found))
    return found
