"""The store: opening the database, and how a decision refused is told."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "store.cannot_open": {
        "en": "Cannot open the database at {url}: {reason}. Check DATABASE_URL.",
        "fr": "Impossible d'ouvrir la base de données {url} : {reason}. Vérifiez DATABASE_URL.",
    },
    "store.failed": {
        "en": "The database at {url} failed: {reason}. Check that it is running and "
              "reachable, and DATABASE_URL.",
        "fr": "La base de données {url} a échoué : {reason}. Vérifiez qu'elle est démarrée et "
              "joignable, ainsi que DATABASE_URL.",
    },
    "store.unsupported": {
        "en": "{backend} is not supported, use PostgreSQL or SQLite",
        "fr": "{backend} n'est pas pris en charge, utilisez PostgreSQL ou SQLite",
    },
    "store.no_such_draft": {"en": "no such draft", "fr": "ce brouillon n'existe pas"},
    # Appended to a status, hence the leading space: "already expired at 2024-05-01 12:00 UTC".
    "store.at_time": {"en": " at {time}", "fr": " le {time}"},
    "store.superseded": {
        "en": "already superseded{when}: another draft for this message was sent "
              "or a newer customer message arrived",
        "fr": "déjà remplacé{when} : un autre brouillon pour ce message a été envoyé, "
              "ou un message plus récent du client est arrivé",
    },
    "store.expired": {
        "en": "already expired{when}: nobody decided in time",
        "fr": "déjà expiré{when} : personne n'a décidé à temps",
    },
    "store.already": {"en": "already {status}{when}", "fr": "déjà {status}{when}"},
    "store.already_by": {
        "en": "already {status} by {reviewer} at {time}",
        "fr": "déjà {status} par {reviewer} le {time}",
    },
    "store.status_pending": {"en": "pending", "fr": "en attente"},
    "store.status_sent": {"en": "sent", "fr": "envoyé"},
    "store.status_edited": {"en": "edited and sent", "fr": "modifié et envoyé"},
    "store.status_discarded": {"en": "discarded", "fr": "rejeté"},
}
# fmt: on
