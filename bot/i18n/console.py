"""The developer console (``replique console``)."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "console.help": {
        "en": "Type a message as the customer would. Then choose what the reviewer does:\n"
              "  1, 2, 3      send that draft          e1, e2, e3   edit that draft, then send\n"
              "  d            discard the drafts       (Enter)      leave them pending\n"
              "Commands: /name NAME  be another customer   /new  start a new conversation\n"
              "          /help       this text             /quit leave (Ctrl-D works too)",
        "fr": "Écrivez un message comme le ferait le client. Puis choisissez ce que fait le "
              "relecteur :\n"
              "  1, 2, 3      envoyer ce brouillon       e1, e2, e3   le modifier, puis l'envoyer\n"
              "  d            rejeter les brouillons     (Entrée)     les laisser en attente\n"
              "Commandes : /name NOM   être un autre client   /new  nouvelle conversation\n"
              "            /help       ce texte               /quit quitter (Ctrl-D aussi)",
    },
    "console.banner": {
        "en": "{name} console — {brand}. Loading the analyser…",
        "fr": "Console {name} — {brand}. Chargement de l'analyseur…",
    },
    "console.prompt": {"en": "{name} (customer)> ", "fr": "{name} (client)> "},
    "console.now_writing_as": {
        "en": "Now writing as {name} (new conversation).",
        "fr": "Vous écrivez maintenant en tant que {name} (nouvelle conversation).",
    },
    "console.new_conversation": {"en": "New conversation.", "fr": "Nouvelle conversation."},
    "console.reviewer_choices": {
        "en": "Reviewer: 1-3 send · e1-e3 edit · d discard · Enter later",
        "fr": "Relecteur : 1-3 envoyer · e1-e3 modifier · d rejeter · Entrée plus tard",
    },
    "console.discarded": {
        "en": "Drafts discarded: nothing was sent.",
        "fr": "Brouillons rejetés : rien n'a été envoyé.",
    },
    "console.only_one_draft": {
        "en": "There is only one draft.",
        "fr": "Il n'y a qu'un brouillon.",
    },
    "console.only_n_drafts": {
        "en": "There are only {count} drafts.",
        "fr": "Il n'y a que {count} brouillons.",
    },
    "console.edit_prompt": {
        "en": "Corrected reply (one line)> ",
        "fr": "Réponse corrigée (une ligne)> ",
    },
    "console.nothing_typed": {
        "en": "Nothing typed: the draft is still pending.",
        "fr": "Rien de saisi : le brouillon reste en attente.",
    },
    "console.not_sent": {"en": "Not sent: {reason}", "fr": "Non envoyé : {reason}"},
    "console.unknown_reason": {"en": "unknown reason", "fr": "raison inconnue"},
    "console.sent": {"en": "→ sent to the customer:", "fr": "→ envoyé au client :"},
    "console.message": {"en": "message:", "fr": "message :"},
    "console.entities": {"en": "entities: {entities}", "fr": "entités : {entities}"},
    "console.no_entities": {"en": "none", "fr": "aucune"},
    "console.alternatives": {
        "en": "alternatives: {alternatives}",
        "fr": "autres intentions : {alternatives}",
    },
    "console.handoff": {"en": "hand-off to a person:", "fr": "à confier à une personne :"},
    "console.no_draft": {"en": "no draft:", "fr": "aucun brouillon :"},
    "console.promotional": {"en": "promotional", "fr": "promotionnel"},
    "console.draft": {"en": "Draft {rank}", "fr": "Brouillon {rank}"},
    "console.why": {"en": "why: {why}", "fr": "pourquoi : {why}"},
    "console.failed": {
        "en": "could not draft for this message ({reason}); it is stored. Details: stderr.",
        "fr": "impossible de rédiger pour ce message ({reason}) ; il est enregistré. "
        "Détails : stderr.",
    },
}
# fmt: on
