"""Every sentence Réplique says to a person, in English and in French, and ``t()`` to pick one.

Réplique is used by customer-service teams in Montréal, Paris and Toronto, so its own words —
errors, what the command line and the console print, the review cards, the reviewer's "why" line
and hand-off reasons — exist in both languages. Customer-facing replies are *not* here: they are
the reply templates (``templates/<lang>/``), chosen in the customer's language.

Where words are made
    Only the edges word things: the command line, the channel adapters, the web pages and
    ``bot/wording.py`` (which turns the core's typed values — a refusal, a notice, a "why" —
    into sentences for them). The analyser, the drafter, the review desk and the store return
    values; errors carry a key and its values and are worded when they are shown
    (``bot/errors.py``).

The catalogue
    One module per area (``cli``, ``config``, ``review``, ``telegram``…), each mapping a stable
    key (``"config.not_found"``) to one template per language, with ``{named}`` placeholders
    (format specs and ``!r`` allowed; a literal brace is doubled). Keys name the situation, not
    the English wording, so rewording one language never breaks a lookup. Plain dicts rather than
    gettext: no compiled ``.mo`` files or extraction step, mypy and the tests see every entry, and
    tests/unit/test_messages.py proves that each key has both languages with the same
    placeholders, and that every key the code uses exists.

The language: the reader's, not the customer's
    1. ``REPLIQUE_LANG``: ``fr`` or ``en`` (``fr_CA``, ``en-GB``… work too; other values are
       ignored);
    2. else the POSIX locale, as programs read it: the first non-empty of ``LC_ALL``,
       ``LC_MESSAGES``, ``LANG`` decides, and French when it starts with ``fr`` (``fr_CA.UTF-8``);
    3. else English.
    The environment is read at every call, so a test's ``monkeypatch.setenv`` takes effect at once
    and nothing is decided at import time. Typer reads command help at import, so ``--help`` texts
    stay English; everything printed while a command runs goes through ``t()``.

``t()`` with an unknown key raises ``KeyError``: that is a bug in Réplique, not a user's mistake.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from bot.i18n import (
    analysis,
    cli,
    config,
    console,
    drafting,
    learn,
    learning,
    orders,
    review,
    slack,
    store,
    telegram,
    training,
    web,
)
from bot.i18n.catalogue import Entries, Lang

__all__ = [
    "LANGUAGES",
    "LANGUAGE_ENV",
    "MESSAGES",
    "Lang",
    "language",
    "pick",
    "t",
    "t_in",
    "template_in",
]

#: The languages every message exists in.
LANGUAGES: Final[tuple[Lang, ...]] = ("en", "fr")
#: Environment variable that chooses the language of messages, before the locale.
LANGUAGE_ENV: Final = "REPLIQUE_LANG"
#: POSIX locale variables, in the order that decides the language of messages.
_LOCALE_VARS: Final = ("LC_ALL", "LC_MESSAGES", "LANG")
_AREAS: Final = (
    analysis,
    cli,
    config,
    console,
    drafting,
    learn,
    learning,
    orders,
    review,
    slack,
    store,
    telegram,
    web,
)


def _merge(*areas: Entries) -> Mapping[str, Mapping[Lang, str]]:
    merged: dict[str, Mapping[Lang, str]] = {}
    for area in areas:
        for key, texts in area.items():
            if key in merged:
                raise RuntimeError(f"message {key!r} is defined in two catalogue areas")
            merged[key] = texts
    return MappingProxyType(merged)


#: Every message of every area.
MESSAGES: Final = _merge(*(area.MESSAGES for area in _AREAS), training.MESSAGES)


def pick(value: str | None) -> Lang | None:
    """``fr``/``en`` for a language or locale name ("fr", "fr_CA.UTF-8", "en-GB"), else None."""
    value = (value or "").strip().lower()
    if value.startswith("fr"):
        return "fr"
    if value.startswith("en"):
        return "en"
    return None


def language() -> Lang:
    """The language of messages now: ``REPLIQUE_LANG``, else the POSIX locale, else English."""
    chosen = pick(os.environ.get(LANGUAGE_ENV, ""))
    if chosen is not None:
        return chosen
    for name in _LOCALE_VARS:
        value = os.environ.get(name)
        if value:
            # The first locale variable that is set decides, as for any POSIX program: with
            # LC_ALL=C, a French LANG does not count.
            return "fr" if value.strip().lower().startswith("fr") else "en"
    return "en"


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the reader's language, its ``{placeholders}`` filled from ``values``.

    Raises ``KeyError`` for a key that is not in the catalogue (or a placeholder left unfilled).
    """
    return t_in(language(), key, **values)


def t_in(lang: Lang, key: str, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (a web page's or a Telegram user's language)."""
    return template_in(lang, key).format(**values)


def template_in(lang: Lang, key: str, /) -> str:
    """The message ``key`` in ``lang`` with its placeholders unfilled (for the page's script)."""
    try:
        templates = MESSAGES[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in the catalogue (bot/i18n/)") from None
    return templates[lang]
