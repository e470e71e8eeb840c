"""Cleaning of customer text before any analysis.

Customers paste from everywhere: phones insert zero-width joiners and byte-order marks, Windows
clients send ``\\r\\n``, some bots send control characters, and a few people paste whole e-mails.
The analyser works on a cleaned, bounded copy; the original text is stored elsewhere untouched.
Nothing here raises on any ``str``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import yaml
from spacy.tokens import Doc

from bot.nlp.normalize import fold

__all__ = [
    "APOSTROPHES",
    "clean_text",
    "doc_text",
    "has_words",
    "is_emoji_only",
    "is_stop_keyword",
]

# Line separators other than "\n" (CR, vertical tab, form feed, NEL, the Unicode line and
# paragraph separators) end a line for a reader, so they become "\n" rather than vanish.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# A one-class pattern scans several times faster than the alternation above.
_HAS_LINE_BREAK = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")

# Invisible characters only get in the way of tokenising: C0/C1 controls except tab and newline,
# the zero-width characters (U+200B–U+200D, U+2060, U+FEFF), bidi marks and embeddings (Telegram
# names in RTL scripts bring them) and lone surrogates (they cannot be encoded to UTF-8 and would
# make a later ``.encode()`` raise).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)

# Horizontal white space other than the plain space, including the no-break spaces French
# typography puts before « ; : ! ? ». Every substitution below is guarded by a cheap test, so
# ordinary text (the common case) is scanned a few times and never rebuilt.
_ODD_HSPACE = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_HAS_ODD_HSPACE = re.compile(f"[{_ODD_HSPACE}]")
_HSPACE_RUN = re.compile(f"[ {_ODD_HSPACE}]{{2,}}|[{_ODD_HSPACE}]")
_SPACE_AROUND_NEWLINE = re.compile(" \n ?|\n ")
_BLANK_LINES = re.compile("\n{3,}")

# When truncating, a word boundary is only used if it keeps most of the allowed length; a 5,000
# character URL is cut mid-word rather than reduced to nothing.
_MIN_KEPT_FRACTION = 0.8

# Removing invisible characters can only shorten the text, so only a bounded prefix of a huge
# input needs cleaning. The factor leaves room for prefixes full of removed characters.
_PREFIX_FACTOR = 4
_PREFIX_SLACK = 256

# Characters that make up emoji, by block: pictographs and symbols (U+1F000–U+1FAFF), dingbats and
# miscellaneous symbols, arrows, geometric shapes and the few Latin-1/letterlike ones that have an
# emoji presentation (© ® ™ ℹ ‼ ⁉ Ⓜ 〰 〽 ㊗ ㊙).
_EMOJI_BASE = (
    "\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u2190-\u21ff\u25a0-\u25ff"
    "\u2934\u2935\u3030\u303d\u3297\u3299\u00a9\u00ae\u203c\u2049\u2122\u2139\u24c2"
)
# What may join or modify emoji: ZWJ, variation selectors, the keycap mark and tag characters
# (subdivision flags). Skin tones are inside U+1F000–U+1FAFF already.
_EMOJI_JOINERS = "\u200d\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f"
_EMOJI_ONLY = re.compile(f"(?:\\s|[{_EMOJI_BASE}{_EMOJI_JOINERS}]|[#*0-9]\ufe0f?\u20e3)+")
_HAS_EMOJI = re.compile(f"[{_EMOJI_BASE}]|[#*0-9]\ufe0f?\u20e3")

#: Typographic apostrophes and look-alikes phones produce; ``fold`` turns them into "'".
APOSTROPHES = re.compile("[’‘ʼ`´′]")


def clean_text(text: str, *, max_chars: int = 5000) -> str:
    """Return ``text`` ready for analysis: normalised, without invisible characters, bounded.

    Steps: line breaks become ``\\n``; control, zero-width and bidi characters are removed; the
    result is NFC-normalised; runs of spaces and tabs become one space; blank-line runs are
    capped at one empty line; the ends are stripped; finally the text is cut to ``max_chars``,
    at a word boundary when one is close enough to the limit.
    """
    if max_chars < 0:
        raise ValueError(f"max_chars must be >= 0, got {max_chars}")
    if not isinstance(text, str) or max_chars == 0:
        return ""
    # Bound the work on huge inputs before any full pass over them.
    limit = max_chars * _PREFIX_FACTOR + _PREFIX_SLACK
    if len(text) > limit:
        text = text[:limit]
    if _HAS_LINE_BREAK.search(text):
        text = _LINE_BREAKS.sub("\n", text)
    # Invisible characters go before NFC so that "e\u200b\u0301" still composes to "é".
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "  " in text or _HAS_ODD_HSPACE.search(text):
        text = _HSPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    text = text.strip()
    if len(text) > max_chars:
        text = _truncate(text, max_chars)
    if _LONG_CHUNK.search(text):
        text = _LONG_CHUNK.sub(_break_chunk, text)
    return text


# spaCy's tokenizer peels prefixes and suffixes off a space-free chunk one at a time, which is
# quadratic: 10,000 "$" in a row take it 25 seconds. No real word is that long, so long chunks are
# broken up (a URL may be longer, up to _URL_CHUNK), and a run of one punctuation mark is cut to 3
# ("!!!!!!!" keeps its urgency as "!!!").
_CHUNK = 40
_URL_CHUNK = 300
_LONG_CHUNK = re.compile(rf"\S{{{_CHUNK + 1},}}")
_PUNCT_RUN = re.compile(r"([^\w\s])\1{3,}")
_URL_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)


def _break_chunk(match: re.Match[str]) -> str:
    chunk = _PUNCT_RUN.sub(r"\1\1\1", match.group(0))
    size = _URL_CHUNK if _URL_LIKE.match(chunk) else _CHUNK
    if len(chunk) <= size:
        return chunk
    return " ".join(chunk[i : i + size] for i in range(0, len(chunk), size))


def _truncate(text: str, max_chars: int) -> str:
    """Cut ``text`` to at most ``max_chars``, preferring to end on a whole word."""
    head = text[:max_chars]
    if text[max_chars] in " \n":
        return head.rstrip()
    # The cut falls inside a word: back off to the last break if that keeps enough of the text.
    # After cleaning, the only white space left is " " and "\n".
    last_break = max(head.rfind(" "), head.rfind("\n"))
    if last_break >= max_chars * _MIN_KEPT_FRACTION:
        return head[:last_break].rstrip()
    return head.rstrip()


def has_words(text: str) -> bool:
    """Tell whether ``text`` holds at least one letter, in any script (digits do not count)."""
    if not isinstance(text, str):
        return False
    return any(ch.isalpha() for ch in text)


def is_emoji_only(text: str) -> bool:
    """Tell whether ``text`` is made of emoji (and white space) only, with at least one emoji."""
    if not isinstance(text, str) or not text:
        return False
    return _EMOJI_ONLY.fullmatch(text) is not None and _HAS_EMOJI.search(text) is not None


_TEXT_KEY = "replique.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc: spaCy rebuilds it from the tokens on every access,
    and several components read it."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.user_data[_TEXT_KEY] = doc.text
    return str(cached)


_STOP_KEYWORDS_FILE = Path(__file__).parent / "data" / "stop_keywords.yml"
_NOT_WORD = re.compile(r"[^\w\s'-]+")


@functools.cache
def _stop_keywords() -> frozenset[str]:
    data = yaml.safe_load(_STOP_KEYWORDS_FILE.read_text(encoding="utf-8"))
    return frozenset(" ".join(fold(k).split()) for k in data["keywords"])


def is_stop_keyword(text: str) -> bool:
    """True when the whole message is an opt-out keyword ("STOP", "Désabonner!", "stop svp 🙏")."""
    if len(text) > 40:
        return False
    words = " ".join(_NOT_WORD.sub(" ", fold(text)).split())
    return words in _stop_keywords()
