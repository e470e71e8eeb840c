"""Replies that worked before: the closest earlier approved reply, made about this customer.

For a message of some intent and language, the replies reviewers approved (sent or edited) for
earlier messages of the same intent and language are candidates; the one whose customer message
is closest to this one (cosine similarity of their words) is offered as one more version. Before
it is, the other customer's details are taken out: their first name, order and tracking numbers,
e-mail, phone and amounts are replaced by this customer's, and a reply that would still carry one
of them (this customer has no order number to put in its place, or a number or address the
analyser never saw) is not offered at all: another customer's details never reach a draft.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain import Analysis

__all__ = [
    "DETAILS",
    "EarlierReplies",
    "EarlierReply",
    "adapt",
    "closest",
    "personal_facts",
    "similarity",
]

#: Context details that belong to one customer, replaced when a reply is reused.
DETAILS = ("order_number", "tracking_number", "email", "phone", "money")
#: Least word similarity between two customer messages for the earlier reply to be offered.
MIN_SIMILARITY = 0.35
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# What still looks like someone's details once the known ones are replaced.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"(?<![\w])[#A-Z-]*\d[\d\s.-]{3,}\d(?![\w])")


@dataclass(frozen=True, slots=True)
class EarlierReply:
    """A reply a reviewer approved, with what is needed to make it about someone else."""

    draft_id: int
    #: The text that went out (the edited one for an edit).
    text: str
    #: The customer message it answered, and what the analyser understood of it.
    message: str
    analysis: Analysis
    customer_name: str | None
    decided_at: datetime


class EarlierReplies(Protocol):
    """Where the drafter finds earlier approved replies (newest first)."""

    def earlier_replies(self, language: str, intent: str) -> Sequence[EarlierReply]: ...


def _words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in _WORD.findall(text))


def similarity(a: str, b: str) -> float:
    """Cosine similarity of the two texts' word counts (0 to 1)."""
    left, right = _words(a), _words(b)
    if not left or not right:
        return 0.0
    dot = sum(n * right[w] for w, n in left.items())
    return dot / math.sqrt(sum(n * n for n in left.values()) * sum(n * n for n in right.values()))


def closest(message: str, candidates: Sequence[EarlierReply]) -> list[EarlierReply]:
    """The candidates close enough to ``message``, closest first."""
    scored = [(similarity(message, c.message), i, c) for i, c in enumerate(candidates)]
    return [
        c for score, _, c in sorted(scored, key=lambda s: (-s[0], s[1])) if score >= MIN_SIMILARITY
    ]


def _forms(context: Mapping[str, Any], name: str) -> list[str]:
    value = context.get(name)
    if not value:
        return []
    return [str(value)]


def _replace_word(text: str, old: str, new: str) -> str:
    pattern = re.compile(rf"(?<![\w]){re.escape(old)}(?![\w])")
    if new:
        return pattern.sub(new, text)
    # No name to put instead: "Hi Julie," becomes "Hi,".
    return re.sub(rf"\s*(?<![\w]){re.escape(old)}(?![\w])", "", text)


def adapt(reply: EarlierReply, *, theirs: Mapping[str, Any], ours: Mapping[str, Any]) -> str | None:
    """``reply``'s text with the earlier customer's details (``theirs``: the drafter's context
    for their message) replaced by this customer's (``ours``); None when it cannot be done."""
    text = reply.text
    keep: set[str] = set()
    for name in DETAILS:
        new = _forms(ours, name)
        for old in _forms(theirs, name):
            if old not in text:
                continue
            if not new:
                return None
            text = text.replace(old, new[0])
        keep.update(new)
    old_name = theirs["customer"].first_name
    new_name = ours["customer"].first_name
    if old_name and old_name != new_name:
        text = _replace_word(text, old_name, new_name)
    for entity in reply.analysis.entities:
        # Whatever else the earlier customer mentioned about themselves (a person's name, a
        # number the context does not carry) must not survive either.
        if (
            entity.label in ("PERSON", "ORDER_NUMBER", "TRACKING_NUMBER", "EMAIL", "PHONE")
            and entity.text
            and entity.text in text
            and entity.text not in keep
        ):
            return None
    found = (*_EMAIL.finditer(text), *_LONG_NUMBER.finditer(text))
    leftovers = [m.group(0).strip() for m in found]
    if any(found not in " ".join(keep) for found in leftovers):
        return None
    return text


def personal_facts(text: str, context: Mapping[str, Any]) -> tuple[str, ...]:
    """The facts about this customer that ``text`` uses: their first name, their order and
    tracking numbers, e-mail, phone, amount, product, day and time, in that order."""
    found: list[str] = []
    folded = text.casefold()
    name = context["customer"].first_name
    if name and re.search(rf"(?<![\w]){re.escape(name.casefold())}(?![\w])", folded):
        found.append("first_name")
    for key in (*DETAILS, "product", "date", "time"):
        value = context.get(key)
        if not value:
            continue
        shown = getattr(value, "name", None) or getattr(value, "text", None) or value
        if isinstance(shown, str) and shown.strip() and shown.casefold() in folded:
            found.append(key)
    return tuple(found)
