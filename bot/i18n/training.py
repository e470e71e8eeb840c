"""Training and evaluation data, the trainer and saved models."""

from __future__ import annotations

from bot.i18n.catalogue import Entries

__all__ = ["MESSAGES"]

# fmt: off
MESSAGES: Entries = {
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
    "training.no_vectors": {
        "en": "this architecture reads the word vectors of the spaCy package {package}, which is "
              "not installed: pip install 'replique[vectors]' (or choose another --arch)",
        "fr": "cette architecture lit les vecteurs de mots du paquet spaCy {package}, qui n'est "
              "pas installé : pip install 'replique[vectors]' (ou choisissez un autre --arch)",
    },
    "training.vectors_language": {
        "en": "the word vectors of {package} are for language {vectors!r}, the data is {lang!r}: "
              "choose another --arch",
        "fr": "les vecteurs de mots de {package} sont pour la langue {vectors!r}, les données en "
              "{lang!r} : choisissez un autre --arch",
    },
    "training.one_label": {
        "en": "training needs at least two different labels",
        "fr": "l'entraînement demande au moins deux étiquettes différentes",
    },
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
}
# fmt: on
