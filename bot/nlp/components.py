"""The one place where Réplique's spaCy components and architectures are registered.

Names are versioned (``_v1``): a model saved with one version keeps loading after a component's
behaviour changes under a new name. Importing this module is enough to make every name known to
spaCy, so any code that builds or loads a pipeline imports it first.
"""

from __future__ import annotations

from spacy.language import Language

from bot.nlp import architectures, tfidf  # registers replique.TextCatNormBOW.v1, TextCatTfidf.v1
from bot.nlp.entities import make_rule_entities
from bot.nlp.normalize import make_text_normalizer
from bot.nlp.people_places import make_pretrained_entities
from bot.nlp.signals import make_message_signals

__all__ = ["COMPONENTS", "architectures", "tfidf"]

COMPONENTS = {
    "replique_normalizer_v1": "sets NORM to a lower-cased, accent-stripped form",
    "replique_rule_entities_v1": "order and tracking numbers, e-mail, phone, money, dates, names",
    "replique_pretrained_entities_v1": "people and places from a pretrained pipeline, gated",
    "replique_signals_v1": "formality (tu/vous), question, urgency",
}

Language.factory("replique_normalizer_v1")(make_text_normalizer)
Language.factory(
    "replique_rule_entities_v1",
    default_config={"lang": "en", "phone_regions": ["CA", "FR"], "default_currency": "CAD"},
)(make_rule_entities)
Language.factory(
    "replique_pretrained_entities_v1",
    default_config={"model": "fr_core_news_sm", "labels": {"PER": "PERSON", "LOC": "PLACE"}},
)(make_pretrained_entities)
Language.factory("replique_signals_v1", default_config={"lang": "en"})(make_message_signals)
