"""The text normaliser: NORM ignores case and accents, and the folded text keeps its offsets."""

from __future__ import annotations

import pytest
import spacy
from spacy.matcher import Matcher

from bot.nlp.normalize import TextNormalizer, fold, fold_text, make_text_normalizer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Commandé", "commande"),
        ("MÉLANGE", "melange"),
        ("Taïga", "taiga"),
        ("Ça", "ca"),
        ("Érable", "erable"),
        ("aujourd’hui", "aujourd'hui"),
        ("déjà-vu", "deja-vu"),
        ("4821", "4821"),
        ("🙂", "🙂"),
        ("", ""),
    ],
)
def test_fold_lowercases_and_strips_accents(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Crème brûlée à Montréal",
        "ﬁn de l’été, straße, İstanbul, œuvre",
        "12\u202f€ et 3\u00a0$",
        "emoji 🙂 and \x00 control \x1b[31m chars",
        "",
    ],
)
def test_fold_text_keeps_the_length(text: str) -> None:
    assert len(fold_text(text)) == len(text)


def test_offsets_found_in_the_folded_text_are_valid_in_the_original() -> None:
    text = "Straße 🙂 — j’ai reçu le Mélange Boréal à Montréal"
    folded = fold_text(text)
    start = folded.index("melange boreal")
    assert text[start : start + len("melange boreal")] == "Mélange Boréal"
    start = folded.index("montreal")
    assert text[start : start + len("montreal")] == "Montréal"


def test_fold_text_folds_french_typography() -> None:
    assert fold_text("Crème Brûlée – 12\u202f€ l’unité") == "creme brulee - 12 € l'unite"


def test_fold_text_keeps_characters_whose_fold_is_longer() -> None:
    # "ﬁ" would become "fi" and "ß" has no single-letter fold: both stay, so offsets hold.
    assert fold_text("ﬁn ß") == "ﬁn ß"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_normaliser_sets_norm_of_every_token(lang: str) -> None:
    nlp = spacy.blank(lang)
    normaliser = make_text_normalizer(nlp, "normaliser")
    doc = nlp.make_doc("Ma COMMANDÉ de Mélange Boréal")
    assert normaliser(doc) is doc
    assert [t.norm_ for t in doc] == ["ma", "commande", "de", "melange", "boreal"]
    assert doc.text == "Ma COMMANDÉ de Mélange Boréal"  # the text itself is untouched


def test_matcher_on_norm_ignores_case_and_accents() -> None:
    nlp = spacy.blank("fr")
    normaliser = TextNormalizer()
    matcher = Matcher(nlp.vocab)
    matcher.add("PRODUCT", [[{"NORM": "melange"}, {"NORM": "boreal"}]])
    for text in ("Mélange Boréal", "melange boreal", "MELANGE BOREAL", "MÉLANGE boréal"):
        doc = normaliser(nlp.make_doc(f"je veux du {text} svp"))
        assert len(matcher(doc)) == 1, text


def test_normaliser_accepts_an_empty_doc() -> None:
    nlp = spacy.blank("en")
    doc = TextNormalizer()(nlp.make_doc(""))
    assert len(doc) == 0
