"""Details a customer gives that a reply writes back: a time to be called at, the thing they
bought, what they were charged, their phone number as they typed it."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from spacy.pipeline import EntityRuler

from bot.config import RESOURCES, load_catalog
from bot.domain import Entity
from bot.drafting.details import money_text
from bot.nlp.entities import catalog_patterns, extract_entities, make_rule_entities
from bot.nlp.items import item_forms
from bot.nlp.normalize import make_text_normalizer

#: A Saturday: "tomorrow" is 2026-11-29.
TODAY = date(2026, 11, 28)


class Rules:
    """The normaliser, the catalogue ruler and the rule entities on a blank pipeline."""

    def __init__(self, lang: str) -> None:
        self.nlp = spacy.blank(lang)
        self.normaliser = make_text_normalizer(self.nlp, "normaliser")
        ruler = self.nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM"})
        assert isinstance(ruler, EntityRuler)
        ruler.add_patterns(catalog_patterns(load_catalog(RESOURCES / "catalog.yml")))
        self.ruler = ruler
        self.rules = make_rule_entities(self.nlp, "rules", lang=lang)

    def __call__(self, text: str) -> tuple[Entity, ...]:
        doc = self.rules(self.ruler(self.normaliser(self.nlp.make_doc(text))))
        return extract_entities(doc, today=TODAY)

    def found(self, text: str, label: str) -> list[tuple[str, str | None]]:
        return [(e.text, e.value) for e in self(text) if e.label == label]


@pytest.fixture(scope="module")
def en() -> Rules:
    return Rules("en")


@pytest.fixture(scope="module")
def fr() -> Rules:
    return Rules("fr")


# --- Times to be called at ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can someone call me after 5pm? I'm at work before that", ("after 5pm", ">=17:00")),
        ("You can reach me after 5, my cell is 514-555-1234", ("after 5", ">=17:00")),
        (
            "Please call me back tomorrow morning, it's about my refund",
            ("tomorrow morning", "2026-11-29 morning"),
        ),
        (
            "I'm available between 9 and 11am if you want to phone",
            ("between 9 and 11am", "09:00-11:00"),
        ),
        ("ring me around 2:30 p.m. please", ("around 2:30 p.m.", "14:30")),
        ("Could you give me a call before noon?", ("before noon", "<=12:00")),
    ],
)
def test_english_times_to_call(en: Rules, text: str, expected: tuple[str, str]) -> None:
    assert en.found(text, "TIME") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pouvez-vous me rappeler après 17h? Je travaille de jour", ("après 17h", ">=17:00")),
        (
            "Vous pouvez me joindre demain matin au 418 555-0192",
            ("demain matin", "2026-11-29 morning"),
        ),
        (
            "Je suis disponible entre 13 h 30 et 15h pour un appel",
            ("entre 13 h 30 et 15h", "13:30-15:00"),
        ),
        ("Appelez-moi avant midi svp", ("avant midi", "<=12:00")),
        ("Rappelez-moi en fin de journée, merci", ("en fin de journée", "evening")),
        ("tu peux m'appeler vers 14h30?", ("vers 14h30", "14:30")),
    ],
)
def test_french_times_to_call(fr: Rules, text: str, expected: tuple[str, str]) -> None:
    assert fr.found(text, "TIME") == [expected]


@pytest.mark.parametrize(
    ("rules", "text"),
    [
        ("en", "My parcel was delivered at 5pm but the box was empty"),  # no call asked for
        ("en", "I called yesterday after 5pm and nobody picked up"),  # a story, not a request
        ("en", "Good morning, could someone call me about my order?"),  # a greeting
        ("fr", "J'ai appelé hier soir et personne n'a répondu"),
        ("fr", "Bon matin! Pouvez-vous m'appeler?"),
        ("fr", "Pouvez-vous me rappeler? J'ai commandé 2 sacs"),
    ],
)
def test_no_time_where_none_was_asked_for(en: Rules, fr: Rules, rules: str, text: str) -> None:
    pipeline = en if rules == "en" else fr
    assert pipeline.found(text, "TIME") == []


def test_a_past_day_stays_a_date(fr: Rules) -> None:
    entities = fr("J'ai appelé hier soir, rappelez-moi svp")
    assert [e.label for e in entities] == ["DATE"]


# --- Things the customer names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The lid of my kettle leaks since the first day", ("kettle", "kettle")),
        (
            "I'd like to order three boxes of your organic coffee for our office.",
            ("organic coffee", "coffee"),
        ),
        ("My new Breville kettle stopped heating after a week", ("new Breville kettle", "kettle")),
        ("I got a bag of espresso beans instead of decaf", ("espresso", "espresso")),
        ("the coffee maker I bought leaks everywhere", ("coffee maker", "coffee maker")),
        ("Both mugs arrived chipped", ("mugs", "mug")),
    ],
)
def test_english_items(en: Rules, text: str, expected: tuple[str, str]) -> None:
    assert en.found(text, "ITEM")[:1] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le couvercle de ma bouilloire fuit depuis le premier jour", ("bouilloire", "bouilloire")),
        ("le grille pain que j'ai reçu chauffe pas", ("grille pain", "grille-pain")),
        ("J'ai reçu un sac de café moulu au lieu de grains", ("café moulu", "cafe")),
        ("Mes bottes ont décousu après deux semaines", ("bottes", "bottes")),
        ("Merci pour le thé, il est délicieux", ("thé", "the")),
    ],
)
def test_french_items(fr: Rules, text: str, expected: tuple[str, str]) -> None:
    assert fr.found(text, "ITEM")[:1] == [expected]


@pytest.mark.parametrize(
    ("rules", "text"),
    [
        ("en", "My order still hasn't shipped and my account shows nothing"),
        ("en", "Can you call my phone number instead of e-mailing?"),
        ("fr", "Le colis a été livré hier mais je ne l'ai pas"),
        ("fr", "J'aimerais commander pour notre bureau, c'est possible?"),
        ("fr", "Je vous appelle à 17h pile"),
    ],
)
def test_nothing_taken_for_an_item_outside_the_lexicon(
    en: Rules, fr: Rules, rules: str, text: str
) -> None:
    pipeline = en if rules == "en" else fr
    assert pipeline.found(text, "ITEM") == []


def test_a_catalogue_product_wins_over_the_word_for_it(fr: Rules) -> None:
    labels = [e.label for e in fr("Mon moulin à café est arrivé brisé")]
    assert labels == ["PRODUCT"]


@pytest.mark.parametrize(
    ("written", "word", "language", "the", "of"),
    [
        ("bouilloire", "bouilloire", "fr", "la bouilloire", "de la bouilloire"),
        ("grille-pain", "grille-pain", "fr", "le grille-pain", "du grille-pain"),
        ("aspirateur", "aspirateur", "fr", "l'aspirateur", "de l'aspirateur"),
        ("tasses", "tasse", "fr", "les tasses", "des tasses"),
        ("matelas", "matelas", "fr", "le matelas", "du matelas"),
        ("organic coffee", "coffee", "en", "the organic coffee", "of the organic coffee"),
    ],
)
def test_item_forms(written: str, word: str, language: str, the: str, of: str) -> None:
    forms = item_forms(written, word, language=language)
    assert (forms.the, forms.of) == (the, of)


# --- Amounts and phones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "text", "expected"),
    [
        ("en", "I was charged 49,99 $ twice for the same order", ("49,99 $", "49.99 CAD")),
        ("en", "There's a $49.99 charge I don't recognise", ("$49.99", "49.99 CAD")),
        ("en", "you billed me 49.99€ instead of 39.99€", ("49.99€", "49.99 EUR")),
        ("fr", "On m'a facturé 49,99 $ deux fois", ("49,99 $", "49.99 CAD")),
        ("fr", "prélevé 1 234,50 $ sur ma carte", ("1 234,50 $", "1234.50 CAD")),
    ],
)
def test_amounts_charged(
    en: Rules, fr: Rules, rules: str, text: str, expected: tuple[str, str]
) -> None:
    pipeline = en if rules == "en" else fr
    assert pipeline.found(text, "MONEY")[:1] == [expected]


@pytest.mark.parametrize(
    ("value", "language", "currency", "expected"),
    [
        ("49.99 CAD", "fr", "CAD", "49,99 $"),
        ("49.99 CAD", "en", "CAD", "$49.99"),
        ("50.00 CAD", "en", "CAD", "$50"),
        ("1234.50 CAD", "fr", "CAD", "1 234,50 $"),
        ("1234.50 CAD", "en", "CAD", "$1,234.50"),
        ("49.99 EUR", "fr", "CAD", "49,99 €"),
        ("49.99 EUR", "en", "CAD", "€49.99"),
        ("20.00 USD", "fr", "CAD", "20 $ US"),
        ("20.00 USD", "en", "CAD", "US$20"),
        ("20.00 USD", "en", "USD", "$20"),
    ],
)
def test_amounts_written_back_the_reply_languages_way(
    value: str, language: str, currency: str, expected: str
) -> None:
    assert money_text(value, language=language, currency=currency) == expected


@pytest.mark.parametrize(
    ("rules", "text", "written", "e164"),
    [
        ("fr", "Mon numéro c'est le 418 555-0192", "418 555-0192", "+14185550192"),
        ("en", "call me at (514) 555-0123 tonight", "(514) 555-0123", "+15145550123"),
    ],
)
def test_phone_kept_as_written_with_its_normal_form(
    en: Rules, fr: Rules, rules: str, text: str, written: str, e164: str
) -> None:
    pipeline = en if rules == "en" else fr
    assert pipeline.found(text, "PHONE") == [(written, e164)]
