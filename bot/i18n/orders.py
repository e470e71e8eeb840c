"""Order facts and the customer's history: the card's lines, the "why", configuration, check."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "orders.config_needs": {
        "en": "the {provider} order provider needs orders.{key}",
        "fr": "le fournisseur de commandes {provider} a besoin de orders.{key}",
    },
    "orders.config_bad_url": {
        "en": "orders.{key} must start with http:// or https:// (got {url!r})",
        "fr": "orders.{key} doit commencer par http:// ou https:// (reçu {url!r})",
    },
    "orders.no_secret": {
        "en": "the {provider} order provider needs {names} in the environment: set it, or "
              "remove orders.provider from replique.yml",
        "fr": "le fournisseur de commandes {provider} a besoin de {names} dans "
              "l'environnement : définissez-la, ou retirez orders.provider de replique.yml",
    },
    "orders.check_ok": {
        "en": "Orders: {provider} answers ({ms:.0f} ms).",
        "fr": "Commandes : {provider} répond ({ms:.0f} ms).",
    },
    "orders.check_no_answer": {
        "en": "Orders: {provider} does not answer ({reason}): drafts will go out without "
              "order facts until it does",
        "fr": "Commandes : {provider} ne répond pas ({reason}) : les brouillons partiront "
              "sans les faits de commande tant qu'il ne répondra pas",
    },
    "orders.check_none": {
        "en": "Orders: no order system configured (orders.provider); drafts carry no order "
              "facts.",
        "fr": "Commandes : aucun système de commandes configuré (orders.provider) ; les "
              "brouillons ne citent aucun fait de commande.",
    },
    # The "why" of a draft.
    "why.facts": {
        "en": "order {number} ({source}): {facts}",
        "fr": "commande {number} ({source}) : {facts}",
    },
    "why.no_facts": {
        "en": "no order facts: {problem}",
        "fr": "sans faits de commande : {problem}",
    },
    "why.fact_status": {"en": "status", "fr": "statut"},
    "why.fact_carrier": {"en": "carrier", "fr": "transporteur"},
    "why.fact_tracking_number": {"en": "tracking", "fr": "suivi"},
    "why.fact_tracking_url": {"en": "tracking link", "fr": "lien de suivi"},
    "why.fact_eta": {"en": "ETA", "fr": "date de livraison"},
    "why.fact_items": {"en": "items", "fr": "articles"},
    # What kept the facts away (card and "why").
    "orders.problem_no_reference": {
        "en": "no order number or e-mail to look up",
        "fr": "ni numéro de commande ni courriel à chercher",
    },
    "orders.problem_not_found": {"en": "no such order", "fr": "commande introuvable"},
    "orders.problem_email_mismatch": {
        "en": "the e-mail given is not the order's: not described, ask to confirm it",
        "fr": "le courriel donné n'est pas celui de la commande : rien n'est dit, demander "
              "de le confirmer",
    },
    "orders.problem_email_needed": {
        "en": "no e-mail given: not described, ask for the order's e-mail",
        "fr": "aucun courriel donné : rien n'est dit, demander celui de la commande",
    },
    "orders.problem_unreachable": {
        "en": "order system unreachable", "fr": "système de commandes injoignable",
    },
    "orders.problem_timeout": {
        "en": "order system too slow (over the time budget)",
        "fr": "système de commandes trop lent (budget de temps dépassé)",
    },
    "orders.problem_circuit_open": {
        "en": "order system unreachable (resting after repeated failures)",
        "fr": "système de commandes injoignable (en pause après des échecs répétés)",
    },
    # The card's facts line.
    "orders.card_order": {"en": "Order {number}", "fr": "Commande {number}"},
    "orders.card_problem": {"en": "Order {asked}: {problem}", "fr": "Commande {asked} : {problem}"},
    "orders.card_eta": {"en": "ETA {day}", "fr": "livraison prévue {day}"},
    "orders.status_placed": {"en": "placed", "fr": "enregistrée"},
    "orders.status_paid": {"en": "paid", "fr": "payée"},
    "orders.status_shipped": {"en": "shipped", "fr": "expédiée"},
    "orders.status_in_transit": {"en": "in transit", "fr": "en transit"},
    "orders.status_out_for_delivery": {"en": "out for delivery", "fr": "en cours de livraison"},
    "orders.status_delivered": {"en": "delivered", "fr": "livrée"},
    "orders.status_delayed": {"en": "delayed", "fr": "en retard"},
    "orders.status_cancelled": {"en": "cancelled", "fr": "annulée"},
    "orders.status_refunded": {"en": "refunded", "fr": "remboursée"},
    "orders.weekdays": {
        "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
        "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    },
    "orders.months": {
        "en": "January February March April May June July August September October November "
              "December",
        "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
              "décembre",
    },
    "orders.day": {"en": "{weekday}, {month} {day}", "fr": "{weekday} {day} {month}"},
    # The card's history line.
    "history.first_contact": {"en": "first contact", "fr": "premier contact"},
    "history.this_week": {
        "en": "{nth} message this week", "fr": "{nth} message cette semaine",
    },
    "history.last": {"en": "last: {intent}, {ago}", "fr": "dernier : {intent}, {ago}"},
    "history.today": {"en": "today", "fr": "aujourd'hui"},
    "history.yesterday": {"en": "yesterday", "fr": "hier"},
    "history.days_ago": {"en": "{days} days ago", "fr": "il y a {days} jours"},
    "history.orders": {"en": "{count} orders", "fr": "{count} commandes"},
    "history.one_order": {"en": "1 order", "fr": "1 commande"},
    "history.open_complaint": {
        "en": "complaint {ago}: refer back to it",
        "fr": "réclamation {ago} : y faire référence",
    },
}
# fmt: on
