"""The command line: what ``replique`` prints, its errors, ``replique run``'s start-up lines and
the ``error`` of a ``draft --json`` answer."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
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
    "run.no_review_desk": {
        "en": "No review desk is configured: customer messages are stored and drafted, but no "
              "reviewer sees them until review.telegram_chat_id or review.slack_channel is set in "
              "replique.yml (then their cards are posted).",
        "fr": "Aucun bureau de relecture n'est configuré : les messages des clients sont "
              "enregistrés et rédigés, mais aucun relecteur ne les voit tant que "
              "review.telegram_chat_id ou review.slack_channel n'est pas indiqué dans "
              "replique.yml (leurs cartes sont alors publiées).",
    },
    "run.port_taken": {
        "en": "{host}:{port} is already in use (another replique run?): stop it, or choose "
              "another port with REPLIQUE_PORT",
        "fr": "{host}:{port} est déjà utilisé (un autre replique run ?) : arrêtez-le, ou "
              "choisissez un autre port avec REPLIQUE_PORT",
    },
    "run.cannot_listen": {
        "en": "cannot listen on {host}:{port} ({reason}): check REPLIQUE_HOST and REPLIQUE_PORT",
        "fr": "impossible d'écouter sur {host}:{port} ({reason}) : vérifiez REPLIQUE_HOST et "
              "REPLIQUE_PORT",
    },
    "run.bad_address": {
        "en": "{host}:{port} is not an address to listen on ({reason}): check REPLIQUE_HOST "
              "and REPLIQUE_PORT",
        "fr": "{host}:{port} n'est pas une adresse d'écoute ({reason}) : vérifiez "
              "REPLIQUE_HOST et REPLIQUE_PORT",
    },
    "cli.check_no_catalog": {
        "en": "Note: no product catalogue at {path}, so no product names are recognised "
              "(set catalog: in replique.yml, or write that file).",
        "fr": "Note : pas de catalogue de produits dans {path}, aucun nom de produit n'est donc "
              "reconnu (indiquez catalog: dans replique.yml, ou créez ce fichier).",
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
    "cli.train_epoch_unvalidated": {
        "en": "epoch {epoch:>3}  loss {loss:8.3f}  (no validation split)",
        "fr": "époque {epoch:>3}  perte {loss:8.3f}  (pas de jeu de validation)",
    },
    "cli.train_no_validation": {
        "en": "Too few examples to hold any out: each label needs {each} for a validation "
              "split. Training on all of them, with no validation score; the hand-off threshold "
              "is the {threshold:.2f} floor. Add examples for a model you can measure.",
        "fr": "Trop peu d'exemples pour en mettre de côté : il en faut {each} par étiquette "
              "pour un jeu de validation. Entraînement sur tous, sans score de validation ; le "
              "seuil de passage à une personne est le plancher de {threshold:.2f}. Ajoutez des "
              "exemples pour un modèle mesurable.",
    },
    "cli.train_saved_unvalidated": {
        "en": "Saved to {out} (not validated), hand-off threshold {threshold:.2f}, "
              "{seconds:.1f}s. Use it with 'models: {{{lang}: {out}}}' in replique.yml.",
        "fr": "Enregistré dans {out} (sans validation), seuil de passage à une personne "
              "{threshold:.2f}, {seconds:.1f}s. Utilisez-le avec 'models: {{{lang}: {out}}}' "
              "dans replique.yml.",
    },
    "cli.lang_mismatch": {
        "en": "--lang {lang} but {path} says language: {declared}: drop --lang, or fix the file",
        "fr": "--lang {lang} mais {path} indique language: {declared} : retirez --lang, ou "
              "corrigez le fichier",
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
    "jsonl.bad_json": {
        "en": "not valid JSON: {error} at column {column}",
        "fr": "JSON invalide : {error} à la colonne {column}",
    },
    "jsonl.too_big": {
        "en": "JSON too large or nested too deep (at most {depth} levels, {size} bytes)",
        "fr": "JSON trop gros ou trop imbriqué ({depth} niveaux, {size} octets au plus)",
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
    "jsonl.internal": {
        "en": "this message could not be drafted ({reason}); the others were answered",
        "fr": "impossible de rédiger ce message ({reason}) ; les autres ont reçu leur réponse",
    },
    "jsonl.bad_channel": {
        "en": '"channel" must be one of {choices}',
        "fr": '"channel" doit être parmi {choices}',
    },
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
}
# fmt: on
