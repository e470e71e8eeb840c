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
    "migrate.created": {
        "en": "Database {url} created at revision {revision}, the newest.",
        "fr": "Base de données {url} créée à la révision {revision}, la plus récente.",
    },
    "migrate.upgraded": {
        "en": "Database {url} upgraded from revision {before} to {revision}, the newest.",
        "fr": "Base de données {url} mise à jour de la révision {before} à {revision}, la plus "
              "récente.",
    },
    "migrate.current": {
        "en": "Database {url} is already at revision {revision}, the newest: nothing to do.",
        "fr": "La base de données {url} est déjà à la révision {revision}, la plus récente : "
              "rien à faire.",
    },
    "cli.bad_customer": {
        "en": "{value!r} is not a customer: give the platform and its id as the store keys "
              "them, e.g. slack:U0123ABCD or telegram:5550001",
        "fr": "{value!r} n'est pas un client : indiquez la plateforme et son identifiant tels "
              "que le stockage les enregistre, par exemple slack:U0123ABCD ou telegram:5550001",
    },
    "cli.unknown_customer": {
        "en": "nothing is held about {customer}: check the platform and the id (replique audit "
              "lists who acted; a customer's id is the one their platform gives)",
        "fr": "rien n'est conservé sur {customer} : vérifiez la plateforme et l'identifiant "
              "(replique audit liste qui a agi ; l'identifiant d'un client est celui que lui "
              "donne sa plateforme)",
    },
    "cli.forget_what": {
        "en": "say whom to forget (replique forget slack:U0123ABCD) or how old data must be "
              "to go (replique forget --older-than 365)",
        "fr": "dites qui oublier (replique forget slack:U0123ABCD) ou à partir de quel âge les "
              "données partent (replique forget --older-than 365)",
    },
    "cli.forget_both": {
        "en": "give either a customer or --older-than, not both",
        "fr": "indiquez soit un client, soit --older-than, pas les deux",
    },
    "cli.older_than_min": {
        "en": "--older-than must be at least 1 (days), not {days}",
        "fr": "--older-than doit valoir au moins 1 (jour), pas {days}",
    },
    "cli.forget_done": {
        "en": "Forgot {customer}: {total} row(s) erased ({rows}). The audit log says a "
              "customer was forgotten, not who.",
        "fr": "{customer} est oublié : {total} ligne(s) effacée(s) ({rows}). Le journal "
              "d'audit indique qu'un client a été oublié, pas lequel.",
    },
    "cli.forget_not_scrubbed": {
        "en": "Note: the database's write-ahead log was busy (another process was reading); "
              "the erased rows are zeroed in the file and the log is overwritten at its next "
              "checkpoint.",
        "fr": "Note : le journal d'écriture de la base était occupé (un autre processus "
              "lisait) ; les lignes effacées sont remises à zéro dans le fichier et le journal "
              "est réécrit à son prochain point de contrôle.",
    },
    "cli.retention_done": {
        "en": "Erased data older than {days} day(s): {total} row(s) ({rows}).",
        "fr": "Données de plus de {days} jour(s) effacées : {total} ligne(s) ({rows}).",
    },
    "cli.retention_nothing": {
        "en": "Nothing is older than {days} day(s): nothing erased.",
        "fr": "Rien n'a plus de {days} jour(s) : rien n'est effacé.",
    },
    "cli.export_summary": {
        "en": "{customer} ({name}): {rows}. Use --json for every row.",
        "fr": "{customer} ({name}) : {rows}. Ajoutez --json pour toutes les lignes.",
    },
    "cli.export_no_name": {"en": "no name", "fr": "sans nom"},
    "cli.export_message": {
        "en": "{at}  {direction}  {text}",
        "fr": "{at}  {direction}  {text}",
    },
    "cli.export_inbound": {"en": "customer", "fr": "client"},
    "cli.export_outbound": {"en": "reply   ", "fr": "réponse "},
    "cli.audit_empty": {
        "en": "The audit log is empty: no reviewer has acted yet.",
        "fr": "Le journal d'audit est vide : aucun relecteur n'a encore agi.",
    },
    "cli.audit_when": {"en": "when (UTC)", "fr": "quand (UTC)"},
    "cli.audit_who": {"en": "who", "fr": "qui"},
    "cli.audit_platform": {"en": "from", "fr": "depuis"},
    "cli.audit_action": {"en": "action", "fr": "action"},
    "cli.audit_outcome": {"en": "outcome", "fr": "résultat"},
    "cli.audit_reason": {"en": "detail", "fr": "détail"},
    "cli.audit_card": {"en": "card", "fr": "carte"},
}
# fmt: on
