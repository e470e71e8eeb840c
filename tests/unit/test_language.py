"""Tests of bot.nlp.language: language identification on short and long customer messages."""

from __future__ import annotations

import dataclasses
import time

import pytest

from bot.nlp.language import LanguageGuess, LanguageIdentifier, load_markers, normalise_language

LONG_FR = (
    "Bonjour, j'ai commandé une veste il y a deux semaines et je n'ai toujours rien reçu. "
    "Le suivi indique que le colis est en transit depuis dix jours. Pouvez-vous vérifier où en "
    "est ma commande et me dire quand je vais la recevoir? Merci d'avance."
)
LONG_EN = (
    "Hi there, I ordered a jacket two weeks ago and it still hasn't arrived. The tracking page "
    "says the package has been in transit for ten days. Could you please check the status of my "
    "order and let me know when it will be delivered? Thanks in advance."
)
LONG_QC = (
    "Allo, ma commande est pas encore arrivée pis ça fait deux semaines que j'attends. "
    "Ya tu quelqu'un qui peut m'aider? C'est vraiment plate, j'en ai besoin pour la fin de semaine."
)


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Salut!", "fr"),
        ("salut", "fr"),
        ("Merci", "fr"),
        ("merci bcp", "fr"),
        ("Bonjour", "fr"),
        ("bonsoir", "fr"),
        ("allo", "fr"),
        ("svp", "fr"),
        ("stp", "fr"),
        ("ou est ma commande", "fr"),
        ("ca marche pas", "fr"),
        ("c koi ca", "fr"),
        ("jveux un remboursement", "fr"),
        ("my order est pas arrivé", "fr"),
        ("le checkout bug", "fr"),
        ("t'as-tu reçu mon courriel", "fr"),
        ("c’est quand la livraison", "fr"),
        ("Tabarnak ça marche pas", "fr"),
        ("À quelle heure ouvrez-vous?", "fr"),
        ("ok thx", "en"),
        ("thx", "en"),
        ("ty", "en"),
        ("hi", "en"),
        ("plz help", "en"),
        ("where is my order", "en"),
        ("my order #1234 is late", "en"),
        ("I want a refund svp", "en"),
        ("I'm waiting", "en"),
        ("hey u there?", "en"),
        ("Can I cancel my subscription?", "en"),
        ("My package is at the dépanneur", "en"),
        ("Hola, dónde está mi pedido?", "other"),
        ("Wo ist meine Bestellung?", "other"),
        ("Grazie mille per l'aiuto", "other"),
        ("Obrigado, onde está meu pedido?", "other"),
        ("Waar is mijn bestelling?", "other"),
        ("Ciao, dov'è il mio ordine?", "other"),
        ("Gracias", "other"),
        ("Где мой заказ?", "other"),
        ("我的订单在哪里", "other"),
        (LONG_FR, "fr"),
        (LONG_EN, "en"),
        (LONG_QC, "fr"),
        ("Dzień dobry, gdzie jest moje zamówienie, czekam już dwa tygodnie na paczkę", "other"),
    ],
)
def test_identifies_language(identifier: LanguageIdentifier, text: str, expected: str) -> None:
    guess = identifier.identify(text)
    assert guess.language == expected, guess
    assert 0.0 <= guess.confidence <= 1.0
    assert guess.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Salut!", "fr"),
        ("Merci", "fr"),
        ("svp", "fr"),
        ("my order est pas arrivé", "fr"),
        ("thx", "en"),
        ("where is my order", "en"),
    ],
)
def test_clear_evidence_beats_a_contrary_hint(
    identifier: LanguageIdentifier, text: str, expected: str
) -> None:
    contrary = "en" if expected == "fr" else "fr-CA"
    guess = identifier.identify(text, hint=contrary)
    assert guess.language == expected
    assert guess.confidence >= 0.5


@pytest.mark.parametrize("text", ["STOP", "ok", "info", "Hallo", "lol", "menu"])
@pytest.mark.parametrize(("hint", "expected"), [("fr-CA", "fr"), ("en", "en"), ("en_US", "en")])
def test_weak_evidence_uses_the_hint(
    identifier: LanguageIdentifier, text: str, hint: str, expected: str
) -> None:
    guess = identifier.identify(text, hint=hint)
    assert guess.language == expected
    assert guess.confidence < 0.5
    assert "hint" in guess.reason


@pytest.mark.parametrize("text", ["STOP", "ok", "info"])
def test_weak_evidence_without_hint_uses_the_default(text: str) -> None:
    for default in ("fr", "en"):
        guess = LanguageIdentifier(default=default).identify(text)
        assert guess.language == default
        assert guess.confidence < 0.5
        assert "default" in guess.reason


