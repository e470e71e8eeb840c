"""The playground and the insights pages."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "web.title": {"en": "Réplique playground", "fr": "Bac à sable Réplique"},
    "web.nav_label": {"en": "Pages", "fr": "Pages"},
    "web.nav_playground": {"en": "Playground", "fr": "Bac à sable"},
    "web.nav_insights": {"en": "Insights", "fr": "Tableau de bord"},
    "web.other_language": {"en": "Français", "fr": "English"},
    "web.intro": {
        "en": "Write as a customer on the left, review the drafts on the right: nothing reaches "
              "the customer until a reviewer approves it.",
        "fr": "Écrivez comme un client à gauche, relisez les brouillons à droite : rien ne "
              "part vers le client sans l'accord d'un relecteur.",
    },
    "web.timezone_note": {
        "en": "Times are shown in the brand's time zone, {zone}.",
        "fr": "Les heures sont celles du fuseau de la marque, {zone}.",
    },
    "web.customer_pane": {"en": "Customer chat", "fr": "Conversation client"},
    "web.customer_name": {"en": "Customer name", "fr": "Nom du client"},
    "web.open_conversation": {"en": "Open conversation", "fr": "Ouvrir la conversation"},
    "web.conversations": {"en": "Conversations", "fr": "Conversations"},
    "web.look": {"en": "Platform look", "fr": "Apparence"},
    "web.message": {"en": "Message", "fr": "Message"},
    "web.message_hint": {
        "en": "Write in French or English…",
        "fr": "Écrivez en français ou en anglais…",
    },
    "web.send": {"en": "Send", "fr": "Envoyer"},
    "web.no_conversation": {
        "en": "Type a customer name above to start a conversation.",
        "fr": "Tapez un nom de client ci-dessus pour commencer une conversation.",
    },
    "web.chat_with": {"en": "Conversation of {name}", "fr": "Conversation de {name}"},
    "web.from_customer": {"en": "{name} wrote", "fr": "{name} a écrit"},
    "web.from_brand": {"en": "The brand replied", "fr": "La marque a répondu"},
    "web.waiting": {
        "en": "Waiting for a reviewer…",
        "fr": "En attente d'un relecteur…",
    },
    "web.desk_pane": {"en": "Review desk", "fr": "Bureau de relecture"},
    "web.no_cards": {
        "en": "No card yet: write as a customer on the left.",
        "fr": "Aucune carte pour l'instant : écrivez comme un client à gauche.",
    },
    "web.card_from": {"en": "{name} on {platform}", "fr": "{name} sur {platform}"},
    "web.draft": {"en": "Draft", "fr": "Brouillon"},
    "web.why": {"en": "Why:", "fr": "Pourquoi :"},
    "web.variant": {"en": "version {n} of {total}", "fr": "version {n} sur {total}"},
    "web.promotional": {"en": "promotional", "fr": "promotionnel"},
    "web.attachment": {"en": "Attachment: {kind}", "fr": "Pièce jointe : {kind}"},
    "web.btn_send": {"en": "✅ Send", "fr": "✅ Envoyer"},
    "web.btn_edit": {"en": "✏️ Edit", "fr": "✏️ Modifier"},
    "web.btn_variant": {"en": "🔁 Another version", "fr": "🔁 Autre version"},
    "web.btn_discard": {"en": "❌ Discard", "fr": "❌ Écarter"},
    "web.intent_label": {"en": "Intent", "fr": "Intention"},
    "web.fix_intent": {"en": "Re-draft for this intent", "fr": "Rédiger pour cette intention"},
    "web.edit_label": {"en": "Reply to send", "fr": "Réponse à envoyer"},
    "web.edit_send": {"en": "✅ Send this reply", "fr": "✅ Envoyer cette réponse"},
    "web.cancel": {"en": "Cancel", "fr": "Annuler"},
    "web.connection_lost": {
        "en": "Connection lost: reconnecting…",
        "fr": "Connexion perdue : reconnexion…",
    },
    "web.error_empty_text": {"en": "Type a message first.", "fr": "Écrivez d'abord un message."},
    "web.error_no_name": {
        "en": "Type a customer name first.",
        "fr": "Tapez d'abord un nom de client.",
    },
    "web.error_too_long": {
        "en": "Too long: {limit} characters at most.",
        "fr": "Trop long : {limit} caractères au plus.",
    },
    "web.error_failed": {
        "en": "Something went wrong ({reason}); try again.",
        "fr": "Une erreur est survenue ({reason}) ; réessayez.",
    },
    "web.error_forbidden": {
        "en": "Refused: this page's session has ended or may not act here; reload the page.",
        "fr": "Refusé : la session de cette page a pris fin ou ne peut pas agir ici ; "
              "rechargez la page.",
    },
    "web.signin_title": {"en": "Sign in to Réplique", "fr": "Connexion à Réplique"},
    "web.signin_token": {"en": "Access token", "fr": "Jeton d'accès"},
    "web.signin_button": {"en": "Sign in", "fr": "Se connecter"},
    "web.signin_hint": {
        "en": "The token is the service's REPLIQUE_WEB_TOKEN; ask whoever runs Réplique.",
        "fr": "Le jeton est le REPLIQUE_WEB_TOKEN du service ; demandez-le à qui fait "
              "tourner Réplique.",
    },
    "web.signin_wrong": {
        "en": "That token is not the right one.",
        "fr": "Ce jeton n'est pas le bon.",
    },
    "web.local_only": {
        "en": "The playground is for the machine it runs on: open it there (127.0.0.1), or "
              "set REPLIQUE_WEB_TOKEN on the service so reviewers can sign in from elsewhere.",
        "fr": "Le bac à sable est réservé à la machine où il tourne : ouvrez-le depuis "
              "celle-ci (127.0.0.1), ou définissez REPLIQUE_WEB_TOKEN sur le service pour que "
              "les relecteurs puissent se connecter d'ailleurs.",
    },
    "web.reviewer_name": {"en": "Playground reviewer", "fr": "Relecteur du bac à sable"},
    "web.insights_title": {"en": "Réplique insights", "fr": "Tableau de bord Réplique"},
    "web.insights_intro": {
        "en": "Every channel, the last {days} days, read from the store (messages: {messages}, "
              "decisions: {decisions}).",
        "fr": "Tous les canaux, les {days} derniers jours, lus dans la base (messages : "
              "{messages}, décisions : {decisions}).",
    },
    "web.chart_intents": {
        "en": "Messages per intent, per day",
        "fr": "Messages par intention, par jour",
    },
    "web.chart_sentiment": {
        "en": "Messages per sentiment, per day",
        "fr": "Messages par tonalité, par jour",
    },
    "web.chart_templates": {
        "en": "Drafts per template: sent as-is, edited, discarded",
        "fr": "Brouillons par modèle : envoyés tels quels, modifiés, écartés",
    },
    "web.chart_outcome_intents": {
        "en": "Drafts per intent: sent as-is, edited, discarded",
        "fr": "Brouillons par intention : envoyés tels quels, modifiés, écartés",
    },
    "web.chart_median": {
        "en": "Median time from message to decision, per intent",
        "fr": "Délai médian entre message et décision, par intention",
    },
    "web.median_overall": {
        "en": "Median time from message to decision: {duration}",
        "fr": "Délai médian entre message et décision : {duration}",
    },
    "web.chart_offers": {
        "en": "Offers blocked by policy, per reason (messages)",
        "fr": "Offres bloquées par la politique, par raison (messages)",
    },
    "web.outcome_sent": {"en": "sent as-is", "fr": "envoyés tels quels"},
    "web.outcome_edited": {"en": "edited", "fr": "modifiés"},
    "web.outcome_discarded": {"en": "discarded", "fr": "écartés"},
    "web.sentiment_negative": {"en": "negative", "fr": "négative"},
    "web.sentiment_neutral": {"en": "neutral", "fr": "neutre"},
    "web.sentiment_positive": {"en": "positive", "fr": "positive"},
    "web.offer_reason_other": {"en": "other reason", "fr": "autre raison"},
    "web.no_data": {
        "en": "Nothing yet: this chart fills in as customers write and reviewers decide.",
        "fr": "Rien pour l'instant : ce graphique se remplit à mesure que les clients écrivent "
              "et que les relecteurs décident.",
    },
    "web.chart_total": {"en": "{label}: {count}", "fr": "{label} : {count}"},
    "web.audit_title": {
        "en": "Audit log: the latest reviewer actions and refused attempts",
        "fr": "Journal d'audit : les dernières actions des relecteurs et tentatives refusées",
    },
    "web.audit_empty": {
        "en": "No reviewer action yet.",
        "fr": "Aucune action de relecteur pour l'instant.",
    },
    "web.audit_when": {"en": "When", "fr": "Quand"},
    "web.audit_who": {"en": "Who", "fr": "Qui"},
    "web.audit_platform": {"en": "From", "fr": "Depuis"},
    "web.audit_action": {"en": "Action", "fr": "Action"},
    "web.audit_outcome": {"en": "Outcome", "fr": "Résultat"},
    "web.audit_reason": {"en": "Detail", "fr": "Détail"},
    "web.audit_card": {"en": "Card", "fr": "Carte"},
    "web.audit_applied": {"en": "applied", "fr": "appliquée"},
    "web.audit_refused": {"en": "refused", "fr": "refusée"},
    "web.audit_not_reviewer": {
        "en": "refused: not a reviewer",
        "fr": "refusée : pas relecteur",
    },
}
# fmt: on
