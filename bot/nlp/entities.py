"""The details customers mention: orders, parcels, contacts, amounts, dates, products, people.

Pipeline order (registered by ``bot.nlp.components``)::

    normaliser -> entity_ruler (catalogue products) -> rule entities -> pretrained entities (fr)

:class:`RuleEntityRecognizer` finds the structured details with regular expressions over the
folded text (one character per character, so offsets are the original's) and aligns them to tokens;
:class:`bot.nlp.people_places.PretrainedEntityRecognizer` asks a pretrained pipeline for people and
places, only when the message has a capitalised word it could be about. Neither overwrites an
entity already in ``doc.ents``. :func:`extract_entities` turns ``doc.ents`` into
:class:`bot.domain.Entity` values, resolving relative dates against the conversation's ``today``.

The normalised value of each rule entity is kept on the span as ``span._.replique_value``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import phonenumbers
from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.config import Catalog
from bot.domain import Entity
from bot.nlp.dates import find_dates, resolve_date
from bot.nlp.items import find_items
from bot.nlp.normalize import fold, fold_text
from bot.nlp.text import doc_text
from bot.nlp.times import find_times, resolve_time

__all__ = [
    "NOT_NAMES",
    "VALUE_EXTENSION",
    "Candidate",
    "RuleEntityRecognizer",
    "add_entities",
    "catalog_patterns",
    "extract_entities",
    "make_rule_entities",
]

#: Span extension holding a rule entity's normalised value (``span._.replique_value``).
VALUE_EXTENSION = "replique_value"
if not Span.has_extension(VALUE_EXTENSION):
    Span.set_extension(VALUE_EXTENSION, default=None)

# When two candidates overlap the longer wins, then the higher priority: a tracking number beats the
# order number it was introduced as, a phone or a price is never an order number.
_PRIORITY = {
    "TRACKING_NUMBER": 6,
    "EMAIL": 5,
    "PHONE": 4,
    "TIME": 4,
    "MONEY": 3,
    "DATE": 3,
    "ORDER_NUMBER": 2,
    "PERSON": 1,
    "ITEM": 0,
}


class Candidate(NamedTuple):
    start: int
    end: int
    label: str
    value: str | None


# --- Order and tracking numbers (patterns run on the folded text) -----------------------------

_ID = r"(?P<id>(?:[a-z]{1,4}-?)?\d{2,22}(?:-\d{1,10})?)(?![\w@]|[/.,:]\d)"
_NUMBER_WORD = r"(?P<mark>number|num(?:ero)?|no|nr|n°|nº|id|ref)\.?"
_ORDER_RES = (
    re.compile(rf"\border\b(?:\s*{_NUMBER_WORD})?\s*(?:is|was|=)?\s*(?P<colon>[:#])?\s*{_ID}"),
    re.compile(
        rf"\b{_NUMBER_WORD}\s*(?:de\s+(?:la\s+)?|d')?(?P<kw>commande|cmd|cde)\b"
        rf"\s*(?:est\s+|c'est\s+)?(?P<colon>[:#])?\s*{_ID}"
    ),
    re.compile(
        rf"\b(?P<kw>commande|cmd|cde)\b(?:\s*{_NUMBER_WORD})?"
        rf"\s*(?:est\s+|c'est\s+)?(?P<colon>[:#])?\s*{_ID}"
    ),
    # "#4821", but not "&#39;" (HTML), "<#C024|general>" (Slack channel) or "page#12" (URL).
    re.compile(rf"(?<![\w/&<#])(?P<colon>#)\s?{_ID}"),
)
_ORDER_HINTS = ("#", "order", "command", "cmd", "cde")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_DIGIT_RE = re.compile(r"\d")
# Every tracking number has six digits in a row (give or take a space) or starts with "1Z".
_TRACKING_HINT_RE = re.compile(r"\d{3} ?\d{3}|1z")

_UPS_RE = re.compile(r"\b1z(?:\s?[0-9a-z]{3}){2}\s?[0-9a-z]{2}(?:\s?[0-9a-z]{4}){2}\b")
# UPU S10 (Canada Post, USPS, La Poste): 2 letters, 9 digits, the country of origin ("…CA").
_S10_RE = re.compile(r"\b[a-z]{2}\s?\d{3}\s?\d{3}\s?\d{3}\s?[a-z]{2}\b")
_COLISSIMO_RE = re.compile(r"\b\d[a-z][0-9a-z]{11}\b")
_DIGIT_RUN_RE = re.compile(
    r"(?<![\w.,])(?:\d{12,22}|\d{4}(?: \d{4}){2,4}(?: \d{1,4})?)(?![\w]|[.,]\d)"
)
_TRACKING_CONTEXT_RE = re.compile(
    r"\b(?:track(?:ing)?|suivi|colis|parcel|package|shipment|envoi|expedition|fedex|purolator"
    r"|ups|usps|canada\s+post|postes\s+canada|colissimo|la\s+poste)\b"
)

# --- Contacts and amounts ----------------------------------------------------------------------

# The look-behind keeps the search linear: a match may only start where a run of such characters
# starts, so a 10 000-character word without "@" is read once, not once per position.
_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])"
)
_PHONE_HINT_RE = re.compile(r"(?:\d\D{0,3}){7}")
_AMOUNT = r"(?P<amt>\d{1,3}(?:[ ,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
_MONEY_BEFORE_RE = re.compile(
    rf"(?<![\w$€£])(?P<cur>ca\$|c\$|us\$|\$|€|£|(?:cad|usd|eur)\b)\s?{_AMOUNT}(?![\d])"
)
_MONEY_AFTER_RE = re.compile(
    rf"(?<![\w.,$€£]){_AMOUNT}\s?(?P<cur>\$\s?(?:cad|usd|ca|us)\b|\$|€|£|(?:cad|usd|eur"
    r"|dollars?|bucks|piasses?|euros?|balles)\b)"
)
_CURRENCIES = {
    "ca$": "CAD", "c$": "CAD", "cad": "CAD", "$cad": "CAD", "$ca": "CAD",
    "us$": "USD", "usd": "USD", "$usd": "USD", "$us": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP",
}  # fmt: skip
_DOLLARS = frozenset({"$", "dollar", "dollars", "bucks", "piasse", "piasses"})

# --- People (patterns on the folded text find the cue; the name is checked on the original) -----

_NAME_CUE_RE = re.compile(
    r"\b(?:(?P<strong>my\s+name\s+is|my\s+name's|je\s+m'\s*appelle|mon\s+nom\s+(?:est|c'est)"
    r"|moi\s+c'est)|(?P<weak>i'm|i\s+am|im|this\s+is|c'est|ici|je\s+suis))\s+"
)
_NAME_WORDS_RE = re.compile(
    r"[^\W\d_]+(?:-[^\W\d_]+)*\.?(?:[ \t]+[^\W\d_]+(?:-[^\W\d_]+)*\.?){0,2}"
)
_INITIAL_RE = re.compile(r"[^\W\d_a-z]\.")
_AFTER_WEAK_NAME_RE = re.compile(r"\s*(?:$|[,.!;)\n]|(?:from|de|du|d'|here|ici|at|chez)\b)")
_CLOSING = (
    r"thanks|thank\s+you|thx|cheers|regards|best|best\s+regards|kind\s+regards|sincerely"
    r"|all\s+the\s+best|merci(?:\s+beaucoup|\s+encore|\s+d'avance)?|cordialement|salutations"
    r"|bonne\s+(?:journee|soiree|fin\s+de\s+journee)|a\s+bientot|a\+|bye"
)
_CLOSING_RE = re.compile(rf"(?:^|(?<=[\s,.!]))(?:{_CLOSING})(?=[\s,.!:]|$)[\s,.!:]*")
_CLOSING_LINE_RE = re.compile(rf"(?:^|[\s,.!])(?:{_CLOSING})\s*[,.!:]*$|,$")
_DASH_LINE_RE = re.compile(r"^\s*[-~]+\s*(?P<name>[^\s-].*)$")

#: Capitalised words that are not names: greetings, fillers, pronouns, adjectives said in anger.
NOT_NAMES = frozenset(
    {
        "bonjour", "bonsoir", "salut", "allo", "alo", "coucou", "merci", "svp", "stp", "ok",
        "okay", "oui", "non", "pouvez", "pourriez", "super", "hello", "hi", "hey", "dear",
        "thanks", "thank", "please", "sorry", "yes", "no", "team", "equipe", "service", "support",
        "client", "customer", "je", "tu", "il", "elle", "nous", "vous", "ils", "elles", "on",
        "moi", "toi", "lui", "ca", "cela", "ceci", "voici", "voila", "bonne", "bon", "bien",
        "madame", "monsieur", "mme", "mlle", "mr", "mrs", "ms", "cordialement", "salutations",
        "urgent", "important", "parfait", "genial", "correct", "vrai", "faux", "pire", "ridicule",
        "inacceptable", "possible", "gratuit", "desole", "desolee", "excusez", "bravo", "aide",
        "help", "fwd", "re", "beaucoup", "encore", "again", "you", "guys", "all", "everyone",
        "tout", "much", "great", "ridiculous", "unacceptable", "awesome", "amazing", "terrible",
        "fine", "good", "back", "here", "done", "confused", "disappointed", "interested", "happy",
        "upset", "angry", "frustrated", "still", "not", "very", "so", "just", "also", "canadian",
        "american", "french", "english", "british", "quebecois", "quebecoise", "canadien",
        "canadienne", "francais", "francaise", "anglais", "noel", "lundi", "mardi", "mercredi",
        "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "cheers", "regards", "best", "kind", "warm", "sincerely",
        "bye", "ciao", "bisous",
    }
)  # fmt: skip


def _parse_amount(raw: str) -> Decimal | None:
    digits = raw.replace(" ", "")
    last_sep = max(digits.rfind(","), digits.rfind("."))
    # A separator followed by 1–2 digits is the decimal one; groups of 3 are thousands.
    if last_sep != -1 and len(digits) - last_sep - 1 in (1, 2):
        whole, cents = digits[:last_sep], digits[last_sep + 1 :]
    else:
        whole, cents = digits, ""
    whole = whole.replace(",", "").replace(".", "")
    try:
        return Decimal(f"{whole or '0'}.{cents or '0'}").quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _is_name_word(word: str, *, first: bool) -> bool:
    parts = word.split("-")
    if not all(len(p) >= 2 and p[0].isupper() and (p[1:].islower() or p.isupper()) for p in parts):
        return False
    # "URGENT" or "FOU" after "c'est" is shouting, not a name; a surname may be upper case.
    return not first or not word.isupper()


def _name_span(
    text: str, start: int, *, strong: bool, max_words: int = 3
) -> tuple[int, int] | None:
    """Where the name that starts at ``start`` ends, or None when what is there is not a name."""
    m = _NAME_WORDS_RE.match(text, start)
    if m is None:
        return None
    words = m[0].split()[:max_words]
    first = words[0].rstrip(".")
    if fold(first) in NOT_NAMES:
        return None
    if strong and first.isalpha() and not first[0].isupper():
        return (start, start + len(first))  # "my name is sam": one word, not the rest of it
    kept: list[str] = []
    for i, word in enumerate(words):
        if i > 0 and _INITIAL_RE.fullmatch(word):  # "Julie T."
            kept.append(word)
            break
        bare = word.rstrip(".")
        if not _is_name_word(bare, first=i == 0) or fold(bare) in NOT_NAMES:
            break
        kept.append(bare)
        if bare != word:  # a full stop ends the name with the sentence
            break
    if not kept:
        return None
    end = start
    for word in kept:
        end = text.index(word, end) + len(word)
    return (start, end)


def _find_people(text: str, folded: str) -> Iterator[Candidate]:
    for m in _NAME_CUE_RE.finditer(folded):
        strong = m["strong"] is not None
        span = _name_span(text, m.end(), strong=strong, max_words=2)
        if span is None:
            continue
        if not strong and not _AFTER_WEAK_NAME_RE.match(folded, span[1]):
            continue
        yield Candidate(span[0], span[1], "PERSON", text[span[0] : span[1]])
    yield from _find_signature(text, folded)


def _find_signature(text: str, folded: str) -> Iterator[Candidate]:
    body = folded.rstrip()
    line_start = body.rfind("\n") + 1
    last_line = body[line_start:]
    if not last_line.strip() or len(last_line) > 200:
        return
    previous_line = body[: max(line_start - 1, 0)].rstrip().rsplit("\n", 1)[-1]
    # Where a name could start on the last line, and whether one word is enough there.
    starts = [(m.end(), True) for m in _CLOSING_RE.finditer(last_line)]
    if starts and last_line.rfind(",") > 0:
        starts.append((last_line.rfind(",") + 1, True))  # "Thanks a lot, Sam"
    dash = _DASH_LINE_RE.match(last_line)
    if dash:
        starts.append((dash.start("name"), True))
    if line_start > 0:
        # A lone capitalised word on the last line is a name only right after a closing
        # ("Cheers,\nSam"); otherwise ask for a full name or an initial ("Julie T.").
        starts.append((0, bool(_CLOSING_LINE_RE.search(previous_line))))
    for offset, single_word_ok in starts:
        start = line_start + offset
        start += len(text[start:]) - len(text[start:].lstrip(" \t"))
        span = _name_span(text, start, strong=False)
        if span is None or any(ch.isalnum() for ch in text[span[1] :]):
            continue
        if single_word_ok or len(text[span[0] : span[1]].split()) >= 2:
            yield Candidate(span[0], span[1], "PERSON", text[span[0] : span[1]])
            return


class RuleEntityRecognizer:
    """Component that finds order and tracking numbers, emails, phones, amounts, dates, times to
    call, everyday goods and names."""

    def __init__(
        self,
        *,
        lang: str = "en",
        phone_regions: Sequence[str] = ("CA", "FR"),
        default_currency: str = "CAD",
    ) -> None:
        self.lang = lang
        self.phone_regions = tuple(r.upper() for r in phone_regions)
        self.default_currency = default_currency.upper()
        # "$" is the brand's dollar; a brand in euros still reads "$" and "dollars" as US dollars.
        self._dollar = self.default_currency if self.default_currency.endswith("D") else "USD"

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if not text or text.isspace():
            return doc
        folded = fold_text(text)
        candidates: list[Candidate] = []
        # Most messages have no digit at all: skip every pattern that needs one.
        if _DIGIT_RE.search(folded):
            candidates += self._tracking(text, folded)
            candidates += self._orders(text, folded)
            candidates += self._phones(text)
            candidates += self._money(folded)
        candidates += self._emails(text)
        dates = list(find_dates(folded, day_first=self.lang == "fr"))
        candidates += (Candidate(s, e, "DATE", raw) for s, e, raw in dates)
        candidates += (Candidate(s, e, "TIME", t) for s, e, t in find_times(folded, dates=dates))
        candidates += (Candidate(s, e, "ITEM", w) for s, e, w in find_items(folded, lang=self.lang))
        candidates += _find_people(text, folded)
        if candidates:
            add_entities(doc, candidates)
        return doc

    def _tracking(self, text: str, folded: str) -> Iterator[Candidate]:
        if not _TRACKING_HINT_RE.search(folded):
            return
        for pattern in (_UPS_RE, _S10_RE):
            for m in pattern.finditer(folded):
                yield _tracking_candidate(text, m.start(), m.end())
        for m in _COLISSIMO_RE.finditer(folded):
            if sum(c.isdigit() for c in m[0]) >= 9:
                yield _tracking_candidate(text, m.start(), m.end())
        for m in _DIGIT_RUN_RE.finditer(folded):
            n = sum(c.isdigit() for c in m[0])
            # 16 digits: Canada Post; 20–22: USPS. FedEx (12, 15) and Purolator (12) numbers look
            # like anything else and are taken only when the customer says it is a tracking number.
            if n in (16, 20, 21, 22) or _TRACKING_CONTEXT_RE.search(
                folded, max(0, m.start() - 40), m.start()
            ):
                yield _tracking_candidate(text, m.start(), m.end())

    def _orders(self, text: str, folded: str) -> Iterator[Candidate]:
        if not any(hint in folded for hint in _ORDER_HINTS):
            return
        for pattern in _ORDER_RES:
            for m in pattern.finditer(folded):
                groups = m.groupdict()
                if groups.get("kw") == "commande" and text[m.end("kw") - 1] in "éÉ":
                    continue  # "j'ai commandé 2 sacs" is the verb, not "commande 2"
                marked = bool(groups.get("mark") or groups.get("colon"))
                ident = m["id"]
                if not marked and (
                    _YEAR_RE.fullmatch(ident) or (ident.isdigit() and len(ident) < 4)
                ):
                    continue  # "order 2024", "commande 12 sacs": a year or a quantity
                start, end = m.span("id")
                yield Candidate(start, end, "ORDER_NUMBER", text[start:end].upper())

    def _emails(self, text: str) -> Iterator[Candidate]:
        if "@" not in text:
            return
        for m in _EMAIL_RE.finditer(text):
            yield Candidate(m.start(), m.end(), "EMAIL", m[0].lower())

    def _phones(self, text: str) -> Iterator[Candidate]:
        if not _PHONE_HINT_RE.search(text):
            return  # the phone matcher is the slowest step: run it only with 7 digits in sight
        taken: list[tuple[int, int]] = []
        for region in self.phone_regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region):
                start, end = int(match.start), int(match.end)
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                yield Candidate(start, end, "PHONE", str(e164))

    def _money(self, folded: str) -> Iterator[Candidate]:
        for pattern in (_MONEY_BEFORE_RE, _MONEY_AFTER_RE):
            for m in pattern.finditer(folded):
                amount = _parse_amount(m["amt"])
                if amount is None:
                    continue
                cur = m["cur"].replace(" ", "")
                if cur in _DOLLARS:
                    currency = self._dollar
                elif cur in ("balle", "balles"):
                    currency = self.default_currency
                else:
                    currency = _CURRENCIES.get(cur, self.default_currency)
                yield Candidate(m.start(), m.end(), "MONEY", f"{amount} {currency}")


def _tracking_candidate(text: str, start: int, end: int) -> Candidate:
    value = "".join(text[start:end].split()).upper()
    return Candidate(start, end, "TRACKING_NUMBER", value)


def add_entities(doc: Doc, candidates: Iterable[Candidate]) -> list[Span]:
    """Add the best non-overlapping ``candidates`` to ``doc.ents``; existing entities are kept."""
    taken = bytearray(len(doc))
    for ent in doc.ents:
        taken[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
    chosen: list[tuple[Span, str | None]] = []
    ranked = sorted(
        set(candidates), key=lambda c: (c.start - c.end, -_PRIORITY.get(c.label, 0), c.start)
    )
    for cand in ranked:
        span = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="expand")
        if span is None or len(span) == 0 or any(taken[span.start : span.end]):
            continue
        taken[span.start : span.end] = b"\x01" * len(span)
        chosen.append((span, cand.value))
    if not chosen:
        return []
    spans = [span for span, _ in chosen]
    doc.set_ents(spans, default="unmodified")
    for span, value in chosen:
        span._.set(VALUE_EXTENSION, value)
    return spans


def make_rule_entities(
    nlp: Language,
    name: str,
    *,
    lang: str = "en",
    phone_regions: Sequence[str] = ("CA", "FR"),
    default_currency: str = "CAD",
) -> RuleEntityRecognizer:
    """Factory of :class:`RuleEntityRecognizer` (registered by ``bot.nlp.components``)."""
    return RuleEntityRecognizer(
        lang=lang, phone_regions=phone_regions, default_currency=default_currency
    )


# --- Products ----------------------------------------------------------------------------------


def catalog_patterns(catalog: Catalog) -> list[dict[str, Any]]:
    """EntityRuler patterns for every product name and alias, label PRODUCT, id the product's name.

    The patterns are phrase patterns of the folded name: add them to an ``entity_ruler`` created
    with ``{"phrase_matcher_attr": "NORM"}`` and placed after the text normaliser, so the ruler
    tokenises them with the pipeline's own tokenizer and "Mélange Boréal", "melange boreal" and
    "MELANGE BOREAL" all match.
    """
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for product in catalog.products:
        for text in (product.name, *product.aliases):
            folded = " ".join(fold(text).split())
            if folded and (product.name, folded) not in seen:
                seen.add((product.name, folded))
                patterns.append({"label": "PRODUCT", "pattern": folded, "id": product.name})
    return patterns


# --- Extraction --------------------------------------------------------------------------------


def extract_entities(doc: Doc, *, today: date) -> tuple[Entity, ...]:
    """The entities of ``doc`` as domain values, dates resolved against ``today``, in text order."""
    entities: list[Entity] = []
    for ent in sorted(doc.ents, key=lambda e: e.start_char):
        raw = ent._.get(VALUE_EXTENSION)
        value: str | None = raw if isinstance(raw, str) else None
        if ent.label_ == "DATE":
            value = resolve_date(value, today) if value else None
        elif ent.label_ == "TIME":
            value = resolve_time(value, today) if value else None
        elif ent.label_ == "PRODUCT":
            value = ent.ent_id_ or ent.text
        elif value is None and ent.label_ in ("PERSON", "PLACE"):
            value = " ".join(ent.text.split())
        entities.append(Entity(ent.label_, ent.text, ent.start_char, ent.end_char, value))
    return tuple(entities)