def test_allo_with_an_english_hint_may_stay_english(identifier: LanguageIdentifier) -> None:
    assert identifier.identify("allo?", hint="en").language == "en"
    assert identifier.identify("allo", hint="fr-CA").language == "fr"
    assert identifier.identify("allo").confidence < 0.5


def test_a_single_foreign_word_from_a_french_customer_is_not_other(
    identifier: LanguageIdentifier,
) -> None:
    assert identifier.identify("Hola", hint="fr").language == "fr"
    assert identifier.identify("Hola").language == "other"
    assert identifier.identify("Hola, dónde está mi pedido?", hint="fr").language == "other"


@pytest.mark.parametrize("text", ["", "   ", "👍", "#4821", "!!!", "12/05 14:30", "\u200b\ufeff"])
def test_no_letters_gives_zero_confidence(identifier: LanguageIdentifier, text: str) -> None:
    guess = identifier.identify(text, hint="en")
    assert guess == LanguageGuess("en", 0.0, guess.reason)
    assert "no letters" in guess.reason
    assert identifier.identify(text).language == "fr"
    assert LanguageIdentifier(default="en").identify(text).confidence == 0.0


@pytest.mark.parametrize(
    "text",
    ["\ud800merci", "mer\u200bci", "mer\x00ci", "merci\r\n\r\n", "MERCI", "merci" * 2000],
)
def test_bad_input_is_read_after_cleaning(identifier: LanguageIdentifier, text: str) -> None:
    assert identifier.identify(text).language == "fr"


def test_long_input_in_either_language(identifier: LanguageIdentifier) -> None:
    assert identifier.identify(LONG_FR * 50).language == "fr"
    assert identifier.identify(LONG_EN * 50).language == "en"
    assert identifier.identify(LONG_EN * 50).confidence > 0.9


def test_urls_and_mentions_carry_no_language(identifier: LanguageIdentifier) -> None:
    guess = identifier.identify("https://www.amazon.com/dp/B000 @support", hint="fr")
    assert guess.language == "fr"


def test_others_can_be_narrowed() -> None:
    only_spanish = LanguageIdentifier(others=("es",))
    assert only_spanish.identify("Hola, dónde está mi pedido?").language == "other"
    # German markers are not consulted any more: the message gives no usable evidence.
    assert only_spanish.identify("Danke", hint="en").language == "en"
    no_others = LanguageIdentifier(others=())
    assert no_others.identify("Gracias", hint="fr").language == "fr"


def test_short_messages_are_fast(identifier: LanguageIdentifier) -> None:
    identifier.warm_up()
    messages = ["merci bcp", "ok thx", "where is my order", "my order est pas arrivé", "STOP"]
    start = time.perf_counter()
    for _ in range(200):
        for message in messages:
            identifier.identify(message)
    per_message = (time.perf_counter() - start) / (200 * len(messages))
    # Measured about 0.05 ms; the bound only catches gross regressions (model reloads…).
    assert per_message < 0.001


def test_language_guess_is_frozen_and_checked() -> None:
    guess = LanguageGuess("fr", 0.5, "test")
    with pytest.raises(dataclasses.FrozenInstanceError):
        guess.language = "en"  # type: ignore[misc]
    with pytest.raises(ValueError, match="confidence"):
        LanguageGuess("fr", 1.5, "test")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr-CA", "fr"),
        ("fr_FR", "fr"),
        ("FR", "fr"),
        ("en", "en"),
        ("en-US", "en"),
        ("english", "en"),
        ("es", "other"),
        ("pt-BR", "other"),
        ("other", "other"),
        ("und", None),
        ("", None),
        (None, None),
        ("1234", None),
        ("x", None),
    ],
)
def test_normalise_language(code: str | None, expected: str | None) -> None:
    assert normalise_language(code) == expected


@pytest.mark.parametrize(
    "kwargs",
    [{"default": "es"}, {"default": "xx-YY"}, {"others": ("fr",)}, {"others": ("Spanish",)}],
)
def test_bad_configuration_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"default|others"):
        LanguageIdentifier(**kwargs)  # type: ignore[arg-type]


def test_marker_lexicon() -> None:
    markers = load_markers()
    per_language: dict[str, int] = {}
    for entries in markers.weights.values():
        for lang in entries:
            per_language[lang] = per_language.get(lang, 0) + 1
    assert per_language["fr"] >= 300
    assert per_language["en"] >= 300
    assert {"es", "de", "it", "pt", "nl"} <= per_language.keys()
    for word in ("ok", "stop", "menu", "service", "info"):
        assert word in markers.neutral
        assert not {"fr", "en"} & markers.weights.get(word, {}).keys()
    # accents are folded at load time
    assert "ou" in markers.weights
    assert "ca" in markers.weights


def test_unknown_other_language_is_reported_when_py3langid_loads() -> None:
    with pytest.raises(ValueError, match="xx"):
        LanguageIdentifier(others=("xx",)).warm_up()
