"""Case- and accent-insensitive token norms, so rules and classifiers see "Commandé" as "commande".

Customers type "Mélange Boréal", "melange boreal" and "MELANGE BOREAL" for the same thing, and many
French keyboards (or phones set to English) drop the accents. The normaliser sets every token's
NORM to a folded form; matchers and classifiers that read NORM then ignore case and accents.

Two folds live here:

* :func:`fold` — the NORM of a token: lower-cased, NFKD-decomposed, combining marks dropped,
  ligatures spelled out, curly apostrophes made straight (iOS and macOS type ``’`` by default,
  and "aujourd’hui" must match).
* :func:`fold_text` — the same idea for a whole text, but one character for one character, so that
  regular expressions can run on the folded text and report offsets valid in the original.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["TextNormalizer", "fold", "fold_text", "make_text_normalizer"]

# Apostrophes and quotes that phones and word processors substitute for the ASCII ones.
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "\u2032": "'"}
# Spaces and dashes typed by French typography (thin no-break space before "€", "–" in ranges).
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"}


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Ligatures do not decompose, but customers type "oeuf" as often as "œuf".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, no ligatures, straight apostrophes ("Commandé": "commande").

    The one fold of the project: token NORMs, lexicon look-ups and cue matching all use it.
    """
    if not isinstance(text, str):
        return ""
    folded = _strip_marks(text.lower().translate(_LIGATURES))
    if any(ch in _APOSTROPHES for ch in folded):
        folded = "".join(_APOSTROPHES.get(ch, ch) for ch in folded)
    return folded


def _build_same_length_table() -> dict[int, str]:
    # Only characters whose fold is a single character are mapped, so a folded text keeps every
    # offset of the original; the rest (ligatures, "ß", "½"…) are left as they are.
    table: dict[int, str] = {}
    for code in range(0x250):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            continue
        stripped = _strip_marks(lower)
        target = stripped if len(stripped) == 1 else lower
        if target != char:
            table[code] = target
    for mapping in (_APOSTROPHES, _SPACES, _DASHES):
        table.update({ord(src): dst for src, dst in mapping.items()})
    return table


_SAME_LENGTH_TABLE = _build_same_length_table()


def fold_text(text: str) -> str:
    """``text`` lower-cased and accent-stripped character for character (same length, same offsets).

    Latin letters lose their accents, typographic apostrophes, spaces and dashes become ASCII; a
    character whose fold would change the length (ligatures, "ß") is kept as it is.
    """
    return text.translate(_SAME_LENGTH_TABLE)


class TextNormalizer:
    """Pipeline component that sets every token's NORM to :func:`fold` of its text."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.norm_ = fold(token.text)
        return doc


def make_text_normalizer(nlp: Language, name: str) -> TextNormalizer:
    """Factory of :class:`TextNormalizer` (registered by ``bot.nlp.components``)."""
    return TextNormalizer()
