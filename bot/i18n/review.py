"""The review desk: cards, notices to the person who acted, the outbox."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "desk.not_reviewer": {
        "en": "Only the reviewers listed in replique.yml can act on drafts: nothing was done.",
        "fr": "Seuls les réviseurs listés dans replique.yml peuvent agir sur les brouillons : "
              "rien n'a été fait.",
    },
    "desk.no_card": {
        "en": "This card is not one Réplique knows: nothing was done.",
        "fr": "Réplique ne connaît pas cette carte : rien n'a été fait.",
    },
    "desk.not_pending": {
        "en": "Nothing was done: {reason}.",
        "fr": "Rien n'a été fait : {reason}.",
    },
    "desk.draft_changed": {
        "en": "The draft changed: look again. Nothing was done; the card shows the current "
              "version.",
        "fr": "Le brouillon a changé : relisez-le. Rien n'a été fait ; la carte montre la "
              "version actuelle.",
    },
    "desk.no_other_version": {
        "en": "There is no other version of this draft; edit it or fix the intent instead.",
        "fr": "Ce brouillon n'a pas d'autre version : modifiez-le ou corrigez l'intention.",
    },
    "desk.unknown_intent": {
        "en": "{intent!r} is not an intent of this model; pick one of: {choices}.",
        "fr": "{intent!r} n'est pas une intention de ce modèle ; choisissez parmi : {choices}.",
    },
    "desk.edit_needs_text": {
        "en": "An edit needs the text to send instead of the draft.",
        "fr": "Une modification a besoin du texte à envoyer à la place du brouillon.",
    },
    "desk.done_send": {"en": "Sent.", "fr": "Envoyé."},
    "desk.done_edit": {"en": "Edited and sent.", "fr": "Modifié et envoyé."},
    "desk.done_discard": {"en": "Discarded.", "fr": "Écarté."},
    "desk.done_variant": {
        "en": "Showing version {variant} of {variants}.",
        "fr": "Version {variant} sur {variants}.",
    },
    "desk.done_fix_intent": {
        "en": "Intent set to {intent}; new draft below. The correction is kept for training.",
        "fr": "Intention corrigée en {intent} ; nouveau brouillon ci-dessous. La correction est "
              "gardée pour l'entraînement.",
    },
    "card.summary": {
        "en": "{intent} {confidence:.0%} · {sentiment} · {language}{details}",
        "fr": "{intent} {confidence:.0%} · {sentiment} · {language}{details}",
    },
    "card.handoff": {"en": " · for a person: {reason}", "fr": " · pour une personne : {reason}"},
    "card.sentiment_negative": {"en": "negative", "fr": "négatif"},
    "card.sentiment_neutral": {"en": "neutral", "fr": "neutre"},
    "card.sentiment_positive": {"en": "positive", "fr": "positif"},
    "card.status_sent": {"en": "✅ Sent by {who} at {time}", "fr": "✅ Envoyé par {who} à {time}"},
    "card.status_edited": {
        "en": "✏️ Edited and sent by {who} at {time}",
        "fr": "✏️ Modifié et envoyé par {who} à {time}",
    },
    "card.status_discarded": {
        "en": "❌ Discarded by {who} at {time}",
        "fr": "❌ Écarté par {who} à {time}",
    },
    "card.status_superseded": {
        "en": "⏭️ Superseded at {time}: the customer wrote again, see the newer card",
        "fr": "⏭️ Remplacé à {time} : le client a réécrit, voir la carte plus récente",
    },
    "card.status_expired": {"en": "⌛ Expired at {time}", "fr": "⌛ Expiré à {time}"},
}
# fmt: on
