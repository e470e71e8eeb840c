"""What the desk learned: the ranking's record, earlier replies, the anti-blast guard, edit
suggestions, and their insights panels."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    # Pieces of the reviewer's "why" line (bot/wording.py).
    "why.sent_as_is": {
        "en": "sent as-is {sent} of {decided} times",
        "fr": "envoyé tel quel {sent} fois sur {decided}",
    },
    "why.trial": {"en": "new variant, being tried", "fr": "nouvelle variante, à l'essai"},
    "why.earlier": {
        "en": "approved on {date} for a similar message, adapted to this customer",
        "fr": "approuvée le {date} pour un message semblable, adaptée à ce client",
    },
    # The card's guard line.
    "card.personal": {
        "en": "🎯 {count} facts about this customer",
        "fr": "🎯 {count} éléments propres à ce client",
    },
    "card.blast": {
        "en": "⚠️ this text went to {customers} customers in {hours:g} h",
        "fr": "⚠️ ce texte est parti chez {customers} clients en {hours:g} h",
    },
    "card.blast_confirm": {
        "en": "✅ asks for a confirmation",
        "fr": "✅ demande une confirmation",
    },
    "desk.confirm_blast": {
        "en": "Not sent yet: this text went to {customers} other customers in {hours:g} h. "
              "Confirm to send it anyway, or edit it for this customer.",
        "fr": "Pas encore envoyé : ce texte est parti chez {customers} autres clients en "
              "{hours:g} h. Confirmez pour l'envoyer quand même, ou modifiez-le pour ce client.",
    },
    "card.confirm_title": {"en": "Send this text again?", "fr": "Renvoyer ce texte ?"},
    "card.confirm_send": {"en": "✅ Confirm: send anyway", "fr": "✅ Confirmer : envoyer"},
    "card.confirm_back": {"en": "↩ Back", "fr": "↩ Retour"},
}
# fmt: on
