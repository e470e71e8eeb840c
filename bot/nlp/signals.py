"""Message signals for the reply copilot: formality (tu/vous), questions and urgency.

A reply should mirror the customer's register (a customer who writes "tu" can be answered with
"tu"; everyone else gets "vous"), answer what was asked, and go to the top of the queue when the
customer is in a hurry. These are rules on the folded text (lower-cased, accent-stripped,
straight apostrophes), which this component computes itself from the Doc so that it does not
depend on any other component of the pipeline (token NORMs may or may not be set).

Rules cover French from France and Québec, including texting and unaccented spellings ("ou est",
"c'tu", "ya tu", "stp"), and English. Question and urgency cues of both languages are always
applied, since customers mix them ("asap svp", "any update sur ma commande"); formality is only
read by French pipelines.
"""

from __future__ import annotations

import re
from typing import Final

from spacy.language import Language as SpacyLanguage
from spacy.tokens import Doc

from bot.domain import Formality
from bot.nlp.normalize import fold
from bot.nlp.text import doc_text

__all__ = ["MessageSignals", "make_message_signals", "register_extensions"]

_EXTENSIONS: Final[tuple[tuple[str, object], ...]] = (
    ("formality", None),
    ("is_question", False),
    ("is_urgent", False),
)

# -- formality ---------------------------------------------------------------------------------

