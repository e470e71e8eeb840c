"""``replique learn``: what it prints about each language's retraining, promotion or rollback."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
    "learn.bad_lang": {
        "en": "--lang must be one of {choices}, not {lang!r}",
        "fr": "--lang doit être l'une de {choices}, pas {lang!r}",
    },
    "learn.counts": {
        "en": "{lang}: {corrections} intent fix(es), {confirmed} confirmed intent(s)",
        "fr": "{lang} : {corrections} intention(s) corrigée(s), {confirmed} confirmée(s)",
    },
    "learn.scores": {
        "en": "  accuracy on the evaluation set: {before:.3f} ({before_model}) -> {after:.3f} "
              "(new model), n={n}",
        "fr": "  exactitude sur le jeu d'évaluation : {before:.3f} ({before_model}) -> "
              "{after:.3f} (nouveau modèle), n={n}",
    },
    "learn.held_out": {
        "en": "  accuracy on the held-out fixes: {before:.3f} -> {after:.3f}, n={n}",
        "fr": "  exactitude sur les corrections mises de côté : {before:.3f} -> {after:.3f}, n={n}",
    },
    "learn.promoted": {
        "en": "  promoted: {path} ({seconds:.0f} s); a running service uses it within "
              "{check_every:.0f} s",
        "fr": "  promu : {path} ({seconds:.0f} s) ; un service en marche l'utilise d'ici "
              "{check_every:.0f} s",
    },
    "learn.nothing_new": {
        "en": "  nothing to learn: no reviewer has fixed or approved a message in this language",
        "fr": "  rien à apprendre : aucun relecteur n'a corrigé ni approuvé de message dans "
              "cette langue",
    },
    "learn.unchanged": {
        "en": "  nothing new since the model in use ({model}) was learned",
        "fr": "  rien de nouveau depuis l'apprentissage du modèle en service ({model})",
    },
    "learn.rolled_back_before": {
        "en": "  nothing new since a model learned from the same fixes was rolled back; {model} "
              "stays",
        "fr": "  rien de nouveau depuis le retrait d'un modèle appris des mêmes corrections ; "
              "{model} reste en service",
    },
    "learn.worse_on_eval": {
        "en": "  not promoted: the new model is worse on the evaluation set; {model} stays",
        "fr": "  non promu : le nouveau modèle fait moins bien sur le jeu d'évaluation ; "
              "{model} reste en service",
    },
    "learn.worse_on_held_out": {
        "en": "  not promoted: the new model is worse on the held-out fixes; {model} stays",
        "fr": "  non promu : le nouveau modèle fait moins bien sur les corrections mises de "
              "côté ; {model} reste en service",
    },
    "learn.pinned": {
        "en": "  note: replique.yml pins models.{lang}, which the service keeps using",
        "fr": "  à noter : replique.yml fixe models.{lang}, que le service continue d'utiliser",
    },
    "learn.rolled_back": {
        "en": "{lang}: {model} rolled back; now using {now}",
        "fr": "{lang} : {model} retiré ; modèle en service : {now}",
    },
    "learn.nothing_to_roll_back": {
        "en": "{lang}: nothing to roll back, the shipped model is in use",
        "fr": "{lang} : rien à retirer, le modèle livré est en service",
    },
    "learn.shipped": {
        "en": "the shipped model",
        "fr": "le modèle livré",
    },
    "web.promotions_title": {
        "en": "Intent fixes per 100 messages, before and after each model promotion",
        "fr": "Intentions corrigées pour 100 messages, avant et après chaque promotion de modèle",
    },
    "web.promotions_empty": {
        "en": "No model promoted in this period: run replique learn (nightly, for instance).",
        "fr": "Aucun modèle promu pendant cette période : lancez replique learn (chaque nuit, "
              "par exemple).",
    },
    "web.promotions_when": {"en": "Promoted", "fr": "Promu le"},
    "web.promotions_language": {"en": "Language", "fr": "Langue"},
    "web.promotions_model": {"en": "Model", "fr": "Modèle"},
    "web.promotions_before": {"en": "Before", "fr": "Avant"},
    "web.promotions_after": {"en": "After", "fr": "Après"},
    "web.promotions_rate": {
        "en": "{rate:.1f} ({fixed} of {messages})",
        "fr": "{rate:.1f} ({fixed} sur {messages})",
    },
    "web.promotions_rolled_back": {"en": " (rolled back)", "fr": " (retiré)"},
}
# fmt: on
