"""Ranking that learns: the variants reviewers send as they are come first.

Each (intent, template) pair has a track record: how many of its drafts were sent as they were,
edited before sending, or discarded. The variants of an intent are ordered by Thompson sampling
over a Beta-Bernoulli model of "sent as is": each variant draws a plausible acceptance rate from
Beta(1 + sent, 1 + edited + discarded) and the highest draw ranks first. A variant that reviewers
keep sending as it is wins almost every time; a new variant (Beta(1, 1)) still wins now and then,
so its track record can grow, and a variant reviewers always edit sinks.

Until at least one variant of the intent has been decided on, nothing is known: the templates'
own order (non-promotional first, most personal, priority) is kept, so a fresh install drafts
exactly as before. The draws come from a seeded generator (``review.ranking_seed``): the same
history and seed give the same order, which the tests rely on.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain import TrackRecord
from bot.drafting.templates import TemplateVariant

__all__ = ["NOTHING", "Ranked", "Ranking", "TrackRecords"]

NOTHING = TrackRecord()
#: Below this many decisions a variant is still being tried: the card says so when it ranks first.
SETTLED = 5


class TrackRecords(Protocol):
    """Where the ranking reads the track records: ``(intent, template name)`` → record."""

    def records(self) -> Mapping[tuple[str, str], TrackRecord]: ...


@dataclass(frozen=True, slots=True)
class Ranked:
    """A variant in its learned place, with the record that put it there."""

    variant: TemplateVariant
    record: TrackRecord
    #: Ranked first while it has fewer than ``SETTLED`` decisions: being tried.
    trial: bool = False


class Ranking:
    """Orders an intent's variants by what reviewers did with them (Thompson sampling)."""

    def __init__(self, source: TrackRecords, *, seed: int = 0) -> None:
        self._source = source
        self._random = random.Random(seed)

    def order(self, intent: str, variants: Sequence[TemplateVariant]) -> list[Ranked]:
        """``variants`` (in the templates' order) ranked for ``intent``."""
        known = self._source.records()
        records = [known.get((intent, v.name), NOTHING) for v in variants]
        if not any(r.decided for r in records):
            return [Ranked(v, r) for v, r in zip(variants, records, strict=True)]
        draws = [self._random.betavariate(1 + r.sent, 1 + r.edited + r.discarded) for r in records]
        # Promotional variants stay last whatever their record: the offer policy's order.
        order = sorted(range(len(variants)), key=lambda i: (variants[i].promotional, -draws[i], i))
        ranked = [Ranked(variants[i], records[i]) for i in order]
        if ranked and ranked[0].record.decided < SETTLED:
            ranked[0] = Ranked(ranked[0].variant, ranked[0].record, trial=True)
        return ranked
