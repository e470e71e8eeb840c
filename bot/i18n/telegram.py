"""The Telegram review card, /start and /help, and Telegram set-up errors."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "telegram.card_title": {"en": "{name} · {platform}", "fr": "{name} · {platform}"},
    "telegram.card_attachment": {
        "en": "[sent a {kind}, no text]",
        "fr": "[a envoyé : {kind}, sans texte]",
    },
    "telegram.card_attachment_caption": {
        "en": "[sent a {kind}]",
        "fr": "[a envoyé : {kind}]",
    },
    "telegram.card_draft": {
        "en": "Draft ({variant}/{variants})",
        "fr": "Brouillon ({variant}/{variants})",
    },
    "telegram.card_promotional": {"en": "promotional", "fr": "promotionnel"},
    "telegram.card_final": {"en": "Reply", "fr": "Réponse"},
    "telegram.card_truncated": {
        "en": "… ({count} more characters)",
        "fr": "… ({count} caractères de plus)",
    },
    "telegram.button_send": {"en": "✅ Send", "fr": "✅ Envoyer"},
    "telegram.button_edit": {"en": "✏️ Edit", "fr": "✏️ Modifier"},
    "telegram.button_variant": {"en": "🔁 Another version", "fr": "🔁 Autre version"},
    "telegram.button_discard": {"en": "❌ Discard", "fr": "❌ Écarter"},
    "telegram.button_intent": {"en": "🏷 Fix the intent", "fr": "🏷 Corriger l'intention"},
    "telegram.button_back": {"en": "↩ Back", "fr": "↩ Retour"},
    "telegram.edit_prompt": {
        "en": "✏️ Reply to this message with the corrected text for {name}: it is sent as you "
              "write it.",
        "fr": "✏️ Répondez à ce message avec le texte corrigé pour {name} : il part tel que vous "
              "l'écrivez.",
    },
    "telegram.edit_how": {
        "en": "To change this draft, press ✏️ Edit on the card and reply to the prompt: only a "
              "reply to the prompt is sent to the customer.",
        "fr": "Pour changer ce brouillon, appuyez sur ✏️ Modifier sur la carte et répondez à "
              "l'invite : seule une réponse à l'invite est envoyée au client.",
    },
    "telegram.edit_placeholder": {"en": "Corrected reply", "fr": "Réponse corrigée"},
    "telegram.not_reviewer": {
        "en": "Only reviewers can act on drafts (review.reviewers.telegram in replique.yml).",
        "fr": "Seuls les relecteurs peuvent agir sur les brouillons (review.reviewers.telegram "
              "dans replique.yml).",
    },
    "telegram.card_gone": {
        "en": "This draft is no longer waiting for review.",
        "fr": "Ce brouillon n'attend plus de relecture.",
    },
    "telegram.customer_start": {
        "en": "Hello! Write your question here: a member of our team reads every message and "
              "answers you here.",
        "fr": "Bonjour ! Écrivez votre question ici : une personne de notre équipe lit chaque "
              "message et vous répond ici.",
    },
    "telegram.customer_help": {
        "en": "Just write your message (a photo or a voice note works too): our team answers "
              "you in this chat, usually within minutes.",
        "fr": "Écrivez simplement votre message (une photo ou un message vocal, c'est bien "
              "aussi) : notre équipe vous répond dans cette conversation, en général en "
              "quelques minutes.",
    },
    "telegram.reviewer_help": {
        "en": "Review cards arrive in this group. On a card: ✅ sends the draft, ✏️ asks you to "
              "reply to the card with the corrected text (your reply is sent), 🔁 shows another "
              "version, ❌ discards it, 🏷 re-drafts for another intent. Reacting 👍 sends, 👎 "
              "discards. Only the reviewers listed in replique.yml can act; your Telegram id "
              "is {user_id}.",
        "fr": "Les cartes de relecture arrivent dans ce groupe. Sur une carte : ✅ envoie le "
              "brouillon, ✏️ vous demande de répondre à la carte avec le texte corrigé (votre "
              "réponse part), 🔁 montre une autre version, ❌ l'écarte, 🏷 rédige pour une autre "
              "intention. Réagir 👍 envoie, 👎 écarte. Seuls les relecteurs listés dans "
              "replique.yml peuvent agir ; votre identifiant Telegram est {user_id}.",
    },
    "telegram.bad_token": {
        "en": "Telegram refused TELEGRAM_BOT_TOKEN: copy the token BotFather gave you again",
        "fr": "Telegram refuse TELEGRAM_BOT_TOKEN : recopiez le jeton donné par BotFather",
    },
    "telegram.unreachable": {
        "en": "cannot reach the Telegram Bot API at {url} ({reason}): check the network, or "
              "TELEGRAM_API_URL",
        "fr": "impossible de joindre l'API Bot de Telegram à {url} ({reason}) : vérifiez le "
              "réseau, ou TELEGRAM_API_URL",
    },
    "telegram.no_token": {
        "en": "TELEGRAM_BOT_TOKEN is not set: the Telegram adapter needs the token BotFather "
              "gave you (/newbot, or /token for an existing bot)",
        "fr": "TELEGRAM_BOT_TOKEN n'est pas défini : l'adaptateur Telegram a besoin du jeton "
              "donné par BotFather (/newbot, ou /token pour un bot existant)",
    },
    "telegram.webhook_needs_secret": {
        "en": "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not: webhook mode "
              "needs a secret token so that only Telegram can post updates; set one (1 to 256 "
              "characters among A-Z, a-z, 0-9, _ and -) or unset TELEGRAM_WEBHOOK_URL to use "
              "long polling",
        "fr": "TELEGRAM_WEBHOOK_URL est défini mais pas TELEGRAM_WEBHOOK_SECRET : le mode "
              "webhook a besoin d'un jeton secret pour que seul Telegram puisse envoyer des "
              "mises à jour ; définissez-en un (1 à 256 caractères parmi A-Z, a-z, 0-9, _ et -) "
              "ou retirez TELEGRAM_WEBHOOK_URL pour utiliser le long polling",
    },
    "telegram.bad_webhook_secret": {
        "en": "TELEGRAM_WEBHOOK_SECRET may only hold 1 to 256 characters among A-Z, a-z, 0-9, "
              "_ and - (Telegram's rule for secret tokens)",
        "fr": "TELEGRAM_WEBHOOK_SECRET ne peut contenir que 1 à 256 caractères parmi A-Z, a-z, "
              "0-9, _ et - (la règle de Telegram pour les jetons secrets)",
    },
    "telegram.bad_webhook_url": {
        "en": "TELEGRAM_WEBHOOK_URL must be the public https:// address of /telegram/webhook, "
              "not {url!r}",
        "fr": "TELEGRAM_WEBHOOK_URL doit être l'adresse publique https:// de /telegram/webhook, "
              "pas {url!r}",
    },
    # The pages' own words; bot/web/i18n.py picks the browser's language for each request.
}
# fmt: on
