"""The analyser: why a message goes to a person, and what the analysis is called in a line."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "analysis.urgent": {"en": "urgent", "fr": "urgent"},
    "analysis.question": {"en": "question", "fr": "question"},
    "analyser.no_language": {
        "en": "brand.languages must include fr or en: Réplique ships those two",
        "fr": "brand.languages doit inclure fr ou en : Réplique est livré avec ces deux langues",
    },
    "analyser.no_model": {
        "en": "no {component} model for '{lang}' at {path}: train one with "
              "'replique train --lang {lang} --data FILE --out DIR' and set models.{lang} in "
              "replique.yml, or run 'make models' to rebuild the shipped ones",
        "fr": "aucun modèle {component} pour '{lang}' dans {path} : entraînez-en un avec "
              "'replique train --lang {lang} --data FICHIER --out DOSSIER' et indiquez-le dans "
              "models.{lang} de replique.yml, ou lancez 'make models' pour reconstruire les "
              "modèles livrés",
    },
    "analyser.cannot_load": {
        "en": "cannot load the {lang} analysis pipeline: {error}",
        "fr": "impossible de charger la chaîne d'analyse {lang} : {error}",
    },
    "handoff.nothing_to_read": {
        "en": "no words to read (empty, emoji or an attachment only)",
        "fr": "aucun mot à lire (message vide, émojis ou pièce jointe seulement)",
    },
    "handoff.other_language": {
        "en": "the message is in a language Réplique does not answer",
        "fr": "le message est dans une langue à laquelle Réplique ne répond pas",
    },
    "handoff.unsure": {
        "en": "unsure of the intent ({intent} at {confidence:.0%}, below {threshold:.0%})",
        "fr": "intention incertaine ({intent} à {confidence:.0%}, sous le seuil de "
              "{threshold:.0%})",
    },
    "handoff.no_intent": {
        "en": "the message matches none of the known intents",
        "fr": "le message ne correspond à aucune intention connue",
    },
}
# fmt: on
