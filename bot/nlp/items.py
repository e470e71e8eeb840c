"""What a customer names when it is not in the catalogue ("the kettle whose lid leaks").

Catalogue products are found by the ``entity_ruler``; this finds the everyday goods people write
about (a kettle, a mug, boots, a coffee maker) so a draft can name them back. A word is taken only
from a lexicon of goods, never guessed, so "my order", "my account" or "my day" are never
products. In English up to two words between a determiner and the noun come with it ("your organic
coffee", "my new kettle"); in French one known adjective after it ("bouilloire électrique").

The entity's ``text`` is what the customer wrote; its value is the lexicon word (singular), from
which :func:`item_forms` writes "the kettle", "la bouilloire", "du grille-pain", "des tasses".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from bot.nlp.normalize import fold

__all__ = ["ItemForms", "find_items", "item_forms"]

_EN = """
kettle teapot teacup mug tumbler thermos bottle flask carafe pitcher jug bowl plate saucer pan pot
skillet wok knife grinder toaster blender mixer juicer microwave oven stove fridge refrigerator
freezer dishwasher vacuum heater humidifier dehumidifier lamp bulb charger cable adapter headphones
earbuds speaker laptop tablet keyboard monitor printer camera watch router controller console
television tv shirt t-shirt sweater hoodie jacket coat parka dress skirt pants jeans shorts
leggings socks shoes boots sneakers sandals slippers hat cap toque mittens gloves scarf belt
backpack purse wallet suitcase umbrella necklace bracelet earrings sunglasses chair desk sofa
couch bed mattress pillow blanket duvet sheets towel curtain rug shelf drawer cabinet mirror
candle vase coffee beans espresso tea chocolate cookies syrup honey jam lotion shampoo
conditioner soap perfume lipstick mascara serum bike bicycle helmet skates skis snowboard tent
stroller toy puzzle notebook
"""
_EN_COMPOUNDS = (
    "coffee maker", "coffee machine", "espresso machine", "french press", "moka pot", "gift card",
    "gift box", "tea set", "water bottle", "travel mug", "phone case", "phone charger",
)  # fmt: skip
# Gender of each French word (m or f); compounds keep the gender of their head.
_FR = """
bouilloire:f theiere:f tasse:f mug:m gobelet:m thermos:m bouteille:f gourde:f carafe:f pichet:m
bol:m assiette:f soucoupe:f poele:f casserole:f chaudron:m couteau:m moulin:m grille-pain:m
melangeur:m mixeur:m batteur:m centrifugeuse:f micro-ondes:m four:m cuisiniere:f frigo:m
refrigerateur:m congelateur:m lave-vaisselle:m aspirateur:m ventilateur:m chaufferette:f
humidificateur:m lampe:f ampoule:f chargeur:m adaptateur:m ecouteurs:m haut-parleur:m
ordinateur:m tablette:f clavier:m ecran:m imprimante:f camera:f montre:f routeur:m manette:f
console:f television:f tele:f chemise:f chandail:m pull:m coton-ouate:m veste:f manteau:m
parka:m robe:f jupe:f pantalon:m jean:m chaussettes:f souliers:m chaussures:f bottes:f
espadrilles:f sandales:f pantoufles:f chapeau:m casquette:f tuque:f mitaines:f gants:m
foulard:m echarpe:f ceinture:f sac:m sac a dos:m sacoche:f portefeuille:m valise:f parapluie:m
bague:f collier:m bracelet:m boucles d'oreilles:f lunettes:f chaise:f sofa:m divan:m canape:m
lit:m matelas:m oreiller:m couverture:f couette:f draps:m serviette:f rideau:m tapis:m etagere:f
tiroir:m miroir:m chandelle:f bougie:f vase:m cafe:m espresso:m the:m chocolat:m biscuits:m
sirop:m miel:m confiture:f lotion:f shampoing:m savon:m parfum:m rouge a levres:m mascara:m
serum:m velo:m casque de velo:m patins:m skis:m tente:f poussette:f jouet:m casse-tete:m cahier:m
cafetiere:f machine a cafe:f machine espresso:f moulin a cafe:m carte-cadeau:f carte cadeau:f
boite-cadeau:f coffret:m
"""
# Words that may follow a French noun and belong with it.
_FR_ADJECTIVES = (
    "electrique|bio|biologique|equitable|noir|noire|blanc|blanche|rouge|bleu|bleue|vert|verte"
    "|gris|grise|rose|neuf|neuve|inox|moulu|en grains|en inox|en verre|en ceramique"
    "|en erable|en bois|decafeine|intelligent|intelligente|sans fil"
)
_EN_DETERMINERS = (
    "the|my|your|our|this|that|these|those|a|an|his|her|their|some|any|of|both|all|one|two|three|four"
    "|five|six|ten|few|several"
)
_EN_NOT_MODIFIERS = frozenset(
    (
        _EN_DETERMINERS.replace("|", " ")
        + " for and or with to from in on at by is was are were it its i you we they me no not"
        " very so just also really"
    ).split()
)
# French words ending in s or x that are singular.
_FR_SINGULAR = frozenset({"matelas", "thermos", "micro-ondes", "casse-tete", "tapis", "divan"})
# "a bag of coffee", "une boîte de thé": the item is what is in the container.
_CONTAINER_RE = re.compile(r"\s+(?:of|de|d')\b")


def _en_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for word in (*_EN.split(), *_EN_COMPOUNDS):
        words[word] = word
        if not word.endswith("s"):
            words.setdefault(word + ("es" if word.endswith(("sh", "ch", "x")) else "s"), word)
    return words


def _fr_words() -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = {}
    genders: dict[str, str] = {}
    for written, gender in re.findall(r"([^\s:][^:]*?):([mf])", _FR):
        word = " ".join(written.split())
        genders[word] = gender
        words[word] = word
        head, _, rest = word.partition(" ")
        if not head.endswith(("s", "x")):
            plural = head + ("x" if head.endswith("eau") else "s")
            words.setdefault(f"{plural} {rest}".strip(), word)
    return words, genders


_EN_WORDS = _en_words()
_FR_WORDS, _FR_GENDERS = _fr_words()
_SEPARATOR_RE = re.compile(r"[-\s]+")


def _pattern(word: str) -> str:
    # "grille-pain" also matches "grille pain" and "grillepain"; spaces match any run of spaces.
    parts = re.split(r"(-|\s+)", word)
    return "".join(
        r"[-\s]?" if p == "-" else r"\s+" if p.isspace() else re.escape(p) for p in parts
    )


def _alternation(words: dict[str, str]) -> str:
    return "|".join(_pattern(w) for w in sorted(words, key=len, reverse=True))


def _key(noun: str) -> str:
    return _SEPARATOR_RE.sub(" ", noun)


# The first word of every entry: a message with none of them is not searched further.
_WORD_RE = re.compile(r"[a-z]{2,}")
_EN_FIRST = frozenset(_WORD_RE.findall(" ".join(w.split()[0] for w in _EN_WORDS)))
_FR_FIRST = frozenset(_WORD_RE.findall(" ".join(w.split()[0] for w in _FR_WORDS)))
_EN_KEYS = {_key(w): v for w, v in _EN_WORDS.items()}
_FR_KEYS = {_key(w): v for w, v in _FR_WORDS.items()}
_EN_RE = re.compile(
    rf"\b(?:{_EN_DETERMINERS})\s+(?P<mods>(?:[a-z][a-z-]*\s+){{0,2}}?)"
    rf"(?P<noun>{_alternation(_EN_WORDS)})(?![\w-])"
)
_FR_RE = re.compile(
    rf"(?<![\w-])(?P<noun>{_alternation(_FR_WORDS)})(?P<adj>\s+(?:{_FR_ADJECTIVES}))?(?![\w-])"
)
# "the" in French is tea only after an article ("le thé", "du thé", "mon thé").
_FR_TEA_RE = re.compile(r"\b(?:le|du|mon|ton|votre|notre|ce|un|de|au)\s+$")


class ItemForms(NamedTuple):
    """How a draft names an item: "the kettle" / "la bouilloire", "of the kettle" / "de la…"."""

    the: str
    of: str


def find_items(folded: str, *, lang: str) -> Iterator[tuple[int, int, str]]:
    """The goods named in ``folded``, as ``(start_char, end_char, lexicon word)``."""
    if (_FR_FIRST if lang == "fr" else _EN_FIRST).isdisjoint(_WORD_RE.findall(folded)):
        return
    if lang == "fr":
        for m in _FR_RE.finditer(folded):
            word = _FR_KEYS.get(_key(m["noun"]))
            if word is None or _CONTAINER_RE.match(folded, m.end("noun")):
                continue
            if word == "the" and not _FR_TEA_RE.search(folded, 0, m.start()):
                continue
            yield m.start(), m.end(), word
        return
    for m in _EN_RE.finditer(folded):
        word = _EN_KEYS.get(_key(m["noun"]))
        if word is None or _CONTAINER_RE.match(folded, m.end("noun")):
            continue
        start = m.start("noun")
        # "of your organic coffee": the determiners go, "organic" stays with the noun.
        for mod in re.finditer(r"[a-z][a-z-]*", m["mods"]):
            if mod[0] in _EN_NOT_MODIFIERS:
                continue
            if not any(w in _EN_NOT_MODIFIERS for w in m["mods"][mod.start() :].split()):
                start = m.start("mods") + mod.start()
            break
        yield start, m.end("noun"), word


def item_forms(written: str, word: str, *, language: str) -> ItemForms:
    """The phrases a template needs for an item the customer wrote as ``written``."""
    if language != "fr":
        return ItemForms(f"the {written}", f"of the {written}")
    head = fold(written).split()[0] if written.split() else ""
    if head.endswith(("s", "x")) and head not in _FR_SINGULAR:
        return ItemForms(f"les {written}", f"des {written}")
    if head[:1] in ("a", "e", "i", "o", "u", "y") or head.startswith("hum"):
        return ItemForms(f"l'{written}", f"de l'{written}")
    if _FR_GENDERS.get(word, "m") == "f":
        return ItemForms(f"la {written}", f"de la {written}")
    return ItemForms(f"le {written}", f"du {written}")
