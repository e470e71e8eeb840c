"""Tests of bot.nlp.signals: formality, questions and urgency on customer messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.tokens import Doc

from bot.nlp.signals import MessageSignals, make_message_signals, register_extensions

Analyse = Callable[[str], Doc]


def _analyser(lang: str) -> Analyse:
    nlp = spacy.blank(lang)
    component = make_message_signals(nlp, "signals", lang=lang)
    return lambda text: component(nlp.make_doc(text))


@pytest.fixture(scope="module")
def fr() -> Analyse:
    return _analyser("fr")


@pytest.fixture(scope="module")
def en() -> Analyse:
    return _analyser("en")


class TestFormality:
    @pytest.mark.parametrize(
        "text",
        [
            "Peux-tu m'aider stp",
            "peux tu m'aider",
            "t'as-tu reçu mon courriel",
            "ta tu recu mon courriel",
            "Tu es où",
            "t ou",
            "je t’écris pour ma commande",
            "j'te dis que ça marche pas",
            "merci à toi",
            "c'est ton colis",
            "envoie-moi la facture",
            "merci stp",
            "s'il te plaît",
            "Toé, tu sais-tu quoi faire?",
        ],
    )
    def test_tu(self, fr: Analyse, text: str) -> None:
        assert fr(text)._.formality == "tu"

    @pytest.mark.parametrize(
        "text",
        [
            "Pouvez-vous m'aider svp",
            "pouvez vous maider",
            "Est-ce que vous livrez à Laval",
            "Quelle est votre adresse",
            "vos heures d'ouverture",
            "Envoyez-moi la facture",
            "merci svp",
            "s'il vous plaît",
            "Merci à vous deux",
        ],
    )
    def test_vous(self, fr: Analyse, text: str) -> None:
        assert fr(text)._.formality == "vous"

    @pytest.mark.parametrize(
        "text",
        [
            "merci",
            "ou est ma commande",
            "Ya tu quelqu'un qui peut m'aider",  # Québec question particle, not a pronoun
            "c'tu ouvert demain",
            "Ça marche-tu",
            "ça marche tu?",
            "y a-t-il un magasin à Québec",
            "prendre rendez-vous demain",
            "",
            "👍",
        ],
    )
    def test_no_evidence(self, fr: Analyse, text: str) -> None:
        assert fr(text)._.formality is None

    def test_tie_goes_to_vous(self, fr: Analyse) -> None:
        assert fr("tu sais, vous devriez répondre")._.formality == "vous"

    def test_more_tu_than_vous(self, fr: Analyse) -> None:
        assert fr("peux-tu m'envoyer ton numéro svp")._.formality == "tu"

    def test_english_pipelines_do_not_read_formality(self, en: Analyse) -> None:
        assert en("tu peux m'aider stp")._.formality is None
        assert en("you can help me")._.formality is None


class TestQuestion:
    @pytest.mark.parametrize(
        "text",
        [
            "where is my order",
            "Where's my order",
            "can you help",
            "Could you check",
            "Is it shipped",
            "do you ship to Canada",
            "any update on my order",
            "Hi, any update on my order",
            "hi where is my parcel",
            "how much is shipping",
            "will it arrive before friday",
            "my order?",
            "¿Dónde está mi pedido",
            "Thanks. When will it ship",
        ],
    )
    def test_english_questions(self, en: Analyse, text: str) -> None:
        assert en(text)._.is_question

    @pytest.mark.parametrize(
        "text",
        [
            "ou est ma commande",
            "Où est ma commande",
            "Bonjour, où est ma commande",
            "Bonjour Marie, quand est-ce que je vais recevoir mon colis",
            "Est-ce que vous livrez à Laval",
            "est ce que vous livrez",
            "qu'est-ce qui se passe avec ma commande",
            "Pourquoi ma carte a été refusée",
            "pk c'est si long",
            "Quand est-ce que ça arrive",
            "Comment je fais pour annuler",
            "Combien ça coûte",
            "quel est le délai",
            "Quelles sont vos heures",
            "Pouvez-vous m'aider",
            "peux-tu m'aider",
            "y a-t-il un magasin à Québec",
            "Ya tu quelqu'un",
            "y'a-tu moyen d'annuler",
            "c'tu ouvert demain",
            "Ça marche-tu",
            "ça marche tu",
            "ta tu reçu mon courriel",
            "tu peux me rembourser",
            "vous pouvez me rembourser",
            "t'es où",
            "c'est quand la livraison",
            "ça coûte combien",
            "c'est quoi le code promo",
            "merci. Et la facture?",
        ],
    )
    def test_french_questions(self, fr: Analyse, text: str) -> None:
        assert fr(text)._.is_question

    @pytest.mark.parametrize(
        "text",
        [
            "Thanks for your help",
            "Can't find my order",
            "Do not ship it",
            "I want a refund",
            "Comment: the box was open",
            "",
            "👍",
        ],
    )
    def test_english_statements(self, en: Analyse, text: str) -> None:
        assert not en(text)._.is_question

    @pytest.mark.parametrize(
        "text",
        [
            "Merci pour votre aide",
            "c'est ce que je voulais",
            "Ou bien vous me remboursez",
            "je veux annuler ma commande",
            "prendre rendez-vous demain",
            "ma commande est arrivée, merci",
            "Je vous écris au sujet de ma facture",
        ],
    )
    def test_french_statements(self, fr: Analyse, text: str) -> None:
        assert not fr(text)._.is_question


class TestUrgency:
    @pytest.mark.parametrize(
        "text",
        [
            "I need it ASAP",
            "this is urgent",
            "URGENT",
            "It's an emergency",
            "refund me right now",
            "please answer immediately",
            "I need it today!!",
            "help!!!",
            "WHERE IS MY ORDER",
            "I NEED HELP NOW",
        ],
    )
    def test_english_urgent(self, en: Analyse, text: str) -> None:
        assert en(text)._.is_urgent

    @pytest.mark.parametrize(
        "text",
        [
            "c'est urgent",
            "C'EST URGENT",
            "J'ai besoin de ma commande au plus vite",
            "répondez immédiatement",
            "repondez immediatement",
            "tout de suite svp",
            "dès que possible",
            "des que possible",
            "je veux mon remboursement maintenant",
            "c'est pressé",
            "c presse",
            "au plus sacrant",
            "j'en ai besoin d'urgence",
            "OÙ EST MA COMMANDE",
            "vite!!",
            "asap svp",
        ],
    )
    def test_french_urgent(self, fr: Analyse, text: str) -> None:
        assert fr(text)._.is_urgent

    @pytest.mark.parametrize(
        "text",
        [
            "Thanks for your help",
            "not urgent, whenever you can",
            "no rush",
            "pas urgent, merci",
            "rien d'urgent",
            "OK",
            "OK OK",
            "merci!",
            "SVP merci",
            "",
        ],
    )
    def test_not_urgent(self, en: Analyse, fr: Analyse, text: str) -> None:
        assert not en(text)._.is_urgent
        assert not fr(text)._.is_urgent


class TestComponent:
    def test_register_extensions_is_idempotent(self) -> None:
        register_extensions()
        register_extensions()
        for name in ("formality", "is_question", "is_urgent"):
            assert Doc.has_extension(name)

    def test_defaults_before_the_component_runs(self) -> None:
        register_extensions()
        doc = spacy.blank("fr").make_doc("où est ma commande")
        assert doc._.formality is None
        assert doc._.is_question is False
        assert doc._.is_urgent is False

    def test_factory_returns_a_component_that_returns_the_doc(self) -> None:
        nlp = spacy.blank("fr")
        component = make_message_signals(nlp, "signals", lang="fr")
        assert isinstance(component, MessageSignals)
        doc = nlp.make_doc("Peux-tu m'aider?")
        assert component(doc) is doc
        assert (doc._.formality, doc._.is_question, doc._.is_urgent) == ("tu", True, False)

    def test_runs_inside_a_pipeline(self) -> None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        component = make_message_signals(nlp, "signals")
        doc = component(nlp("WHERE IS MY ORDER"))
        assert doc._.is_question
        assert doc._.is_urgent
        assert doc._.formality is None

    @pytest.mark.parametrize("text", ["", " ", "\n\n", "👍", "#4821", "x" * 10_000, "é" * 5000])
    def test_odd_input(self, fr: Analyse, text: str) -> None:
        doc = fr(text)
        assert doc._.formality in (None, "tu", "vous")
        assert isinstance(doc._.is_question, bool)
        assert isinstance(doc._.is_urgent, bool)