# Evidence per word. "svp" (s'il vous plaît) is so common in any register that it counts half.
_TU_WORDS: Final[dict[str, float]] = {
    "tu": 1.0,
    "t'": 1.0,
    "te": 1.0,
    "toi": 1.0,
    "ton": 1.0,
    "ta": 1.0,
    "tes": 1.0,
    "t": 1.0,
    "stp": 1.0,
    "toe": 1.0,  # Québec "toé"
}
_VOUS_WORDS: Final[dict[str, float]] = {"vous": 1.0, "votre": 1.0, "vos": 1.0, "svp": 0.5}
# Québec's question particle "tu" ("ya tu quelqu'un?", "c'tu ouvert?", "ça marche-tu?") does not
# address anyone: after these words it is not a tu-form.
_PARTICLE_HOSTS: Final = frozenset({"ya", "c'", "c", "cest"})
# Imperatives with an attached pronoun: "-ez" is the vous-form ("envoyez-moi"), anything else
# the tu-form ("envoie-moi", "dis-moi").
# The look-behind makes the word start at a word boundary, which keeps the scan linear.
_IMPERATIVE_ME = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-(?:moi|nous)(?![\w'])")
# A word, possibly ending with an elision apostrophe ("t'", "c'"), in the folded text.
_PIECE = re.compile(r"[^\W\d_]+'?")
_CLAUSE_END = re.compile(r"\s*(?:[.!?,;:)]|$)")

# -- questions -----------------------------------------------------------------------------------

# Latin, Spanish opening, full-width (CJK keyboards) and Arabic question marks.
_QUESTION_MARKS: Final = ("?", "¿", "？", "⁇", "؟")
_SENTENCE_SPLIT = re.compile(r"[.!?\n;]+")
_GREETINGS = (
    r"bonjour|bonsoir|salut|allo|hello|hi|hey|bjr|slt|coucou|yo|hola"
    r"|good (?:morning|afternoon|evening)"
)
# A greeting (and up to two words such as a name) closed by punctuation, or a bare greeting
# followed by a space: "Bonjour Marie, où est…" and "hi where is…" are still questions.
_LEADING_GREETING = re.compile(
    rf"^(?:(?:{_GREETINGS})(?:\s+[^\W\d_]+){{0,2}}?\s*[,:!-]+\s*|(?:{_GREETINGS})\s+)"
)
# "(?![\w'])" rather than "\b" so that "can't find it" does not read as "can …?".
_END = r"(?![\w'])"
_EN_START = re.compile(
    r"(?:who|whos|who's|what|whats|what's|wat|wut|when|whens|when's|where|wheres|where's|why|how"
    r"|hows|how's|which|can|could|would|should|do(?! not)|does|did|is|are|will|any|anyone|anybody)"
    + _END
)
_FR_START = re.compile(
    r"(?:pourquoi|pq|pk|quand|qd|kan|combien|cb|quel|quelle|quels|quelles|lequel|laquelle"
    r"|lesquels|lesquelles|qui|quoi|koi|est-ce|est ce|qu'est|tu peux|tu pourrais|vous pouvez"
    r"|vous pourriez)" + _END
)
# "comment" starts French questions but also English notes ("Comment: the box was open").
_FR_ONLY_START = re.compile(r"(?:comment|koman)" + _END)
# "où" loses its accent on most phones, and "ou" (or) cannot start a sentence anyway, except in
# "ou bien"; only the start of the message is trusted.
_OU_START = re.compile(r"ou(?! bien)" + _END)
# Spoken French leaves the question word at the end: "t'es où", "c'est quand", "ça coûte
# combien", "c'est quoi"; "ou" (or) cannot end a sentence, so a final "ou" is "où".
_FR_END = re.compile(r"(?<![\w'-])(?:ou|quand|combien|quoi|koi|pourquoi)$")
_FR_ONLY_END = re.compile(r"(?<![\w'-])comment$")
_FR_ANYWHERE = re.compile(
    "|".join(
        (
            # est-ce que, qu'est-ce, n'est-ce pas; but not "c'est ce que je veux"
            r"(?<!c')\best[- ]ce" + _END,
            # inversion: peux-tu, pouvez-vous, y a-t-il, peut-on, marche-tu (not rendez-vous).
            # A one-letter look-behind rather than a leading word keeps the scan linear.
            r"(?<=[^\W\d_])(?<!rendez)-(?:tu|vous|t-il|t-elle|t-on|il|elle|on|ils|elles)(?![\w'-])",
            # Québec particle: ya tu, y'a-tu, c'tu, ctu, t'as-tu written "ta tu"
            r"\b(?:y'?a|y a|c'|ta)[\s-]*tu" + _END,
            r"\bctu" + _END,
            # "c'est quand?", "c koi ça", "c'est combien", "c'est où"
            r"\b(?:c'est|cest|c)\s+(?:quand|quoi|koi|combien|ou(?! bien))" + _END,
        )
    )
)

# -- urgency -------------------------------------------------------------------------------------

# "pas urgent", "not urgent", "rien d'urgent" say the opposite: they are removed before matching.
_NOT_URGENT = re.compile(
    r"\b(?:(?:pas|not|non|nothing|no|isn't|isnt)\s+|rien d'\s*)"
    r"(?:vraiment\s+|really\s+|si\s+|so\s+|tres\s+|very\s+|super\s+|an\s+)?"
    r"(?:urgent|urgente|urgence|presse|pressee|emergency)\b"
    r"|\bno rush\b|\bpas de rush\b"
)
_URGENT = re.compile(
    r"\b(?:urgent|urgently|asap|a\.s\.a\.p|emergency|immediately|right now|right away"
    r"|as soon as possible|urgente|urgents|urgentes|urgence|urgemment|au plus vite"
    r"|le plus vite possible|au plus tot|tout de suite|tt de suite|immediatement|des que possible"
    r"|dqp|maintenant|au plus sacrant|c'est presse|cest presse|c presse|suis presse|suis pressee"
    r"|chu presse|chus presse|jsuis presse)\b"
    r"|\b(?:today|now|vite)\s*!{2,}"
)
_EXCLAMATIONS = re.compile(r"!{3,}|‼")
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_CAPS_MIN_WORDS: Final = 3


class MessageSignals:
    """spaCy component that sets ``doc._.formality``, ``doc._.is_question`` and ``doc._.is_urgent``.

    ``lang`` is the pipeline's language; formality ("tu" or "vous") is only read when it is
    French and is None otherwise or when the message gives no evidence either way.
    """

    def __init__(self, *, lang: str = "en") -> None:
        self.lang = lang
        self._french = lang.lower().startswith("fr")

    def __call__(self, doc: Doc) -> Doc:
        # The tokens' texts and trailing spaces make up doc.text, so folding it once gives the
        # folded tokens joined as typed, at a fraction of the cost of one fold per token.
        text = doc_text(doc)
        folded = fold(text)
        doc._.formality = _formality(folded) if self._french else None
        doc._.is_question = _is_question(text, folded, french=self._french)
        doc._.is_urgent = _is_urgent(text, folded)
        return doc


def _formality(folded: str) -> Formality | None:
    """Return "tu" or "vous" from the tu-forms and vous-forms of a folded French text.

    Returns None without evidence; a tie goes to "vous", the safe register for a brand (and
    "vous" may be a plural addressed to the brand's staff).
    """
    tu = vous = 0.0
    pieces = list(_PIECE.finditer(folded))
    for i, match in enumerate(pieces):
        word = match.group()
        start = match.start()
        before = folded[start - 1] if start > 0 else " "
        previous = pieces[i - 1].group() if i > 0 else ""
        if word in _VOUS_WORDS:
            if not (word == "vous" and before == "-" and previous == "rendez"):
                vous += _VOUS_WORDS[word]  # "rendez-vous" is an appointment, not an address
            continue
        if word not in _TU_WORDS:
            continue
        if word == "t" and (before in "'-" or folded.startswith("-", match.end())):
            continue  # English "don't" (split "don'" + "t"), euphonic "a-t-il", "va-t-on"
        if word == "tu" and _is_particle(folded, pieces, i, previous, hyphen=before == "-"):
            continue
        tu += _TU_WORDS[word]
    for match in _IMPERATIVE_ME.finditer(folded):
        if match.group(1).endswith("ez"):
            vous += 1.0
        else:
            tu += 1.0
    if tu == 0 and vous == 0:
        return None
    return "tu" if tu > vous else "vous"


def _is_particle(
    folded: str, pieces: list[re.Match[str]], i: int, previous: str, *, hyphen: bool
) -> bool:
    """Tell whether the "tu" at ``pieces[i]`` is Québec's question particle, not a pronoun."""
    if previous in _PARTICLE_HOSTS:
        return True
    if previous == "a" and i >= 2 and pieces[i - 2].group() in ("y", "y'"):
        return True  # "y a tu", "y'a tu"
    # "peux-tu", "veux-tu", "as-tu" put the verb of "tu" first; "ça marche-tu" or "ça marche tu?"
    # put a particle after a verb that is not in the tu-form.
    verb_is_tu_form = previous.endswith(("s", "x"))
    if hyphen:
        return bool(previous) and not verb_is_tu_form
    at_clause_end = _CLAUSE_END.match(folded, pieces[i].end()) is not None
    return at_clause_end and bool(previous) and not verb_is_tu_form


def _is_question(text: str, folded: str, *, french: bool = True) -> bool:
    """Tell whether a message asks something: a question mark, or an interrogative opening."""
    if any(mark in text for mark in _QUESTION_MARKS):
        return True
    if _FR_ANYWHERE.search(folded) or _has_tu_particle(folded):
        return True
    for n, sentence in enumerate(_SENTENCE_SPLIT.split(folded)):
        sentence = _LEADING_GREETING.sub("", sentence.strip(" \t\"'«»*-_,:"), count=1)
        if _EN_START.match(sentence) or _FR_START.match(sentence) or _FR_END.search(sentence):
            return True
        if french and (_FR_ONLY_START.match(sentence) or _FR_ONLY_END.search(sentence)):
            return True
        if n == 0 and _OU_START.match(sentence):
            return True
    return False


def _has_tu_particle(folded: str) -> bool:
    """Tell whether a folded text uses Québec's question particle "tu" ("ça marche tu")."""
    if "tu" not in folded:
        return False
    pieces = list(_PIECE.finditer(folded))
    for i, match in enumerate(pieces):
        if match.group() != "tu" or i == 0:
            continue
        hyphen = match.start() > 0 and folded[match.start() - 1] == "-"
        if _is_particle(folded, pieces, i, pieces[i - 1].group(), hyphen=hyphen):
            return True
    return False


def _is_urgent(text: str, folded: str) -> bool:
    """Tell whether a message presses for speed: urgency words, "!!!", or shouting."""
    if _EXCLAMATIONS.search(text):
        return True
    if _URGENT.search(_NOT_URGENT.sub(" ", folded)):
        return True
    words = _LETTER_WORD.findall(text)
    return (
        len(words) >= _CAPS_MIN_WORDS
        and all(word.isupper() for word in words)
        and any(len(word) >= 3 for word in words)
    )


def register_extensions() -> None:
    """Declare the Doc extensions this component sets; safe to call any number of times."""
    for name, default in _EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def make_message_signals(nlp: SpacyLanguage, name: str, *, lang: str = "en") -> MessageSignals:
    """Factory of :class:`MessageSignals` (registered by ``bot.nlp.components``)."""
    register_extensions()
    return MessageSignals(lang=lang)
