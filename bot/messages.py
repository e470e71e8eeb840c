"""Every sentence Réplique says to a person, in English and in French, and ``t()`` to pick one.

Réplique is used by customer-service teams in Montréal, Paris and Toronto, so its own words —
error messages, what the command line and the console print, the reviewer's "why" line and
hand-off reasons — exist in both languages. Customer-facing replies are *not* here: they are the
reply templates (``templates/<lang>/``), chosen in the customer's language.

The catalogue
    ``MESSAGES`` maps a stable key (``"config.not_found"``) to one template per language, with
    ``{named}`` placeholders (format specs and ``!r`` allowed; a literal brace is doubled). Keys
    name the situation, not the English wording, so rewording one language never breaks a lookup.
    A plain dict rather than gettext: no compiled ``.mo`` files or extraction step, mypy and the
    tests see every entry, and tests/unit/test_messages.py proves that each key has both languages
    with the same placeholders, and that every key the code uses exists.

The language: the reader's, not the customer's
    1. ``REPLIQUE_LANG``: ``fr`` or ``en`` (``fr_CA``, ``en-GB``… work too; other values are
       ignored);
    2. else the POSIX locale, as programs read it: the first non-empty of ``LC_ALL``,
       ``LC_MESSAGES``, ``LANG`` decides, and French when it starts with ``fr`` (``fr_CA.UTF-8``);
    3. else English.
    The environment is read at every call, so a test's ``monkeypatch.setenv`` takes effect at once
    and nothing is decided at import time. Typer reads command help at import, so ``--help`` texts
    stay English; everything printed while a command runs goes through ``t()``.

``t()`` with an unknown key raises ``KeyError``: that is a bug in Réplique, not a user's mistake.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final, Literal

__all__ = ["LANGUAGES", "LANGUAGE_ENV", "MESSAGES", "Lang", "language", "t"]

Lang = Literal["en", "fr"]

#: The languages every message exists in.
LANGUAGES: Final[tuple[Lang, ...]] = ("en", "fr")
#: Environment variable that chooses the language of messages, before the locale.
LANGUAGE_ENV: Final = "REPLIQUE_LANG"
#: POSIX locale variables, in the order that decides the language of messages.
_LOCALE_VARS: Final = ("LC_ALL", "LC_MESSAGES", "LANG")

# fmt: off
MESSAGES: Final[Mapping[str, Mapping[Lang, str]]] = {
    # --- bot/cli.py ---------------------------------------------------------------------------
    "cli.need_text": {
        "en": 'give the message to draft for, e.g. replique draft "Salut!"',
        "fr": 'donnez le message auquel répondre, par exemple replique draft "Salut!"',
    },
    "cli.bad_channel": {
        "en": "--channel must be telegram, slack or web, not {channel!r}",
        "fr": "--channel doit être telegram, slack ou web, pas {channel!r}",
    },
    "cli.init_exists": {
        "en": "{paths} already exist: use --force to overwrite",
        "fr": "{paths} existe(nt) déjà : ajoutez --force pour écraser",
    },
    "cli.bad_lang": {
        "en": "--lang must be en or fr, not {lang!r}",
        "fr": "--lang doit être en ou fr, pas {lang!r}",
    },
    "cli.check_problems": {
        "en": "{count} problem(s):",
        "fr": "{count} problème(s) :",
    },
    "cli.check_ok": {
        "en": "All good: configuration, catalogue, models and templates of {brand}.",
        "fr": "Tout est en ordre : configuration, catalogue, modèles d'analyse et modèles de "
              "réponse de {brand}.",
    },
    "cli.init_done": {
        "en": "Wrote {config}, catalog.yml and templates/. Use it with REPLIQUE_CONFIG={config}, "
              "then run 'replique check'.",
        "fr": "{config}, catalog.yml et templates/ sont écrits. Utilisez-les avec "
              "REPLIQUE_CONFIG={config}, puis lancez 'replique check'.",
    },
    "cli.train_start": {
        "en": "Training on {count} examples ({lang}, {arch}, seed {seed})",
        "fr": "Entraînement sur {count} exemples ({lang}, {arch}, graine {seed})",
    },
    "cli.train_epoch": {
        "en": "epoch {epoch:>3}  loss {loss:8.3f}  validation accuracy {accuracy:.3f}  "
              "macro-F1 {macro_f1:.3f}{mark}",
        "fr": "époque {epoch:>3}  perte {loss:8.3f}  exactitude en validation {accuracy:.3f}  "
              "macro-F1 {macro_f1:.3f}{mark}",
    },
    "cli.train_saved": {
        "en": "Saved to {out}: validation accuracy {accuracy:.3f}, hand-off threshold "
              "{threshold:.2f}, {seconds:.1f}s. Use it with 'models: {{{lang}: {out}}}' in "
              "replique.yml.",
        "fr": "Enregistré dans {out} : exactitude en validation {accuracy:.3f}, seuil de "
              "transfert {threshold:.2f}, {seconds:.1f} s. Utilisez-le avec "
              "'models: {{{lang}: {out}}}' dans replique.yml.",
    },
    "cli.eval_intent": {"en": "intent", "fr": "intention"},
    "cli.eval_precision": {"en": "precision", "fr": "précision"},
    "cli.eval_recall": {"en": "recall", "fr": "rappel"},
    "cli.eval_summary": {
        "en": "accuracy {accuracy:.3f}  macro-F1 {macro_f1:.3f}  n={n}  {speed:.0f} messages/s",
        "fr": "exactitude {accuracy:.3f}  macro-F1 {macro_f1:.3f}  n={n}  "
              "{speed:.0f} messages/s",
    },
    "cli.eval_confusions": {
        "en": "Most confused (expected -> predicted):",
        "fr": "Confusions les plus fréquentes (attendu -> prédit) :",
    },
    # --- bot/console.py -----------------------------------------------------------------------
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
    "analysis.urgent": {"en": "urgent", "fr": "urgent"},
    "analysis.question": {"en": "question", "fr": "question"},
    # --- bot/config.py ------------------------------------------------------------------------
    "config.what_config": {"en": "The configuration file", "fr": "Le fichier de configuration"},
    "config.what_catalog": {"en": "The product catalogue", "fr": "Le catalogue de produits"},
    "config.not_found": {
        "en": "{what} not found at {path}: create it or fix the path",
        "fr": "{what} est introuvable ({path}) : créez-le ou corrigez le chemin",
    },
    "config.bad_yaml": {
        "en": "{what} at {path} is not valid YAML: {error}",
        "fr": "{what} ({path}) n'est pas du YAML valide : {error}",
    },
    "config.not_mapping": {
        "en": "{what} at {path} must be a mapping of keys to values",
        "fr": "{what} ({path}) doit associer des clés à des valeurs (un mapping YAML)",
    },
    "config.invalid": {
        "en": "{path} has invalid settings: {problems}",
        "fr": "{path} contient des réglages invalides : {problems}",
    },
    "config.top_level": {"en": "(top)", "fr": "(racine)"},
    "config.product_needs_name": {
        "en": "a product needs a name",
        "fr": "un produit doit avoir un nom",
    },
    # --- bot/nlp/datasets.py, bot/nlp/training.py ---------------------------------------------
    "datasets.missing": {
        "en": "{path} does not exist: give the path of a .csv or .yml file",
        "fr": "{path} n'existe pas : indiquez le chemin d'un fichier .csv ou .yml",
    },
    "datasets.unknown_format": {
        "en": "{path}: unknown format {suffix}: use a .csv with a 'text,label' header "
              "or a .yml file (see docs/training.md)",
        "fr": "{path} : format inconnu {suffix} : utilisez un .csv avec l'en-tête 'text,label' "
              "ou un fichier .yml (voir docs/training.md)",
    },
    "datasets.no_suffix": {"en": "(none)", "fr": "(aucune extension)"},
    "datasets.empty": {
        "en": "{path} holds no examples",
        "fr": "{path} ne contient aucun exemple",
    },
    "datasets.csv_header": {
        "en": "{path}: the first line must be a header with 'text' and 'label' columns "
              "(found: {found})",
        "fr": "{path} : la première ligne doit être un en-tête avec les colonnes 'text' et "
              "'label' (trouvé : {found})",
    },
    "datasets.csv_nothing": {"en": "nothing", "fr": "rien"},
    "datasets.csv_empty_row": {
        "en": "{path}, line {line}: empty text or label",
        "fr": "{path}, ligne {line} : texte ou étiquette vide",
    },
    "datasets.bad_yaml": {
        "en": "{path} is not valid YAML: {error}",
        "fr": "{path} n'est pas du YAML valide : {error}",
    },
    "datasets.no_section": {
        "en": "{path}: expected a '{section}:' mapping of label -> examples",
        "fr": "{path} : il faut une section '{section}:' qui associe chaque étiquette à ses "
              "exemples",
    },
    "datasets.not_a_list": {
        "en": "{path}: '{label}' must be a list of example messages",
        "fr": "{path} : '{label}' doit être une liste de messages d'exemple",
    },
    "datasets.bad_example": {
        "en": "{path}: '{label}' has an empty or non-text example",
        "fr": "{path} : '{label}' a un exemple vide ou qui n'est pas du texte",
    },
    "training.unknown_arch": {
        "en": "unknown architecture {name!r}: choose one of {choices}",
        "fr": "architecture {name!r} inconnue : choisissez parmi {choices}",
    },
    "training.one_label": {
        "en": "training needs at least two different labels",
        "fr": "l'entraînement demande au moins deux étiquettes différentes",
    },
    # --- bot/nlp/model_io.py, bot/nlp/analyser.py ---------------------------------------------
    "model.no_meta": {
        "en": "{path} is not a model folder (no meta.json): train one with 'replique train'",
        "fr": "{path} n'est pas un dossier de modèle (pas de meta.json) : entraînez-en un avec "
              "'replique train'",
    },
    "model.not_replique": {
        "en": "{path} is not a Réplique model (meta.json has no 'replique' section)",
        "fr": "{path} n'est pas un modèle Réplique (meta.json n'a pas de section 'replique')",
    },
    "model.cannot_load": {
        "en": "cannot load the model at {path}: {error}",
        "fr": "impossible de charger le modèle {path} : {error}",
    },
    "analyser.no_language": {
        "en": "brand.languages must include fr or en: Réplique ships those two",
        "fr": "brand.languages doit inclure fr ou en : Réplique est livré avec ces deux langues",
    },
    "analyser.no_model": {
        "en": "no {component} model for '{lang}' at {path}: train one with "
              "'replique train --lang {lang} --data FILE --out DIR' and set models.{lang} in "
              "replique.yml, or run 'make models' to rebuild the shipped ones",
        "fr": "aucun modèle {component} pour '{lang}' dans {path} : entraînez-en un avec "
              "'replique train --lang {lang} --data FICHIER --out DOSSIER' et indiquez-le dans "
              "models.{lang} de replique.yml, ou lancez 'make models' pour reconstruire les "
              "modèles livrés",
    },
    "analyser.cannot_load": {
        "en": "cannot load the {lang} analysis pipeline: {error}",
        "fr": "impossible de charger la chaîne d'analyse {lang} : {error}",
    },
    "handoff.nothing_to_read": {
        "en": "no words to read (empty, emoji or an attachment only)",
        "fr": "aucun mot à lire (message vide, émojis ou pièce jointe seulement)",
    },
    "handoff.other_language": {
        "en": "the message is in a language Réplique does not answer",
        "fr": "le message est dans une langue à laquelle Réplique ne répond pas",
    },
    "handoff.unsure": {
        "en": "unsure of the intent ({intent} at {confidence:.0%}, below {threshold:.0%})",
        "fr": "intention incertaine ({intent} à {confidence:.0%}, sous le seuil de "
              "{threshold:.0%})",
    },
    "handoff.no_intent": {
        "en": "the message matches none of the known intents",
        "fr": "le message ne correspond à aucune intention connue",
    },
    # --- bot/store/store.py -------------------------------------------------------------------
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
    # --- bot/drafting/ ------------------------------------------------------------------------
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
    # --- bot/jsonl.py: the "error" of a JSON Lines answer -------------------------------------
    "jsonl.bad_json": {
        "en": "not valid JSON: {error} at column {column}",
        "fr": "JSON invalide : {error} à la colonne {column}",
    },
    "jsonl.not_object": {
        "en": 'expected a JSON object such as {{"text": "..."}}',
        "fr": 'il faut un objet JSON, par exemple {{"text": "..."}}',
    },
    "jsonl.no_text": {
        "en": '"text" is required and must be a string',
        "fr": '"text" est obligatoire et doit être une chaîne de caractères',
    },
    "jsonl.bad_customer": {
        "en": '"customer" must be an object like {{"id": "...", "name": "..."}}',
        "fr": '"customer" doit être un objet comme {{"id": "...", "name": "..."}}',
    },
    "console.failed": {
        "en": "could not draft for this message ({reason}); it is stored. Details: stderr.",
        "fr": "impossible de rédiger pour ce message ({reason}) ; il est enregistré. "
        "Détails : stderr.",
    },
    "jsonl.internal": {
        "en": "this message could not be drafted ({reason}); the others were answered",
        "fr": "impossible de rédiger ce message ({reason}) ; les autres ont reçu leur réponse",
    },
    "jsonl.bad_channel": {
        "en": '"channel" must be one of {choices}',
        "fr": '"channel" doit être parmi {choices}',
    },
}
# fmt: on


def _pick(value: str) -> Lang | None:
    """``fr``/``en`` for a language or locale name ("fr", "fr_CA.UTF-8", "en-GB"), else None."""
    value = value.strip().lower()
    if value.startswith("fr"):
        return "fr"
    if value.startswith("en"):
        return "en"
    return None


def language() -> Lang:
    """The language of messages now: ``REPLIQUE_LANG``, else the POSIX locale, else English."""
    chosen = _pick(os.environ.get(LANGUAGE_ENV, ""))
    if chosen is not None:
        return chosen
    for name in _LOCALE_VARS:
        value = os.environ.get(name)
        if value:
            # The first locale variable that is set decides, as for any POSIX program: with
            # LC_ALL=C, a French LANG does not count.
            return "fr" if value.strip().lower().startswith("fr") else "en"
    return "en"


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the reader's language, its ``{placeholders}`` filled from ``values``.

    Raises ``KeyError`` for a key that is not in the catalogue (or a placeholder left unfilled).
    """
    try:
        templates = MESSAGES[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in bot/messages.py") from None
    return templates[language()].format(**values)
