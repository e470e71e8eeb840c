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
    # replique templates suggest (bot/cli_templates.py).
    "cli.suggest_nothing": {
        "en": "No edit of a template was made {count} times yet: nothing to suggest.",
        "fr": "Aucune modification d'un modèle n'a encore été faite {count} fois : rien à "
              "suggérer.",
    },
    "cli.suggest_written": {
        "en": "Wrote {path} from {count} edits of {template}: read it, then commit it.",
        "fr": "{path} écrit d'après {count} modifications de {template} : relisez-le, puis "
              "validez-le (commit).",
    },
    "cli.suggest_failed_check": {
        "en": "The suggested variant would not pass 'replique check'; {path} was not kept:",
        "fr": "La variante suggérée ne passerait pas « replique check » ; {path} n'a pas été "
              "gardé :",
    },
    # The insights page's learning panels (bot/web/learning_panels.py).
    "web.chart_acceptance": {
        "en": "Sent as-is, per template and week",
        "fr": "Envoyés tels quels, par modèle et par semaine",
    },
    "web.acceptance_note": {
        "en": "Share of each template's drafts sent without an edit, of those sent, edited or "
              "discarded; weeks start on Monday.",
        "fr": "Part des brouillons de chaque modèle envoyés sans modification, parmi ceux "
              "envoyés, modifiés ou écartés ; les semaines commencent le lundi.",
    },
    "web.acceptance_template": {"en": "Template", "fr": "Modèle"},
    "web.acceptance_tip": {
        "en": "sent as-is {sent} of {decided} times",
        "fr": "envoyé tel quel {sent} fois sur {decided}",
    },
    "web.chart_blasts": {
        "en": "Blast warnings per day",
        "fr": "Alertes d'envoi de masse par jour",
    },
    "web.blast_sent": {"en": "sent after confirmation", "fr": "envoyés après confirmation"},
    "web.blast_held": {"en": "not sent", "fr": "non envoyés"},
    "web.chart_edits": {
        "en": "Edits reviewers keep making",
        "fr": "Modifications que les réviseurs refont souvent",
    },
    "web.edit_groups_note": {
        "en": "Alike edits of one template, customers' details masked. 'replique templates "
              "suggest' writes the first as a new variant to review.",
        "fr": "Modifications semblables d'un même modèle, détails des clients masqués. "
              "« replique templates suggest » écrit la première comme nouvelle variante à relire.",
    },
    "web.edit_group": {
        "en": "{template}: {count} alike edits",
        "fr": "{template} : {count} modifications semblables",
    },
    "card.confirm_title": {"en": "Send this text again?", "fr": "Renvoyer ce texte ?"},
    "card.confirm_send": {"en": "✅ Confirm: send anyway", "fr": "✅ Confirmer : envoyer"},
    "card.confirm_back": {"en": "↩ Back", "fr": "↩ Retour"},
}
# fmt: on
