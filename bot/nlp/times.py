"""When a customer asks to be called or reached ("après 17h", "after 5pm", "demain matin").

A time is only taken when the message speaks of a call or of being reachable ("call me", "me
rappeler", "je suis disponible", "reach me"): elsewhere "at 3pm" is when something happened, not
when to call. A day named just before the time ("demain après 17h", "Monday morning") is part of
it; a day in the past ("hier soir", "yesterday after 5pm") is a story, not a request, and gives no
time.

Like dates, a time is found once as a *raw* string and resolved against the conversation's day
when the entities are extracted::

    days:1|>=17:00   tomorrow, from 17:00        ->  "2026-11-29 >=17:00"
    |<=12:00         before noon, day not said   ->  "<=12:00"
    |morning         a part of the day           ->  "morning"

The clock part is ``HH:MM`` (at or around), ``>=HH:MM`` (after), ``<=HH:MM`` (before),
``HH:MM-HH:MM`` (between), or one of ``morning``, ``noon``, ``afternoon``, ``evening``.
The patterns run on the folded text (lower case, no accents, same offsets as the original).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from bot.nlp.dates import find_dates, resolve_date

__all__ = ["find_times", "resolve_time"]

_CALL_CUE_RE = re.compile(
    r"\b(?:call(?:ed|ing|s)?|phone|ring|reach(?:able)?|contact|get\s+in\s+touch|text\s+me"
    r"|available|free\s+(?:after|before|between|from|in|this|tomorrow|on)"
    r"|appel\w*|rappel\w*|telephon\w*|joindre|joignable|rejoindre|contacter|texter"
    r"|disponible|dispo)\b"
)

# A clock time: "17h", "17 h 30", "17:30", "5pm", "5:30 p.m.", "noon", "midi".
_H = r"(?:[01]?\d|2[0-3])"
_CLOCK = (
    rf"(?:{_H}\s?h\s?(?:[0-5]\d)?(?!\w)|{_H}:[0-5]\d(?:\s?[ap]\.?m\b\.?)?"
    rf"|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\b\.?|noon|midday|midi|minuit|midnight)"
)
_AFTER = r"after|past|from|anytime\s+after|apres|des|a\s+partir\s+de|passe"
_BEFORE = r"before|by|until|till|avant|d'ici|jusqu'a"
_AROUND = r"around|about|at|vers|a|aux\s+alentours\s+de|autour\s+de"
_CLOCK_RE = re.compile(
    rf"\b(?:(?P<between>between|entre|from|de)\s+(?P<a>{_CLOCK}|{_H})\s+(?:and|et|to|a|-)\s+"
    rf"(?P<b>{_CLOCK}|{_H})(?![\w:])"
    rf"|(?:(?P<after>{_AFTER})|(?P<before>{_BEFORE})|(?P<around>{_AROUND}))\s+(?P<t>{_CLOCK})"
    # "after 5" (no "pm") is how people say it in English.
    rf"|(?P<after_bare>after|past)\s+(?P<bare>1[0-2]|[1-9])(?![\d:h]|[.,]\d))"
)
_PART_RE = re.compile(
    r"\b(?:(?<!good\s)(?:in\s+the\s+|this\s+|during\s+the\s+)?(?P<en>morning|afternoon|evening)"
    r"|(?<!bon\s)(?:en\s+|dans\s+l'|l'|le\s+|cet\s+|ce\s+)?(?P<fr>matinee|avant-midi|apres-midi"
    r"|matin|soiree|soir|fin\s+de\s+journee|fin\s+d'apres-midi)"
    r"|(?P<tonight>tonight|a\s+soir)"
    r"|(?P<lunch>(?:at|over|during)\s+lunch(?:time)?|(?:a|sur)\s+l'heure\s+du\s+(?:midi|diner))"
    r")\b"
)
_PARTS = {
    "morning": "morning", "matin": "morning", "matinee": "morning", "avant-midi": "morning",
    "afternoon": "afternoon", "apres-midi": "afternoon", "fin d'apres-midi": "afternoon",
    "evening": "evening", "soir": "evening", "soiree": "evening", "fin de journee": "evening",
}  # fmt: skip
# What may sit between a day and the time that follows it ("demain, après 17h", "Monday at 3").
_JOIN_RE = re.compile(r"[\s,]*")


def _clock(raw: str, *, pm_hint: bool = False) -> str | None:
    raw = raw.strip()
    if raw in ("noon", "midday", "midi"):
        return "12:00"
    if raw in ("minuit", "midnight"):
        return "00:00"
    m = re.fullmatch(r"(\d{1,2})\s?(?:h\s?|:)?(\d{2})?\s?(?:(?P<ap>[ap])\.?m\.?)?", raw)
    if m is None:
        return None
    hour, minute = int(m[1]), int(m[2] or 0)
    if m["ap"] == "p" and hour < 12:
        hour += 12
    elif m["ap"] == "a" and hour == 12:
        hour = 0
    elif m["ap"] is None and pm_hint and hour < 8:
        hour += 12  # "after 5" is five in the afternoon
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _clock_value(m: re.Match[str]) -> str | None:
    if m["between"]:
        if not re.search(r"[h:apmnoi]", m["a"] + m["b"]):
            return None  # "between 2 and 3" is as often a quantity as a time
        start, end = _clock(m["a"], pm_hint=True), _clock(m["b"], pm_hint=True)
        return f"{start}-{end}" if start and end else None
    if m["after_bare"]:
        return f">={_clock(m['bare'], pm_hint=True)}"
    value = _clock(m["t"])
    if value is None:
        return None
    if m["after"]:
        return f">={value}"
    if m["before"]:
        return f"<={value}"
    return value


def _part_value(m: re.Match[str]) -> str:
    if m["tonight"]:
        return "evening"
    if m["lunch"]:
        return "noon"
    word = " ".join((m["en"] or m["fr"]).split())
    return _PARTS.get(word, "morning")


def find_times(
    folded: str, *, dates: Sequence[tuple[int, int, str]] | None = None
) -> Iterator[tuple[int, int, str]]:
    """Every time the customer asks to be reached at, as ``(start_char, end_char, raw)``.

    ``dates`` are the message's dates when already found (``find_dates``), else found here.
    """
    if not _CALL_CUE_RE.search(folded):
        return
    found: list[tuple[int, int, str]] = []
    for m in _CLOCK_RE.finditer(folded):
        value = _clock_value(m)
        if value is not None:
            found.append((m.start(), m.end(), value))
    for m in _PART_RE.finditer(folded):
        if not any(s < m.end() and m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), _part_value(m)))
    if not found:
        return
    if dates is None:
        dates = list(find_dates(folded, day_first=True))
    for start, end, clock in found:
        day = ""
        for d_start, d_end, raw in dates:
            joined = d_end <= start and _JOIN_RE.fullmatch(folded, d_end, start) is not None
            if joined or (d_start <= start < d_end):
                if _in_past(raw):
                    day = "past"
                    break
                start, end, day = min(start, d_start), max(end, d_end), raw
                break
        if day != "past":
            yield start, end, f"{day}|{clock}"


def _in_past(raw: str) -> bool:
    kind, _, rest = raw.partition(":")
    if kind in ("days", "months", "week", "month"):
        return rest.startswith("-")
    return kind == "weekday" and rest.startswith("-")


def resolve_time(raw: str, today: date) -> str:
    """The normal form of a raw time: ``"2026-11-29 >=17:00"``, or ``">=17:00"`` with no day."""
    day, _, clock = raw.partition("|")
    iso = resolve_date(day, today) if day else None
    return f"{iso} {clock}" if iso else clock
