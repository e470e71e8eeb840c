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
    "cli.train_refit": {
        "en": "final training on every example: epoch {epoch:>3}/{epochs}  loss {loss:8.3f}",
        "fr": "entraînement final sur tous les exemples : époque {epoch:>3}/{epochs}  "
              "perte {loss:8.3f}",
    },
    "cli.train_progress": {
        "en": "training (validation accuracy {accuracy:.3f}, best {best:.3f})",
        "fr": "entraînement (exactitude en validation {accuracy:.3f}, meilleure {best:.3f})",
    },
    "cli.train_progress_refit": {
        "en": "final training on every example",
        "fr": "entraînement final sur tous les exemples",
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
    # --- bot/review/: the review desk, its cards and the outbox ----------------------------------
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
    "run.listening": {
        "en": "Réplique is listening on {url} (channels: {adapters}). Stop with Ctrl+C.",
        "fr": "Réplique écoute sur {url} (canaux : {adapters}). Arrêt avec Ctrl+C.",
    },
    "run.playground": {
        "en": "Open {url} in a browser to try it: write as a customer on the left, review on "
              "the right.",
        "fr": "Ouvrez {url} dans un navigateur pour l'essayer : écrivez en client à gauche, "
              "révisez à droite.",
    },
    "run.ready": {
        "en": "Models loaded: ready for the first message.",
        "fr": "Modèles chargés : prêt pour le premier message.",
    },
    "run.stopping": {
        "en": "Stopping: finishing what is in flight…",
        "fr": "Arrêt : fin des envois en cours…",
    },
    "outbox.no_channel": {
        "en": "no {platform} connection is running to deliver this reply",
        "fr": "aucune connexion {platform} n'est active pour livrer cette réponse",
    },
    # --- bot/channels/slack*.py: the Slack review card, the edit modal, Slack set-up errors ----
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
    # --- bot/channels/telegram*.py: the Telegram review card, /start and /help, set-up errors --
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
    # --- bot/channels/web.py, bot/web/: the playground and insights pages ----------------------
    # The pages' own words; bot/web/i18n.py picks the browser's language for each request.
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
