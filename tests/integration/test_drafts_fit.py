"""Drafts fit what was understood: the tone follows the customer's mood, and the details they gave
(the order, the thing they bought, what they were charged, when to call) come back in the first
draft.

Each message goes through the real analyser and the real drafter. The intent is given as a
reviewer would correct it and the mood is set after the analysis, so what is checked here is the
drafting, whatever the models of the day make of each message.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.config import AppConfig
from bot.domain import DEFAULT_INTENTS, CustomerProfile, Draft, Sentiment
from bot.drafting.check import sample_contexts
from bot.drafting.replier import CustomerContext, Replier, ReplyRequest
from bot.drafting.templates import TemplateLibrary
from bot.nlp.analyser import Analyser

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)

APOLOGY = {
    "en": re.compile(r"\bsorry\b|\bapolog", re.IGNORECASE),
    "fr": re.compile(r"d[ée]sol[ée]|excuse|pardon|navr[ée]", re.IGNORECASE),
}

#: One message per intent and language, each giving an order number.
WITH_ORDER = {
    "en": {
        "order_status": "Hi! Just wondering where my order #48213 is at, thanks",
        "return_refund": "Hello, I'd like to return order 55120, the shoes are the wrong size",
        "cancellation": "Please cancel order #77812, I ordered twice by mistake",
        "complaint": "Order #55210: the lid of my kettle leaks since the first day",
        "account_billing": "I see a charge of $49.99 on my card for order #60231, what is it for?",
        "human_agent": "Could a person from your team get back to me about order #48210?",
        "technical_support": "The tracking link in the email for order #33107 opens an error page",
        "question": "Quick question about order #90876: do you ship to PEI?",
        "pricing": "Will the price of order #41234 change with the promo next week?",
        "purchase_intent": "I'd like to add two more bags to order #41235 if it's not too late",
        "store_hours": (
            "Can I pick up order #41236 at the Plateau store on Sunday? What time do you open?"
        ),
        "greeting": "Hi there! It's about order #41237",
        "thanks": "Thanks so much, order #41238 arrived in perfect shape!",
        "opt_out": "Please stop sending me promotions. Order #41239 is still on, though.",
        "other": "Order #41240 — my neighbour wanted me to ask you something too",
    },
    "fr": {
        "order_status": "Bonjour! Je voulais savoir où en est ma commande #48213, merci",
        "return_refund": (
            "Bonjour, j'aimerais retourner la commande 55120, les souliers sont trop petits"
        ),
        "cancellation": "Svp annulez la commande #77812, j'ai commandé deux fois par erreur",
        "complaint": "Commande #55210 : le couvercle de ma bouilloire fuit depuis le premier jour",
        "account_billing": (
            "Je vois un montant de 49,99 $ sur ma carte pour la commande #60231, c'est pour quoi?"
        ),
        "human_agent": (
            "Est-ce qu'une personne de votre équipe peut me revenir au sujet de la commande #48210?"
        ),
        "technical_support": (
            "Le lien de suivi dans le courriel de la commande #33107 donne une page d'erreur"
        ),
        "question": (
            "Petite question sur la commande #90876 : livrez-vous à l'Île-du-Prince-Édouard?"
        ),
        "pricing": "Est-ce que le prix de la commande #41234 va changer avec la promo?",
        "purchase_intent": (
            "J'aimerais ajouter deux sacs à la commande #41235 si c'est encore possible"
        ),
        "store_hours": (
            "Je peux récupérer la commande #41236 à "
            "la boutique dimanche? Vous ouvrez à quelle heure?"
        ),
        "greeting": "Allo! C'est au sujet de la commande #41237",
        "thanks": "Merci beaucoup, la commande #41238 est arrivée en parfait état!",
        "opt_out": (
            "Arrêtez de m'envoyer des promotions svp. La commande #41239 reste valide par contre."
        ),
        "other": "Commande #41240 — ma voisine voulait vous demander quelque chose aussi",
    },
}
ORDER_NUMBERS = re.compile(r"#?(\d{5})")


@pytest.fixture(scope="module")
def replier(app_config: AppConfig, analyser: Analyser) -> Replier:
    return Replier(app_config, analyser=analyser)


def first_draft(
    replier: Replier, text: str, *, intent: str, sentiment: Sentiment | None = None
) -> Draft:
    request = ReplyRequest(
        text, CustomerContext(CustomerProfile("c1", name="Julie Tremblay")), intent=intent
    )
    analysis = replier.analyse_many([request], now=NOW)[0]
    if sentiment is not None:
        analysis = replace(analysis, sentiment=sentiment)
    reply = replier.draft(request, analysis, now=NOW)
    assert reply.result.drafts, reply.result.skipped
    return reply.result.drafts[0]


def test_every_intent_has_a_message_in_each_language() -> None:
    for language in ("en", "fr"):
        assert set(WITH_ORDER[language]) == set(DEFAULT_INTENTS)


CASES = [(lang, intent) for lang in ("en", "fr") for intent in sorted(WITH_ORDER[lang])]


@pytest.mark.parametrize(("language", "intent"), CASES)
@pytest.mark.parametrize("sentiment", ["neutral", "positive"])
def test_a_customer_who_is_not_unhappy_gets_no_apology_and_their_order_number(
    replier: Replier, language: str, intent: str, sentiment: Sentiment
) -> None:
    text = WITH_ORDER[language][intent]
    draft = first_draft(replier, text, intent=intent, sentiment=sentiment)
    assert draft.language == language
    assert not APOLOGY[language].search(draft.text), draft.text
    match = ORDER_NUMBERS.search(text)
    assert match is not None
    assert match[1] in draft.text, (draft.template, draft.text)


@pytest.mark.parametrize(("language", "intent"), CASES)
def test_an_unhappy_customer_also_gets_their_order_number(
    replier: Replier, language: str, intent: str
) -> None:
    text = WITH_ORDER[language][intent]
    draft = first_draft(replier, text, intent=intent, sentiment="negative")
    match = ORDER_NUMBERS.search(text)
    assert match is not None
    assert match[1] in draft.text, (draft.template, draft.text)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_unhappy_complaint_still_gets_an_apology(replier: Replier, language: str) -> None:
    draft = first_draft(
        replier, WITH_ORDER[language]["complaint"], intent="complaint", sentiment="negative"
    )
    assert APOLOGY[language].search(draft.text), draft.text


def test_no_variant_apologises_to_a_calm_or_happy_customer(app_config: AppConfig) -> None:
    """Every variant, not only the first-ranked ones, with every detail known or not."""
    library = TemplateLibrary(app_config.templates_dir)
    rendered = 0
    for language in app_config.brand.languages:
        for intent in sorted(library.intents(language)):
            variants = library.variants(language, intent)
            for sentiment in ("neutral", "positive"):
                # Else the drafter would fall back on variants meant for another mood.
                assert any(
                    sentiment in v.sentiments and not v.requires and not v.promotional
                    for v in variants
                ), (language, intent, sentiment)
            for variant in variants:
                for context in sample_contexts(app_config, language, intent):
                    if context["sentiment"] == "negative":
                        continue
                    if context["sentiment"] not in variant.sentiments:
                        continue
                    if variant.promotional and context["offer"] is None:
                        continue
                    if any(not context.get(name) for name in variant.requires):
                        continue
                    text = library.render(variant, context)
                    rendered += 1
                    assert not APOLOGY[language].search(text), (variant.name, text)
    assert rendered > 1000


# --- The details they gave come back -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "expected", "absent"),
    [
        (
            "Can someone call me at 418 555-0192 after 5pm? It's about order #4821",
            "human_agent",
            ["418 555-0192", "after 5pm", "4821"],
            ["+1418"],
        ),
        (
            "Bonjour, pouvez-vous me rappeler au 418 555-0192 après 17h? "
            "C'est pour la commande 77812.",
            "human_agent",
            ["418 555-0192", "après 17h", "77812"],
            ["+1418"],
        ),
        (
            "Vous pouvez me joindre demain matin au 514 555-0123 pour ma plainte",
            "complaint",
            ["514 555-0123", "demain matin"],
            ["+1514"],
        ),
        (
            "I was charged 49,99 $ twice on my card for order 55120",
            "account_billing",
            ["$49.99", "55120"],
            ["CAD"],
        ),
        (
            "On m'a facturé 49.99$ deux fois pour la commande 55120",
            "account_billing",
            ["49,99 $", "55120"],
            ["CAD"],
        ),
        ("The lid of my kettle leaks since the first day", "complaint", ["kettle"], []),
        (
            "Le couvercle de ma bouilloire fuit depuis le premier jour",
            "complaint",
            ["la bouilloire"],
            [],
        ),
        (
            "I'd like to order three boxes of your organic coffee for our office.",
            "purchase_intent",
            ["the organic coffee"],
            [],
        ),
        (
            "I want my money back for order #55120, that's $49.99 for a kettle that leaks",
            "return_refund",
            ["55120", "$49.99", "kettle"],
            [],
        ),
        (
            "Mon grille-pain ne chauffe plus depuis hier, commande 33107",
            "technical_support",
            ["grille-pain", "33107"],
            [],
        ),
    ],
)
def test_the_details_given_come_back_in_the_first_draft(
    replier: Replier, text: str, intent: str, expected: list[str], absent: list[str]
) -> None:
    moods: tuple[Sentiment, ...] = ("neutral", "negative")
    for sentiment in moods:
        draft = first_draft(replier, text, intent=intent, sentiment=sentiment)
        for detail in expected:
            assert detail in draft.text, (sentiment, draft.template, draft.text)
        for wrong in absent:
            assert wrong not in draft.text, (sentiment, draft.text)


def test_the_why_names_the_time_it_reuses(replier: Replier) -> None:
    draft = first_draft(
        replier,
        "Could you call me back at 514-555-0123 tomorrow morning?",
        intent="human_agent",
        sentiment="neutral",
    )
    assert "tomorrow morning" in draft.text
    assert {"phone", "time"} <= set(draft.why.uses)
