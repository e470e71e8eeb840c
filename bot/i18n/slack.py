"""The Slack review card, the edit modal and Slack set-up errors."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "slack.card_title": {"en": "{name} · {platform}", "fr": "{name} · {platform}"},
    "slack.card_attachment": {
        "en": "[sent a {kind}, no text]",
        "fr": "[a envoyé : {kind}, sans texte]",
    },
    "slack.card_draft": {
        "en": "*Draft* ({variant}/{variants})",
        "fr": "*Brouillon* ({variant}/{variants})",
    },
    "slack.card_draft_promotional": {
        "en": "*Draft* ({variant}/{variants}) · promotional",
        "fr": "*Brouillon* ({variant}/{variants}) · promotionnel",
    },
    "slack.card_final": {"en": "*Reply*", "fr": "*Réponse*"},
    "slack.card_why": {"en": "Why: {why}", "fr": "Pourquoi : {why}"},
    "slack.card_fallback": {
        "en": "Draft for {name}: {draft}",
        "fr": "Brouillon pour {name} : {draft}",
    },
    "slack.card_truncated": {
        "en": "… ({count} more characters)",
        "fr": "… ({count} caractères de plus)",
    },
    "slack.button_send": {"en": "✅ Send", "fr": "✅ Envoyer"},
    "slack.button_edit": {"en": "✏️ Edit", "fr": "✏️ Modifier"},
    "slack.button_variant": {"en": "🔁 Another version", "fr": "🔁 Autre version"},
    "slack.button_discard": {"en": "❌ Discard", "fr": "❌ Écarter"},
    "slack.intent_placeholder": {"en": "Fix the intent", "fr": "Corriger l'intention"},
    "slack.modal_title": {"en": "Edit the reply", "fr": "Modifier la réponse"},
    "slack.modal_submit": {"en": "Send", "fr": "Envoyer"},
    "slack.modal_cancel": {"en": "Cancel", "fr": "Annuler"},
    "slack.modal_label": {"en": "Reply to {name}", "fr": "Réponse à {name}"},
    "slack.not_reviewer": {
        "en": "Only reviewers can act on drafts (review.reviewers.slack in replique.yml).",
        "fr": "Seuls les relecteurs peuvent agir sur les brouillons (review.reviewers.slack "
              "dans replique.yml).",
    },
    "slack.card_gone": {
        "en": "This draft is no longer waiting for review.",
        "fr": "Ce brouillon n'attend plus de relecture.",
    },
    "slack.no_signing_secret": {
        "en": "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify Slack's requests; "
              "set it (Basic Information → App Credentials) or use Socket Mode with "
              "SLACK_APP_TOKEN",
        "fr": "SLACK_SIGNING_SECRET n'est pas défini : le mode HTTP en a besoin pour vérifier les "
              "requêtes de Slack ; définissez-le (Basic Information → App Credentials) ou "
              "utilisez le Socket Mode avec SLACK_APP_TOKEN",
    },
    "slack.no_bot_token": {
        "en": "SLACK_BOT_TOKEN is not set: the Slack adapter needs the bot token (xoxb-…) from "
              "OAuth & Permissions",
        "fr": "SLACK_BOT_TOKEN n'est pas défini : l'adaptateur Slack a besoin du jeton du bot "
              "(xoxb-…) de la page OAuth & Permissions",
    },
}
# fmt: on
