"""The drafter and the templates: template problems, offer policies and the reviewer's "why"
line."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "templates.no_folder": {
        "en": "the templates folder {root} does not exist: run 'replique init' to get a copy "
              "of the shipped templates, or fix 'templates' in replique.yml",
        "fr": "le dossier de modèles de réponse {root} n'existe pas : lancez 'replique init' "
              "pour obtenir une copie des modèles livrés, ou corrigez 'templates' dans "
              "replique.yml",
    },
    "templates.bad_yaml": {
        "en": "{name}: front matter is not valid YAML: {error}",
        "fr": "{name} : l'en-tête (front matter) n'est pas du YAML valide : {error}",
    },
    "templates.not_mapping": {
        "en": "{name}: front matter must be a mapping",
        "fr": "{name} : l'en-tête (front matter) doit être un mapping YAML",
    },
    "templates.unknown_keys": {
        "en": "{name}: unknown front matter keys {keys}",
        "fr": "{name} : clés inconnues dans l'en-tête (front matter) {keys}",
    },
    "templates.bad_sentiments": {
        "en": "{name}: sentiments must be among {choices}",
        "fr": "{name} : les sentiments doivent être parmi {choices}",
    },
    "templates.does_not_compile": {
        "en": "{name}: does not compile: {error}",
        "fr": "{name} : ne compile pas : {error}",
    },
    "templates.render_failed": {"en": "{name}: {error}", "fr": "{name} : {error}"},
    "templates.empty_reply": {
        "en": "{name}: rendered an empty reply",
        "fr": "{name} : le rendu donne une réponse vide",
    },
    "check.needs_bare_variant": {
        "en": "{language}/{intent}: needs a non-promotional variant with 'requires: []' "
              "so a reply is possible when no detail is known",
        "fr": "{language}/{intent} : il faut une variante non promotionnelle avec "
              "'requires: []' pour pouvoir répondre quand aucun détail n'est connu",
    },
    "check.blank_value": {
        "en": "{name}: renders a blank value: {text!r}",
        "fr": "{name} : affiche une valeur vide : {text!r}",
    },
    "drafter.fallback": {
        "en": "no variant of {intent} could render: hand-off reply",
        "fr": "aucune variante de {intent} n'a pu être rendue : réponse de transfert",
    },
    "drafter.needs": {"en": "{name}: needs {missing}", "fr": "{name} : il manque {missing}"},
    "drafter.no_template": {
        "en": "no template for this language",
        "fr": "aucun modèle de réponse pour cette langue",
    },
    # The reviewer's "why" line (bot/drafting/drafter.py), pieces joined with " · ".
    "why.model_said": {
        "en": "(model said {intent}: hand-off)",
        "fr": "(le modèle disait {intent} : transfert à une personne)",
    },
    "why.first_name": {"en": "first name", "fr": "prénom"},
    "why.uses": {"en": "uses {details}", "fr": "utilise {details}"},
    "why.offer_allowed": {
        "en": "offer: policy allows it",
        "fr": "offre : permise par la politique",
    },
    "why.no_offer": {"en": "no offer: {reason}", "fr": "pas d'offre : {reason}"},
    # Why a draft may not carry an offer (bot/drafting/policies.py).
    "offer.disabled": {"en": "offers disabled", "fr": "offres désactivées"},
    "offer.opted_out": {"en": "customer opted out", "fr": "client désabonné"},
    "offer.unhappy": {"en": "customer unhappy", "fr": "client mécontent"},
    "offer.not_on_intent": {"en": "no offers on {intent}", "fr": "jamais pour {intent}"},
    "offer.recent_complaint": {"en": "recent complaint", "fr": "plainte récente"},
    "offer.already_sent": {
        "en": "offer already sent {date}",
        "fr": "offre déjà envoyée le {date}",
    },
}
# fmt: on
