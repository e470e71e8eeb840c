"""Dates customers mention ("hier soir", "last Monday", "le 3 mars", "12/03/2025"): find, resolve.

Finding and resolving are two steps on purpose: the analyser finds a date once, when it reads the
message, and stores a small description of it (a *raw* date, a string such as ``"days:-1"``); the
ISO date is worked out only when the entities are extracted, against the ``today`` of the
conversation, so a message re-read tomorrow still means the day it meant.

Raw forms::

    ymd:2025-03-12     an absolute date
    md:3-12            a month and day without a year (the year is chosen at resolution)
    days:-3            a number of days from today ("il y a 3 jours", "demain")
    months:-2          a number of months from today, same day of the month ("2 months ago")
    weekday:-1:0       the closest Monday (0) strictly before (-1) or after (1) today
    week:-1            the Monday that starts the previous (-1), current (0) or next (1) week
    month:-1           the first day of the previous (-1), current (0) or next (1) month

The patterns run on :func:`bot.nlp.normalize.fold_text` of the message (lower case, no accents,
same offsets), so "Avant-hier", "avant hier" and "AVANT-HIER" are one pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta

__all__ = ["find_dates", "resolve_date"]

_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "janvier": 1, "janv": 1,
    "february": 2, "feb": 2, "fevrier": 2, "fevr": 2, "fev": 2,
    "march": 3, "mar": 3, "mars": 3,
    "april": 4, "apr": 4, "avril": 4, "avr": 4,
    "may": 5, "mai": 5,
    "june": 6, "jun": 6, "juin": 6,
    "july": 7, "jul": 7, "juillet": 7, "juil": 7,
    "august": 8, "aug": 8, "aout": 8,
    "september": 9, "sept": 9, "sep": 9, "septembre": 9,
    "october": 10, "oct": 10, "octobre": 10,
    "november": 11, "nov": 11, "novembre": 11,
    "december": 12, "dec": 12, "decembre": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6,
}  # fmt: skip
_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2, "a couple": 2,
    "a couple of": 2, "couple of": 2, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15,
    "vingt": 20,
}  # fmt: skip
# Fixed expressions, written folded. In a phrase " " stands for required whitespace, "-" for a
# hyphen, a space or nothing ("avant-hier", "avant hier"), "'" for an optional apostrophe or space.
_PHRASES: dict[str, str] = {
    "the day before yesterday": "days:-2", "day before yesterday": "days:-2",
    "the day after tomorrow": "days:2", "day after tomorrow": "days:2",
    "yesterday": "days:-1", "yesterday morning": "days:-1", "yesterday afternoon": "days:-1",
    "yesterday evening": "days:-1", "last night": "days:-1", "last evening": "days:-1",
    "today": "days:0", "earlier today": "days:0", "this morning": "days:0",
    "this afternoon": "days:0", "this evening": "days:0", "tonight": "days:0",
    "tomorrow": "days:1", "tomorrow morning": "days:1", "tomorrow evening": "days:1",
    "last week": "week:-1", "this past week": "week:-1", "this week": "week:0",
    "next week": "week:1", "last month": "month:-1", "this month": "month:0",
    "next month": "month:1",
    "avant-hier": "days:-2", "avant-hier soir": "days:-2", "avant-hier matin": "days:-2",
    "apres-demain": "days:2", "hier": "days:-1", "hier soir": "days:-1", "hier au soir": "days:-1",
    "hier matin": "days:-1", "hier midi": "days:-1", "hier apres-midi": "days:-1",
    "aujourd'hui": "days:0", "ce matin": "days:0", "ce midi": "days:0",
    "cet apres-midi": "days:0", "ce soir": "days:0", "a soir": "days:0", "a matin": "days:0",
    "demain": "days:1", "demain matin": "days:1", "demain soir": "days:1",
    "la semaine passee": "week:-1", "la semaine derniere": "week:-1",
    "semaine passee": "week:-1", "semaine derniere": "week:-1", "la semaine d'avant": "week:-1",
    "cette semaine": "week:0", "la semaine prochaine": "week:1", "semaine prochaine": "week:1",
    "le mois passe": "month:-1", "le mois dernier": "month:-1", "mois passe": "month:-1",
    "mois dernier": "month:-1", "ce mois-ci": "month:0", "le mois prochain": "month:1",
}  # fmt: skip


def _phrase_regex(phrase: str) -> str:
    parts = {" ": r"\s+", "-": r"[\s-]*", "'": r"['\s]?"}
    return "".join(parts.get(ch, re.escape(ch)) for ch in phrase)


def _alternation(words: dict[str, int] | dict[str, str]) -> str:
    # Longest first, so "septembre" is tried before "sept" and "hier soir" before "hier".
    return "|".join(_phrase_regex(w) for w in sorted(words, key=len, reverse=True))


def _group(name: str, words: dict[str, int] | dict[str, str], extra: str = "") -> str:
    return f"(?P<{name}>{extra}{_alternation(words)})"


_MONTH = _group("m", _MONTHS)
_DAY = r"(?P<d>[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
_DIGITS = r"\d{1,3}|"
_UNITS = r"days?|weeks?|months?|jours?|semaines?|mois"
_SEPARATORS_RE = re.compile(r"[\s'-]+")
_SPACES_RE = re.compile(r"\s+")

_PHRASE_RE = re.compile(rf"\b(?:{_alternation(_PHRASES)})\b")
_DAY_MONTH_RE = re.compile(
    rf"\b{_DAY}(?:eme|er|re|e|st|nd|rd|th)?\s+(?:of\s+|de\s+)?{_MONTH}\b\.?{_YEAR}"
)
_MONTH_DAY_RE = re.compile(rf"\b{_MONTH}\.?\s+(?:the\s+)?{_DAY}(?:st|nd|rd|th)?\b{_YEAR}")
_ISO_RE = re.compile(r"\b(?P<y>(?:19|20)\d\d)([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})\b(?![-/.]\d)")
_NUMERIC_RE = re.compile(
    r"(?<![\w/.-])(?P<a>\d{1,2})([/.-])(?P<b>\d{1,2})\2(?P<y>(?:19|20)?\d\d)\b(?![-/.]\d)"
)
# "12/03" alone is too often a score or a fraction; with "le", "on", "since"… it is a date.
_SHORT_NUMERIC_RE = re.compile(
    r"\b(?:le|du|au|on|since|depuis|until|jusqu'au)\s+(?P<a>\d{1,2})/(?P<b>\d{1,2})\b(?![/.-]?\d)"
)
_LAST_WEEKDAY_RE = re.compile(
    rf"\b(?:(?:last|this\s+past|past)\s+{_group('wd', _WEEKDAYS)}"
    rf"|{_group('wd2', _WEEKDAYS)}\s+(?:dernier|passe|d'avant))\b"
)
_NEXT_WEEKDAY_RE = re.compile(
    rf"\b(?:(?:next|this\s+coming)\s+{_group('wd', _WEEKDAYS)}"
    rf"|{_group('wd2', _WEEKDAYS)}\s+prochain)\b"
)
_AGO_RE = re.compile(
    rf"\b(?:{_group('n', _NUMBERS, _DIGITS)}\s+(?P<unit>{_UNITS})\s+ago"
    r"|(?:(?:il\s+)?y\s*'?\s*a|depuis|ca\s+fait|cela\s+fait)\s+"
    rf"{_group('n2', _NUMBERS, _DIGITS)}\s+(?P<unit2>{_UNITS}))\b"
)
_IN_RE = re.compile(rf"\b(?:in|dans)\s+{_group('n', _NUMBERS, _DIGITS)}\s+(?P<unit>{_UNITS})\b")


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _ymd_or_md(year: str | None, month: int, day: int) -> str | None:
    if year is None:
        # 2000 is a leap year: "29 février" is a valid month-day, resolved to a leap year later.
        return f"md:{month}-{day}" if _valid(2000, month, day) else None
    full = int(year) if len(year) == 4 else 2000 + int(year)
    return f"ymd:{full:04d}-{month:02d}-{day:02d}" if _valid(full, month, day) else None


def _named(m: re.Match[str]) -> str | None:
    month = _MONTHS.get(_SPACES_RE.sub(" ", m["m"]))
    return None if month is None else _ymd_or_md(m["y"], month, int(m["d"]))


def _iso(m: re.Match[str]) -> str | None:
    return _ymd_or_md(m["y"], int(m["m"]), int(m["d"]))


def _numeric(m: re.Match[str], day_first: bool) -> str | None:
    a, b = int(m["a"]), int(m["b"])
    day, month = (a, b) if day_first else (b, a)
    if month > 12 >= day:  # "25/03" in English, "03/25" in French: only one reading is a date.
        day, month = month, day
    year = m["y"] if "y" in m.groupdict() else None
    return _ymd_or_md(year, month, day)


def _weekday(m: re.Match[str], direction: int) -> str:
    return f"weekday:{direction}:{_WEEKDAYS[m['wd'] or m['wd2']]}"


def _count(m: re.Match[str], number: str, unit: str, sign: int) -> str:
    raw_number = _SPACES_RE.sub(" ", m[number])
    n = int(raw_number) if raw_number.isdigit() else _NUMBERS.get(raw_number, 1)
    kind = m[unit]
    if kind.startswith("month") or kind == "mois":
        return f"months:{sign * n}"
    if kind.startswith(("week", "semaine")):
        return f"days:{sign * 7 * n}"
    return f"days:{sign * n}"


def _ago(m: re.Match[str]) -> str:
    if m["n"] is not None:
        return _count(m, "n", "unit", -1)
    return _count(m, "n2", "unit2", -1)


def _compact(phrase: str) -> str:
    return _SEPARATORS_RE.sub("", phrase)


_COMPACT_PHRASES = {_compact(k): v for k, v in _PHRASES.items()}


def _phrase(m: re.Match[str]) -> str | None:
    # "avant hier", "aujourd hui", "avant-hier": one phrase however it was separated.
    return _COMPACT_PHRASES.get(_compact(m[0]))


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]
_WORD_RULES: tuple[_Rule, ...] = (
    (_PHRASE_RE, _phrase),
    (_LAST_WEEKDAY_RE, lambda m: _weekday(m, -1)),
    (_NEXT_WEEKDAY_RE, lambda m: _weekday(m, 1)),
    (_AGO_RE, _ago),
    (_IN_RE, lambda m: _count(m, "n", "unit", 1)),
)
_DIGIT_RULES: tuple[_Rule, ...] = (
    (_DAY_MONTH_RE, _named),
    (_MONTH_DAY_RE, _named),
    (_ISO_RE, _iso),
)
_DIGIT_RE = re.compile(r"\d")


def find_dates(folded: str, *, day_first: bool) -> Iterator[tuple[int, int, str]]:
    """Every date expression in ``folded`` as ``(start_char, end_char, raw)``; may overlap.

    ``day_first`` reads "03/04/2025" as 3 April (French) rather than March 4 (English).
    """
    has_digits = _DIGIT_RE.search(folded) is not None
    for pattern, handler in _WORD_RULES + _DIGIT_RULES if has_digits else _WORD_RULES:
        for m in pattern.finditer(folded):
            raw = handler(m)
            if raw is not None:
                yield m.start(), m.end(), raw
    if not has_digits:
        return
    for pattern in (_NUMERIC_RE, _SHORT_NUMERIC_RE):
        for m in pattern.finditer(folded):
            raw = _numeric(m, day_first)
            if raw is not None:
                yield m.start("a"), m.end(), raw


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):  # keep the day of the month, or the month's last day
        if _valid(year, month, min(day.day, last)):
            return date(year, month, min(day.day, last))
    raise AssertionError("unreachable: every month has a 28th")


def _month_day(month: int, day: int, today: date) -> date | None:
    # Customers talk about past or imminent dates: the latest such date no later than a week ahead.
    horizon = today + timedelta(days=7)
    for year in range(horizon.year, horizon.year - 9, -1):
        if _valid(year, month, day) and date(year, month, day) <= horizon:
            return date(year, month, day)
    return None


def resolve_date(raw: str, today: date) -> str | None:
    """The ISO date that ``raw`` (a value of :func:`find_dates`) means on ``today``, or None."""
    kind, _, arg = raw.partition(":")
    try:
        if kind == "ymd":
            return date.fromisoformat(arg).isoformat()
        if kind == "md":
            month, day = (int(x) for x in arg.split("-"))
            resolved = _month_day(month, day, today)
            return None if resolved is None else resolved.isoformat()
        if kind == "days":
            return (today + timedelta(days=int(arg))).isoformat()
        if kind == "months":
            return _add_months(today, int(arg)).isoformat()
        if kind == "weekday":
            direction, weekday = (int(x) for x in arg.split(":"))
            if direction < 0:
                delta = (today.weekday() - weekday) % 7 or 7
                return (today - timedelta(days=delta)).isoformat()
            delta = (weekday - today.weekday()) % 7 or 7
            return (today + timedelta(days=delta)).isoformat()
        if kind == "week":
            monday = today - timedelta(days=today.weekday())
            return (monday + timedelta(weeks=int(arg))).isoformat()
        if kind == "month":
            return _add_months(today.replace(day=1), int(arg)).isoformat()
    except (ValueError, OverflowError):
        return None
    return None
